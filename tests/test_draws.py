"""The compiled draws (sim/world/draws.py) against numpy's Generator: the same numbers from the
same stream, and the stream left where numpy leaves it, for every method each distribution uses
(Poisson by multiplication and by PTRS; binomial by inversion and by BTPE, on either side of 1/2)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.world import draws, kernel

pytestmark = pytest.mark.skipif(not kernel.AVAILABLE, reason="numba is not installed, CARTEL_SIM_KERNELS=0 or numpy's PCG64 layout differs")


@draws.njit
def _poissons(address, lam):
    s = draws.state(address)
    out = np.empty(lam.shape[0], np.int64)
    for i in range(lam.shape[0]):
        out[i] = draws.poisson(s, lam[i])
    return out


@draws.njit
def _binomials(address, n, p):
    s = draws.state(address)
    out = np.empty(n.shape[0], np.int64)
    for i in range(n.shape[0]):
        out[i] = draws.binomial(s, n[i], p[i])
    return out


@draws.njit
def _uniforms(address, k):
    s = draws.state(address)
    out = np.empty(k)
    for i in range(k):
        out[i] = draws.random(s)
    return out


def _pair(seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    return np.random.default_rng(seed), np.random.default_rng(seed)


def test_the_layout_check_passes_where_the_kernels_run():
    assert draws.matches_numpy()


@pytest.mark.parametrize("seed", range(20))
def test_draws_are_numpys_to_the_last_bit_and_leave_the_stream_where_numpy_does(seed):
    rng = np.random.default_rng(1000 + seed)
    lam = rng.choice([0.0, 0.01, 0.5, 3.0, 9.99, 10.0, 15.0, 50.0, 400.0, 1e4], 400) * rng.uniform(0.5, 1.5, 400)
    ours, theirs = _pair(seed)
    assert _poissons(ours.bit_generator.ctypes.state_address, lam).tolist() == theirs.poisson(lam).tolist()
    assert ours.bit_generator.state == theirs.bit_generator.state
    n = rng.integers(0, 5000, 400) * (rng.random(400) < 0.8)
    p = np.where(rng.random(400) < 0.2, rng.choice([0.0, 1.0, 0.5, 1e-4, 0.9999], 400), rng.random(400))
    assert _binomials(ours.bit_generator.ctypes.state_address, n, p).tolist() == theirs.binomial(n, p).tolist()
    assert _uniforms(ours.bit_generator.ctypes.state_address, 50).tolist() == theirs.random(50).tolist()
    assert ours.bit_generator.state == theirs.bit_generator.state
    assert ours.random() == theirs.random()  # numpy goes on from where the compiled draws left the stream
