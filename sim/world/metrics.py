"""Fragmentation metrics computed from organisation sizes."""

from __future__ import annotations

import numpy as np

from sim.world.jit import compiled

ALIVE_MEMBERS = 50  # an organisation with fewer members no longer counts as a group
CELL_DEATH_MEMBERS = 1.0  # a cell with fewer members is gone; a group with fewer in a state is absent there


@compiled
def groups_alive(org_members: np.ndarray, is_local: np.ndarray) -> int:
    """Organisations (not counting unnamed local gangs) with at least ALIVE_MEMBERS members."""
    alive = 0
    for o in range(org_members.shape[0]):
        if org_members[o] >= ALIVE_MEMBERS and not is_local[o]:
            alive += 1
    return alive


@compiled
def effective_groups(org_members: np.ndarray, is_local: np.ndarray) -> float:
    """1 / Herfindahl index of members across organisations (unnamed local gangs left out)."""
    total = 0.0
    for o in range(org_members.shape[0]):
        if not is_local[o]:
            total += org_members[o]
    if total <= 0:
        return 0.0
    squares = 0.0
    for o in range(org_members.shape[0]):
        if not is_local[o]:
            squares += (org_members[o] / total) ** 2
    return 1.0 / squares


@compiled
def occupied(org_state_members: np.ndarray) -> np.ndarray:
    """The organisation-state pairs with members, as flat indices o x n_states + s in index order.

    Of the organisations x states grid (thousands of pairs) a day has members in a few hundred:
    the market and the metrics visit these instead of the whole grid, in the same order."""
    n_orgs, n_states = org_state_members.shape
    out = np.empty(n_orgs * n_states, np.int64)
    count = 0
    for o in range(n_orgs):
        for s in range(n_states):
            if org_state_members[o, s] != 0.0:
                out[count] = o * n_states + s
                count += 1
    return out[:count]


@compiled
def concentration(org_state_members: np.ndarray, occupied: np.ndarray) -> np.ndarray:
    """Herfindahl index of each state's criminal market: sum of squared member shares (organisations x states in,
    one per state out; `occupied` the pairs with members, from `occupied`).

    1 is a monopoly; 1/k is k groups of equal size; 0 where no group is present.
    """
    n_states = org_state_members.shape[1]
    total = np.zeros(n_states)
    for i in occupied:
        total[i % n_states] += org_state_members[i // n_states, i % n_states]
    out = np.zeros(n_states)
    for i in occupied:
        o, s = i // n_states, i % n_states
        x = org_state_members[o, s] / total[s]
        out[s] += x * x
    return out


@compiled
def org_state_members(
    members: np.ndarray, org: np.ndarray, state: np.ndarray, n_orgs: int, n_states: int
) -> np.ndarray:
    """Members of each organisation in each state (organisations x states)."""
    m = np.zeros((n_orgs, n_states))
    for c in range(members.shape[0]):
        m[org[c], state[c]] += members[c]
    return m


@compiled
def per_group(values: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum of the cells' values per group (a state, an organisation): bincount with weights."""
    out = np.zeros(n_groups)
    for c in range(values.shape[0]):
        out[group[c]] += values[c]
    return out
