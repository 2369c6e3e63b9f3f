"""The run's calendar: model days counted from the strike, and the dates they stand for.

A run is a steady burn-in, then calendar 2024 (from which the daily table starts), the record
period (1 Jul 2024 to 21 Feb 2026, the events of the record), day 0 (22 Feb 2026, the strike)
and the horizon. Day numbers are negative before day 0.

A run's origin is the day its policy levers start and its horizon counts from. A model built
without one counts from day 0; a run (the command line, `sim.run`, `sim.simulate`, `sim.ensemble`)
starts by default the day after the last observed month (`DEFAULT_ORIGIN`, 1 Jun 2026). An origin
before day 0 knows only the record's events dated before it (a forecast from then).
"""

from __future__ import annotations

import datetime as dt
import numbers
from typing import Any

from sim.errors import ConfigError

DAY0 = dt.date(2026, 2, 22)  # El Mencho killed in Tapalpa, Jalisco (seed-facts.md)
TABLE_START = dt.date(2024, 1, 1)  # the daily table starts with calendar 2024, the calibration year
RECORD_START = dt.date(2024, 7, 1)  # the record period of record-2024-2026.md
DEFAULT_ORIGIN = dt.date(2026, 6, 1)  # the day after the last observed month (May 2026, observed_national_monthly.csv)


def day_of(date: dt.date) -> int:
    """Model day of a date (0 = 22 Feb 2026)."""
    return (date - DAY0).days


def date_of(day: int) -> dt.date:
    return DAY0 + dt.timedelta(days=int(day))


def year_days(year: int) -> tuple[int, int]:
    """First day and the day after the last of a calendar year."""
    return day_of(dt.date(year, 1, 1)), day_of(dt.date(year + 1, 1, 1))


FIRST_DAY = day_of(TABLE_START)  # -783: the first day of the daily table


# A run's burn-in and horizon are bounded: the world is conditioned on one decade (2015 - 2026),
# and a typo such as horizon_days=100000 would otherwise run for minutes unasked.
MAX_DAYS = 7300  # 20 years


def check_days(name: str, value: Any) -> int:
    """`burn_in_days` or `horizon_days` as an int from 0 to MAX_DAYS; ConfigError in one line otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value <= MAX_DAYS:
        raise ConfigError(
            f"{name} = {value!r} is not allowed: it must be a whole number of days from 0 to {MAX_DAYS:,} "
            f"({MAX_DAYS // 365} years)"
        )
    return int(value)


ORIGINS = (dt.date(2015, 1, 1), dt.date(2030, 12, 31))  # the origins a run accepts (the long record's table on)


def check_origin(value: Any, earliest: dt.date = ORIGINS[0]) -> dt.date:
    """A run's origin as a date (None: day 0), no earlier than `earliest` (the daily table's first
    day); ConfigError in one line for anything else."""
    if value is None:
        return DAY0
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            raise ConfigError(
                f"origin = {value!r} is not allowed: it must be a date YYYY-MM-DD from {ORIGINS[0]} to {ORIGINS[1]}"
            ) from None
    if not max(ORIGINS[0], earliest) <= value <= ORIGINS[1]:
        raise ConfigError(
            f"origin = {value} is not allowed: it must lie from {max(ORIGINS[0], earliest)} to {ORIGINS[1]}"
            + (
                " (the record's daily table starts then; the long record mexico_2015_2026 starts in 2015)"
                if earliest > ORIGINS[0]
                else ""
            )
        )
    return value
