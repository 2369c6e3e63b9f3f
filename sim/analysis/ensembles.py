"""`sim.ensemble`: how Python code runs many runs, as one table of runs and one daily table.

Scenarios x plausible worlds x design points x seeds, in parallel on any
`concurrent.futures.Executor`. The same worlds, points and seeds serve every scenario (common
random numbers), so differences paired by world and seed are effects, and their spread over worlds
is what we do not know about the parameters. The briefing, the sensitivity analysis, the
calibration, the explorer and the benchmark all run through it; the command line's sweep is Hydra
multirun (`python -m sim -m ...`), which branches from shared pasts the same way (sim/runs/pasts.py).

    from sim import ensemble
    result = ensemble(["no_strike", "mencho_strike"], seeds=range(1, 21), horizon_days=365)
    result.runs.groupby("scenario").homicides_d0_365.median()
    over_worlds = ensemble(["mencho_strike", "kingpin_campaign"], worlds=range(20), seeds=[1, 2])
    design = ensemble(["mencho_strike"], points=[{"troop_pool": 1e5}, {"troop_pool": 2e5}], seeds=[1, 2],
                      measure=my_measure, folder="design/")  # resumable; my_measure(model) -> dict of numbers

Beyond one machine: any executor whose `submit` ships module-level functions, e.g. a Dask cluster
(`executor=distributed.Client(address).get_executor()`) or MPI (`mpi4py.futures.MPIPoolExecutor()`,
started with `mpiexec -n N python -m mpi4py.futures script.py`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis import chunks as chunking
from sim.analysis import runner
from sim.analysis.collect import DAILY_COLUMNS
from sim.errors import ConfigError
from sim.runs.config import check_scenario


@dataclass(frozen=True)
class Arm:
    """A scenario with values of its own, under a name of its own: `Arm("campaign+", "kingpin_campaign",
    {"recruitment_reduction": 0.3})` runs beside plain scenarios, paired with them by world and seed."""

    name: str
    scenario: str
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass
class EnsembleResult:
    """`runs`: one row per run (run, scenario, world, [point,] seed, status, error, then the summary or
    the measure's values); `daily`: national daily rows (empty unless asked)."""

    runs: pd.DataFrame
    daily: pd.DataFrame

    @property
    def failed(self) -> pd.DataFrame:
        return self.runs[self.runs["status"] != "ok"]

    def per_point(self) -> list[list[dict[str, Any]]]:
        """The runs' rows as dicts, one list per design point in the points' order (one list in all
        without points), each in the table's order (scenario, world, seed); RuntimeError if a run failed."""
        if len(self.failed):
            first = self.failed.iloc[0]
            raise RuntimeError(
                f"{len(self.failed)} of {len(self.runs)} runs failed, e.g. {first['run']}: {first['error']}"
            )
        if "point" not in self.runs:
            return [self.runs.to_dict("records")]
        return [group.to_dict("records") for _, group in self.runs.groupby("point", sort=True)]


@dataclass(frozen=True)
class _Key:
    """Which run: scenario (arm), world, design point and seed."""

    scenario: str
    world: int | None
    point: int | None
    seed: int

    def row(self, status: str, error: str | None, with_point: bool) -> dict[str, Any]:
        """The run's identifying columns (its name from scenario, world, point and seed), status and error line."""
        parts = [
            self.scenario,
            *([f"world{self.world}"] if self.world is not None else []),
            *([f"point{self.point}"] if self.point is not None else []),
            f"seed{self.seed}",
        ]
        point = {"point": self.point} if with_point else {}
        return {
            "run": "/".join(parts),
            "scenario": self.scenario,
            "world": self.world,
            **point,
            "seed": self.seed,
            "status": status,
            "error": error,
        }


def _daily_table(parts: list[tuple[dict, pd.DataFrame]], with_point: bool = False) -> pd.DataFrame:
    """The runs' national rows in one table, tagged with run, scenario, world and seed. The tags are
    categorical, built here from the runs' lengths: millions of strings would cost more to send
    back from the workers, to match in the figures and to write than the rows themselves."""
    columns = [*DAILY_COLUMNS[:3], "point", *DAILY_COLUMNS[3:]] if with_point else DAILY_COLUMNS
    if not parts:
        return pd.DataFrame(columns=columns)
    table = pd.concat([frame for _, frame in parts], ignore_index=True)
    lengths = [len(frame) for _, frame in parts]
    for key in ("run", "scenario"):
        names = list(dict.fromkeys(row[key] for row, _ in parts))
        codes = np.repeat([names.index(row[key]) for row, _ in parts], lengths)
        table[key] = pd.Categorical.from_codes(codes, categories=names)
    table["world"] = pd.array(
        np.repeat(np.array([row["world"] for row, _ in parts], dtype=object), lengths), dtype="Int64"
    )
    if with_point:
        table["point"] = pd.array(
            np.repeat(np.array([row["point"] for row, _ in parts], dtype=object), lengths), dtype="Int64"
        )
    table["seed"] = np.repeat([row["seed"] for row, _ in parts], lengths)
    return table[columns]


def ensemble(
    scenarios: Iterable[str | Arm] = ("no_strike", "mencho_strike"),
    seeds: Iterable[int] = range(1, 11),
    processes: int | None = None,
    progress: bool | Callable[[int, int, int], None] = True,
    worlds: Iterable[int] | None = None,
    pool: Executor | None = None,
    cancel: Callable[[], bool] | None = None,
    *,
    points: Sequence[dict[str, Any]] | None = None,
    measure: Callable[[Any], dict[str, Any]] | None = None,
    daily: bool | None = None,
    folder: str | Path | None = None,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    memory_gb: float | None = None,
    pasts: str | Path | None = None,
    **overrides: Any,
) -> EnsembleResult:
    """Run every scenario (a name, or an `Arm`: a scenario with its own values) with every seed, in
    every plausible world of `worlds` (of the record's worlds, sim/runs/plausible.py; None: the record's
    defaults only: the parameter table's, or the long record's fit) and
    at every design point of `points` (None: none), and join the results.

    - `overrides` (run settings or parameters, as for `sim.run`) apply to every run and win over a
      world's values. A design point is a dict of parameter values (and burn_in_days,
      horizon_days, record, origin) that win over both; a point with a "seed" runs on that seed only (a
      (point, seed) pair), the others on every seed. The record's fit and worlds follow the `record`
      keyword (or an arm's): a point's own "record" brings only its events, the parameters it does
      not set keep the table's defaults (the backtest's and the long fit's points set theirs).
    - `measure(model)`, a module-level function, is called in the worker on each finished model
      and its dict of numbers is the run's row instead of the whole summary
      (`sim.runs.summary.summarise(model)` is the summary). `daily` (default: without a measure) sends
      each run's national daily rows back; leave it off where only numbers are wanted.
    - `executor`: any `concurrent.futures.Executor` (`pool` is its old, deprecated name); by
      default a local process pool on `processes` cores (all), each worker capped at `memory_gb`
      of address space if given. Work goes out in chunks of whole units (one world, point and
      seed: its scenarios share their past, simulated once and branched at day 0), about
      `chunk_size` runs each.
    - `pasts`: a folder where every past is saved as it is simulated and read from by any later run, in
      any worker or call, that shares it (same settings, world and seed; other levers): the explorer's
      next Run, like a Hydra sweep's `.pasts/` (sim/runs/pasts.py). The numbers are the same.
    - `folder`: each chunk is written there as it finishes; a call into the same folder reads the
      finished chunks and runs the rest, and one with other settings is refused (ConfigError).
    - A run that fails (bad input, an error, its worker died) is kept as a row with status
      "failed" and its error line. `progress`: a bar on stderr, False, or a function called with
      (runs done, runs in all, failed); when `cancel()` turns true the runs not yet finished are
      dropped and kept as rows with status "cancelled".
    """
    from sim import __version__
    from sim.runs import plausible
    from sim.runs.api import configure

    if pool is not None:
        warnings.warn("sim.ensemble(pool=...) is now executor=...", DeprecationWarning, stacklevel=2)
        executor = executor or pool
    arms = [Arm(s, s) if isinstance(s, str) else s for s in scenarios]
    for arm in arms:
        check_scenario(arm.scenario)
    names = [arm.name for arm in arms]
    if len(set(names)) < len(names):
        raise ConfigError(f"two arms share a name in {names}: each needs its own")
    seeds = [int(seed) for seed in seeds]
    chosen = [None] if worlds is None else [plausible.check_form(w) for w in worlds]  # of each arm's record: below
    designs = _points(points)
    daily = measure is None if daily is None else daily
    with_point = points is not None
    configured, refused, kept = [], {}, {}  # kept: per arm, the values a world must not replace
    for arm in arms:  # each arm's config once, in this process
        kept[arm.name] = {**overrides, **arm.overrides}
        try:
            settings, params = configure(arm.scenario, seeds[0] if seeds else 1, **kept[arm.name])
            for w in chosen:
                plausible.check_world(w, plausible.kind(settings["record"]))
            configured.append((arm.name, {k: v for k, v in settings.items() if k != "seed"}, params))
        except ConfigError as err:
            refused[arm.name] = str(err)
    units = [
        (w, p, seed)
        for w in chosen
        for p, values in designs
        for seed in ([values["seed"]] if "seed" in values else seeds)
    ]
    keys = [_Key(s, w, p, seed) for s in names for w, p, seed in units]
    rows = {
        _Key(s, w, p, seed): _Key(s, w, p, seed).row("failed", err, with_point)
        for s, err in refused.items()
        for w, p, seed in units
    }
    parts: dict[_Key, pd.DataFrame] = {}
    in_world = {w: _in_world(configured, w, kept) for w in chosen}  # once a world, not once a seed
    work = (
        [
            [
                (_Key(s, w, p, seed), {**settings, **_settings(values)}, {**params, **_values(values)})
                for s, settings, params in in_world[w]
            ]
            for w, p, seed in units
            for values in [designs[p][1] if p is not None else {}]
        ]
        if configured
        else []
    )
    total = sum(map(len, work))
    per_chunk = chunk_size or (chunking.FOLDER_CHUNK if folder else chunking.runs_per_chunk(total, processes, executor))
    plan = chunking.split([len(u) for u in work], per_chunk)
    store = None
    if folder is not None:
        store = chunking.Folder(
            folder,
            {
                "version": __version__,
                "scenarios": [[a.name, a.scenario, a.overrides] for a in arms],
                "seeds": seeds,
                "worlds": chosen,
                "points": chunking.digest(points),
                "overrides": overrides,
                "daily": daily,
                "chunk_runs": per_chunk,
                "measure": None
                if measure is None
                else f"{measure.__module__}:{getattr(measure, '__qualname__', repr(measure))}",
            },
        )

    def keep(i: int, chunk_rows: list[dict[str, Any]], tables: list[pd.DataFrame | None]) -> int:
        for key, row, table in zip(_runs(i), chunk_rows, tables):
            rows[key] = row
            if table is not None:
                parts[key] = table
        return sum(r["status"] != "ok" for r in chunk_rows)

    def _runs(i: int) -> list[_Key]:
        return [run[0] for u in plan[i] for run in work[u]]

    todo = {}
    for i, members in enumerate(plan):
        if store is not None and store.has(i):
            keep(i, *store.read(i))
        else:
            todo[i] = (
                [
                    (seed, [(settings, params) for _, settings, params in work[u]])
                    for u in members
                    for seed in [work[u][0][0].seed]
                ],
                measure,
                daily,
                None if pasts is None else Path(pasts),
            )
    bar = chunking.Progress(progress, len(keys), done=len(rows), failed=sum(r["status"] != "ok" for r in rows.values()))

    def done(i: int, outcomes: Any) -> None:
        runs = _runs(i)
        if isinstance(
            outcomes, BaseException
        ):  # the chunk was lost (its worker died): not kept in the folder, so a re-run tries it again
            line = runner.error_line(outcomes)
            for key in runs:
                rows[key] = key.row("failed", line, with_point)
            bar.update(len(runs), len(runs))
            return
        chunk_rows = [
            {**key.row(status, error, with_point), **values} for key, (status, error, values, _) in zip(runs, outcomes)
        ]
        tables = [table for *_, table in outcomes]
        if store is not None:
            store.write(i, chunk_rows, tables)
            chunk_rows, tables = store.read(i)  # as a resumed call reads them: the same table either way
        bar.update(len(runs), keep(i, chunk_rows, tables))

    try:
        left = chunking.execute(runner.run_chunk, todo, done, executor, processes, memory_gb, cancel)
    finally:
        bar.close()
    for i in left:
        for u in plan[i]:
            for key, _, _ in work[u]:
                rows[key] = key.row("cancelled", "cancelled before it finished", with_point)
    runs = pd.DataFrame([rows[k] for k in keys])
    runs["world"] = runs["world"].astype("Int64")
    if with_point:
        runs["point"] = runs["point"].astype("Int64")
    dailies = [(rows[k], parts[k]) for k in keys if k in parts]
    return EnsembleResult(runs, _daily_table(dailies, with_point))


def summaries(
    points: Sequence[dict[str, Any]], seeds: Sequence[int], processes: int | None = None, **options: Any
) -> list[list[dict[str, Any]]]:
    """Each design point's summaries on every seed, in order (the parameter table's defaults, and
    the point's values and run settings): `ensemble(["no_strike"], points=..., daily=False)`, for
    the calibration scripts and the tests. RuntimeError if a run failed."""
    options.setdefault("progress", False)
    return ensemble(["no_strike"], seeds=seeds, processes=processes, points=points, daily=False, **options).per_point()


def summary_of(model: Any, keys: Sequence[str]) -> dict[str, Any]:
    """A measure: the summary's values of `keys` only, e.g. `measure=functools.partial(summary_of,
    keys=["homicides_d0_365"])`, so that a long design ships a few numbers per run, not the whole summary."""
    from sim.runs.summary import summarise

    summary = summarise(model)
    return {key: summary[key] for key in keys}


def _points(points: Sequence[dict[str, Any]] | None) -> list[tuple[int | None, dict[str, Any]]]:
    """The design points, numbered (or one unnamed point: none), their parameter names checked."""
    if points is None:
        return [(None, {})]
    from sim.parameters import table

    names = table()
    for i, point in enumerate(points):
        unknown = [k for k in point if k != "seed" and k not in SETTINGS and k not in names]
        if unknown:
            raise ConfigError(f"design point {i} sets {', '.join(unknown)}, which the parameter table does not have")
    return [(i, dict(point)) for i, point in enumerate(points)]


# what a design point may set besides parameters and its seed
SETTINGS = ("burn_in_days", "horizon_days", "record", "origin")


def _values(point: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in point.items() if k != "seed" and k not in SETTINGS}


def _settings(point: dict[str, Any]) -> dict[str, Any]:
    from sim.runs.config import check_setting

    return {k: check_setting(k, v) for k, v in point.items() if k in SETTINGS}


def _in_world(
    configured: list[tuple[str, dict[str, Any], dict[str, Any]]], world: int | None, kept: dict[str, dict[str, Any]]
) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """The arms' configs in plausible world `world`: as `configure(..., world=world)` gives them,
    without composing the config again for every world; `kept[arm]` are the values set for that arm."""
    from sim.runs import plausible

    return [
        (s, settings, plausible.apply(params, world, kept[s], settings["record"])) for s, settings, params in configured
    ]
