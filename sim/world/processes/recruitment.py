"""Recruitment with saturation, desertion, and unpaid members moving between cells."""

from __future__ import annotations

import numpy as np


def recruits(
    members: np.ndarray,
    income: np.ndarray,
    member_cost: float,
    rate_max: float,
    capacity: np.ndarray,
    capacity_damping: float,
) -> np.ndarray:
    """New members per cell today.

    A cell recruits while its income pays more members than it has: the rate falls linearly to
    zero as members approach income / member_cost (saturation), and state capacity (legal
    alternatives) cuts it further.
    """
    affordable = income / member_cost
    room = np.clip(1.0 - np.divide(members, affordable, out=np.ones_like(members), where=affordable > 0), 0.0, 1.0)
    return rate_max * members * room * (1.0 - capacity_damping * capacity)


def desertion(members: np.ndarray, rate_per_year: float) -> np.ndarray:
    """Members of each cell who leave for good today."""
    return members * rate_per_year / 365.0


def switch_employers(
    state: np.ndarray, members: np.ndarray, affordable: np.ndarray, rate: float, n_states: int
) -> tuple[np.ndarray, np.ndarray]:
    """Members beyond what their cell's income pays move to cells with room in the same state.

    Gunmen are mostly contractors who work for whoever pays (002_21516952c28177aa.txt): each day
    a share `rate` of a cell's unpaid members leaves it; they join the state's cells that can
    pay more members, in proportion to that room, and those no cell can pay drop out.
    Returns (members leaving each cell, members joining each cell).
    """
    leaving = np.maximum(members - affordable, 0.0) * rate
    room = np.maximum(affordable - members, 0.0)
    pool = np.bincount(state, weights=leaving, minlength=n_states)
    space = np.bincount(state, weights=room, minlength=n_states)
    fill = np.divide(pool, space, out=np.zeros_like(pool), where=space > 0)
    return leaving, room * np.minimum(fill, 1.0)[state]
