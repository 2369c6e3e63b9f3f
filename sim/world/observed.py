"""The observed series the model is compared with: the record period's months and the long record.

`monthly()`: SESNSP victims per day for the months of September 2024 to 21 February 2026 that the
record period's calibration uses, each marked `fit` (the months `experiments/calibrate_record.py`
fits to, Sep 2024 - Sep 2025) or `check` (never fitted, Oct 2025 - Feb 2026).
`national_series()` and `states_annual()`: the long record, every month from January 2015 to May
2026 and every state's year 2015-2024, what the backtest conditions on and scores against. National
figures after May 2026 and state figures for 2025 on are not shipped: they are reserved for
out-of-sample checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

from sim.world.calendar import DEFAULT_ORIGIN, day_of


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


@cache
def national_series() -> pd.DataFrame:
    """The long record's national series, Jan 2015 - May 2026: victims a day by month (SESNSP's
    victims file, news-quoted victims figures, RNID for 2026), with each month's relative
    observation error; indexed by monthly `pd.Period`. Built by experiments/data/sesnsp.py."""
    with resources.files("sim.data").joinpath("observed_national_monthly.csv").open(encoding="utf-8") as fh:
        df = pd.read_csv(fh)
    df.index = pd.PeriodIndex(df.pop("month"), freq="M")
    return df


@cache
def long_months() -> tuple[Month, ...]:
    """`national_series()` as `Month`s (window "long"): every observed month, Jan 2015 - May 2026."""
    return tuple(
        Month(
            str(p),
            day_of(p.start_time.date()),
            day_of((p + 1).start_time.date()),
            float(r.per_day),
            "long",
            str(r.source),
        )
        for p, r in national_series().iterrows()
    )


def after_strike() -> list[Month]:
    """The observed months between the strike and the default origin (Mar - May 2026): the months the
    status quo after the strike lived before the briefing's policies start (SESNSP's new registry, RNID)."""
    return [m for m in long_months() if m.first_day >= 0 and m.end_day <= day_of(DEFAULT_ORIGIN)]


@cache
def states_annual() -> pd.DataFrame:
    """Homicide victims by state (INEGI code) and year, 2015-2024 (SESNSP's victims file)."""
    return read("observed_states_annual.csv")


def read(name: str) -> pd.DataFrame:
    """A shipped table of the long record by file name (INEGI codes kept as text)."""
    with resources.files("sim.data").joinpath(name).open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype={"code": str, "states": str})
