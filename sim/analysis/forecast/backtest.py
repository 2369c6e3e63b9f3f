"""The backtest: forecasts from past origins, each knowing only what came before it, scored
against what followed and against naive forecasters.

For each origin the national series before it feeds `naive.FORECASTERS`; where the model can
forecast (`conditioned.reachable`), a prior ensemble of `particles` parameter sets runs through
the record as known on the origin (`sim.ensemble`, resumable in `folder/runs/<origin>/`) and is
weighted by the months before it (`conditioned`). Targets are the national months from the
origin's on, up to 12 and none after the last observed month (May 2026).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis import seeds
from sim.analysis.forecast import conditioned, naive
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


def prior(particles: int, seed: int = 1) -> list[dict[str, Any]]:
    """`particles` parameter sets over the factors' ranges (a Latin hypercube), each with a
    calibration seed in turn: conditioning is fitting, so it never uses a test seed."""
    from scipy.stats import qmc

    from sim.analysis.abc import from_unit
    from sim.analysis.factors import factors

    chosen = factors()
    points = from_unit(chosen, qmc.LatinHypercube(d=len(chosen), seed=seed).random(particles))
    pool = seeds.calibration(len(seeds.CALIBRATION))
    return [{**p, "seed": pool[i % len(pool)]} for i, p in enumerate(points)]


def model_months(
    origin: conditioned.Origin, points: Sequence[dict[str, Any]], folder: Path | None, **options: Any
) -> tuple[pd.DataFrame, int]:
    """The particles' monthly values a day, run through the record as known on the origin; and how many failed."""
    from sim.analysis.ensembles import ensemble

    design = [{**p, "record": origin.record, "horizon_days": origin.horizon_days} for p in points]
    result = ensemble(
        [origin.scenario],
        seeds=sorted({p["seed"] for p in points}),
        points=design,
        measure=conditioned.monthly_means,
        folder=folder,
        **options,
    )
    ok = result.runs[result.runs.status == "ok"]
    return conditioned.months_of(ok), int((result.runs.status != "ok").sum())


def score_rows(origin: dt.date, forecaster: str, quantiles: np.ndarray) -> list[dict[str, Any]]:
    series = national_series()
    targets = pd.period_range(pd.Period(origin, freq="M"), periods=len(quantiles), freq="M")
    obs = series.loc[targets, "per_day"].to_numpy()
    return [
        {
            "origin": origin.isoformat(),
            "target": "national",
            "horizon": h + 1,
            "forecaster": forecaster,
            "wis": float(wis(obs[h], quantiles[h])),
            "cov50": bool(covered(obs[h], quantiles[h], 0.5)),
            "cov90": bool(covered(obs[h], quantiles[h], 0.1)),
        }
        for h in range(len(quantiles))
    ]


def forecast_rows(origin: dt.date, forecaster: str, quantiles: np.ndarray) -> list[dict[str, Any]]:
    targets = pd.period_range(pd.Period(origin, freq="M"), periods=len(quantiles), freq="M")
    return [
        {"origin": origin.isoformat(), "month": str(t), "forecaster": forecaster, **dict(zip(_names(), q))}
        for t, q in zip(targets, quantiles)
    ]


def _names() -> list[str]:
    return [f"q{level:.3f}" for level in LEVELS]


def run(
    origins: Sequence[dt.date], particles: int, folder: Path, **options: Any
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Scores, forecasts (quantiles) and the conditioning's diagnostics for every origin."""
    series = national_series()
    points = prior(particles)
    scores, forecasts, diagnostics = [], [], []
    for date in origins:
        h = horizons(date)
        if h < 1:
            continue
        past = series.loc[series.index < pd.Period(date, freq="M"), "per_day"].to_numpy()
        for name, forecaster in naive.FORECASTERS.items():
            q = forecaster(past, h)
            scores += score_rows(date, name, q)
            forecasts += forecast_rows(date, name, q)
        if not conditioned.reachable(date):
            continue
        origin = conditioned.Origin(date, h)
        months, failed = model_months(origin, points, folder / "runs" / date.isoformat(), **options)
        q = conditioned.forecast(months, origin)
        scores += score_rows(date, "model", q)
        forecasts += forecast_rows(date, "model", q)
        logw = conditioned.log_weights(months, origin)
        diagnostics.append(
            {
                "origin": date.isoformat(),
                "particles": len(months),
                "failed": failed,
                "effective": round(conditioned.effective_size(logw), 1),
                "months_known": int(sum(m < str(origin.month) for m in months.columns)),
            }
        )
    return pd.DataFrame(scores, columns=COLUMNS), pd.DataFrame(forecasts), pd.DataFrame(diagnostics)


def relative_wis(scores: pd.DataFrame, horizons_kept: range = range(1, 7)) -> pd.DataFrame:
    """Mean WIS of the model over that of each other forecaster on the same (origin, target,
    horizon) cells, with the model's coverage; horizons 1-6 by default."""
    kept = scores[scores.horizon.isin(horizons_kept)]
    wide = kept.pivot_table(index=["origin", "target", "horizon"], columns="forecaster", values="wis")
    if "model" not in wide:
        return pd.DataFrame()
    wide = wide.dropna(subset=["model"])
    rows = []
    for name in [c for c in wide.columns if c != "model"]:
        rows.append({"against": name, "relative_wis": wide["model"].mean() / wide[name].mean(), "cells": len(wide)})
    return pd.DataFrame(rows)


def coverage(scores: pd.DataFrame, horizons_kept: range = range(1, 7)) -> pd.DataFrame:
    kept = scores[scores.horizon.isin(horizons_kept)]
    return kept.groupby("forecaster")[["cov50", "cov90", "wis"]].mean()
