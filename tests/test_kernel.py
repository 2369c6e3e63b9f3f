"""The compiled day (sim/world/kernel.py) against the numpy processes: the same numbers, bit for bit.

The kernels repeat the numpy path's arithmetic in its order and draw their random numbers from
the model's generator as numpy does (sim/world/draws.py), so a run must give the same daily
table and summary either way.
numpy and the compiled code share the C library's exp and pow on this kind of machine; where
numpy uses its own SIMD versions (some AVX-512 CPUs) the last bits of a rate can differ and the
two paths part after the first draw that falls between them, so the comparison is skipped there.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.analysis import seeds
from sim.summary import summarise
from sim.world import kernel
from sim.world.model import CartelModel
from sim.world.recorder import METRICS, NATIONAL

pytestmark = pytest.mark.skipif(not kernel.AVAILABLE, reason="numba is not installed or CARTEL_SIM_KERNELS=0")


def _numpy_math_is_libm() -> bool:
    x = np.random.default_rng(0).uniform(1e-3, 1e4, 2000)
    return all(np.power(x, e).tolist() == [math.pow(v, e) for v in x] for e in (0.608, 1.7)) and np.exp(-x / 1e3).tolist() == [
        math.exp(-v / 1e3) for v in x
    ]


def _pair(**kw) -> tuple[CartelModel, CartelModel]:
    models = tuple(CartelModel(compiled=c, **kw) for c in (False, True))
    for m in models:
        m.run()
    return models


CASES = {
    "record": {"seed": seeds.test(1)[0], "burn_in_days": 100, "horizon_days": 30},
    "strike and second front": {"seed": seeds.test(2)[1], "burn_in_days": 100, "horizon_days": 120, "strike_enabled": True,
                                "cjng_front_share": 0.15, "posture": "clear", "sinaloa_front_factor": 0.5},
    "campaign": {"seed": seeds.test(3)[2], "burn_in_days": 50, "horizon_days": 400, "strike_enabled": True, "campaign_enabled": True,
                 "campaign_ops_per_year": 40.0},
    "steady world": {"seed": seeds.test(4)[3], "burn_in_days": 100, "horizon_days": 10, "record": "none"},
}


@pytest.mark.skipif(not _numpy_math_is_libm(), reason="numpy uses its own SIMD exp/pow on this CPU")
@pytest.mark.parametrize("case", CASES)
def test_compiled_and_numpy_days_give_the_same_numbers(case):
    numpy_run, compiled_run = _pair(**CASES[case])
    for name in ("values", "level_values", "national_values"):
        a, b = getattr(numpy_run.daily, name), getattr(compiled_run.daily, name)
        assert np.array_equal(a, b, equal_nan=True), f"{case}: {name} differ first at {np.argwhere(~((a == b) | np.isnan(a)))[:1]}"
    assert summarise(numpy_run) == summarise(compiled_run)
    assert np.array_equal(numpy_run.members, compiled_run.members) and np.array_equal(numpy_run.core, compiled_run.core)


def test_the_kernels_fill_the_recorders_rows_in_its_order():
    assert METRICS.index("flow") == kernel.FLOW and METRICS.index("homicides") == kernel.HOMICIDES
    assert [METRICS[i] for i in (kernel.RECRUITS, kernel.ARRESTS, kernel.HIDDEN)] == ["recruits", "arrests", "homicides_hidden"]
    assert [NATIONAL[i] for i in (kernel.NAT_GROUPS, kernel.NAT_EFFECTIVE, kernel.NAT_CORE)] == ["groups_alive", "effective_groups", "core_strength"]


def test_pairwise_sums_are_numpys():
    rng = np.random.default_rng(0)
    for n in [0, 1, 7, 8, 9, 31, 32, 33, 127, 128, 129, 300, 1000, 4099]:
        a = rng.exponential(1.0, n) * 10 ** rng.uniform(-3, 5)
        assert kernel._pairwise(a, 0, n) == np.sum(a), n


def test_the_numpy_path_runs_without_numba(monkeypatch):
    m = CartelModel(seed=1, burn_in_days=0, horizon_days=1, compiled=False)
    m.run()
    assert not m.compiled and m.daily.values[METRICS.index("homicides")].sum() > 0


def test_compiled_encroachers_are_the_numpy_ones_and_draw_alike():
    from sim.world.geography import adjacency
    from sim.world.processes import succession

    for seed in range(20):
        setup = np.random.default_rng(seed)
        m = np.where(setup.random((40, 32)) < 0.3, setup.exponential(20.0, (40, 32)), 0.0)
        weak, hostile, reach = setup.random(32) < 0.5, setup.random(40) < 0.6, setup.random(40) < 0.5
        a, b = np.random.default_rng(seed), np.random.default_rng(seed)
        expected = succession.encroachers(a, m, weak, adjacency(), hostile, reach, 0.5, 0.2)
        got = kernel.encroachers(m, weak, adjacency(), reach & hostile, 0.5, 0.2, b.bit_generator.ctypes.state_address).tolist()
        assert got == [list(row) for row in expected] and len(expected) > 0
        assert a.bit_generator.state == b.bit_generator.state
