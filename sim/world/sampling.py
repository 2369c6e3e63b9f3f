"""Poisson counts per state drawn as one national total, shared out by rate.

The sum of independent Poisson counts is Poisson with the summed rate, and sharing that total's
events among the states in proportion to their rates gives back independent Poisson counts per
state (superposition and thinning). Drawn this way a day's counts take one draw for the nation
and one for each event, instead of one per state whatever the rates: most states' rates of
entry, of encounters with the forces or of civilian deaths are small, so most days have few
events and far fewer draws.
"""

from __future__ import annotations

import numpy as np

from sim.world.jit import compiled


@compiled
def pick(rng: np.random.Generator, lam: np.ndarray, start: int, end: int, total: float) -> int:
    """One event's place among `lam[start:end]` (whose sum is `total`), in proportion to the rates."""
    u, k = rng.random() * total, start
    acc = lam[k]
    while acc <= u and k < end - 1:
        k += 1
        acc += lam[k]
    return k


@compiled
def poisson_shared(rng: np.random.Generator, lam: np.ndarray) -> np.ndarray:
    """Independent Poisson(`lam[s]`) counts, one per state, from one national draw."""
    n = lam.shape[0]
    out = np.zeros(n, np.int64)
    total = 0.0
    for s in range(n):
        total += lam[s]
    if total <= 0:
        return out
    for _ in range(rng.poisson(total)):
        out[pick(rng, lam, 0, n, total)] += 1
    return out
