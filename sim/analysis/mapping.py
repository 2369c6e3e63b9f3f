"""`each`: any module-level function mapped over items on the ensemble's executor and chunks.

For work that is not one model run a row: the peer model, several runs compared inside one seed
(the validation's paired runs), a calibration's candidates, a known-answer test problem. It shares
`sim.ensemble`'s machinery (sim/analysis/chunks.py: the executor, progress bar and resumable
folder; sim/analysis/runner.py: what a worker does with a chunk), so it runs locally, on a Dask
cluster or under MPI alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from sim.analysis import chunks as chunking
from sim.analysis import runner


def each(
    fn: Callable[[Any], Any],
    items: Sequence[Any],
    executor: Executor | None = None,
    processes: int | None = None,
    progress: bool | Callable[[int, int, int], None] = False,
    chunk_size: int | None = None,
    memory_gb: float | None = None,
    errors: str = "raise",
    folder: str | Path | None = None,
) -> list[Any]:
    """`fn(item)` for every item, in order, on the ensemble's executor and chunks: for work that is
    not one model run per row (a peer model, several runs compared inside one seed, a known-answer
    test problem). `fn` is a module-level function. `errors="raise"` raises the first item's
    error; "keep" gives `{"error": line}` for a failed item. With `folder`, `fn` returns a dict of
    numbers (a row): the rows are kept in chunks there and a re-run reads them (as `ensemble`)."""
    items = list(items)
    per_chunk = chunk_size or (
        chunking.FOLDER_CHUNK if folder else chunking.runs_per_chunk(len(items), processes, executor)
    )
    plan = chunking.split([1] * len(items), per_chunk)
    store = None
    if folder is not None:
        store = chunking.Folder(
            folder,
            {"fn": f"{fn.__module__}:{fn.__qualname__}", "items": chunking.digest(items), "chunk_runs": per_chunk},
        )
    out: list[Any] = [None] * len(items)
    todo = {}
    for i, members in enumerate(plan):
        if store is not None and store.has(i):
            for j, row in zip(members, store.read(i)[0]):
                out[j] = {k: v for k, v in row.items() if k != "error" or isinstance(v, str)}
        else:
            todo[i] = (fn, [items[j] for j in members])
    bar = chunking.Progress(progress, len(items), done=len(items) - sum(len(plan[i]) for i in todo))

    def done(i: int, results: Any) -> None:
        if isinstance(results, BaseException):
            results = [("failed", runner.error_line(results), results)] * len(plan[i])
        for j, (status, line, value) in zip(plan[i], results):
            if status != "ok" and errors == "raise":
                raise value if isinstance(value, BaseException) else RuntimeError(line)
            out[j] = value if status == "ok" else {"error": line}
        if store is not None:
            store.write(i, [out[j] for j in plan[i]])
        bar.update(len(plan[i]), sum(status != "ok" for status, _, _ in results))

    try:
        chunking.execute(runner.map_chunk, todo, done, executor, processes, memory_gb)
    finally:
        bar.close()
    return out
