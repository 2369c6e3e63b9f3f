"""The model's forecast from an origin: the months of a conditioned population, weighted.

What an origin knows (`Origin`): the record as known on it (its events before it:
`record=mexico_2015_2026@YYYY-MM-DD`), the scenario (the strike is known only after 22 Feb
2026) and the policies then in force, carried on. `log_likelihood` is the stated observation
model of the months before it: a month's log victims a day is the simulated one plus a persistent
discrepancy (an AR(1) process, `discrepancy`) and the series' own error; the sampler that
conditions the population on it is `smc`. `forecast` mixes the population's simulated months
under its weights, each shifted by what is left of its last known discrepancy and spread by the
discrepancy to come, as quantiles at `scores.LEVELS`. A state's year is spread by `MODEL_ERROR`.

The world lives through the long record, its daily table from 1 Jan 2015, so the months it can be
weighed on and forecast are those from January 2015; an origin needs at least `MIN_MONTHS` of them
before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.forecast import discrepancy
from sim.analysis.forecast.scores import from_samples
from sim.world import record as history
from sim.world.calendar import DAY0, date_of, day_of
from sim.world.observed import national_series

MODEL_ERROR = 0.08  # assumption: a state year's relative error of the model (one sd)
MIN_MONTHS = 6  # months before an origin the weights need
NOISE_DRAWS = 20  # error draws per particle in the forecast's mixture
RECORD = "mexico_2015_2026"  # the long record: the world of 2014 from 2015 on (docs/record.md)


@dataclass(frozen=True)
class Origin:
    """A forecast origin: the first month forecast, the scenario and record known then, and the
    run's length (horizon_days from day 0) to cover `horizons` months."""

    date: dt.date
    horizons: int
    state_year: int | None = None  # a calendar year of state targets the run must also cover

    @property
    def month(self) -> pd.Period:
        return pd.Period(self.date, freq="M")

    @property
    def scenario(self) -> str:
        return "mencho_strike" if self.date > DAY0 else "no_strike"  # the strike is known after 22 Feb 2026

    @property
    def record(self) -> str:
        return f"{RECORD}@{self.date.isoformat()}"

    @property
    def horizon_days(self) -> int:
        end = (self.month + self.horizons).start_time.date()
        if self.state_year is not None:
            end = max(end, dt.date(self.state_year + 1, 1, 1))
        return max(0, day_of(end))

    def targets(self) -> pd.PeriodIndex:
        return pd.period_range(self.month, periods=self.horizons, freq="M")


def reachable(date: dt.date) -> bool:
    """Whether the model can forecast from `date`: enough of its months lie before it."""
    first = pd.Period(history.load(RECORD).start, freq="M")  # the daily table's first month
    return (pd.Period(date, freq="M") - first).n >= MIN_MONTHS and date.day == 1


def monthly_means(model: Any) -> dict[str, float]:
    """A measure: recorded homicides a day in every whole month of the run's daily table (from
    2024, or from the record's start)."""
    rec = model.daily
    out = {}
    month = pd.Period(date_of(rec.start_day), freq="M")
    while (end := day_of((month + 1).start_time.date())) <= rec.end_day:
        out[f"m{month}"] = rec.mean("homicides", day_of(month.start_time.date()), end)
        month += 1
    return out


def months_and_states(model: Any) -> dict[str, float]:
    """A measure: `monthly_means`, and each state's recorded homicides in every whole calendar year
    of the run's daily table (`y2017_14`: Jalisco in 2017)."""
    rec = model.daily
    out = monthly_means(model)
    for year in range(date_of(rec.start_day).year, date_of(rec.end_day).year):
        first, last = day_of(dt.date(year, 1, 1)), day_of(dt.date(year + 1, 1, 1))
        if first >= rec.start_day and last <= rec.end_day:
            for s, code in enumerate(model.geo.codes):
                out[f"y{year}_{code}"] = rec.total("homicides", first, last, state=s)
    return out


