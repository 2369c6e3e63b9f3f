"""How `sim.ensemble` (and `each`) sizes its chunks, spreads them over an executor, reports progress and keeps them
in a folder.

The executor is any `concurrent.futures.Executor`: by default a local process pool ("spawn", all
cores) that lives for one call; a caller's own (a warm pool, Dask's `client.get_executor()`,
mpi4py's `MPIPoolExecutor`) is used and left open. A chunk whose future raises (its worker died)
comes back as that error, so the caller keeps every other chunk.

In a folder, each chunk's rows are written as it finishes (`chunk_00000.parquet`, and
`chunk_00000.daily.parquet` for daily rows) next to `ensemble.json`, the settings that define the
design; a call into the same folder reads the chunks there and runs the rest, and a call with other
settings is refused with a ConfigError naming the difference.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.guard import check_main_guard
from sim.errors import ConfigError
from sim.runs.files import write_parquet, write_text

SETTINGS = "ensemble.json"
FOLDER_CHUNK = 32  # runs per chunk in a folder (fixed, so that the same design resumes on any machine)
# runs per chunk at most without a folder: enough to amortise a task's cost, few enough for a live progress bar
MAX_CHUNK = 32


def local_pool(workers: int, memory_gb: float | None = None) -> ProcessPoolExecutor:
    """The default executor: `workers` processes, started with "spawn" (Mesa sets it on import
    anyway, and it behaves the same on every OS); each may use `memory_gb` of address space and
    ends with the process that started it."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=start_worker,
        initargs=(memory_gb, os.getpid()),
    )


def start_worker(memory_gb: float | None, parent: int) -> None:
    """In a worker: its memory cap, and its end with `parent`."""
    limit_memory(memory_gb)
    end_with(parent)


