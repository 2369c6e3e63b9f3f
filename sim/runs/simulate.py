"""The Hydra-free core: flat keyword parameters in, summary and daily table out.

The Hydra app, `sim.run`, the tests, the benchmark and external tools (EMA workbench, SALib)
all call `simulate`. Parameter names avoid `scenario`, `policy` and `model`, which the EMA
workbench reserves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from sim.runs.summary import summarise
from sim.world.calendar import DEFAULT_ORIGIN
from sim.world.model import BURN_IN_DAYS, CartelModel
from sim.world.record import DEFAULT, Record


@dataclass
class RunResult:
    summary: dict[str, Any]
    timeseries: pd.DataFrame | None  # None when only the summary was asked for


Tables = bool | Literal["national"]  # the daily table: every state's rows, none, or the nation's only


def simulate(
    seed: int = 1,
    burn_in_days: int = BURN_IN_DAYS,
    horizon_days: int = 730,
    record: str | Record = DEFAULT,
    timeseries: Tables = True,
    origin: Any = DEFAULT_ORIGIN,
    **params: Any,
) -> RunResult:
    """Run one simulation; `params` are names from the parameter table (defaults for the rest).

    `record` is the past the world lives through before day 0: a shipped record's name, `none`
    (a steady world), the path of a YAML file of events, or a `Record`. `origin` (a date, default
    1 Jun 2026, the day after the last observed month; None: day 0) is where the levers start and
    `horizon_days` counts from. With `timeseries=False`
    only the summary is made (the daily table costs more than a short run); with "national", the
    daily table holds the nation's rows only, without the state column.
    """
    model = CartelModel(
        seed=seed, burn_in_days=burn_in_days, horizon_days=horizon_days, record=record, origin=origin, **params
    )
    model.run()
    return result(model, timeseries)


def result(model: CartelModel, timeseries: Tables = True) -> RunResult:
    """A finished model's summary and (unless not wanted) its daily table."""
    table = model.daily.to_frame(model.geo.codes, national=timeseries == "national") if timeseries else None
    return RunResult(summarise(model), table)


def shared_past(branches: Sequence[dict[str, Any]]) -> bool:
    """Whether runs with these parameters share their past: they differ only in levers."""
    from sim.runs.pasts import shared

    return shared(branches)


def simulate_branches(
    branches: Sequence[dict[str, Any]],
    seed: int = 1,
    burn_in_days: int = BURN_IN_DAYS,
    horizon_days: int = 730,
    record: str | Record = DEFAULT,
    timeseries: Tables = True,
    origin: Any = DEFAULT_ORIGIN,
) -> list[RunResult]:
    """Runs that differ only in their levers (parameters of kind `lever`, which act from the origin,
    e.g. every scenario of one seed): the past is simulated once (`sim.runs.pasts.Past`), and each run
    continues from a copy of it at its branch day (day 0, or an earlier origin). Each gives the same
    summary and daily table as `simulate` with its parameters (tests/test_branches.py)."""
    from sim.runs.pasts import Past

    if not branches:
        return []
    if not shared_past(branches):
        raise ValueError("the runs differ in parameters that act before day 0: they share no past")
    past = Past.simulate(seed, burn_in_days, horizon_days, record, origin, **branches[0])
    out = []
    for i, params in enumerate(branches):
        model = past.branch(params, last=i == len(branches) - 1)
        model.run()
        out.append(result(model, timeseries))
    return out