def states_of(runs: pd.DataFrame, year: int, codes: list[str]) -> pd.DataFrame:
    """The runs' homicides of `year` by state, a particles x states (INEGI code) table."""
    return runs[[f"y{year}_{code}" for code in codes]].astype(float).set_axis(codes, axis=1).reset_index(drop=True)


def months_of(runs: pd.DataFrame) -> pd.DataFrame:
    """The runs' monthly columns as a particles x months ("YYYY-MM") table of values a day."""
    cols = [c for c in runs.columns if c.startswith("m20")]
    table = runs[cols].astype(float).reset_index(drop=True)
    table.columns = [c[1:] for c in cols]
    return table


def residuals(months: pd.DataFrame, before: pd.Period) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    """The observed months before `before` the particles cover (consecutive), each particle's
    residuals there (log observed minus log simulated, particles x months) and the series'
    relative error of each month."""
    observed = national_series()
    observed = observed.set_axis(observed.index.strftime("%Y-%m"))
    known = pd.Index([m for m in months.columns if m < str(before) and m in observed.index])
    if len(known) and len(pd.period_range(known[0], known[-1], freq="M")) != len(known):
        raise ValueError(f"the particles' observed months before {before} have gaps: {known[0]} .. {known[-1]}")
    y = np.log(observed.loc[known, "per_day"].to_numpy())
    with np.errstate(divide="ignore"):
        x = np.log(months[known].to_numpy(dtype=float))
    return known, y[None, :] - x, observed.loc[known, "rel_error"].to_numpy()


def log_likelihood(months: pd.DataFrame, origin: Origin) -> np.ndarray:
    """Each particle's log likelihood of the observed months before the origin (up to a
    constant), under the AR(1) discrepancy (`discrepancy.log_likelihood`)."""
    _, r, error = residuals(months, origin.month)
    return discrepancy.log_likelihood(np.nan_to_num(r, nan=np.inf), error)


def effective_size(logw: np.ndarray) -> float:
    w = np.exp(logw)
    return float(1 / (w**2).sum())


def forecast(months: pd.DataFrame, origin: Origin, logw: np.ndarray, seed: int = 0) -> np.ndarray:
    """Quantiles (horizons x LEVELS) of the mixture of the particles' months under log weights
    `logw`: each particle's month h after its last observed one shifted by `discrepancy.ahead`
    of its last residual and spread by the discrepancy to come."""
    known, r, _ = residuals(months, origin.month)
    if len(known) == 0 or known[-1] != str(origin.month - 1):
        raise ValueError(f"a forecast from {origin.date} needs the particles' month {origin.month - 1}")
    last = np.nan_to_num(r[:, -1], nan=0.0, posinf=0.0, neginf=0.0)  # a failed run weighs nothing anyway
    w = _normalised(logw)
    rng = np.random.default_rng(seed)
    out = []
    for h, target in enumerate(origin.targets(), start=1):
        shift, spread = discrepancy.ahead(last, h)
        x = months[str(target)].to_numpy(dtype=float)
        draws = x[:, None] * np.exp(shift[:, None] + spread * rng.standard_normal((len(x), NOISE_DRAWS)))
        out.append(from_samples(draws.ravel(), np.repeat(w, NOISE_DRAWS)))
    return np.array(out)


def mixture(values: pd.DataFrame, logw: np.ndarray, seed: int = 0) -> np.ndarray:
    """Quantiles (columns x LEVELS) of each column's weighted mixture of the particles' values,
    each spread by the model error (a lognormal factor of sd `MODEL_ERROR`): the states' years."""
    w = _normalised(logw)
    rng = np.random.default_rng(seed)
    out = []
    for column in values.columns:
        x = values[column].to_numpy()
        noisy = x[:, None] * np.exp(MODEL_ERROR * rng.standard_normal((len(x), NOISE_DRAWS)))
        out.append(from_samples(noisy.ravel(), np.repeat(w, NOISE_DRAWS)))
    return np.array(out)


def _normalised(logw: np.ndarray) -> np.ndarray:
    return np.exp(logw - np.logaddexp.reduce(logw))
