"""One warm executor for the explorer, shared by every run the page starts: `sim.ensemble`'s local
process pool (sim/analysis/chunks.py), kept open between runs and passed as its `executor`. Its
workers end when the page's server does, however it ends (`kill PID` included).

Starting worker processes costs seconds (each imports the model and loads its compiled processes),
and so does the first composition of the config in the page's own process. Both are paid once,
while the analyst sets the levers, instead of at the first press of Run.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from sim.analysis.chunks import local_pool

PASTS_KEPT = 64  # pasts the server keeps for later Runs (about 32 MB each: a past from 2014 to the strike)
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_warming: list[Future] = []
_pasts: Path | None = None


def pool() -> ProcessPoolExecutor:
    """The pool, started (and warmed) on first use, and again if a worker died and broke it."""
    global _pool
    with _lock:
        if _pool is None or not _usable(_pool):
            workers = os.cpu_count() or 1
            _pool = local_pool(workers)
            _warming[:] = [_pool.submit(_warm) for _ in range(workers)]
            here: Future = Future()
            threading.Thread(target=_warm_here, args=(here,), daemon=True).start()
            _warming.append(here)
        return _pool


def pasts() -> Path:
    """The server's folder of pasts (`sim.ensemble(pasts=...)`): a Run with other levers on the same
    seeds and worlds reads each past an earlier Run saved instead of simulating it from 2014 again."""
    global _pasts
    with _lock:
        if _pasts is None:
            _pasts = Path(tempfile.mkdtemp(prefix="cartel-explorer-pasts-"))
        return _pasts


def prune(keep: int = PASTS_KEPT) -> None:
    """Keep the `keep` newest pasts: the folder stays within a few GB however many Runs the page makes."""
    saved = sorted(pasts().glob("*.pkl"), key=lambda path: path.stat().st_mtime)
    for path in saved[: max(len(saved) - keep, 0)]:
        path.unlink(missing_ok=True)


def _usable(executor: ProcessPoolExecutor) -> bool:
    """Whether the pool takes work: a pool whose worker died refuses it with BrokenProcessPool."""
    try:
        executor.submit(int).cancel()
    except BrokenProcessPool:
        return False
    return True


def ready() -> bool:
    """True once every worker and this process have warmed up."""
    return bool(_warming) and all(f.done() for f in _warming)


def _warm() -> None:
    """In a worker: import the model and run two days after the record, so its compiled day is loaded."""
    from sim.runs.simulate import simulate

    simulate(seed=1, burn_in_days=1, horizon_days=2, timeseries="national")


def _warm_here(done: Future) -> None:
    """In the page's process: compose the config once (Hydra's first composition is the slow one)."""
    from sim.explorer.choices import Choice, scenario_values

    try:
        scenario_values(Choice().scenario)
    finally:
        done.set_result(None)


@atexit.register
def _stop() -> None:
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
    if _pasts is not None:
        shutil.rmtree(_pasts, ignore_errors=True)
