"""Global sensitivity of the paired policy effects to the uncertain parameters (SALib).

Morris screening over every parameter with a range (kinds `uncertainty` and `calibrated`), then
Sobol indices (first order and total, with SALib's bootstrap intervals) for the most influential
ones. The outputs are paired differences that are small beside the chance of one run, so every
design point runs the four scenarios on the same seeds (common random numbers: one past per seed,
branched at day 0, `sim.runs.pasts.Past`) and averages over them.

The design runs through `sim.ensemble` (design points, a measure of three summary values per run)
in chunks written to a folder as they finish, so an interrupted run resumes where it stopped and
the chunks can go to any executor (a Dask cluster, MPI) to be spread over machines.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.ensembles import ensemble, summary_of
from sim.analysis.factors import Factor, factors, point_params  # noqa: F401 (the factors are this analysis's too)

HORIZON_DAYS = 1095  # three years: the third year is what the campaign-vs-capacity output reads
# the four branches of one design point and seed (levers only: they share the past); the scenarios of conf/scenario/
# by these names
SCENARIOS = {
    "no_strike": {},
    "mencho_strike": {"strike_enabled": True},
    "kingpin_campaign": {"strike_enabled": True, "campaign_enabled": True},
    "state_capacity": {"strike_enabled": True, "capacity_investment": 0.1},
}
OUTPUTS = {
    "strike_excess_year1": "a strike's excess homicides in year 1 (mencho_strike - no_strike)",
    "effective_groups_d365": "effective number of groups 365 days after the strike (mencho_strike)",
    "campaign_minus_capacity_year3": "homicides in year 3, kingpin_campaign - state_capacity",
}


def problem(chosen: Sequence[Factor]) -> dict[str, Any]:
    """SALib's problem definition."""
    return {"num_vars": len(chosen), "names": [f.name for f in chosen], "bounds": [[f.low, f.high] for f in chosen]}


def outputs(runs: dict[str, dict[str, Any]]) -> dict[str, float]:
    """The three outputs from one seed's four summaries."""
    return {
        "strike_excess_year1": runs["mencho_strike"]["homicides_d0_365"] - runs["no_strike"]["homicides_d0_365"],
        "effective_groups_d365": runs["mencho_strike"]["effective_groups_d365"],
        "campaign_minus_capacity_year3": runs["kingpin_campaign"]["homicides_last_365"]
        - runs["state_capacity"]["homicides_last_365"],
    }


MEASURED = ("homicides_d0_365", "effective_groups_d365", "homicides_last_365")  # what each run sends back
measure = partial(summary_of, keys=MEASURED)


def run_design(
    points: Sequence[dict[str, Any]],
    folder: Path | None,
    seeds: Sequence[int],
    horizon_days: int = HORIZON_DAYS,
    **options: Any,
) -> pd.DataFrame:
    """The outputs at every point, each averaged over the same seeds, with an `error` column
    (empty where every run of the point ran): the four scenarios x points x seeds through
    `sim.ensemble` in resumable chunks in `folder` (`options` go there: processes, executor,
    chunk_size, progress, memory_gb, ...)."""
    options.setdefault("progress", False)
    runs = ensemble(
        list(SCENARIOS),
        seeds=seeds,
        points=points,
        measure=measure,
        daily=False,
        folder=folder,
        horizon_days=horizon_days,
        **options,
    ).runs
    rows = []
    for point, group in runs.groupby("point", sort=True):
        failed = group[group["status"] != "ok"]
        if len(failed):
            rows.append({**{k: np.nan for k in OUTPUTS}, "error": str(failed["error"].iloc[0])})
            continue
        per_seed = [
            outputs({r["scenario"]: r for r in seed.to_dict("records")})
            for _, seed in group.groupby("seed", sort=False)
        ]
        rows.append({**{k: float(np.mean([o[k] for o in per_seed])) for k in OUTPUTS}, "error": ""})
    return pd.DataFrame(rows, columns=[*OUTPUTS, "error"])


def evaluate(
    params: dict[str, Any], seeds: Sequence[int], horizon_days: int = HORIZON_DAYS, **options: Any
) -> dict[str, float]:
    """The outputs of one design point, averaged over the seeds."""
    row = run_design([params], None, seeds, horizon_days, **options).iloc[0]
    if row["error"]:
        raise RuntimeError(row["error"])
    return {k: float(row[k]) for k in OUTPUTS}


def morris_design(chosen: Sequence[Factor], trajectories: int, levels: int = 4, seed: int = 1) -> np.ndarray:
    from SALib.sample import morris

    return morris.sample(problem(chosen), trajectories, num_levels=levels, seed=seed)


def complete_trajectories(design: np.ndarray, y: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, int]:
    """The Morris design and outputs without the trajectories (k + 1 rows each) that hold a
    failed point, and how many were dropped."""
    rows = y.reshape(-1, k + 1)
    keep = np.isfinite(rows).all(axis=1)
    return (
        design.reshape(-1, k + 1, design.shape[1])[keep].reshape(-1, design.shape[1]),
        rows[keep].ravel(),
        int((~keep).sum()),
    )


def morris_indices(
    chosen: Sequence[Factor], design: np.ndarray, y: np.ndarray, levels: int = 4, seed: int = 1
) -> pd.DataFrame:
    """mu* (mean absolute elementary effect), its confidence interval and sigma, per factor."""
    from SALib.analyze import morris

    res = morris.analyze(problem(chosen), design, y, num_levels=levels, seed=seed, print_to_console=False)
    return pd.DataFrame(
        {"mu_star": res["mu_star"], "mu_star_conf": res["mu_star_conf"], "sigma": res["sigma"]},
        index=[f.name for f in chosen],
    )


def sobol_design(chosen: Sequence[Factor], n: int, seed: int = 1) -> np.ndarray:
    from SALib.sample import sobol

    return sobol.sample(problem(chosen), n, calc_second_order=False, seed=seed)


def sobol_indices(chosen: Sequence[Factor], y: np.ndarray, seed: int = 1) -> pd.DataFrame:
    """First-order (S1) and total (ST) indices with their 95% bootstrap half-widths, per factor."""
    from SALib.analyze import sobol

    res = sobol.analyze(problem(chosen), y, calc_second_order=False, seed=seed, print_to_console=False)
    return pd.DataFrame(
        {"S1": res["S1"], "S1_conf": res["S1_conf"], "ST": res["ST"], "ST_conf": res["ST_conf"]},
        index=[f.name for f in chosen],
    )


def top_factors(morris: dict[str, pd.DataFrame], chosen: Sequence[Factor], k: int) -> list[Factor]:
    """The `k` factors with the largest mu*, each output's mu* scaled by its largest, summed."""
    score = sum(df["mu_star"] / df["mu_star"].max() for df in morris.values() if df["mu_star"].max() > 0)
    names = list(score.sort_values(ascending=False).index[:k])
    return [f for f in chosen if f.name in names]
