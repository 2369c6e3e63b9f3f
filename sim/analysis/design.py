"""Run a design (many parameter points) in resumable chunks, on a local pool or Hydra's launchers.

The sensitivity analysis and the calibration ensemble (ABC-SMC) both evaluate hundreds of points that
each take seconds. Each chunk is written to the design's folder as it finishes, so an interrupted run
resumes where it stopped, a failing point fails alone (its error is kept), and the chunks can run
as a Hydra multirun (`sim.analysis.design_job`: joblib here, submitit on a cluster).

Also the uncertain parameters as factors with their ranges, which both designs sample.
"""

from __future__ import annotations

import importlib
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

INTEGER_DOMAINS = ("int_nonneg", "int_positive")
PLAN = "plan.json"


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


def point_params(chosen: Sequence[Factor], row: Sequence[float]) -> dict[str, Any]:
    """One design row as model parameters (whole numbers rounded)."""
    return {f.name: (int(round(x)) if f.integer else float(x)) for f, x in zip(chosen, row)}


def _name(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__}:{fn.__qualname__}"


def _function(name: str) -> Callable[..., dict[str, float]]:
    module, qualname = name.split(":")
    return getattr(importlib.import_module(module), qualname)


def _chunk(points: list[dict[str, Any]], fn: Callable[..., dict[str, float]], settings: dict[str, Any], outputs: Sequence[str]) -> list[dict[str, Any]]:
    rows = []
    for point in points:
        try:
            rows.append({**fn(point, **settings), "error": ""})
        except (Exception, MemoryError) as exc:  # keep the chunk: one failing point is reported, not fatal
            rows.append({**{k: np.nan for k in outputs}, "error": f"{type(exc).__name__}: {exc}"})
    return rows


def _limit_memory(memory_gb: float | None) -> None:
    """A worker's address-space cap: a design point whose world grows without bound then fails
    with a MemoryError, recorded as its error, instead of the system killing the whole run."""
    if memory_gb and os.name == "posix":
        import resource

        limit = int(memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def chunk_path(folder: Path, i: int) -> Path:
    return folder / f"chunk_{i:04d}.csv"


def run_chunk(folder: Path, i: int, memory_gb: float | None = None) -> None:
    """Run chunk `i` of the plan in `folder` (a Hydra job, sim/analysis/design_job.py) and write
    its file, unless it is there already."""
    plan = json.loads((folder / PLAN).read_text(encoding="utf-8"))
    if chunk_path(folder, i).exists():
        return
    _limit_memory(memory_gb)
    k = plan["chunk_size"]
    rows = _chunk(plan["points"][i * k : (i + 1) * k], _function(plan["fn"]), plan["settings"], plan["outputs"])
    pd.DataFrame(rows).to_csv(chunk_path(folder, i), index=False)


def _launch_hydra(folder: Path, todo: list[int], hydra_args: Sequence[str]) -> None:
    """The chunks as a Hydra multirun (conf/design_job.yaml) on its configured launcher."""
    cmd = [sys.executable, "-m", "sim.analysis.design_job", "-m", f"folder={folder.resolve()}", "chunk=" + ",".join(map(str, todo)), *hydra_args]
    subprocess.run(cmd, check=False)


def run_design(
    points: Sequence[dict[str, Any]],
    folder: Path,
    fn: Callable[..., dict[str, float]],
    outputs: Sequence[str],
    settings: dict[str, Any] | None = None,
    chunk_size: int = 16,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    memory_gb: float | None = 8.0,
    launcher: str = "local",
    hydra_args: Sequence[str] = (),
) -> pd.DataFrame:
    """`fn(point, **settings)` for every point, in chunks of `chunk_size`, each saved to `folder`
    as it finishes (chunk_0000.csv, ...); chunks already there are read, not run again.

    `fn` must be a module-level function returning a dict with the keys `outputs` (a failing point
    gets NaN there and its error). Each worker may use `memory_gb` (None: no cap; with one worker
    and no cap the chunks run in this process). `launcher`
    "hydra" runs the chunks as a Hydra multirun (`hydra_args` choose e.g. its launcher), "local"
    on a process pool. Returns the outputs in design order with an `error` column (empty where the
    point ran; a chunk whose job wrote nothing gives its points that job's failure)."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = dict(settings or {})
    chunks = [list(points[i : i + chunk_size]) for i in range(0, len(points), chunk_size)]
    path = lambda i: chunk_path(folder, i)  # noqa: E731
    todo = [i for i in range(len(chunks)) if not path(i).exists()]
    if todo and launcher == "hydra":
        plan = {"points": list(points), "fn": _name(fn), "settings": settings, "outputs": list(outputs), "chunk_size": chunk_size}
        (folder / PLAN).write_text(json.dumps(plan), encoding="utf-8")
        _launch_hydra(folder, todo, hydra_args)
    elif todo and workers == 1 and memory_gb is None:  # nothing to spread or to cap: no pool to start
        for done, i in enumerate(todo, 1):
            pd.DataFrame(_chunk(chunks[i], fn, settings, list(outputs))).to_csv(path(i), index=False)
            if progress:
                progress(done, len(todo))
    elif todo:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1, mp_context=ctx, initializer=_limit_memory, initargs=(memory_gb,)) as pool:
            futures = {pool.submit(_chunk, chunks[i], fn, settings, list(outputs)): i for i in todo}
            for done, future in enumerate(as_completed(futures), 1):
                i = futures[future]
                pd.DataFrame(future.result()).to_csv(path(i), index=False)
                if progress:
                    progress(done, len(todo))
    lost = {"error": "its chunk's job wrote nothing (see the launcher's log in the folder's hydra/)"}
    frame = pd.concat(
        [pd.read_csv(path(i), dtype={"error": str}) if path(i).exists() else pd.DataFrame([{**{k: np.nan for k in outputs}, **lost}] * len(chunks[i])) for i in range(len(chunks))],
        ignore_index=True,
    )
    frame["error"] = frame["error"].fillna("")
    return frame
