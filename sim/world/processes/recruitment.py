"""Recruitment with saturation, desertion, and unpaid members moving between cells."""

from __future__ import annotations

import numpy as np

from sim.world.jit import compiled


@compiled
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
    alternatives: `capacity`, one value per cell) cuts it further.
    """
    out = np.empty(members.shape[0])
    for c in range(members.shape[0]):
        affordable = income[c] / member_cost
        ratio = members[c] / affordable if affordable > 0 else 1.0
        room = min(max(1.0 - ratio, 0.0), 1.0)
        out[c] = rate_max * members[c] * room * (1.0 - capacity_damping * capacity[c])
    return out


@compiled
def desertion(members: np.ndarray, rate_per_year: float) -> np.ndarray:
    """Members of each cell who leave for good today."""
    return members * rate_per_year / 365.0


@compiled
def switch_employers(
    state: np.ndarray, members: np.ndarray, affordable: np.ndarray, rate: float, n_states: int
) -> tuple[np.ndarray, np.ndarray]:
    """Members beyond what their cell's income pays move to cells with room in the same state.

    Gunmen are mostly contractors who work for whoever pays (002_21516952c28177aa.txt): each day
    a share `rate` of a cell's unpaid members leaves it; they join the state's cells that can
    pay more members, in proportion to that room, and those no cell can pay drop out.
    Returns (members leaving each cell, members joining each cell).
    """
    n = members.shape[0]
    leaving = np.empty(n)
    room = np.empty(n)
    pool = np.zeros(n_states)
    space = np.zeros(n_states)
    for c in range(n):
        leaving[c] = max(members[c] - affordable[c], 0.0) * rate
        room[c] = max(affordable[c] - members[c], 0.0)
        pool[state[c]] += leaving[c]
        space[state[c]] += room[c]
    joining = np.empty(n)
    for c in range(n):
        s = state[c]
        fill = pool[s] / space[s] if space[s] > 0 else 0.0
        joining[c] = room[c] * min(fill, 1.0)
    return leaving, joining
