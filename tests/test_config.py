"""The Hydra config: composes, carries the table's defaults, and the shared override checks."""

from __future__ import annotations

import pytest
import yaml
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

import sim.runs.app  # noqa: F401  (registers the resolver conf/config.yaml uses for hydra.output_subdir)
from sim.errors import ConfigError
from sim.parameters import defaults
from sim.runs.config import CONF_DIR, available_scenarios, check_overrides


def _compose(overrides: list[str] | None = None, hydra: bool = False):
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base=None):
        return compose(config_name="config", overrides=overrides or [], return_hydra_config=hydra)


def test_composed_config_has_the_documented_keys_and_defaults() -> None:
    cfg = _compose()
    assert set(cfg) == {
        "params",
        "scenario",
        "seed",
        "burn_in_days",
        "horizon_days",
        "record",
        "origin",
        "world",
        "figures",
        "outputs",
    }
    assert (cfg.scenario, cfg.seed, cfg.burn_in_days, cfg.horizon_days, cfg.figures, cfg.outputs) == (
        "no_strike",
        1,
        365,
        730,
        True,
        "all",
    )
    assert cfg.world is None  # the parameter table's defaults, not a plausible world
    assert cfg.record == "mexico_2024_2026"
    assert OmegaConf.to_container(cfg.params) == defaults()


def test_scenario_group_and_scenario_key_coexist() -> None:
    """`scenario=NAME` picks conf/scenario/NAME.yaml, and that file sets the string cfg.scenario."""
    for name in available_scenarios():
        assert _compose([f"scenario={name}", "seed=5"]).scenario == name
    assert "no_strike" in available_scenarios()


@pytest.mark.parametrize("name", available_scenarios())
def test_each_scenario_file_names_itself(name: str) -> None:
    text = (CONF_DIR / "scenario" / f"{name}.yaml").read_text(encoding="utf-8")
    assert text.startswith("# @package _global_")
    data = yaml.safe_load(text)
    assert data["scenario"] == name
    assert set(data.get("params") or {}) <= set(defaults())


def test_output_folders() -> None:
    h = _compose(["seed=4"], hydra=True).hydra
    assert h.run.dir.startswith("outputs/no_strike/seed4/")
    assert h.sweep.dir.startswith("multirun/")
    assert OmegaConf.to_container(h.job.config.override_dirname.exclude_keys) == ["seed", "experiment"]
    assert h.output_subdir == ".hydra"


@pytest.mark.parametrize(
    "args",
    [
        ["scenario=no_strike", "seed=2", "burn_in_days=365", "horizon_days=0", "figures=false"],
        ["record=none", "burn_in_days=0"],
        ["params.troop_pool=150000", "params.chapitos_share=0.45", "+extra=1", "hydra.run.dir=x", "~params.troop_pool"],
    ],
)
def test_good_overrides_pass(args: list[str]) -> None:
    check_overrides(args)


@pytest.mark.parametrize(
    ("arg", "start"),
    [
        (
            "scenario=nope",
            "unknown scenario 'nope'; choose one of: combined, hugs_not_bullets, kingpin_campaign, mencho_strike, "
            "no_strike, second_front, state_capacity",
        ),
        ("params.troop_pool=-5", "troop_pool = -5 is not allowed"),
        ("params.chapitos_share=1.5", "chapitos_share = 1.5 is not allowed"),
        ("params.troop_pol=1", "unknown parameter 'troop_pol' (did you mean troop_pool?)"),
        ("horizon_days=-1", "horizon_days = -1 is not allowed"),
        ("burn_in_days=-1", "burn_in_days = -1 is not allowed"),
        (
            "horizon_days=100000",
            "horizon_days = 100000 is not allowed: it must be a whole number of days from 0 to 7,300",
        ),
        ("record=nope", "unknown record 'nope': choose none, mexico_2015_2026, mexico_2024_2026 or the path"),
        ("seed=abc", "seed = 'abc' is not allowed"),
        ("seed=1.5", "seed = 1.5 is not allowed"),
        ("figures=maybe", "figures = 'maybe' is not allowed"),
        ("colour=red", "unknown setting 'colour'; allowed top-level keys: scenario, seed"),
        ("seed=[1", "invalid override 'seed=[1'"),
        ("seed=1,2", "'seed=1,2' is a sweep; add -m"),
        ("~seed", "cannot remove 'seed'"),
    ],
)
def test_bad_overrides_fail_in_one_line(arg: str, start: str) -> None:
    with pytest.raises(ConfigError) as err:
        check_overrides([arg])
    assert str(err.value).startswith(start)
    assert "\n" not in str(err.value)


def test_sweeps_leave_bad_values_to_the_jobs_but_not_bad_names() -> None:
    sweep = ["seed=1,abc", "params.troop_pool=-5,100000", "horizon_days=range(0,60,30)", "scenario=glob(*)"]
    check_overrides(sweep, multirun=True)
    for arg in ("scenario=no_strike,nope", "params.nope=1,2"):
        with pytest.raises(ConfigError):
            check_overrides([arg], multirun=True)
