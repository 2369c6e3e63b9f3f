"""How far a run is from the calibration targets: one implausibility per target, and their maximum.

The targets and tolerances are those docs/validation.md marks as calibration fits: the record's
fitted months (Sep 2024 - Sep 2025, each within ±15%), calendar 2024 (homicides, members,
security forces killed), the 2024 ranking of states, the Sinaloa war and the day-0 wave. A
target's implausibility is its distance from the observed value in units of its tolerance, so 1
is the edge of what the validation page accepts and a parameter set meets every target when the
maximum is at most 1 (the rule of history matching, with the tolerance as its scale).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import spearmanr

from sim.world.geography import states_table
from sim.world.model import CartelModel
from sim.world.observed import monthly

STRIKE_HORIZON = 3  # days after the strike: the wave's 72 hours


@dataclass(frozen=True)
class Target:
    key: str
    observed: float
    tolerance: float
    side: str = "both"  # "both", "below" (only falling short counts) or "above" (only exceeding counts)

    def implausibility(self, value: float) -> float:
        gap = (value - self.observed) / self.tolerance
        if self.side == "below":
            gap = min(gap, 0.0)
        elif self.side == "above":
            gap = max(gap, 0.0)
        return abs(gap)


def targets() -> list[Target]:
    months = [Target(f"month_{m.month}", m.per_day, 0.15 * m.per_day) for m in monthly() if m.window == "fit"]
    return months + [
        Target("homicides_2024", 30_000.0, 3_000.0),  # 27,000-33,000
        Target("members_total_2024", 172_500.0, 12_500.0),  # 160,000-185,000
        Target("homicides_forces_2024", 400.0, 100.0),  # 300-500
        Target("spearman_counts_2024", 0.80, 0.05, "below"),  # at least 0.75
        Target("homicides_sinaloa_war_ratio", 2.5, 0.5, "below"),  # at least 2
        Target("roadblocks_48h", 265.0, 65.0),  # 200-330
        Target("roadblock_states_48h", 20.0, 5.0),  # 15-25
        Target("roadblocks_cleared_24h_share", 0.7, 0.1, "below"),  # at least 0.6
        Target("guard_killed_jalisco_72h", 27.5, 17.5),  # 10-45
    ]


def measure(seed: int, **params: Any) -> dict[str, float]:
    """The calibration targets' quantities of one run: the past and the strike's first 72 hours
    (the run `sim.ensemble(["mencho_strike"], horizon_days=STRIKE_HORIZON, measure=quantities)` makes)."""
    model = CartelModel(seed=seed, horizon_days=STRIKE_HORIZON, strike_enabled=True, **params)
    model.run()
    return quantities(model)


def quantities(model: CartelModel) -> dict[str, float]:
    """The calibration targets' quantities of a finished run (a measure for `sim.ensemble`)."""
    from sim.runs.summary import summarise

    s = summarise(model)
    out = {t.key: s[t.key] for t in targets() if t.key in s}
    out.update(
        {
            f"month_{m.month}": model.daily.mean("homicides", m.first_day, m.end_day)
            for m in monthly()
            if m.window == "fit"
        }
    )
    df = states_table()
    counts = np.array([s[f"homicides_2024_{c}"] for c in df["code"]], dtype=float)
    out["spearman_counts_2024"] = float(spearmanr(counts, df["homicides_2024"].to_numpy(float))[0])
    return {k: (np.nan if v is None else float(v)) for k, v in out.items()}


def implausibility(measured: dict[str, float]) -> dict[str, float]:
    """Each target's implausibility (NaN counts as infinitely far: the run did not produce it)."""
    return {t.key: (np.inf if np.isnan(measured[t.key]) else t.implausibility(measured[t.key])) for t in targets()}


def score(measured: dict[str, float]) -> float:
    """The largest implausibility: at most 1 when the run meets every calibration target."""
    return max(implausibility(measured).values())


def distance(measured: dict[str, float]) -> float:
    """The root-mean-square implausibility: how far from all the targets at once, where the
    largest says only whether one of them is missed (a smooth measure for profiles)."""
    return float(np.sqrt(np.mean(np.square(list(implausibility(measured).values())))))
