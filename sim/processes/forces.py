"""Security forces: where the troops are, and the fights between them and armed groups."""

from __future__ import annotations

import numpy as np


def allocate_troops(population: np.ndarray, pool: float, front_state: int, front_troops: float) -> np.ndarray:
    """Troops per state: the front gets its troops, the rest of the pool garrisons by population."""
    front = min(front_troops, pool)
    troops = (pool - front) * population / population.sum()
    troops[front_state] += front
    return troops


def state_capacity(rule_of_law: np.ndarray, national_level: float, exponent: float) -> np.ndarray:
    """Capacity per state: the national level scaled by the state's rule-of-law index relative to the mean.

    exponent 0 gives every state the national level; larger values spread states further apart.
    """
    return np.clip(national_level * (rule_of_law / rule_of_law.mean()) ** exponent, 0.0, 1.0)


def troop_density(troops: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Troops per 1,000 inhabitants."""
    return troops / population * 1000.0


def force_clashes(
    rng: np.random.Generator,
    armed_members: np.ndarray,
    density: np.ndarray,
    attack_rate: float,
    gunmen_per_force_killed: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Security-force and gunmen deaths per state today.

    Encounters scale with the members willing to fight times the troops per 1,000 inhabitants;
    forces win (they kill more than they lose) but take losses.
    """
    lam = attack_rate / 365.0 * armed_members * density
    return rng.poisson(lam), rng.poisson(gunmen_per_force_killed * lam)