def limit_memory(memory_gb: float | None) -> None:
    """A worker's address-space cap: a run whose world grows without bound then fails with a
    MemoryError, kept as its error line, instead of the system killing the whole ensemble."""
    if memory_gb and os.name == "posix":
        import resource

        limit = int(memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def end_with(parent: int) -> None:
    """In a worker: exit as soon as the process that started it is gone. A parent killed by a
    signal (the explorer's server: uvicorn re-raises SIGTERM after its own shutdown, so no exit
    handler runs) cannot stop its workers, and they would run on, orphaned, with
    multiprocessing's resource tracker."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="end-with-parent").start()


def dask(address: str) -> Executor:
    """The executor of the Dask cluster at `address` (e.g. "tcp://10.0.0.5:8786", or a scheduler
    file's path): `distributed` must be installed (the dev extra)."""
    from distributed import Client

    client = Client(scheduler_file=address) if address.endswith(".json") else Client(address)
    return client.get_executor()


def execute(
    fn: Callable[..., Any],
    chunks: dict[int, tuple],
    done: Callable[[int, Any], None],
    executor: Executor | None = None,
    processes: int | None = None,
    memory_gb: float | None = None,
    cancel: Callable[[], bool] | None = None,
) -> list[int]:
    """`fn(*args)` for every chunk `{index: args}` on the executor; `done(index, result)` as each
    finishes (the result is the exception if the chunk raised). Returns the chunks not run
    because `cancel()` turned true."""
    if not chunks:
        return []
    if executor is None and processes == 1 and not memory_gb:  # nothing to spread or to cap: no pool to start
        for n, (i, args) in enumerate(chunks.items()):
            if cancel and cancel():
                return list(chunks)[n:]
            try:
                value = fn(*args)
            except Exception as err:  # noqa: BLE001
                value = err
            done(i, value)
        return []
    own = executor is None
    if own:
        check_main_guard()
        executor = local_pool(min(processes or os.cpu_count() or 1, len(chunks)), memory_gb)
    assert executor is not None
    try:
        futures: dict[Future, int] = {executor.submit(fn, *args): i for i, args in chunks.items()}
        waiting = set(futures)
        while waiting and not (cancel and cancel()):
            finished, waiting = wait(waiting, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=futures.__getitem__):
                try:
                    value = future.result()
                except Exception as err:  # noqa: BLE001 - a lost chunk must not lose the others
                    value = err
                done(futures[future], value)
        for future in waiting:
            future.cancel()
        return sorted(futures[f] for f in waiting)
    finally:
        if own:
            executor.shutdown(wait=not (cancel and cancel()), cancel_futures=True)


class Progress:
    """After each chunk: the caller's function of (runs done, runs in all, failed), a bar on
    stderr (tqdm), or nothing."""

    def __init__(self, progress: bool | Callable[[int, int, int], None], total: int, done: int = 0, failed: int = 0):
        self.progress, self.total, self.done, self.failed = progress, total, done, failed
        self.bar = None
        if progress is True:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total,
                initial=done,
                unit="run",
                desc="[ensemble]",
                file=sys.stderr,
                dynamic_ncols=True,
                smoothing=0.05,
            )

    def update(self, runs: int, failed: int) -> None:
        self.done += runs
        self.failed += failed
        if callable(self.progress):
            self.progress(self.done, self.total, self.failed)
        elif self.bar is not None:
            self.bar.update(runs)
            if failed:
                self.bar.set_postfix(failed=self.failed)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Folder:
    """An ensemble's folder: its settings and its finished chunks."""

    def __init__(self, path: Path | str, settings: dict[str, Any]):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        here = self.path / SETTINGS
        settings = json.loads(json.dumps(settings, default=str))  # as it reads back
        if here.exists():
            saved = json.loads(here.read_text(encoding="utf-8"))
            for key in dict.fromkeys([*saved, *settings]):
                if saved.get(key) != settings.get(key):
                    raise ConfigError(
                        f"{self.path} holds another ensemble: its {key} is {_short(saved.get(key))}, this call's "
                        f"{_short(settings.get(key))} (use another folder, or delete this one to start again)"
                    )
        else:
            write_text(here, json.dumps(settings, indent=1))

    def chunk(self, i: int, daily: bool = False) -> Path:
        return self.path / f"chunk_{i:05d}{'.daily' if daily else ''}.parquet"

    def has(self, i: int) -> bool:
        return self.chunk(i).exists()

    def write(self, i: int, rows: list[dict[str, Any]], tables: Sequence[pd.DataFrame | None] = ()) -> None:
        """A chunk's rows (and each run's daily rows, if any), each file whole or not at all; the
        rows last, since they mark the chunk done."""
        daily = [t.assign(row=n) for n, t in enumerate(tables) if t is not None]
        if daily:
            write_parquet(pd.concat(daily, ignore_index=True), self.chunk(i, daily=True))
        write_parquet(pd.DataFrame(rows), self.chunk(i))

    def read(self, i: int) -> tuple[list[dict[str, Any]], list[pd.DataFrame | None]]:
        """A finished chunk's rows and, per row, its daily rows (None if it has none)."""
        rows = pd.read_parquet(self.chunk(i)).to_dict("records")
        tables: list[pd.DataFrame | None] = [None] * len(rows)
        path = self.chunk(i, daily=True)
        if path.exists():
            for n, frame in pd.read_parquet(path).groupby("row", sort=False):
                tables[int(n)] = frame.drop(columns=["row"]).reset_index(drop=True)
        return rows, tables


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def split(sizes: Sequence[int], per_chunk: int) -> list[list[int]]:
    """Consecutive units (of `sizes` runs each) in chunks of about `per_chunk` runs, never
    splitting a unit."""
    chunks: list[list[int]] = []
    runs = 0
    for i, size in enumerate(sizes):
        if not chunks or runs + size > per_chunk:
            chunks.append([])
            runs = 0
        chunks[-1].append(i)
        runs += size
    return chunks


def runs_per_chunk(total: int, processes: int | None, executor: Executor | None) -> int:
    """Runs per chunk without a folder: about eight chunks a worker, at most MAX_CHUNK runs."""
    workers = getattr(executor, "_max_workers", None) or processes or os.cpu_count() or 1
    return max(1, min(MAX_CHUNK, -(-total // (8 * workers))))


def digest(points: Sequence[dict[str, Any]] | None) -> dict[str, Any] | None:
    """What a folder keeps of the design points (or of `each`'s items): how many, and a hash of them."""
    if points is None:
        return None
    text = json.dumps([dict(p) for p in points], sort_keys=True, default=str)
    return {"count": len(points), "sha256": hashlib.sha256(text.encode()).hexdigest()[:16]}


TIMING = "timing.json"


def runs_in(folder: Path) -> int:
    """How many runs the finished chunks under `folder` (at any depth) hold, from their files' metadata."""
    import pyarrow.parquet as pq

    return sum(
        pq.read_metadata(path).num_rows
        for path in Path(folder).rglob("chunk_*.parquet")
        if not path.name.endswith(".daily.parquet")
    )


class Stopwatch:
    """Times one invocation of a script whose runs go in chunks under `folder`: on leaving the `with`
    block, the wall time and the runs this invocation added to the folder are appended to its
    `timing.json`, so that a page re-rendered from the folder can still say how fast its runs ran
    (`measured`), without a rate written in code."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.seconds = 0.0
        self.runs = 0

    def __enter__(self) -> Stopwatch:
        import time

        self.folder.mkdir(parents=True, exist_ok=True)
        self._before, self._started = runs_in(self.folder), time.time()
        return self

    def lap(self) -> tuple[float, int]:
        """Seconds since the start and runs added to the folder since."""
        import time

        return time.time() - self._started, runs_in(self.folder) - self._before

    def __exit__(self, *exc: Any) -> None:
        self.seconds, self.runs = self.lap()
        path = self.folder / TIMING
        log = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        log.append({"seconds": round(self.seconds, 1), "runs": self.runs, "cores": os.cpu_count()})
        write_text(path, json.dumps(log, indent=1))

    @staticmethod
    def measured(folder: Path | str, extra: tuple[float, int] = (0.0, 0)) -> tuple[float, int]:
        """Seconds and runs over the invocations saved in the folder's timing.json that ran any runs, plus
        `extra` (this invocation's lap, before it is saved)."""
        path = Path(folder) / TIMING
        log = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        ran = [entry for entry in log if entry["runs"] > 0]
        seconds = sum(e["seconds"] for e in ran) + (extra[0] if extra[1] > 0 else 0.0)
        return seconds, sum(e["runs"] for e in ran) + extra[1]
