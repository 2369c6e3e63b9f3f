"""The backtest: forecasts from past origins, each knowing only what came before it, scored
against what followed and against naive forecasters.

For each origin the national series before it feeds `naive.FORECASTERS`; where the model can
forecast (`conditioned.reachable`), a population of `particles` parameter sets, filtered on the
months before the origin (`smc`: resample-move SMC, runs in `folder/smc/`), runs through the
record as known on the origin (`sim.ensemble`, resumable in `folder/runs/<origin>/`) and its
weighted months are the forecast (`conditioned`). Targets are the national months from the
origin's on, up to 12 and none after the last observed month (May 2026), and each state's next
calendar year to 2024 (`states`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.chunks import Stopwatch
from sim.analysis.forecast import conditioned, naive, smc, states
from sim.analysis.forecast.scores import LEVELS, covered, wis
from sim.world.observed import national_series

MAX_HORIZON = 12
COLUMNS = ["origin", "target", "horizon", "forecaster", "wis", "cov50", "cov90"]


def default_origins() -> list[dt.date]:
    """The first of every sixth month from January 2017 to January 2026, and 1 March 2026."""
    months = pd.period_range("2017-01", "2026-01", freq="6M")
    return [m.start_time.date() for m in months] + [dt.date(2026, 3, 1)]


def horizons(origin: dt.date) -> int:
    """Months that can be scored from `origin`: up to 12, none after the last observed month."""
    last = national_series().index[-1]
    return int(min(MAX_HORIZON, (last - pd.Period(origin, freq="M")).n + 1))


def model_months(
    origin: conditioned.Origin, points: Sequence[dict[str, Any]], folder: Path | None, **options: Any
) -> tuple[pd.DataFrame, int]:
    """The particles' measures (a row each: the months' values a day and the states' whole years,
    NaN where the run failed), run through the record as known on the origin; and how many
    failed. Identical particles run once."""
    from sim.analysis.ensembles import ensemble

    keys = [tuple(sorted(p.items())) for p in points]
    unique = list(dict.fromkeys(keys))
    design = [
        {**dict(k), "record": origin.record, "origin": conditioned.FROM_DAY0, "horizon_days": origin.horizon_days}
        for k in unique
    ]
    result = ensemble(
        [origin.scenario],
        seeds=sorted({p["seed"] for p in points}),
        points=design,
        measure=conditioned.record_measures,
        folder=folder,
        **options,
    )
    runs = result.runs.reset_index(drop=True)
    values = conditioned.measures_of(runs)
    values[runs.status != "ok"] = np.nan
    row = {k: i for i, k in enumerate(unique)}
    return values.iloc[[row[k] for k in keys]].reset_index(drop=True), int((runs.status != "ok").sum())


def score(origin: dt.date, target: str, horizon: int, forecaster: str, obs: float, q: np.ndarray) -> dict[str, Any]:
    """One row of scores.csv: a forecast's quantiles against what was observed."""
    return {
        "origin": origin.isoformat(),
        "target": target,
        "horizon": horizon,
        "forecaster": forecaster,
        "wis": float(wis(obs, q)),
        "cov50": bool(covered(obs, q, 0.5)),
        "cov90": bool(covered(obs, q, 0.1)),
    }


def score_rows(origin: dt.date, forecaster: str, quantiles: np.ndarray) -> list[dict[str, Any]]:
    targets = pd.period_range(pd.Period(origin, freq="M"), periods=len(quantiles), freq="M")
    obs = national_series().loc[targets, "per_day"].to_numpy()
    return [score(origin, "national", h + 1, forecaster, obs[h], quantiles[h]) for h in range(len(quantiles))]


