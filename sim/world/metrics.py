"""Fragmentation metrics computed from organisation sizes."""

from __future__ import annotations

import numpy as np

ALIVE_MEMBERS = 50  # an organisation with fewer members no longer counts as a group
CELL_DEATH_MEMBERS = 1.0  # a cell with fewer members is gone; a group with fewer in a state is absent there


def groups_alive(org_members: np.ndarray, is_local: np.ndarray, threshold: float = ALIVE_MEMBERS) -> int:
    """Organisations (not counting unnamed local gangs) with at least `threshold` members."""
    return int(((org_members >= threshold) & ~is_local).sum())


def effective_groups(org_members: np.ndarray, is_local: np.ndarray) -> float:
    """1 / Herfindahl index of members across organisations (unnamed local gangs left out)."""
    m = org_members[~is_local]
    total = m.sum()
    if total <= 0:
        return 0.0
    share = m / total
    return float(1.0 / np.square(share).sum())


def concentration(org_state_members: np.ndarray) -> np.ndarray:
    """Herfindahl index of each state's criminal market: sum of squared member shares (organisations x states in, one per state out).

    1 is a monopoly; 1/k is k groups of equal size; 0 where no group is present.
    """
    total = org_state_members.sum(axis=0)
    share = np.divide(org_state_members, total, out=np.zeros_like(org_state_members), where=total > 0)
    return np.square(share).sum(axis=0)
