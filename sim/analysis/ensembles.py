"""Ensembles from Python: scenarios x plausible worlds x seeds in parallel, as one table of runs and one daily table.

For notebooks; the command line uses Hydra multirun instead (`python -m sim -m ...`). The same
worlds and seeds serve every scenario (common random numbers), so differences paired by world
and seed are effects, and their spread over worlds is what we do not know about the parameters.

    from sim import ensemble
    result = ensemble(["no_strike", "mencho_strike"], seeds=range(1, 21), horizon_days=365)
    result.runs.groupby("scenario").homicides_d0_365.median()
    over_worlds = ensemble(["mencho_strike", "kingpin_campaign"], worlds=range(20), seeds=[1, 2])
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from sim.analysis.collect import DAILY_COLUMNS
from sim.config import check_scenario
from sim.errors import ConfigError


@dataclass(frozen=True)
class Arm:
    """A scenario with values of its own, under a name of its own: `Arm("campaign+", "kingpin_campaign",
    {"recruitment_reduction": 0.3})` runs beside plain scenarios, paired with them by world and seed."""

    name: str
    scenario: str
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass
class EnsembleResult:
    """`runs`: one row per run (run, scenario, seed, status, error, summary); `daily`: national daily rows."""

    runs: pd.DataFrame
    daily: pd.DataFrame

    @property
    def failed(self) -> pd.DataFrame:
        return self.runs[self.runs["status"] != "ok"]


def _seed_runs(seed: int, runs: list[tuple[str, dict[str, Any], dict[str, Any]]], world: int | None = None) -> list[tuple[dict, pd.DataFrame | None]]:
    """Every scenario of one world and seed in a worker: their rows and national daily rows (None
    if failed, untagged: `_daily_table` adds run, scenario, world and seed).

    Scenarios that differ only in their levers share their past: it is simulated once and each
    scenario branches from it at day 0 (sim.core.simulate_branches), which gives the numbers each
    would give alone.
    """
    from sim.core import shared_past, simulate, simulate_branches

    settings = [r[1] for r in runs]
    params = [r[2] for r in runs]
    results: list[Any] = []
    try:
        if len(runs) > 1 and all(x == settings[0] for x in settings) and shared_past(params):
            results = simulate_branches(params, **{**settings[0], "seed": seed}, timeseries="national")
    except ConfigError:
        results = []  # a scenario's levers are refused: run each alone, so that the others go on
    if not results:
        for (_, setting, param) in runs:
            try:
                results.append(simulate(**{**setting, "seed": seed}, **param, timeseries="national"))
            except ConfigError as err:
                results.append(err)
    out = []
    for (scenario, _, _), result in zip(runs, results):
        if isinstance(result, ConfigError):
            out.append((_row(scenario, world, seed, "failed", str(result)), None))
        else:
            out.append(({**_row(scenario, world, seed, "ok", None), **result.summary}, result.timeseries))
    return out


def _row(scenario: str, world: int | None, seed: int, status: str, error: str | None) -> dict[str, Any]:
    """A run's identifying columns (its name from scenario, world and seed), status and error line."""
    run = f"{scenario}/seed{seed}" if world is None else f"{scenario}/world{world}/seed{seed}"
    return {"run": run, "scenario": scenario, "world": world, "seed": seed, "status": status, "error": error}


def _daily_table(parts: list[tuple[dict, pd.DataFrame]]) -> pd.DataFrame:
    """The runs' national rows in one table, tagged with run, scenario, world and seed. The tags are
    categorical, built here from the runs' lengths: millions of strings would cost more to send
    back from the workers, to match in the figures and to write than the rows themselves."""
    if not parts:
        return pd.DataFrame(columns=DAILY_COLUMNS)
    table = pd.concat([frame for _, frame in parts], ignore_index=True)
    lengths = [len(frame) for _, frame in parts]
    for key in ("run", "scenario"):
        names = list(dict.fromkeys(row[key] for row, _ in parts))
        codes = np.repeat([names.index(row[key]) for row, _ in parts], lengths)
        table[key] = pd.Categorical.from_codes(codes, categories=names)
    table["world"] = pd.array(np.repeat(np.array([row["world"] for row, _ in parts], dtype=object), lengths), dtype="Int64")
    table["seed"] = np.repeat([row["seed"] for row, _ in parts], lengths)
    return table[DAILY_COLUMNS]


