"""The joblib launcher's worker pool, used before and after a sweep's jobs.

Hydra's joblib launcher runs the jobs on joblib's reusable loky pool, and a `joblib.Parallel`
with the same settings gets the same workers. The sweep callback uses that to start them and
import the model while the parent still composes every job's config (Hydra checks them all
before launching), to write the tables and draw the figures on them once the jobs are done (in
parallel, with everything imported), and to stop them at once, since the process is about to
exit. On a sweep of short runs these fixed costs are what keeps two workers from being twice
as fast as one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from omegaconf import DictConfig

JOBLIB_LAUNCHER = "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher"


def warm_up(figures: bool) -> None:
    """Import what a job imports, so that a worker's first job does not wait for it."""
    import pyarrow.parquet  # noqa: F401

    import sim.core  # noqa: F401
    import sim.summary  # noqa: F401

    if figures:
        import sim.plotting  # noqa: F401  (matplotlib)


class LauncherPool:
    """The workers of a joblib launcher with more than one worker."""

    def __init__(self, launcher: DictConfig) -> None:
        from joblib import effective_n_jobs

        self.n_jobs = int(launcher.n_jobs)
        self.workers = effective_n_jobs(self.n_jobs)
        # The launcher's own settings, so that joblib reuses its executor instead of a new one.
        self.settings = {k: launcher.get(k) for k in ("max_nbytes", "mmap_mode", "temp_folder")}

    @classmethod
    def of(cls, launcher: DictConfig) -> LauncherPool | None:
        """The pool behind this launcher config, or None (another launcher, or one worker)."""
        if launcher.get("_target_") != JOBLIB_LAUNCHER:
            return None
        pool = cls(launcher)
        return pool if pool.workers > 1 else None

    def map(self, fn: Callable[..., Any], arglists: Iterable[tuple]) -> list[Any]:
        """fn(*args) for each tuple of arguments, on the pool's workers, in order."""
        from joblib import Parallel, delayed

        return Parallel(n_jobs=self.n_jobs, backend="loky", **self.settings)(delayed(fn)(*args) for args in arglists)

    def warm_up(self, figures: bool) -> None:
        """Start the workers on `warm_up` in the background while the parent checks the jobs."""
        tasks = [(figures,)] * self.workers
        threading.Thread(target=self.map, args=(warm_up, tasks), name="sim-warm-up", daemon=True).start()

    @staticmethod
    def stop() -> None:
        """Stop the idle workers now rather than at interpreter exit (about 0.5 s sooner)."""
        from joblib.externals.loky import reusable_executor

        executor = reusable_executor._executor  # loky keeps the reusable executor here
        if executor is not None:
            executor.shutdown(wait=False, kill_workers=True)
