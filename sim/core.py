"""The Hydra-free core: flat keyword parameters in, summary and daily table out.

The Hydra app, `sim.run`, the tests, the benchmark and external tools (EMA workbench, SALib)
all call `simulate`. Parameter names avoid `scenario`, `policy` and `model`, which the EMA
workbench reserves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.world.model import CartelModel
from sim.summary import summarise


@dataclass
class RunResult:
    summary: dict[str, Any]
    timeseries: pd.DataFrame


def simulate(seed: int = 1, burn_in_days: int = 730, horizon_days: int = 730, **params: Any) -> RunResult:
    """Run one simulation; `params` are names from the parameter table (defaults for the rest)."""
    model = CartelModel(seed=seed, burn_in_days=burn_in_days, horizon_days=horizon_days, **params)
    model.run()
    return RunResult(summarise(model), model.record.to_frame(model.geo.codes))
