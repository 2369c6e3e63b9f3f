"""Ensembles from Python: scenarios x seeds in parallel, returned as one table of runs and one daily table.

For notebooks; the command line uses Hydra multirun instead (`python -m sim -m ...`). The same
seeds serve every scenario (common random numbers), so paired differences are effects.

    from sim import ensemble
    result = ensemble(["no_strike", "mencho_strike"], seeds=range(1, 21), horizon_days=365)
    result.runs.groupby("scenario").homicides_d0_365.median()
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, Iterable

import pandas as pd

from sim.analysis.collect import DAILY_COLUMNS, national_daily
from sim.config import check_scenario
from sim.errors import ConfigError


@dataclass
class EnsembleResult:
    """`runs`: one row per run (run, scenario, seed, status, error, summary); `daily`: national daily rows."""

    runs: pd.DataFrame
    daily: pd.DataFrame

    @property
    def failed(self) -> pd.DataFrame:
        return self.runs[self.runs["status"] != "ok"]


def _one(scenario: str, seed: int, overrides: dict[str, Any]) -> tuple[dict, pd.DataFrame | None]:
    """One run in a worker: its row, and its national daily rows (None if it failed)."""
    from sim.api import run

    row: dict[str, Any] = {"run": f"{scenario}/seed{seed}", "scenario": scenario, "seed": seed}
    try:
        result = run(scenario, seed=seed, **overrides)
    except ConfigError as err:
        return {**row, "status": "failed", "error": str(err)}, None
    return {**row, "status": "ok", "error": None, **result.summary}, national_daily(result.timeseries, row["run"], scenario, seed)


def ensemble(
    scenarios: Iterable[str] = ("no_strike", "mencho_strike"),
    seeds: Iterable[int] = range(1, 11),
    processes: int | None = None,
    progress: bool = True,
    **overrides: Any,
) -> EnsembleResult:
    """Run every scenario with every seed on `processes` cores (default: all) and join the results.

    `overrides` (run settings or parameters, as for `sim.run`) apply to every run. A run that
    fails on bad input is kept as a row with status "failed" and its error line.
    """
    scenarios = [check_scenario(s) for s in scenarios]
    tasks = [(s, int(seed), overrides) for s in scenarios for seed in seeds]
    workers = min(processes or os.cpu_count() or 1, len(tasks)) or 1
    rows, dailies, start = [], [], time.time()
    # "spawn" explicitly: Mesa sets it on import anyway, and it behaves the same on every OS.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_one, *task) for task in tasks]
        for done, future in enumerate(as_completed(futures), start=1):
            row, daily = future.result()
            rows.append(row)
            if daily is not None:
                dailies.append(daily)
            if progress:
                failed = sum(r["status"] != "ok" for r in rows)
                left = (time.time() - start) / done * (len(tasks) - done)
                eta = f", about {left:.0f} s left" if done < len(tasks) else ""
                print(f"[ensemble] {done} of {len(tasks)} runs done ({failed} failed){eta}", file=sys.stderr, flush=True)
    order = {task[:2]: i for i, task in enumerate(tasks)}
    runs = pd.DataFrame(sorted(rows, key=lambda r: order[(r["scenario"], r["seed"])]))
    daily = pd.concat(dailies, ignore_index=True) if dailies else pd.DataFrame(columns=DAILY_COLUMNS)
    return EnsembleResult(runs, daily)
