"""cartel-sim's launcher: Hydra's joblib launcher whose workers discover Hydra's plugins once.

Before every job, a joblib worker restores the parent's Hydra singletons and rediscovers every
Hydra plugin (it scans the `hydra_plugins` packages): about a tenth of a short run's time in a
sweep of thousands. This launcher's jobs keep the plugins a worker has discovered already and do
the rest as Hydra's do. conf/config.yaml chooses it (`hydra.launcher._target_`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hydra.core.utils import JobReturn
from hydra_plugins.hydra_joblib_launcher.joblib_launcher import JoblibLauncher

_HYDRA_EXECUTE_JOB: Any = None  # Hydra's own job function, whatever `launch` swaps in for a while


def _joblib_core() -> Any:
    """The joblib launcher's private module, imported when a sweep launches: a single run never
    needs joblib (Hydra imports every plugin's module at start-up; joblib costs ~40 ms of it).
    Its job function lives there; wrapping it is the only way to keep a worker's plugins
    (hydra-joblib-launcher is pinned <1.3 in pyproject.toml)."""
    global _HYDRA_EXECUTE_JOB
    from hydra_plugins.hydra_joblib_launcher import _core

    if _HYDRA_EXECUTE_JOB is None:
        _HYDRA_EXECUTE_JOB = _core.execute_job
    return _core


def execute_job(
    idx: int, overrides: Sequence[str], hydra_context: Any, config: Any, task_function: Any, singleton_state: dict
) -> JobReturn:
    """Hydra's joblib job, with this worker's plugins (if discovered) among the singletons it restores.

    A worker ignores Ctrl-C (SIGINT, which a terminal sends to the whole process group): the
    parent stops the sweep and says in one line how to resume, where a worker interrupted in the
    middle of a job would print its own traceback or a half line."""
    import signal

    from hydra.core.plugins import Plugins
    from hydra.core.singleton import Singleton

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _joblib_core()
    # Singleton.get_state() would deep-copy every resolver; reading the instances is private (hydra-core <1.4)
    plugins = Singleton._instances.get(Plugins)
    if plugins is not None:
        singleton_state = {**singleton_state, "instances": {**singleton_state["instances"], Plugins: plugins}}
    return _HYDRA_EXECUTE_JOB(idx, overrides, hydra_context, config, task_function, singleton_state)


class PluginKeepingLauncher(JoblibLauncher):
    """The joblib launcher (same settings, same jobs) with `execute_job` above as each job."""

    def launch(self, job_overrides: Sequence[Sequence[str]], initial_job_idx: int) -> Sequence[JobReturn]:
        core = _joblib_core()
        # core.launch sends its module's `execute_job` to the workers: ours, for this call
        core.execute_job = execute_job
        try:
            return core.launch(launcher=self, job_overrides=job_overrides, initial_job_idx=initial_job_idx)
        finally:
            core.execute_job = _HYDRA_EXECUTE_JOB
