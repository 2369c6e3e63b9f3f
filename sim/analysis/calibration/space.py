"""A fit's search space: parameters of the table mapped to the unit cube (linear or on a log
scale over their ranges) and Latin hypercubes in it, shared by the searches that need them."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from sim import parameters
from sim.analysis.factors import Factor


def to_unit(name: str, value: float, log_scale: Collection[str] = ()) -> float:
    """Where `value` lies in a parameter's range (0 to 1), on a log scale if named in `log_scale`."""
    return float(factor(name, log_scale).unit(value))


def factor(name: str, log_scale: Collection[str] = ()) -> Factor:
    """A parameter of the table as a factor over its range, on a log scale if named in `log_scale`."""
    p = parameters.table()[name]
    return Factor(name, float(p.low), float(p.high), False, log=name in log_scale)


def from_unit(name: str, u: float, log_scale: Collection[str] = ()) -> float:
    """The value at `u` (clipped to [0, 1]) of a parameter's range."""
    return float(factor(name, log_scale).at(float(np.clip(u, 0.0, 1.0))))


def latin_hypercube(rng: np.random.Generator, n: int, dims: int) -> np.ndarray:
    """n points in the unit cube, one in each of n slices of every dimension."""
    cols = [(rng.permutation(n) + rng.random(n)) / n for _ in range(dims)]
    return np.column_stack(cols)
