"""The one decorator every array process is compiled with.

Each process of the day is a plain function on arrays, compiled once by numba and called as it
is by the unit tests and by the day (`sim.world.day`): there is no second, uncompiled path.
Compiled code is cached on disk (`__pycache__`), so a new process loads it instead of compiling.
"""

from __future__ import annotations

from numba import njit


def compiled(fn):
    """`fn` compiled (nopython, cached); `fn.py_func` is the Python source it was made from.

    numpy's error model: a division by zero gives inf or nan instead of raising, so numba need not
    check every division (the processes guard theirs where it matters)."""
    return njit(cache=True, error_model="numpy")(fn)


@compiled
def power(x: float, e: float) -> float:
    """x ** e, with numpy's fast paths for the exponents 1, 2 and 0.5 (a general power costs
    about ten times a product, and the day takes thousands)."""
    if e == 1.0:
        return x
    if e == 2.0:
        return x * x
    if e == 0.5:
        return x**0.5
    return x**e
