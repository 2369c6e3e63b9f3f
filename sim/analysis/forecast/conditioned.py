"""The model's forecast from an origin: the months of a conditioned population, weighted.

What an origin knows (`Origin`): the record as known on it (its events before it:
`record=mexico_2015_2026@YYYY-MM-DD`), the scenario (the strike is known only after 22 Feb
2026) and the policies then in force, carried on. `log_likelihood` is the stated observation
model of the months before it: a month's log victims a day is the simulated one plus a persistent
discrepancy (an AR(1) process, `discrepancy`) and the series' own error; the sampler that
conditions the population on it is `smc`. `forecast` mixes the population's simulated months
under its weights, each shifted by what is left of its last known discrepancy and spread by the
discrepancy to come, as quantiles at `scores.LEVELS`; `states_forecast` does the same for each
state's next calendar year from its last complete one.

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

from sim.analysis.calibration.record import HIDDEN_BOUND
from sim.analysis.forecast import discrepancy, states
from sim.analysis.forecast.scores import from_samples
from sim.runs.summary import HIDDEN_BEFORE, HIDDEN_STRATEGY
from sim.world import record as history
from sim.world.calendar import DAY0, date_of, day_of
from sim.world.observed import national_series

MIN_MONTHS = 6  # months before an origin the weights need
# The bound's own uncertainty, victims a day: 14,072-14,761 registered missing from Oct 2024 to Sep 2025
# (record-2024-2026.md section 3) put the excess over 2019-2024's ~26 a day at 12.3-14.2
BOUND_SD = 1.0
NOISE_DRAWS = 20  # error draws per particle in the forecast's mixture
RECORD = history.LONG  # the long record: the world of 2014 from 2015 on (docs/record.md)
FROM_DAY0 = DAY0.isoformat()  # the origin of these runs: their horizons count from day 0 (the strike's day)


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


def record_measures(model: Any) -> dict[str, float]:
    """A measure: `months_and_states`, and the hidden killings under the 2024 strategy above the
    months before it (`hidden_excess`, victims a day: the record's bound is `HIDDEN_BOUND`)."""
    rec = model.daily
    out = months_and_states(model)
    out["hidden_excess"] = rec.mean("homicides_hidden", *HIDDEN_STRATEGY) - rec.mean("homicides_hidden", *HIDDEN_BEFORE)
    return out


@dataclass(frozen=True)
class Before:
    """A measure that stops the run at `stop` (`stop_day`, read by the runner) and gives
    `record_measures` of what lies before it: the whole months, the states' whole years and, once
    the strategy's year is over, the hidden killings. A sampler's proposal is weighed on these
    (`smc.propose`); only an accepted one is run through the whole record."""

    stop: dt.date

    @property
    def stop_day(self) -> int:
        return day_of(self.stop)

    def __call__(self, model: Any) -> dict[str, float]:
        month, year = str(pd.Period(self.stop, freq="M")), self.stop.year
        return {
            k: v
            for k, v in record_measures(model).items()
            if (k.startswith("m20") and k[1:] < month)
            or (k.startswith("y20") and int(k[1:5]) < year)
            or (k == "hidden_excess" and self.stop_day >= HIDDEN_STRATEGY[1])
        }


def measures_of(runs: pd.DataFrame) -> pd.DataFrame:
    """The runs' measures as a particles table: months ("YYYY-MM", values a day), state years
    ("yYYYY_CC", victims) and, where measured, `hidden_excess`."""
    cols = [c for c in runs.columns if c.startswith(("m20", "y20")) or c == "hidden_excess"]
    table = runs[cols].astype(float).reset_index(drop=True)
    table.columns = [c[1:] if c.startswith("m20") else c for c in cols]
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


def state_residuals(table: pd.DataFrame, observed: pd.DataFrame, years: list[int], floor: float = 0.0) -> np.ndarray:
    """Each particle's residuals of each state's victims in `years` (log observed minus log
    simulated, particles x states x years): `table` has the runs' `yYYYY_CC` columns, `observed`
    the victims (states, by INEGI code, x years); a simulated count is taken as at least `floor`
    (0: a state a run left empty misses by an infinite residual)."""
    with np.errstate(divide="ignore"):
        simulated = np.log(
            np.maximum(
                np.stack([table[[f"y{y}_{c}" for c in observed.index]].to_numpy(dtype=float) for y in years], axis=2),
                floor,
            )
        )
    return np.log(observed[years].to_numpy(dtype=float))[None] - simulated


def national_log_likelihood(
    table: pd.DataFrame,
    before: pd.Period,
    persistence: float = discrepancy.PERSISTENCE,
    innovation: float = discrepancy.INNOVATION,
) -> np.ndarray:
    """Each particle's log likelihood of the national months observed before `before` under the
    monthly AR(1) discrepancy (a failed or empty month makes it impossible)."""
    _, r, error = residuals(table, before)
    return discrepancy.log_likelihood(np.nan_to_num(r, nan=np.inf), error, persistence, innovation)


def log_likelihood(table: pd.DataFrame, origin: Origin, bound: bool = False) -> np.ndarray:
    """Each particle's log likelihood (up to a constant) of what was observed before the origin:
    the national months under the monthly AR(1) discrepancy, each state's complete years (to
    2024, where the table has them) under the yearly one (`discrepancy`), and the hidden-killings
    bound once the strategy's year is over (`bound_log_likelihood`). With `bound` a particle above
    the bound is impossible at every origin: a sampler that knows the whole record truncates its
    prior there, and the worlds it ships all hold the bound."""
    ll = national_log_likelihood(table, origin.month)
    counts = states.table()
    years = [  # complete before the origin, not reserved, and in the runs
        y
        for y in counts.columns
        if y < origin.date.year and y <= states.LAST_YEAR and f"y{y}_{counts.index[0]}" in table
    ]
    if years:
        r_states = np.nan_to_num(state_residuals(table, counts, years), nan=np.inf).reshape(-1, len(years))
        per_state = discrepancy.log_likelihood(
            r_states, np.zeros(len(years)), discrepancy.STATE_PERSISTENCE, discrepancy.STATE_INNOVATION
        )
        ll = ll + per_state.reshape(len(table), -1).sum(axis=1)
    if "hidden_excess" in table:
        excess = table["hidden_excess"].to_numpy(dtype=float)
        if bound:
            ll = np.where(excess > HIDDEN_BOUND, -np.inf, ll)
        elif origin.date >= date_of(HIDDEN_STRATEGY[1]):
            ll = ll + bound_log_likelihood(excess)
    return ll


def bound_log_likelihood(excess: np.ndarray) -> np.ndarray:
    """The log probability that the bound holds given a particle's hidden killings (victims a day
    above the months before the strategy): the bound as an observation known to `BOUND_SD`, a
    probit. A steep but finite penalty (-10 at 4 a day above it, -28 at 7), so a population that
    learns the bound late, all of it above, is moved toward it by the sampler's tempering instead of
    being cut to the one or two particles that happen to hold it (the second backtest draw's 150
    particles, all 18-26 a day in July 2025, had none). A failed run (NaN) adds nothing: its months
    already rule it out."""
    from scipy.stats import norm

    return np.nan_to_num(norm.logcdf((HIDDEN_BOUND - excess) / BOUND_SD), nan=0.0)


def effective_size(logw: np.ndarray) -> float:
    w = np.exp(logw)
    return float(1 / (w**2).sum())


def forecast(months: pd.DataFrame, origin: Origin, logw: np.ndarray, seed: int = 0) -> np.ndarray:
    """Quantiles (horizons x LEVELS) of the mixture of the particles' months under log weights
    `logw`, each particle's month h after its last observed one shifted by its offset from the
    record (its mean residual over the last `discrepancy.ANCHOR_MONTHS` known months) and by a
    change drawn from how the population's mean residual moved h months on in the months before
    the origin (`discrepancy.changes`): the model supplies the path (events, the season, the
    wars), the record known on the origin its level and how far that level wanders."""
    known, r, _ = residuals(months, origin.month)
    if len(known) == 0 or known[-1] != str(origin.month - 1):
        raise ValueError(f"a forecast from {origin.date} needs the particles' month {origin.month - 1}")
    r = np.nan_to_num(r, nan=0.0, posinf=0.0, neginf=0.0)  # a failed run weighs nothing anyway
    w = _normalised(logw)
    offset = r[:, -discrepancy.ANCHOR_MONTHS :].mean(axis=1)
    mean_residual = w @ r
    rng = np.random.default_rng(seed)
    out = []
    for h, target in enumerate(origin.targets(), start=1):
        moved = rng.choice(discrepancy.changes(mean_residual, h), (len(offset), NOISE_DRAWS))
        x = months[str(target)].to_numpy(dtype=float)
        draws = x[:, None] * np.exp(offset[:, None] + moved)
        out.append(from_samples(draws.ravel(), np.repeat(w, NOISE_DRAWS)))
    return np.array(out)


def states_forecast(
    values: pd.DataFrame, origin: Origin, year: int, observed: pd.DataFrame, logw: np.ndarray, seed: int = 0
) -> np.ndarray:
    """Quantiles (states x LEVELS) of each state's victims in `year`: the weighted mixture of the
    particles' state years (`values`: the runs' `y{year}_{code}` columns), each shifted by what
    remains of its residual in the last complete year before the origin (`observed`: victims,
    states x years) and spread by the state discrepancy to come (`discrepancy.STATE_*`)."""
    last = max(y for y in observed.columns if y < origin.date.year)
    codes = list(observed.index)
    r = state_residuals(values, observed, [last])[:, :, 0]
    r = np.nan_to_num(r, nan=0.0, posinf=0.0, neginf=0.0)  # a state the run left empty: no correction
    shift, spread = discrepancy.ahead(r, year - last, discrepancy.STATE_PERSISTENCE, discrepancy.STATE_INNOVATION)
    w = np.repeat(_normalised(logw), NOISE_DRAWS)
    rng = np.random.default_rng(seed)
    out = []
    for s, code in enumerate(codes):
        x = values[f"y{year}_{code}"].to_numpy(dtype=float)
        draws = x[:, None] * np.exp(shift[:, s, None] + spread * rng.standard_normal((len(x), NOISE_DRAWS)))
        out.append(from_samples(draws.ravel(), w))
    return np.array(out)


def _normalised(logw: np.ndarray) -> np.ndarray:
    return np.exp(logw - np.logaddexp.reduce(logw))
