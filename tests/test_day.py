"""The day runs the processes the unit tests test: one implementation of each, compiled.

`sim.world.day.advance` is the only place the day's processes are put in order; it calls the
functions of sim/world/processes (and sim/world/metrics) by name, and those names must resolve
to the very objects tests/test_processes.py calls, compiled, with no other version anywhere.
"""

from __future__ import annotations

import ast
import inspect

import numpy as np
from numba.core.registry import CPUDispatcher

from sim.world import day, metrics, sampling
from sim.world.model import CartelModel
from sim.world.processes import commanders, forces, market, recruitment, violence

PROCESS_MODULES = {
    "commanders": commanders,
    "forces": forces,
    "market": market,
    "recruitment": recruitment,
    "violence": violence,
}


def _called(fn) -> set[tuple[str | None, str]]:
    """(module alias or None, name) of every call in a compiled function's Python source."""
    tree = ast.parse(inspect.getsource(fn.py_func))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
                out.add((f.value.id, f.attr))
            elif isinstance(f, ast.Name):
                out.add((None, f.id))
    return out


def test_the_day_calls_the_unit_tested_process_functions():
    calls = _called(day.advance)
    used = {(alias, name) for alias, name in calls if alias in PROCESS_MODULES}
    expected = {
        ("market", "entry_rates"),
        ("market", "shares"),
        ("market", "home_pay"),
        ("market", "cell_income"),
        ("market", "guard_income"),
        ("market", "trafficking_flow"),
        ("recruitment", "recruits"),
        ("recruitment", "desertion"),
        ("recruitment", "switch_employers"),
        ("forces", "hold"),
        ("forces", "built_capacity"),
        ("forces", "arrests"),
        ("forces", "force_clashes"),
        ("forces", "enforcement_pressure"),
        ("forces", "confronting"),
        ("forces", "displaced"),
        ("violence", "provoked"),
        ("violence", "hostile_pairs"),
        ("violence", "clash_intensity"),
        ("violence", "clash_deaths"),
        ("violence", "hidden_share"),
        ("violence", "background_homicides"),
        ("commanders", "mean_strength"),
        ("commanders", "core_in_place"),
        ("commanders", "after_arrests"),
        ("commanders", "rebuilt"),
    }
    assert expected <= used
    for alias, name in used:
        fn = getattr(day, alias).__dict__[name]
        assert fn is getattr(PROCESS_MODULES[alias], name), f"{alias}.{name} is not the tested function"
        assert isinstance(fn, CPUDispatcher), f"{alias}.{name} is not compiled: it would be a second path"
    for name in ("concentration", "groups_alive", "effective_groups", "org_state_members", "per_group"):
        assert (None, name) in calls and day.__dict__[name] is getattr(metrics, name)
    assert (None, "poisson_shared") in calls and day.poisson_shared is sampling.poisson_shared


def test_no_process_is_left_uncalled_or_written_twice():
    """Every compiled process function is called by the day, by a process the day calls (`hold`
    calls `held_share` and `payroll_revenue`) or by the model's Python (the steady core), and no
    module of sim/world keeps a second version of the day."""
    called = {name for _, name in _called(day.advance) | _called(forces.hold)}
    for module in PROCESS_MODULES.values():
        for name, fn in vars(module).items():
            if isinstance(fn, CPUDispatcher) and fn.__module__ == module.__name__:
                assert name in called or name in ("after_arrests", "rebuilt"), name
    from pathlib import Path

    import sim.world as world_pkg

    sources = {p.name for p in Path(world_pkg.__file__).parent.rglob("*.py")}
    assert not {"kernel.py", "draws.py"} & sources


def test_a_step_is_one_day_of_advance_and_stretches_give_the_same_numbers():
    """Running day by day (Mesa's step) and in stretches (run_until) gives the same record."""
    by_day = CartelModel(seed=4, burn_in_days=30, horizon_days=20)
    while by_day.day < by_day.horizon_days:
        by_day.step()
    stretched = CartelModel(seed=4, burn_in_days=30, horizon_days=20)
    stretched.run()
    assert np.array_equal(by_day.daily.values, stretched.daily.values)
    assert np.array_equal(by_day.population.members, stretched.population.members)
