"""A fit's search space: parameters of the table mapped to the unit cube (linear or on a log
scale over their ranges) and Latin hypercubes in it, shared by the searches that need them."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from sim import parameters


def to_unit(name: str, value: float, log_scale: Collection[str] = ()) -> float:
    p = parameters.table()[name]
    if name in log_scale:
        return (np.log(value) - np.log(p.low)) / (np.log(p.high) - np.log(p.low))
    return (value - p.low) / (p.high - p.low)


def from_unit(name: str, u: float, log_scale: Collection[str] = ()) -> float:
    """The value at `u` (clipped to [0, 1]) of a parameter's range."""
    p = parameters.table()[name]
    u = float(np.clip(u, 0.0, 1.0))
    if name in log_scale:
        return float(np.exp(np.log(p.low) + u * (np.log(p.high) - np.log(p.low))))
    return float(p.low + u * (p.high - p.low))


def latin_hypercube(rng: np.random.Generator, n: int, dims: int) -> np.ndarray:
    """n points in the unit cube, one in each of n slices of every dimension."""
    cols = [(rng.permutation(n) + rng.random(n)) / n for _ in range(dims)]
    return np.column_stack(cols)
