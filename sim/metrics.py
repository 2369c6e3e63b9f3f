"""Fragmentation metrics computed from organisation sizes."""

from __future__ import annotations

import numpy as np

ALIVE_MEMBERS = 50  # an organisation with fewer members no longer counts as a group


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