def state_rows(
    origin: dt.date, by_forecaster: dict[str, np.ndarray] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Scores and forecasts of each state's next calendar year (states x LEVELS quantiles per
    forecaster; by default the naive forecasters'); none where that year is reserved."""
    found = states.forecasts(origin)
    if found is None:
        return [], []
    year, observed, naive_ones = found
    by_forecaster = naive_ones if by_forecaster is None else by_forecaster
    h = states.horizon(origin, year)
    scores, forecasts = [], []
    for name, q in by_forecaster.items():
        for code, obs, row in zip(observed.index, observed.to_numpy(), q):
            scores.append(score(origin, code, h, name, obs, row))
            forecasts.append(
                {"origin": origin.isoformat(), "forecaster": name, "target": code, "month": str(year)}
                | dict(zip(_names(), row))
            )
    return scores, forecasts


def forecast_rows(origin: dt.date, forecaster: str, quantiles: np.ndarray) -> list[dict[str, Any]]:
    targets = pd.period_range(pd.Period(origin, freq="M"), periods=len(quantiles), freq="M")
    return [
        {"origin": origin.isoformat(), "forecaster": forecaster, "target": "national", "month": str(t)}
        | dict(zip(_names(), q))
        for t, q in zip(targets, quantiles)
    ]


def _names() -> list[str]:
    return [f"q{level:.3f}" for level in LEVELS]


def run(
    origins: Sequence[dt.date],
    particles: int,
    folder: Path,
    moves: int = 1,
    log: Callable[[str], None] = print,
    seed: int = 1,
    replicates: int = 1,
    **options: Any,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Scores, forecasts (quantiles) and the conditioning's diagnostics for every origin: the
    model's population is filtered origin by origin (`smc`, its prior and moves drawn with
    `seed`), `moves` moves each time its effective size halves, each particle's likelihood that of
    its mean over `replicates` seeds (its forecast runs on the first); `options` go to `sim.ensemble`."""
    series = national_series()
    scores, forecasts, diagnostics = [], [], []
    scored = [d for d in origins if horizons(d) >= 1]
    for date in origins:
        more_scores, more_forecasts = state_rows(date)
        scores += more_scores
        forecasts += more_forecasts
    for date in scored:
        past = series.loc[series.index < pd.Period(date, freq="M"), "per_day"].to_numpy()
        for name, forecaster in naive.FORECASTERS.items():
            q = forecaster(past, horizons(date))
            scores += score_rows(date, name, q)
            forecasts += forecast_rows(date, name, q)
    reachable = sorted(d for d in scored if conditioned.reachable(d))
    if reachable:
        from sim.analysis.abc import from_unit
        from sim.analysis.calibration.long import factors

        chosen = factors()
        options.setdefault("progress", False)
        pop = smc.prior(chosen, particles, folder / "smc", seed=seed, replicates=replicates, **options)
        with Stopwatch(folder):  # the runs once the prior exists, timed apart from it (`timing.json`)
            for date in reachable:  # in date order: each origin's population is the last one filtered on
                pop, info = smc.advance(pop, date, chosen, folder / "smc", moves=moves, seed=seed, log=log, **options)
                found = states.forecasts(date)
                origin = conditioned.Origin(date, horizons(date), found[0] if found else None)
                points = [{**p, "seed": int(s)} for p, s in zip(from_unit(chosen, pop.unit), pop.seeds)]
                months, failed = model_months(origin, points, folder / "runs" / date.isoformat(), **options)
                logw = np.where(months.isna().any(axis=1), -np.inf, pop.logw)
                q = conditioned.forecast(months.fillna(0.0), origin, logw)
                scores += score_rows(date, "model", q)
                forecasts += forecast_rows(date, "model", q)
                if found:
                    q = conditioned.states_forecast(months.fillna(0.0), origin, found[0], states.table(), logw)
                    more_scores, more_forecasts = state_rows(date, {"model": q})
                    scores += more_scores
                    forecasts += more_forecasts
                diagnostics.append(
                    {
                        "origin": date.isoformat(),
                        "particles": len(months),
                        "failed": failed,
                        "effective_on_arrival": info["effective_on_arrival"],
                        "stages": info["stages"],
                        "moves_accepted": " ".join(f"{a:.0%}" for a in info["accepted"]) or "no move",
                        "effective": round(conditioned.effective_size(logw - np.logaddexp.reduce(logw)), 1),
                        "distinct": pop.distinct(),
                        "months_known": int(sum(m < str(origin.month) for m in months.columns)),
                    }
                )
    return pd.DataFrame(scores, columns=COLUMNS), pd.DataFrame(forecasts), pd.DataFrame(diagnostics)


def relative_wis(scores: pd.DataFrame, horizons_kept: range = range(1, 7)) -> pd.DataFrame:
    """Mean WIS of the model over that of each other forecaster on the same (origin, target,
    horizon) cells of the national series; horizons 1-6 by default."""
    kept = scores[scores.horizon.isin(horizons_kept) & (scores.target == "national")]
    wide = kept.pivot_table(index=["origin", "target", "horizon"], columns="forecaster", values="wis")
    if "model" not in wide:
        return pd.DataFrame()
    wide = wide.dropna(subset=["model"])
    rows = []
    for name in [c for c in wide.columns if c != "model"]:
        rows.append({"against": name, "relative_wis": wide["model"].mean() / wide[name].mean(), "cells": len(wide)})
    return pd.DataFrame(rows)


def coverage(scores: pd.DataFrame, horizons_kept: range = range(1, 7)) -> pd.DataFrame:
    """Each forecaster's coverage and mean WIS on the national months of horizons 1-6."""
    kept = scores[scores.horizon.isin(horizons_kept) & (scores.target == "national")]
    return kept.groupby("forecaster")[["cov50", "cov90", "wis"]].mean()
