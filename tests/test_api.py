"""`sim.run`: the CLI's config from Python, same results as `simulate`, same one-line errors."""

from __future__ import annotations

import pickle

import pytest
from hydra import initialize_config_dir
from hydra.core.global_hydra import GlobalHydra

import sim
from sim import CartelModel
from sim.errors import ConfigError
from sim.runs.config import CONF_DIR, available_scenarios


def test_unknown_scenario_raises_the_cli_message() -> None:
    with pytest.raises(ConfigError) as err:
        sim.run(scenario="nope")
    assert str(err.value) == f"unknown scenario 'nope'; choose one of: {', '.join(available_scenarios())}"


def test_run_equals_simulate_with_defaults() -> None:
    assert sim.run(seed=3, horizon_days=0).summary == sim.simulate(seed=3, horizon_days=0).summary


def test_parameter_overrides_reach_the_model() -> None:
    kw = {"burn_in_days": 365, "horizon_days": 0, "troop_pool": 150000, "chapitos_share": 0.45}
    ours = sim.run("no_strike", seed=2, **kw)
    assert ours.summary == sim.simulate(seed=2, **kw).summary
    assert ours.summary != sim.run(seed=2, burn_in_days=365, horizon_days=0).summary


@pytest.mark.parametrize(
    "kw",
    [
        {"troop_pol": 1},
        {"troop_pool": -5},
        {"chapitos_share": 1.5},
        {"horizon_days": -1},
        {"horizon_days": 100_000},
        {"seed": "abc"},
    ],
)
def test_bad_input_raises_config_error(kw: dict) -> None:
    with pytest.raises(ConfigError):
        sim.run(**kw)


def test_a_run_is_at_most_twenty_years_from_every_front_door() -> None:
    for run in (sim.run, sim.simulate, CartelModel):
        with pytest.raises(ConfigError, match="horizon_days = 7301 is not allowed: .* from 0 to 7,300 \\(20 years\\)"):
            run(horizon_days=7301)


def test_works_inside_a_running_hydra_and_leaves_it_alone() -> None:
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base=None):
        outer = GlobalHydra.instance().hydra
        sim.run(seed=1, burn_in_days=365, horizon_days=0)
        assert GlobalHydra.instance().hydra is outer
    assert not GlobalHydra.instance().is_initialized()


def test_run_is_picklable_for_process_pools() -> None:
    assert pickle.loads(pickle.dumps(sim.run)) is sim.run
