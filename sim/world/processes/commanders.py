"""The cells' core: commanders, plaza bosses and trained gunmen, the few who organise the killing.

A cell's core at full strength is `core_share` of its members; its core strength q (0-1) is the
share of that in place. Arrests aimed at the violent ("generadores de violencia",
record-2024-2026.md) take core members `targeting` times as often as chance would. Cells rebuild
their core by promotion, and it takes the core to train the core: experienced members pick and
train new ones, so the rebuilding rate grows with the core in place (q (1 - q) a year, a
logistic); under arrests harder than it can make up for, a cell's core erodes. Other losses and
recruits change a cell's members, not q. A group's clashes scale with its core strength relative
to the steady world's (`sim.world.day`).
"""

from __future__ import annotations

import numpy as np

from sim.world.jit import compiled


@compiled
def after_arrests(q: np.ndarray, arrest_rate: np.ndarray, share: float, targeting: float) -> np.ndarray:
    """Core strength after today's arrests: a cell whose members are arrested at `arrest_rate`
    (a share of its members today) loses core at `targeting` times that rate (all of the arrested
    are core once the core is what the arrests find)."""
    return np.maximum(q - arrest_rate * np.minimum(targeting * q, 1.0 / share), 0.0)


@compiled
def rebuilt(q: np.ndarray, rate_per_year: float) -> np.ndarray:
    """Core strength after a day of promotion: at `rate_per_year` x q of the gap to full strength a
    year (the core in place trains its successors)."""
    return q + q * (1.0 - q) * rate_per_year / 365.0


def steady(arrest_rate: np.ndarray, share: float, targeting: float, rate_per_year: float) -> np.ndarray:
    """Core strength where a day's promotion makes up for a day's arrests (daily `arrest_rate`):
    the fixed point of `after_arrests` then `rebuilt`, found by bisection for each cell, so that
    the steady world's core stays where it starts. Where arrests outpace promotion at any
    strength, the core erodes: 0.001."""
    lo, hi = np.full(arrest_rate.shape, 1e-3), np.ones(arrest_rate.shape)
    step = lambda q: rebuilt(after_arrests(q, arrest_rate, share, targeting), rate_per_year) - q  # noqa: E731
    erodes = step(lo) <= 0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        up = step(mid) > 0  # promotion still outpaces arrests: the fixed point is above
        lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
    return np.where(erodes, 1e-3, lo)


@compiled
def mean_strength(q: np.ndarray, members: np.ndarray, cell_group: np.ndarray, n_groups: int) -> np.ndarray:
    """Members' mean core strength per group of cells (e.g. organisation x state); 1 where empty."""
    weight = np.zeros(n_groups)
    held = np.zeros(n_groups)
    for c in range(members.shape[0]):
        weight[cell_group[c]] += members[c]
        held[cell_group[c]] += members[c] * q[c]
    for g in range(n_groups):
        held[g] = held[g] / weight[g] if weight[g] > 0 else 1.0
    return held


@compiled
def core_in_place(q: np.ndarray, members: np.ndarray, cell_group: np.ndarray, n_groups: int) -> np.ndarray:
    """Members times core strength summed per group of cells: a group's mean strength is this over
    its members (`mean_strength`), for the day to take where it has the members already."""
    out = np.zeros(n_groups)
    for c in range(members.shape[0]):
        out[cell_group[c]] += members[c] * q[c]
    return out
