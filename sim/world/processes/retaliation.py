"""The retaliation wave after a leader's removal: roadblocks by the hour, and attacks on forces.

The first 48 hours need finer steps than a day: each roadblock gets the hour it is set and the
hour it is cleared, drawn here, and the model files them under the days they fall on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WAVE_HOURS = 48  # roadblocks are set within this window after the removal


@dataclass
class Wave:
    """Roadblocks of one removal: the state of each, the hour it was set and the hours it stood."""

    state: np.ndarray
    set_hour: np.ndarray
    duration: np.ndarray

    @property
    def count(self) -> int:
        return len(self.state)

    def states_hit(self) -> int:
        return len(np.unique(self.state))

    def cleared_within(self, hours: float) -> float | None:
        """Share of roadblocks cleared within `hours` of being set (None without roadblocks)."""
        return float((self.duration <= hours).mean()) if self.count else None


def loyalty_draw(rng: np.random.Generator, n: int, mean: float, concentration: float = 5.0) -> np.ndarray:
    """Loyalty of n cells to their leader: Beta-distributed around `mean`."""
    return rng.beta(mean * concentration, (1.0 - mean) * concentration, size=n)


def roadblocks(
    rng: np.random.Generator,
    cell_state: np.ndarray,
    members: np.ndarray,
    loyalty: np.ndarray,
    density_ratio: np.ndarray,
    rate: float,
    size_exponent: float,
    onset_hours: float,
    clearance_rate_hour: float,
) -> Wave:
    """Roadblocks set by the given (loyal) cells in their own states, and how long each stands.

    A cell sets Poisson(rate x loyalty x (members/1000)^size_exponent) roadblocks, each after an
    exponential delay of mean `onset_hours` (those beyond 48 h are never set: the moment has
    passed). Forces clear each at `clearance_rate_hour` x the state's troop density relative to
    the national mean (`density_ratio`, per state), so a roadblock lasts an exponential time.
    """
    lam = rate * loyalty * (np.maximum(members, 0.0) / 1000.0) ** size_exponent
    per_cell = rng.poisson(lam)
    state = np.repeat(cell_state, per_cell)
    set_hour = rng.exponential(onset_hours, size=len(state))
    hazard = clearance_rate_hour * density_ratio[state]
    duration = rng.exponential(1.0, size=len(state)) / np.maximum(hazard, 1e-12)
    keep = set_hour < WAVE_HOURS
    return Wave(state[keep], set_hour[keep], duration[keep])


def per_day(wave: Wave, n_states: int, days: int = WAVE_HOURS // 24) -> np.ndarray:
    """Roadblocks set per day after the removal and per state (days x states)."""
    out = np.zeros((days, n_states))
    np.add.at(out, (np.minimum(wave.set_hour // 24, days - 1).astype(int), wave.state), 1.0)
    return out


def attack_aggression(loyalty: np.ndarray, borders_from_home: np.ndarray, surge: float, decay: float) -> np.ndarray:
    """Aggression toward forces of the removed leader's cells during the retaliation days.

    The surge is strongest in the leader's home state and falls by `decay` with each border
    crossed: the attacks of 22-24 February 2026 hit Jalisco and its neighbours Michoacán and
    Guanajuato (002_21516952c28177aa.txt).
    """
    return 1.0 + surge * loyalty * decay**borders_from_home
