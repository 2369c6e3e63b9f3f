"""A shared past: runs that differ only in their levers simulate burn-in and record once and branch
at day 0, and give the same bytes as each run simulated from scratch."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim import parameters
from sim.analysis import seeds
from sim.runs import pasts
from sim.runs.api import configure
from sim.runs.config import available_scenarios
from sim.runs.simulate import shared_past, simulate, simulate_branches
from sim.runs.summary import dumps, summarise
from sim.world.calendar import day_of
from sim.world.model import CartelModel

SHORT = {"burn_in_days": 60, "horizon_days": 120}


@pytest.fixture(scope="module")
def scenarios() -> dict[str, dict]:
    return {s: configure(s, **SHORT)[1] for s in available_scenarios()}


def test_every_scenario_branched_from_one_past_equals_its_own_run(scenarios):
    seed = seeds.test(5)[4]
    branched = simulate_branches(list(scenarios.values()), seed=seed, **SHORT)
    for (name, params), result in zip(scenarios.items(), branched):
        alone = simulate(seed=seed, **SHORT, **params)
        assert dumps(result.summary) == dumps(alone.summary), name
        assert result.timeseries.equals(alone.timeseries), name


def test_no_lever_acts_before_day_0():
    """Every parameter of kind lever, set away from its default, leaves the past bit for bit."""
    seed = seeds.test(2)[1]
    base = CartelModel(seed=seed, burn_in_days=0, horizon_days=1)
    base.run_until(0)
    table = parameters.table()
    changed = {
        "strike_enabled": True,
        "strike_day": 5,
        "strike_target": "Mayos",
        "strike_state": 25,
        "strike_mode": "capture",
        "us_intel_support": False,
        "extradite_captured": False,
        "heir_available": True,
        "campaign_enabled": True,
        "campaign_ops_per_year": 30.0,
        "campaign_scope": "cjng",
        "revenue_disruption": 0.3,
        "recruitment_reduction": 0.5,
        "incapacitation_multiplier": 2.0,
        "capacity_investment": 0.2,
        "capacity_corruption": 0.1,
        "sinaloa_front_factor": 0.5,
        "cjng_front_share": 0.2,
        "posture": "clear",
    }
    assert set(changed) == {p.name for p in table.values() if p.kind == "lever"}, "give every lever a value here"
    for name, value in changed.items():
        other = CartelModel(seed=seed, burn_in_days=0, horizon_days=1, **{name: value})
        other.run_until(0)
        assert np.array_equal(base.daily.values, other.daily.values) and np.array_equal(
            base.population.members, other.population.members
        ), name


def test_a_branch_may_change_only_levers_and_only_until_day_0():
    model = CartelModel(seed=1, burn_in_days=0, horizon_days=2)
    model.run_until(0)
    with pytest.raises(ValueError, match="not levers, so not the branch's to change: troop_pool"):
        model.set_levers({"troop_pool": 150000.0})
    model.set_levers({"capacity_investment": 0.2})
    model.step()
    with pytest.raises(ValueError, match="levers change from day 0"):
        model.set_levers({"capacity_investment": 0.1})
    assert shared_past([{"capacity_investment": 0.2}, {"strike_enabled": True}])
    assert not shared_past([{}, {"troop_pool": 150000.0}])
    with pytest.raises(ValueError, match="share no past"):
        simulate_branches([{}, {"troop_pool": 150000.0}], **SHORT)


def test_a_saved_past_gives_the_run_from_scratch(tmp_path):
    settings = {"seed": seeds.test(6)[5], "record": "mexico_2024_2026", **SHORT}
    strike = {"strike_enabled": True}
    first, loaded = pasts.branch(
        tmp_path, settings, {**parameters.defaults(), **strike}
    )  # simulates and saves the past
    assert not loaded and len(list(tmp_path.glob("*.pkl"))) == 1
    second, loaded = pasts.branch(tmp_path, settings, {**parameters.defaults(), "capacity_investment": 0.3})  # loads it
    assert loaded and len(list(tmp_path.glob("*.pkl"))) == 1 and second.day == 0
    for model, levers in ((first, strike), (second, {"capacity_investment": 0.3})):
        model.run()
        alone = simulate(**settings, **levers)
        assert dumps(alone.summary) == dumps(summarise(model))


def test_the_past_key_follows_what_the_past_depends_on():
    settings = {"seed": 1, "record": "mexico_2024_2026", **SHORT}
    p = parameters.defaults()
    k = pasts.key(settings, p)
    assert k == pasts.key(settings, {**p, "strike_enabled": True})  # a lever: the same past
    assert k != pasts.key(settings, {**p, "troop_pool": 150000.0})
    assert k != pasts.key({**settings, "seed": 2}, p)
    assert k != pasts.key({**settings, "record": "none"}, p)
    assert day_of(dt.date(2026, 2, 22)) == 0
