"""Global sensitivity of the paired policy effects to the uncertain parameters (SALib).

Morris screening over every parameter with a range (kinds `uncertainty` and `calibrated`), then
Sobol indices (first order and total, with SALib's bootstrap intervals) for the most influential
ones. The outputs are paired differences that are small beside the chance of one run, so every
design point runs the four scenarios on the same seeds (common random numbers: one past per seed,
branched at day 0, `sim.core.simulate_branches`) and averages over them.

The design is evaluated in chunks written to a folder as they finish, so an interrupted run
resumes where it stopped and the chunks can be spread over machines.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.parameters import table

HORIZON_DAYS = 1095  # three years: the third year is what the campaign-vs-capacity output reads
SCENARIOS = {  # the four branches of one design point and seed (levers only: they share the past)
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
INTEGER_DOMAINS = ("int_nonneg", "int_positive")


@dataclass(frozen=True)
class Factor:
    """An uncertain parameter: its range and whether it takes whole numbers."""

    name: str
    low: float
    high: float
    integer: bool


def factors() -> list[Factor]:
    """Every parameter with a range that is not a policy lever or set by the record."""
    return [
        Factor(p.name, float(p.low), float(p.high), p.domain in INTEGER_DOMAINS)
        for p in table().values()
        if p.kind in ("uncertainty", "calibrated") and p.low is not None and p.high is not None and p.low < p.high
    ]


def problem(chosen: Sequence[Factor]) -> dict[str, Any]:
    """SALib's problem definition."""
    return {"num_vars": len(chosen), "names": [f.name for f in chosen], "bounds": [[f.low, f.high] for f in chosen]}


def point_params(chosen: Sequence[Factor], row: Sequence[float]) -> dict[str, Any]:
    """One design row as model parameters (whole numbers rounded)."""
    return {f.name: (int(round(x)) if f.integer else float(x)) for f, x in zip(chosen, row)}


def outputs(runs: dict[str, dict[str, Any]]) -> dict[str, float]:
    """The three outputs from one seed's four summaries."""
    return {
        "strike_excess_year1": runs["mencho_strike"]["homicides_d0_365"] - runs["no_strike"]["homicides_d0_365"],
        "effective_groups_d365": runs["mencho_strike"]["effective_groups_d365"],
        "campaign_minus_capacity_year3": runs["kingpin_campaign"]["homicides_last_365"] - runs["state_capacity"]["homicides_last_365"],
    }


def evaluate(params: dict[str, Any], seeds: Sequence[int], horizon_days: int = HORIZON_DAYS) -> dict[str, float]:
    """The outputs of one design point, averaged over the seeds (the same seeds at every point)."""
    from sim.core import simulate_branches

    per_seed = []
    for seed in seeds:
        results = simulate_branches([{**params, **levers} for levers in SCENARIOS.values()], seed=seed, horizon_days=horizon_days, timeseries=False)
        per_seed.append(outputs({name: r.summary for name, r in zip(SCENARIOS, results)}))
    return {k: float(np.mean([o[k] for o in per_seed])) for k in OUTPUTS}


def _chunk(args: tuple[list[dict[str, Any]], list[int], int, Callable[..., dict[str, float]]]) -> list[dict[str, Any]]:
    points, seeds, horizon, fn = args
    rows = []
    for params in points:
        try:
            rows.append({**fn(params, seeds, horizon), "error": ""})
        except (Exception, MemoryError) as exc:  # keep the chunk: one failing point is reported, not fatal
            rows.append({**{k: np.nan for k in OUTPUTS}, "error": f"{type(exc).__name__}: {exc}"})
    return rows


