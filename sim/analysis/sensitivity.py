"""Global sensitivity of the paired policy effects to the uncertain parameters (SALib).

Two stages. Morris screening over every parameter with a range (kinds `uncertainty` and
`calibrated`): mu* normalised by each output's largest, with its 95% interval normalised the same
way (`normalised`), and the factors whose interval clears a threshold pass (`screen`, at most 10).
Then first-order indices of the passed factors from a Latin hypercube (`lhs_design`) with SALib's
given-data estimator (the equal-frequency partition of `SALib.analyze.delta`, Plischke 2013) and
bootstrap 95% half-widths (`first_order`): any sample serves it, so its cost is N points, not the
N (k + 2) of Saltelli's design, and its intervals shrink as 1 / sqrt(N). The outputs are paired
differences that are small beside the chance of one run, so every design point runs the four
scenarios on the same seeds (common random numbers: one past per seed, branched at day 0,
`sim.runs.pasts.Past`) and averages over them.

The design runs through `sim.ensemble` (design points, a measure of three summary values per run)
in chunks written to a folder as they finish, so an interrupted run resumes where it stopped and
the chunks can go to any executor (a Dask cluster, MPI) to be spread over machines.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def measure(model: Any) -> dict[str, Any]:
    """What each run sends back: the summary's MEASURED values. A named function, not a `functools.partial`:
    the folder records the measure by name, and a partial's name is its repr, with an address that differs
    in every process, so a second invocation would refuse the folder instead of resuming."""
    return summary_of(model, MEASURED)


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


def normalised(m: pd.DataFrame) -> pd.DataFrame:
    """mu*, its 95% interval [low, high] (SALib's mu*_conf either side, low clipped at 0) and sigma, each
    divided by the largest mu* of the output, so that outputs of any unit compare (all 0 if no factor moves it)."""
    top = float(m["mu_star"].max())
    scale = top if top > 0 else np.inf
    return pd.DataFrame(
        {
            "mu_star": m["mu_star"] / scale,
            "low": (m["mu_star"] - m["mu_star_conf"]).clip(lower=0) / scale,
            "high": (m["mu_star"] + m["mu_star_conf"]) / scale,
            "sigma": m["sigma"] / scale,
        },
        index=m.index,
    )


def screen(
    morris: dict[str, pd.DataFrame], chosen: Sequence[Factor], threshold: float = 0.1, most: int = 10
) -> tuple[list[Factor], bool]:
    """The factors that pass: on some output, the low end of the 95% interval of the normalised mu* is at
    least `threshold`; at most `most` of them, those with the largest normalised mu* on any output. If
    none passes, the `most` with the largest normalised mu* and False (the screen did not separate them)."""
    scaled = [normalised(df) for df in morris.values()]
    score = pd.concat([df["mu_star"] for df in scaled], axis=1).max(axis=1)
    low = pd.concat([df["low"] for df in scaled], axis=1).max(axis=1)
    passed = score[low >= threshold].sort_values(ascending=False, kind="stable")
    names = list(passed.index[:most]) if len(passed) else list(score.sort_values(ascending=False).index[:most])
    return [f for f in chosen if f.name in names], bool(len(passed))


def lhs_design(chosen: Sequence[Factor], n: int, seed: int = 1) -> np.ndarray:
    """A Latin hypercube of `n` points over the factors' ranges."""
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(chosen), seed=seed).random(n)
    return qmc.scale(unit, [f.low for f in chosen], [f.high for f in chosen])


def lhs_batches(chosen: Sequence[Factor], n: int, batch: int, seed: int = 1) -> list[np.ndarray]:
    """`n` points over the factors' ranges as Latin hypercubes of `batch` points each (the last may be
    smaller), batch b drawn with seed `seed` + b: each batch is a uniform sample of the ranges, so their union
    is one for any given-data estimator, and a larger `n` adds batches while keeping those already run."""
    sizes = [min(batch, n - start) for start in range(0, n, batch)]
    return [lhs_design(chosen, size, seed=seed + b) for b, size in enumerate(sizes)]


def partition(n: int) -> np.ndarray:
    """The equal-frequency classes of SALib's delta module for `n` points (its rule: about n^0.32, at most 48)."""
    exp = 2.0 / (7.0 + np.tanh((1500.0 - n) / 500.0))
    classes = int(np.round(min(int(np.ceil(n**exp)), 48)))
    return np.linspace(0, n, classes + 1)


def first_order(
    chosen: Sequence[Factor], x: np.ndarray, y: np.ndarray, resamples: int = 500, seed: int = 1, level: float = 0.95
) -> tuple[pd.DataFrame, tuple[float, float]]:
    """First-order indices S1 of the factors from any sample (x, y): SALib's given-data estimator
    (`SALib.analyze.delta.sobol_first`: the variance of the class means of y over equal-frequency classes of
    each x, over the variance of y) on the whole sample, and the half-width of its `level` interval from
    `resamples` bootstrap resamples (z times their standard deviation, as SALib's *_conf). Also the sum of
    the S1 and its half-width from the same resamples.

    The class means of M classes of N points spread by chance too: the estimator's expectation is about
    S1 + c (1 - S1) with c = (M - 1) / N, as for an unadjusted R^2; each estimate is corrected to
    (S1 - c) / (1 - c) (ten factors would otherwise add about 10 c, 0.05 at N = 1500, to their sum)."""
    from SALib.analyze.delta import sobol_first
    from scipy.stats import norm

    y = np.asarray(y, float)
    m = partition(len(y))
    point = np.array([sobol_first(y, x[:, i], m) for i in range(x.shape[1])])
    rng = np.random.default_rng(seed)
    boot = np.empty((resamples, x.shape[1]))
    for b in range(resamples):
        r = rng.integers(len(y), size=len(y))
        boot[b] = [sobol_first(y[r], x[r, i], m) for i in range(x.shape[1])]
    c = (len(m) - 2) / len(y)  # M - 1 over N: len(m) is M + 1 edges
    point, boot = (point - c) / (1 - c), (boot - c) / (1 - c)
    z = norm.ppf(0.5 + level / 2)
    frame = pd.DataFrame({"S1": point, "S1_conf": z * boot.std(axis=0, ddof=1)}, index=[f.name for f in chosen])
    return frame, (float(point.sum()), float(z * boot.sum(axis=1).std(ddof=1)))
