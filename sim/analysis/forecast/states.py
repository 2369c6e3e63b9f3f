"""The backtest's state targets: each state's homicides in the next calendar year.

The next calendar year of an origin is the first that starts on or after it (2017 from 1 January
2017, 2018 from 1 July 2017); its horizon is counted in months, from the origin's month to the
year's December. Only years to 2024 are targets (state figures from 2025 on are reserved), and
only the complete years before the origin are known (`sim/data/observed_states_annual.csv`).

Naive forecasters, as for the nation:
- `no_change`: the last complete year carried forward as the median; intervals from the empirical
  changes (as ratios, over the same number of years, taken both ways) of every state within the
  three complete years before the origin; where those years hold no change that long, the one-year
  changes scaled as a random walk's (by the square root of the years).
- `trend`: a straight line through the logarithms of the state's last four complete years (at least
  three), with the prediction interval of ordinary least squares, the residuals' spread pooled over
  the states (a state's own two degrees of freedom give intervals of no use).
A statistical model of a handful of annual points per state would be no stronger than these, so
`stat` is scored on the national months only.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.forecast.scores import LEVELS
from sim.world.observed import states_annual

LAST_YEAR = 2024  # the last year with state figures that are not reserved
WINDOW = 3  # complete years whose changes give no_change's intervals
TREND_YEARS = 4


def target_year(origin: dt.date) -> int:
    return origin.year if (origin.month, origin.day) == (1, 1) else origin.year + 1


def horizon(origin: dt.date, year: int) -> int:
    return (pd.Period(f"{year}-12", freq="M") - pd.Period(origin, freq="M")).n + 1


def table() -> pd.DataFrame:
    """Victims by state (rows, INEGI code) and year (columns)."""
    return states_annual().pivot(index="code", columns="year", values="victims").astype(float)


def forecasts(origin: dt.date) -> tuple[int, pd.Series, dict[str, np.ndarray]] | None:
    """The target year, the observed counts by state and each forecaster's quantiles (states x
    LEVELS); None where the year is reserved or fewer than two complete years are known."""
    year = target_year(origin)
    counts = table()
    known = [y for y in counts.columns if y < origin.year]
    if year > LAST_YEAR or len(known) < 2:
        return None
    logs = np.log(counts[known].to_numpy())
    gap = year - known[-1]
    window = logs[:, -WINDOW:]
    changes = (window[:, gap:] - window[:, :-gap]).ravel() if window.shape[1] > gap else np.zeros(0)
    if len(changes) == 0:
        changes = (window[:, 1:] - window[:, :-1]).ravel() * np.sqrt(gap)
    spread = np.quantile(np.concatenate([changes, -changes]), LEVELS)
    out = {"no_change": np.exp(logs[:, -1:] + spread[None, :])}
    if len(known) >= 3:
        recent = logs[:, -TREND_YEARS:]
        n = recent.shape[1]
        t = np.arange(n, dtype=float)
        sxx = ((t - t.mean()) ** 2).sum()
        slope = ((recent - recent.mean(axis=1, keepdims=True)) * (t - t.mean())).sum(axis=1) / sxx
        intercept = recent.mean(axis=1) - slope * t.mean()
        resid = recent - (intercept[:, None] + slope[:, None] * t)
        df = resid.size - 2 * len(resid)  # the residuals' spread pooled over the states
        s = np.sqrt((resid**2).sum() / df)
        ahead = n - 1 + gap
        se = s * np.sqrt(1 + 1 / n + (ahead - t.mean()) ** 2 / sxx)
        centre = intercept + slope * ahead
        out["trend"] = np.exp(centre[:, None] + se * stats.t.ppf(LEVELS, df)[None, :])
    return year, counts[year], out
