"""`sim.run`: one run from Python with exactly the config the command line would use.

It composes conf/ through Hydra, so scenario files and their parameter overrides apply just as
in `python -m sim`, and rejects bad input with the same one-line `ConfigError`.
"""

from __future__ import annotations

from typing import Any

from omegaconf import OmegaConf

from sim.runs import plausible
from sim.runs.config import check_setting, compose, run_overrides
from sim.runs.simulate import RunResult, simulate


def configure(scenario: str, seed: int = 1, **overrides: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The run settings (seed, burn_in_days, horizon_days, record, origin) and the parameters that `python
    -m sim` would use for `scenario` with these overrides, checked: the record's fit (the long
    record's, sim/data/long_fit.csv) and, with `world=N`, plausible world N's values (of the
    record's worlds) for every parameter not among the overrides (sim/runs/plausible.py)."""
    cfg = compose(run_overrides(scenario, seed, overrides))
    params = OmegaConf.to_container(cfg.params, resolve=True)
    assert isinstance(params, dict)
    settings = {
        key: check_setting(key, cfg[key]) for key in ("seed", "burn_in_days", "horizon_days", "record", "origin")
    }
    world = check_setting("world", cfg.world)
    params = plausible.apply({str(k): v for k, v in params.items()}, world, overrides, settings["record"])
    return settings, params


def run(scenario: str = "no_strike", seed: int = 1, **overrides: Any) -> RunResult:
    """Run `scenario` with `seed`; `burn_in_days`/`horizon_days`/`record`/`origin` or any parameter name as keywords.

    Example: `sim.run("no_strike", seed=2, horizon_days=365, troop_pool=150_000)`, or in plausible
    world 3: `sim.run("kingpin_campaign", seed=2, world=3)`.
    """
    settings, params = configure(scenario, seed, **overrides)
    return simulate(**settings, **params)
