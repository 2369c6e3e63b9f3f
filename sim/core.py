"""The Hydra-free core: flat keyword parameters in, summary and daily table out.

The Hydra app, `sim.run`, the tests, the benchmark and external tools (EMA workbench, SALib)
all call `simulate`. Parameter names avoid `scenario`, `policy` and `model`, which the EMA
workbench reserves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.summary import summarise
from sim.world.model import BURN_IN_DAYS, CartelModel
from sim.world.record import DEFAULT, Record


@dataclass
class RunResult:
    summary: dict[str, Any]
    timeseries: pd.DataFrame


def simulate(
    seed: int = 1,
    burn_in_days: int = BURN_IN_DAYS,
    horizon_days: int = 730,
    record: str | Record = DEFAULT,
    **params: Any,
) -> RunResult:
    """Run one simulation; `params` are names from the parameter table (defaults for the rest).

    `record` is the past the world lives through before day 0: a shipped record's name, `none`
    (a steady world), the path of a YAML file of events, or a `Record`.
    """
    model = CartelModel(seed=seed, burn_in_days=burn_in_days, horizon_days=horizon_days, record=record, **params)
    model.run()
    return RunResult(summarise(model), model.daily.to_frame(model.geo.codes))