def _limit_memory(memory_gb: float | None) -> None:
    """A worker's address-space cap: a design point whose world grows without bound then fails
    with a MemoryError, recorded as its error, instead of the system killing the whole run."""
    if memory_gb and os.name == "posix":
        import resource

        limit = int(memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


PLAN = "plan.json"


def chunk_path(folder: Path, i: int) -> Path:
    return folder / f"chunk_{i:04d}.csv"


def run_chunk(folder: Path, i: int, memory_gb: float | None = None) -> None:
    """Run chunk `i` of the plan in `folder` (a Hydra job, sim/analysis/sensitivity_job.py) and
    write its file, unless it is there already."""
    plan = json.loads((folder / PLAN).read_text(encoding="utf-8"))
    if chunk_path(folder, i).exists():
        return
    _limit_memory(memory_gb)
    k = plan["chunk_size"]
    rows = _chunk((plan["points"][i * k : (i + 1) * k], plan["seeds"], plan["horizon_days"], evaluate))
    pd.DataFrame(rows).to_csv(chunk_path(folder, i), index=False)


def _launch_hydra(folder: Path, todo: list[int], hydra_args: Sequence[str]) -> None:
    """The chunks as a Hydra multirun (conf/sensitivity_job.yaml) on its configured launcher."""
    cmd = [sys.executable, "-m", "sim.analysis.sensitivity_job", "-m", f"folder={folder.resolve()}", "chunk=" + ",".join(map(str, todo)), *hydra_args]
    subprocess.run(cmd, check=False)


def run_design(
    points: Sequence[dict[str, Any]],
    folder: Path,
    seeds: Sequence[int],
    chunk_size: int = 16,
    workers: int | None = None,
    horizon_days: int = HORIZON_DAYS,
    fn: Callable[..., dict[str, float]] = evaluate,
    progress: Callable[[int, int], None] | None = None,
    memory_gb: float | None = 8.0,
    launcher: str = "local",
    hydra_args: Sequence[str] = (),
) -> pd.DataFrame:
    """Evaluate every design point in chunks of `chunk_size`, each saved to `folder` as it
    finishes (chunk_0000.csv, ...); chunks already there are read, not run again. Each worker may
    use `memory_gb` (None: no cap). `launcher` "hydra" runs the chunks as a Hydra multirun
    (`fn` must then be `evaluate`; `hydra_args` choose e.g. its launcher), "local" on a process
    pool. Returns the outputs in design order, with an `error` column (empty where the point ran;
    a chunk whose job wrote nothing gives its points that job's failure)."""
    folder.mkdir(parents=True, exist_ok=True)
    chunks = [list(points[i : i + chunk_size]) for i in range(0, len(points), chunk_size)]
    path = lambda i: chunk_path(folder, i)  # noqa: E731
    todo = [i for i in range(len(chunks)) if not path(i).exists()]
    if todo and launcher == "hydra":
        plan = {"points": list(points), "seeds": list(seeds), "horizon_days": horizon_days, "chunk_size": chunk_size}
        (folder / PLAN).write_text(json.dumps(plan), encoding="utf-8")
        _launch_hydra(folder, todo, hydra_args)
    elif todo:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1, mp_context=ctx, initializer=_limit_memory, initargs=(memory_gb,)) as pool:
            futures = {pool.submit(_chunk, (chunks[i], list(seeds), horizon_days, fn)): i for i in todo}
            for done, future in enumerate(as_completed(futures), 1):
                i = futures[future]
                pd.DataFrame(future.result()).to_csv(path(i), index=False)
                if progress:
                    progress(done, len(todo))
    lost = {"error": "its chunk's job wrote nothing (see the launcher's log in the folder's hydra/)"}
    frame = pd.concat(
        [pd.read_csv(path(i), dtype={"error": str}) if path(i).exists() else pd.DataFrame([{**{k: np.nan for k in OUTPUTS}, **lost}] * len(chunks[i])) for i in range(len(chunks))],
        ignore_index=True,
    )
    frame["error"] = frame["error"].fillna("")
    return frame


def morris_design(chosen: Sequence[Factor], trajectories: int, levels: int = 4, seed: int = 1) -> np.ndarray:
    from SALib.sample import morris

    return morris.sample(problem(chosen), trajectories, num_levels=levels, seed=seed)


def complete_trajectories(design: np.ndarray, y: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, int]:
    """The Morris design and outputs without the trajectories (k + 1 rows each) that hold a
    failed point, and how many were dropped."""
    rows = y.reshape(-1, k + 1)
    keep = np.isfinite(rows).all(axis=1)
    return design.reshape(-1, k + 1, design.shape[1])[keep].reshape(-1, design.shape[1]), rows[keep].ravel(), int((~keep).sum())


def morris_indices(chosen: Sequence[Factor], design: np.ndarray, y: np.ndarray, levels: int = 4, seed: int = 1) -> pd.DataFrame:
    """mu* (mean absolute elementary effect), its confidence interval and sigma, per factor."""
    from SALib.analyze import morris

    res = morris.analyze(problem(chosen), design, y, num_levels=levels, seed=seed, print_to_console=False)
    return pd.DataFrame({"mu_star": res["mu_star"], "mu_star_conf": res["mu_star_conf"], "sigma": res["sigma"]}, index=[f.name for f in chosen])


def sobol_design(chosen: Sequence[Factor], n: int, seed: int = 1) -> np.ndarray:
    from SALib.sample import sobol

    return sobol.sample(problem(chosen), n, calc_second_order=False, seed=seed)


def sobol_indices(chosen: Sequence[Factor], y: np.ndarray, seed: int = 1) -> pd.DataFrame:
    """First-order (S1) and total (ST) indices with their 95% bootstrap half-widths, per factor."""
    from SALib.analyze import sobol

    res = sobol.analyze(problem(chosen), y, calc_second_order=False, seed=seed, print_to_console=False)
    return pd.DataFrame({"S1": res["S1"], "S1_conf": res["S1_conf"], "ST": res["ST"], "ST_conf": res["ST_conf"]}, index=[f.name for f in chosen])


def top_factors(morris: dict[str, pd.DataFrame], chosen: Sequence[Factor], k: int) -> list[Factor]:
    """The `k` factors with the largest mu*, each output's mu* scaled by its largest, summed."""
    score = sum(df["mu_star"] / df["mu_star"].max() for df in morris.values() if df["mu_star"].max() > 0)
    names = list(score.sort_values(ascending=False).index[:k])
    return [f for f in chosen if f.name in names]