def ensemble(
    scenarios: Iterable[str | Arm] = ("no_strike", "mencho_strike"),
    seeds: Iterable[int] = range(1, 11),
    processes: int | None = None,
    progress: bool | Callable[[int, int, int], None] = True,
    worlds: Iterable[int] | None = None,
    pool: Executor | None = None,
    cancel: Callable[[], bool] | None = None,
    **overrides: Any,
) -> EnsembleResult:
    """Run every scenario (a name, or an `Arm`: a scenario with its own values) with every seed, in every plausible world of `worlds` (sim/worlds.py;
    None: the parameter table's defaults only), on `processes` cores (default: all), and join the results.

    `overrides` (run settings or parameters, as for `sim.run`) apply to every run and win over a
    world's values. A run that fails (bad input, or its worker crashed) is kept as a row with
    status "failed" and its error line. The scenarios of one world and seed run in one worker and
    share their past (burn-in and record) where they can.

    For a long-lived caller such as the explorer page: `pool` reuses its process pool (warm, so no
    start-up cost); `progress` may be a function called with (runs done, runs in all, failed);
    when `cancel()` turns true the runs not yet finished are dropped and kept as rows with status
    "cancelled".
    """
    from sim import worlds as plausible
    from sim.api import configure

    arms = [Arm(s, s) if isinstance(s, str) else s for s in scenarios]
    for arm in arms:
        check_scenario(arm.scenario)
    scenarios = [arm.name for arm in arms]
    if len(set(scenarios)) < len(scenarios):
        raise ConfigError(f"two arms share a name in {scenarios}: each needs its own")
    seeds = [int(seed) for seed in seeds]
    chosen = [None] if worlds is None else [plausible.check_world(w) for w in worlds]
    configured, refused = [], {}
    kept = {}  # per arm, the values a world must not replace
    for arm in arms:  # each arm's config once, in this process
        kept[arm.name] = {**overrides, **arm.overrides}
        try:
            settings, params = configure(arm.scenario, seeds[0] if seeds else 1, **kept[arm.name])
            configured.append((arm.name, {k: v for k, v in settings.items() if k != "seed"}, params))
        except ConfigError as err:
            refused[arm.name] = str(err)
    rows = [_row(s, w, seed, "failed", err) for s, err in refused.items() for w in chosen for seed in seeds]
    units = [(w, seed) for w in chosen for seed in seeds]
    dailies: list[tuple[dict, pd.DataFrame]] = []
    report = _reporter(progress, len(scenarios) * len(units))
    if configured and seeds:
        workers = min(processes or os.cpu_count() or 1, len(units)) or 1
        # "spawn" explicitly: Mesa sets it on import anyway, and it behaves the same on every OS.
        own = pool is None
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) if own else pool
        try:
            in_world = {w: _in_world(configured, w, kept) for w in chosen}  # once a world, not once a seed
            futures = {executor.submit(_seed_runs, seed, in_world[w], w): (w, seed) for w, seed in units}
            waiting = set(futures)
            while waiting and not (cancel and cancel()):
                done, waiting = wait(waiting, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    w, seed = futures[future]
                    for row, daily in _unit_rows(future, in_world[w], w, seed):
                        rows.append(row)
                        if daily is not None:
                            dailies.append((row, daily))
                if done:
                    report(rows)
            for future in waiting:
                future.cancel()
                w, seed = futures[future]
                rows += [_row(s, w, seed, "cancelled", "cancelled before it finished") for s, _, _ in in_world[w]]
        finally:
            if own:
                executor.shutdown(wait=not (cancel and cancel()), cancel_futures=True)
    order = {key: i for i, key in enumerate((s, w, seed) for s in scenarios for w, seed in units)}
    runs = pd.DataFrame(sorted(rows, key=lambda r: order[(r["scenario"], r["world"], r["seed"])]))
    runs["world"] = runs["world"].astype("Int64")
    dailies.sort(key=lambda part: order[(part[0]["scenario"], part[0]["world"], part[0]["seed"])])
    return EnsembleResult(runs, _daily_table(dailies))


def _unit_rows(future: Future, runs: list[tuple[str, dict[str, Any], dict[str, Any]]], world: int | None, seed: int) -> list[tuple[dict, pd.DataFrame | None]]:
    """A finished unit's rows; if its worker raised or died, one failed row per scenario with the error line."""
    try:
        return future.result()
    except Exception as err:  # noqa: BLE001 - any crash of one unit must not lose the others
        line = f"{type(err).__name__}: {err}".splitlines()[0]
        return [(_row(s, world, seed, "failed", line), None) for s, _, _ in runs]


def _reporter(progress: bool | Callable[[int, int, int], None], total: int) -> Callable[[list[dict]], None]:
    """What to do after each finished unit: call the caller's function, print a line, or nothing."""
    start = time.time()

    def report(rows: list[dict]) -> None:
        done, failed = len(rows), sum(r["status"] != "ok" for r in rows)
        if callable(progress):
            progress(done, total, failed)
        elif progress:
            left = (time.time() - start) / done * (total - done)
            eta = f", about {left:.0f} s left" if done < total else ""
            print(f"[ensemble] {done} of {total} runs done ({failed} failed){eta}", file=sys.stderr, flush=True)

    return report


def _in_world(configured: list[tuple[str, dict[str, Any], dict[str, Any]]], world: int | None, kept: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """The arms' configs in plausible world `world`: as `configure(..., world=world)` gives them,
    without composing the config again for every world; `kept[arm]` are the values set for that arm."""
    from sim import worlds as plausible

    return [(s, settings, plausible.apply(params, world, keep=kept[s])) for s, settings, params in configured]
