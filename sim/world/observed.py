"""The observed national series the model is compared with (record-2024-2026.md section 1).

Monthly SESNSP victims per day from September 2024 to 21 February 2026, each marked `fit` (the
months `experiments/calibrate_record.py` fits to, Sep 2024 - Sep 2025) or `check` (never
fitted, Oct 2025 - Feb 2026). Only figures describing days before the strike are here: later
ones are reserved for out-of-sample validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

from sim.world.calendar import day_of


@dataclass(frozen=True)
class Month:
    month: str
    first_day: int
    end_day: int  # the day after the last
    per_day: float
    window: str  # "fit" or "check"
    source: str


@cache
def monthly() -> tuple[Month, ...]:
    with resources.files("sim.data").joinpath("observed_national.csv").open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, parse_dates=["first", "last"])
    return tuple(
        Month(r.month, day_of(r.first.date()), day_of(r.last.date()) + 1, float(r.victims_per_day), r.window, r.source)
        for r in df.itertuples()
    )
