"""`sim.run`: one run from Python with exactly the config the command line would use.

It composes conf/ through Hydra, so scenario files and their parameter overrides apply just as
in `python -m sim`, and rejects bad input with the same one-line `ConfigError`.
"""

from __future__ import annotations

from typing import Any

from omegaconf import OmegaConf

from sim.config import check_setting, compose, run_overrides
from sim.core import RunResult, simulate


def run(scenario: str = "no_strike", seed: int = 1, **overrides: Any) -> RunResult:
    """Run `scenario` with `seed`; `burn_in_days`/`horizon_days`/`record` or any parameter name as keywords.

    Example: `sim.run("no_strike", seed=2, horizon_days=365, troop_pool=150_000)`.
    """
    cfg = compose(run_overrides(scenario, seed, overrides))
    params = OmegaConf.to_container(cfg.params, resolve=True)
    assert isinstance(params, dict)
    return simulate(
        seed=check_setting("seed", cfg.seed),
        burn_in_days=check_setting("burn_in_days", cfg.burn_in_days),
        horizon_days=check_setting("horizon_days", cfg.horizon_days),
        record=check_setting("record", cfg.record),
        **{str(k): v for k, v in params.items()},
    )
