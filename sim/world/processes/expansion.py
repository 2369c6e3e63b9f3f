"""Expansion: cartels enter neighbouring states where they are absent, the larger the faster.

A national or regional organisation present in a state enters each land neighbour where it is
absent with a monthly chance `expansion_rate` times its size relative to the mean of those
organisations (CJNG grew from the 12 states of the DEA's 2015 map to a presence in all 32 by the
DEA's 2025 assessment: a franchise that opens cells where it can pay them). It sends a detachment
(`encroach_share` of its largest cell next door), as a rival entering a weakened organisation's
state does: the same rule (`succession.encroachers`) with every state open and no cohesion to
keep it out. At `expansion_rate` 0 nobody expands (the world of 2024's default).
"""

from __future__ import annotations

import numpy as np

from sim.world.processes.succession import encroachers

DAYS = 30  # the process runs once every this many days


def entries(
    rng: np.random.Generator,
    org_state_members: np.ndarray,
    adjacency: np.ndarray,
    eligible: np.ndarray,
    rate: float,
) -> list[tuple[int, int, int]]:
    """This month's entries: (organisation, state, from state)."""
    size = org_state_members.sum(axis=1)
    mean = size[eligible].mean() if eligible.any() else 0.0
    relative = np.where(eligible, size / mean, 0.0) if mean > 0 else np.zeros_like(size)
    n_states = org_state_members.shape[1]
    return encroachers(
        rng,
        org_state_members,
        np.ones(n_states, bool),
        adjacency,
        np.ones(len(size), bool),
        eligible,
        rate * relative,
        0.0,
    )
