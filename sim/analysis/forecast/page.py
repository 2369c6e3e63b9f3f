"""docs/forecast.md: the backtest's page, rendered from its scores (experiments/backtest.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.analysis.calibration.long import FACTORS
from sim.analysis.forecast import conditioned, discrepancy, smc
from sim.analysis.forecast.backtest import coverage, relative_wis
from sim.analysis.robust import markdown_table
from sim.world.calendar import DAY0

TARGETS = {"no_change": 0.85, "trend": 1.0, "stat": 1.0}  # relative WIS the model must reach (issue 23)


def _table(frame: pd.DataFrame, floats: str = "{:.2f}") -> str:
    rows = [[_cell(v, floats) for v in row] for row in frame.itertuples(index=False)]
    return markdown_table([str(c) for c in frame.columns], rows)


def _cell(value: object, floats: str) -> str:
    if isinstance(value, float):
        return "—" if value != value else floats.format(value)  # NaN: the forecaster has no score there
    return str(value)


def _states(scores: pd.DataFrame) -> pd.DataFrame:
    kept = scores[scores.target != "national"]
    out = kept.groupby("forecaster").agg(
        origins=("origin", "nunique"),
        cells=("wis", "size"),
        wis=("wis", "mean"),
        cov50=("cov50", "mean"),
        cov90=("cov90", "mean"),
    )
    return out.reset_index()


def _states_relative(scores: pd.DataFrame) -> pd.DataFrame:
    """The model's mean WIS over each naive forecaster's on the same (origin, state) cells."""
    states_only = scores[scores.target != "national"]
    wide = states_only.pivot_table(index=["origin", "target"], columns="forecaster", values="wis")
    if "model" not in wide:
        return pd.DataFrame()
    rows = []
    for name in [c for c in wide.columns if c != "model"]:
        both = wide[["model", name]].dropna()
        rows.append({"against": name, "relative_wis": both["model"].mean() / both[name].mean(), "cells": len(both)})
    return pd.DataFrame(rows)


def _replicated(replicates: int) -> str:
    if replicates == 1:
        return ""
    return f" and the {replicates - 1} after it, its likelihood that of their mean (its forecast runs on the first)"


def render(
    scores: pd.DataFrame,
    conditioning: pd.DataFrame,
    particles: int,
    figure: Path,
    seconds: float,
    runs: int,
    replicates: int = 1,
    seed: int = 1,
    prior: tuple[float, int] = (0.0, 0),
) -> str:
    """The page; `seconds` and `runs` are the backtest's once its prior ensemble exists, `prior` that
    ensemble's own (seconds, runs), a one-off cost stated apart."""
    rel = relative_wis(scores)
    cov = coverage(scores).reset_index()
    early = scores[(scores.horizon <= 6) & (scores.target == "national")]
    by_origin = early.pivot_table(index="origin", columns="forecaster", values="wis").reset_index()
    model_origins = sorted(scores.loc[scores.forecaster == "model", "origin"].unique())
    lines = [
        "# Forecasts scored: the backtest",
        "",
        f"Made by `python -m experiments.backtest{'' if seed == 1 else f' --seed {seed}'}` (sim/analysis/forecast/; "
        f"the sampler's seed {seed}: another seed is another draw of the same backtest); every number here comes from "
        "its `scores.csv`. Each origin knows only the national months, the states' complete years and the "
        "record's events dated before it; the policies then in force carry on. Targets are the national "
        "victims a day in the origin's "
        "month and the 11 after it, none after May 2026 (national figures after May 2026 and state figures "
        "for 2025 on are reserved). Scores: the weighted interval score (WIS, Bracher et al. 2021; 23 "
        "quantiles, lower is better, in victims a day) and whether the 50% and 90% intervals cover the "
        "observed month.",
        "",
        "**Read this first.** The model's mechanisms were designed knowing the whole record, and its "
        "defaults were calibrated on months up to September 2025 (the world of 2024) and the long world's fit "
        "on every month to May 2026; the backtest draws the long fit's factors from "
        "the parameter table's ranges, not from either fit (the other parameters keep the table's values, "
        "among them those the world of 2024 was calibrated on, a leak of the months 2024-2025 into earlier "
        "origins; the discrepancy's persistence and size, which the conditioning uses, were estimated on the "
        "long fit's residuals through May 2026, another), so it measures conditioning and "
        "forecasting, not mechanism discovery (the long record's mechanisms, expansion and the federal "
        "forces among them, were added knowing the decade). The world starts from the organisations of "
        "2014 and lives through the long record (its daily table from January 2015), so the "
        f"model forecasts only from origins with {conditioned.MIN_MONTHS} or more of its months before "
        f"them ({', '.join(model_origins) or 'none in this run'}); the naive forecasters are scored at every "
        "origin. Relative WIS compares forecasters on the same (origin, target, horizon) cells only.",
        "",
        "## The forecasters",
        f"- `model`: a population of {particles} parameter sets, drawn over the ranges of the long fit's "
        f"{len(FACTORS)} factors (a Latin hypercube, on a log scale where the fit searches so, each on a "
        f"calibration seed{_replicated(replicates)}) "
        "and filtered origin by origin on "
        "what was known before each: the national months, each state's complete years to 2024 and, from "
        "October 2025, the hidden-killings bound (resample-move sequential Monte Carlo, Chopin 2002, with adaptive "
        "tempering, Del Moral, Doucet & Jasra 2006: the new months' likelihood enters in stages, each as "
        "far as keeps the effective sample size at half the population, each followed by systematic "
        "resampling and Metropolis-Hastings moves on the tempered likelihood of everything known so far, "
        "each step a Gaussian in every factor with the population's own covariance times 2.38^2 over the factors "
        f"(Roberts & Rosenthal 2001), each factor's sd at least {smc.MIN_STEP:.0%} of its range, so that a "
        f"population cut to a few particles can spread again, {smc.COMMON:.0%} of the proposals run on the "
        "particle's own seeds (common random numbers: a step is judged on what its parameters change, not on "
        "a new seed's luck) and the rest on fresh ones). "
        "The likelihood: a "
        "month's log value is the simulated one plus the model's discrepancy, a persistent AR(1) process "
        f"(coefficient {discrepancy.PERSISTENCE:.2f} a month, innovations of sd {discrepancy.INNOVATION:.2f}, "
        "both estimated on the long fit's residuals), plus the series' own error: a world that runs high "
        "runs high for months, and one offset is not counted as many independent misses; a state's year "
        "likewise, with the yearly discrepancy below; the hidden-killings bound as an observation known to "
        f"{conditioned.BOUND_SD:g} a day (a probit: a world 4 a day above it is e^10 times less likely than one "
        "below), which the tempering takes in with the months. "
        "The population "
        "then runs through the record as known on the origin, the policies in force carried on, and its "
        "forecast is the weighted mixture of its months: the model gives each particle's path (the "
        "events known, the season, its wars and arrests), the record its level, each particle shifted "
        f"by its mean residual over the last {discrepancy.ANCHOR_MONTHS} known months, and the spread of "
        "that level to come is drawn from how the population's mean residual moved h months on within the "
        f"{discrepancy.CHANGE_WINDOW} months before the origin, each change taken both ways (no_change's "
        "construction, applied to the model's residual instead of the series). This construction was chosen "
        "knowing the scores of the previous backtest's runs (a world without the season), on which it was "
        "compared with others: against no change, the AR(1)'s decay of the last month's residual scored 1.33, "
        "a random walk from the last month spread by the AR(1)'s innovations 1.10, and this one 0.93; with "
        "a season multiplied onto those runs' months after the fact, a one-month anchor scored 0.88 and the "
        "three-month one 0.82 (a six-month anchor did worse). Read the page's numbers knowing that.",
        "- `no_change`: the last month carried forward as the median; intervals from the empirical h-month "
        "changes of the 36 months before the origin, each taken both ways (the COVID-19 Forecast Hub's baseline).",
        "- `trend`: a straight line through the logarithms of the last 12 months (OLS prediction interval).",
        "- `stat`: ARIMA on the logarithms of every month since January 2015, its order chosen by AIC (statsmodels).",
        "",
        "## The model against the naive forecasters (national, horizons 1-6)",
    ]
    if rel.empty:
        lines += ["", "No origin in this run is one the model can forecast from."]
    else:
        rel = rel.assign(
            target=[TARGETS[a] for a in rel.against],
            met=[("yes" if r <= TARGETS[a] else "no") for r, a in zip(rel.relative_wis, rel.against)],
        )
        lines += [
            "",
            "Relative WIS: the model's mean WIS over the other's on the same cells (below 1: the model is "
            "better). The target is issue 23's.",
            "",
            _table(rel),
        ]
        day0 = DAY0.isoformat()
        parts = {"before the strike": scores[scores.origin < day0], "after it": scores[scores.origin >= day0]}
        split = [
            {"origins": name, "against": r.against, "relative_wis": r.relative_wis, "cells": r.cells}
            for name, part in parts.items()
            for r in relative_wis(part).itertuples()
        ]
        if split:
            lines += [
                "",
                f"The same, split at the strike ({day0}): origins before it forecast a world the strike has not "
                "yet hit; after it, the strike's aftermath is the forecast.",
                "",
                _table(pd.DataFrame(split)),
            ]
    lines += [
        "",
        "Coverage of the 50% and 90% intervals and mean WIS, each forecaster over its own cells "
        "(the model's cover only its origins; targets for the model: 35-65% and 80-98%):",
        "",
        _table(cov),
        "",
        "Mean WIS by origin (horizons 1-6):",
        "",
        _table(by_origin),
        "",
        "## The states' next calendar year",
        "",
        "Each state's victims in the first calendar year that starts on or after the origin (to 2024: state "
        "figures from 2025 on are reserved), from the complete years before it. The model's is the weighted "
        "mixture of its particles' state years, each shifted by what remains of its residual in the last "
        "complete year before the origin and spread by the state discrepancy to come (an AR(1) across years, "
        f"{discrepancy.STATE_PERSISTENCE:.2f} a year, innovations of sd {discrepancy.STATE_INNOVATION:.2f}, "
        "estimated on the long fit's state years 2015-2024), from the runs that give its "
        "national forecast (extended to the year's end); every forecaster over its own cells (mean WIS in "
        "victims a year, coverage of the 50% and 90% intervals):",
        "",
        _table(_states(scores)) if (scores.target != "national").any() else "No origin with a state target.",
        "",
        "The model against the naive forecasters on the same (origin, state) cells:",
        "",
        _table(_states_relative(scores)) if not _states_relative(scores).empty else "No state cell the model forecast.",
        "",
        "## Conditioning",
        "",
        "For each origin the model could forecast from: particles that ran, those that failed, the "
        "effective sample size (1 / sum of squared weights) had the origin's months arrived at once, the "
        "tempering's stages, the share of each move accepted, the effective size of the weights the "
        "forecast used, the distinct parameter sets among the particles (`smc.Population.distinct`: "
        "sets closer than 0.1% of every range count once, seeds do not count), and the months weighed.",
        "",
        _table(conditioning) if not conditioning.empty else "None.",
        "",
        f"![fan charts]({figure.as_posix()})",
        "",
        "## Cost",
        "",
        (
            f"Once the prior ensemble existed, the model's runs ({runs:,}) took {seconds / 60:.1f} min on this "
            "machine, measured over the invocations that ran them (`timing.json` in the output folder)."
            if runs
            else "No invocation that ran the model's runs saved its timing, so no time is stated."
        ),
        (
            f"The prior ensemble ({prior[1]:,} runs), made once and reused by every later call, took "
            f"{prior[0] / 60:.1f} min (`timing.json` in its folder under `smc/`)."
            if prior[1]
            else "The prior ensemble's time was not measured (it was made before its timing was kept)."
        ),
        "",
    ]
    return "\n".join(lines)
