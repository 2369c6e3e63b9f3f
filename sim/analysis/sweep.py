"""Hydra multirun support: a progress line per finished run, and collection when the sweep ends.

`SweepCallback` is registered in conf/config.yaml. In the parent process it counts the jobs
when the sweep starts (written to `sweep.json`) and collects the folder when it ends; each job,
wherever it runs (joblib worker, SLURM node), leaves an empty marker file named for its number
and status in `.progress/` and prints one whole line of progress when it is done, so parallel
workers cannot interleave characters. Counting the markers is one directory listing, where
reading every run's status.json after every job would cost a sweep of n runs n² file reads.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from sim.analysis.collect import SweepResult, collect
from sim.analysis.pool import LauncherPool

SWEEP_FILE = "sweep.json"
PROGRESS_DIR = ".progress"  # an empty file per finished job: <job number>.<ok|failed>
LAST: dict[str, SweepResult] = {}  # the sweep collected in this process, for `python -m sim`


def count_jobs(config: DictConfig) -> int:
    """Jobs a basic sweep over `hydra.sweeper.params` and the command line makes.

    A key on the command line replaces the same key of the sweeper's params (as Hydra does).
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    params = config.hydra.sweeper.get("params") or {}
    lines = [f"{k}={v}" for k, v in params.items()] + list(config.hydra.overrides.task)
    by_key = {o.get_key_element(): o for o in OverridesParser.create().parse_overrides(lines)}
    total = 1
    for override in by_key.values():
        if override.is_sweep_override():
            total *= len(list(override.sweep_string_iterator()))
    return total


def progress_line(sweep_dir: Path) -> str:
    """'done N of M runs (F failed), about S s left' from the markers of the finished jobs."""
    info = json.loads((sweep_dir / SWEEP_FILE).read_text(encoding="utf-8"))
    markers = os.listdir(sweep_dir / PROGRESS_DIR)
    done, failed = len(markers), sum(name.endswith(".failed") for name in markers)
    elapsed = time.time() - info["started"]
    left = max(info["total"] - done, 0)
    eta = f", about {math.ceil(elapsed / done * left)} s left" if done and left else ""
    return f"[sweep] {done} of {info['total']} runs done ({failed} failed){eta}"


def mark_done(sweep_dir: Path, config: DictConfig) -> None:
    """Leave the finished job's marker: its number and the status its status.json gives."""
    try:
        status_file = Path(str(config.hydra.runtime.output_dir)) / "status.json"
        status = json.loads(status_file.read_text(encoding="utf-8"))["status"]
    except (OSError, ValueError, KeyError):
        status = "failed"  # the job ended without a readable status
    (sweep_dir / PROGRESS_DIR / f"{config.hydra.job.num}.{status}").touch()


class SweepCallback(Callback):
    """Count jobs at the start, print progress after each job, collect at the end.

    Under the joblib launcher with several workers it has them forked from one process that
    imports the model, and collects on them, the figures in one share per worker (`sim.analysis.pool`).
    """

    def __init__(self, figures: bool = True) -> None:
        self.figures = figures
        self.pool: LauncherPool | None = None

    def _figures(self, config: DictConfig) -> bool:
        return self.figures and bool(config.get("figures", True))

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(str(config.hydra.sweep.dir))
        sweep_dir.mkdir(parents=True, exist_ok=True)
        info = {"total": count_jobs(config), "started": time.time()}
        (sweep_dir / SWEEP_FILE).write_text(json.dumps(info) + "\n", encoding="utf-8")
        shutil.rmtree(sweep_dir / PROGRESS_DIR, ignore_errors=True)  # a re-run counts afresh
        (sweep_dir / PROGRESS_DIR).mkdir()
        self.pool = LauncherPool.of(config.hydra.launcher)
        if self.pool:
            self.pool.start(self._figures(config))

    def on_job_end(self, config: DictConfig, job_return: Any, **kwargs: Any) -> None:
        sweep_dir = Path(str(config.hydra.sweep.dir))
        if (sweep_dir / PROGRESS_DIR).is_dir():  # a multirun job, not a single run
            mark_done(sweep_dir, config)
            print(progress_line(sweep_dir), file=sys.stderr, flush=True)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        try:
            result = collect(Path(str(config.hydra.sweep.dir)), figures=self._figures(config), pool=self.pool)
        finally:
            if self.pool:
                self.pool.stop()
        LAST["result"] = result
        print(f"[sweep] {result.ok} of {result.total} runs ok; combined tables and figures in {result.folder}", file=sys.stderr, flush=True)
