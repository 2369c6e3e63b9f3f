"""The joblib launcher's worker pool, used before and after a sweep's jobs.

Hydra's joblib launcher runs the jobs on joblib's reusable loky executor, and a
`joblib.Parallel` with the same settings gets the same workers. Left alone, each loky worker is
a fresh interpreter that imports the model (Mesa, pandas, matplotlib: about 2 s) before its
first job, every worker at once. Where the platform has a forkserver (Linux, macOS), `start`
makes loky fork its workers from a server that imports the model once, while the parent still
composes every job's config (Hydra checks them all before launching). The sweep callback then
writes the tables and draws the figures on the same workers and stops them and the server at
once, since the process is about to exit. On a sweep of short runs these fixed costs are what
keeps two workers from being twice as fast as one.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable
from multiprocessing import forkserver
from typing import Any

from omegaconf import DictConfig

JOBLIB_LAUNCHERS = (  # Hydra's, and ours (conf/config.yaml) that runs the same jobs on the same executor
    "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher",
    "hydra_plugins.cartel_sim.launcher.PluginKeepingLauncher",
)


# What a job imports, for the forkserver to import once: the launcher's job function (unpickled
# with each job), the run and its files; the figures only when the sweep draws them.
PRELOAD = [
    "hydra_plugins.hydra_joblib_launcher._core",
    "pyarrow.parquet",
    "sim.runs.app",
    "sim.runs.simulate",
    "sim.runs.summary",
    "sim.analysis.collect",
]
PRELOAD_FIGURES = ["sim.analysis.figures"]


class LauncherPool:
    """The workers of a joblib launcher with more than one worker."""

    def __init__(self, launcher: DictConfig) -> None:
        from joblib import effective_n_jobs

        self.n_jobs = int(launcher.n_jobs)
        self.workers = effective_n_jobs(self.n_jobs)
        # The launcher's own settings, so that joblib reuses its executor instead of a new one.
        self.settings = {k: launcher.get(k) for k in ("max_nbytes", "mmap_mode", "temp_folder")}
        self.forkserver = False  # whether `start` switched loky to the forkserver
        self._loky_start_method: str | None = None  # loky's setting before, to restore

    @classmethod
    def of(cls, launcher: DictConfig) -> LauncherPool | None:
        """The pool behind this launcher config, or None (another launcher, or one worker)."""
        if launcher.get("_target_") not in JOBLIB_LAUNCHERS:
            return None
        pool = cls(launcher)
        return pool if pool.workers > 1 else None

    def map(self, fn: Callable[..., Any], arglists: Iterable[tuple]) -> list[Any]:
        """fn(*args) for each tuple of arguments, on the pool's workers, in order."""
        from joblib import Parallel, delayed

        return Parallel(n_jobs=self.n_jobs, backend="loky", **self.settings)(delayed(fn)(*args) for args in arglists)

    def start(self, figures: bool) -> None:
        """Have loky fork the workers from a server that imports the model now, in the background."""
        if "forkserver" not in multiprocessing.get_all_start_methods():
            return  # Windows: loky starts fresh interpreters, as Hydra's launcher does by default
        if forkserver._forkserver._forkserver_pid is not None:
            return  # this process runs a server already (not ours to preload or stop)
        from joblib.externals.loky.backend import context

        self._loky_start_method = context.get_start_method()
        context.set_start_method("forkserver", force=True)
        multiprocessing.set_forkserver_preload(PRELOAD + (PRELOAD_FIGURES if figures else []))
        forkserver.ensure_running()
        self.forkserver = True

    def stop(self) -> None:
        """Stop the workers and the server now rather than at interpreter exit (about 0.5 s sooner)."""
        from joblib.externals.loky import reusable_executor
        from joblib.externals.loky.backend import context

        executor = reusable_executor._executor  # loky keeps the reusable executor here
        if executor is not None:
            executor.shutdown(wait=False, kill_workers=True)
        if self.forkserver:
            context.set_start_method(self._loky_start_method, force=True)
            # The module's server: CPython has no public call to stop it. Kill it first, as loky
            # kills its workers: a normal exit would tear down its imports (~0.5 s), and whoever
            # reads the sweep's output waits for it, since it shares the parent's stdout.
            server = forkserver._forkserver
            if server._forkserver_pid is not None:
                os.kill(server._forkserver_pid, signal.SIGKILL)
            server._stop()
            self.forkserver = False
