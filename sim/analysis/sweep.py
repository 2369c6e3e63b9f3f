"""Hydra multirun support: a progress line per finished run, and collection when the sweep ends.

`SweepCallback` is registered in conf/config.yaml. In the parent process it counts the jobs
when the sweep starts (written to `sweep.json`), opens the folder of shared pasts when the sweep
varies levers or scenarios (sim/runs/pasts.py), and collects the folder when it ends; each job,
wherever it runs (joblib worker, SLURM node), leaves an empty marker file named for its number
and status in `.progress/` and writes the progress when it is done: on a terminal one updating
bar, in a log one whole line, in one write each, so parallel workers cannot interleave characters. Counting the
markers is one directory listing, where reading every run's status.json after every job would cost a sweep of n runs
n² file reads.
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

from sim.analysis.collect import collect
from sim.analysis.pool import LauncherPool
from sim.errors import ConfigError
from sim.runs.app import SHARED_PASTS
from sim.runs.files import writable, write_text

SWEEP_FILE = "sweep.json"
PROGRESS_DIR = ".progress"  # an empty file per finished job: <job number>.<ok|failed>
LAST: dict[str, Any] = {}  # this process's sweep: its "folder" and, once collected, its "result" (`python -m sim`)


def _sweep_overrides(config: DictConfig) -> dict[str, Any]:
    """The sweep's overrides by key: `hydra.sweeper.params`, replaced by the command line's (as Hydra does)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    params = config.hydra.sweeper.get("params") or {}
    lines = [f"{k}={v}" for k, v in params.items()] + list(config.hydra.overrides.task)
    return {o.get_key_element(): o for o in OverridesParser.create().parse_overrides(lines)}


def count_jobs(config: DictConfig) -> int:
    """Jobs a basic sweep over `hydra.sweeper.params` and the command line makes."""
    total = 1
    for override in _sweep_overrides(config).values():
        if override.is_sweep_override():
            total *= len(list(override.sweep_string_iterator()))
    return total


def shares_pasts(config: DictConfig) -> bool:
    """Whether some of the sweep's runs share their past: it varies a scenario, a policy group or a
    lever (which act from day 0), so runs with the same seed and other settings differ only after it."""
    from sim.parameters import table
    from sim.runs.config import POLICY_GROUPS

    levers = {f"params.{p.name}" for p in table().values() if p.kind == "lever"}
    after_day0 = {"scenario", *POLICY_GROUPS, *levers, "outputs", "figures"}
    return any(o.is_sweep_override() and key.lstrip("+~") in after_day0 for key, o in _sweep_overrides(config).items())


def defining_settings(config: DictConfig) -> dict[str, Any]:
    """What makes a sweep's runs comparable: its overrides (from the command line and the
    experiment's sweeper params), each as its value or its list of values, except the seeds, which
    a sweep into the same folder may extend."""
    settings = {}
    for key, o in sorted(_sweep_overrides(config).items()):
        if key.lstrip("+~") != "seed":
            settings[key] = list(o.sweep_string_iterator()) if o.is_sweep_override() else str(o.value())
    return settings


def check_same_sweep(sweep_dir: Path, settings: dict[str, Any]) -> None:
    """ConfigError in one line if `sweep_dir` holds a sweep with other settings: the collection
    would pool runs that differ in more than seeds (a 30-day run averaged with 365-day ones)."""
    try:
        saved = json.loads((sweep_dir / SWEEP_FILE).read_text(encoding="utf-8")).get("settings")
    except (OSError, ValueError):
        return  # a new folder, or one from before sweeps recorded their settings
    if saved is not None and saved != settings:
        differ = [k for k in dict.fromkeys([*saved, *settings]) if saved.get(k) != settings.get(k)]
        shown = "; ".join(f"{k}: {saved.get(k, '(unset)')} there, {settings.get(k, '(unset)')} here" for k in differ)
        raise ConfigError(
            f"{sweep_dir} holds a sweep with other settings ({shown}); choose another hydra.sweep.dir, or repeat "
            "that sweep's overrides (other seeds may be added) to resume or extend it"
        )


def progress_line(sweep_dir: Path, bar: bool = False) -> str:
    """'N of M runs done (F failed), about S s left' from the markers of the finished jobs, after
    a bar of 30 characters when `bar`."""
    info = json.loads((sweep_dir / SWEEP_FILE).read_text(encoding="utf-8"))
    markers = os.listdir(sweep_dir / PROGRESS_DIR)
    done, failed = len(markers), sum(name.endswith(".failed") for name in markers)
    elapsed = time.time() - info["started"]
    left = max(info["total"] - done, 0)
    eta = f", about {math.ceil(elapsed / done * left)} s left" if done and left else ""
    filled = int(30 * done / max(info["total"], 1))
    head = f"[{'#' * filled}{'.' * (30 - filled)}] " if bar else ""
    return f"[sweep] {head}{done} of {info['total']} runs done ({failed} failed){eta}"


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
        definition = defining_settings(config)
        try:
            check_same_sweep(sweep_dir, definition)
            writable(sweep_dir)
        except ConfigError as err:
            print(f"error: {err}", file=sys.stderr)
            sys.exit(2)
        LAST["folder"] = sweep_dir
        info = {"total": count_jobs(config), "started": time.time(), "settings": definition}
        write_text(sweep_dir / SWEEP_FILE, json.dumps(info) + "\n")
        shutil.rmtree(sweep_dir / PROGRESS_DIR, ignore_errors=True)  # a re-run counts afresh
        (sweep_dir / PROGRESS_DIR).mkdir()
        shutil.rmtree(sweep_dir / SHARED_PASTS, ignore_errors=True)
        if shares_pasts(config):
            (sweep_dir / SHARED_PASTS).mkdir()
        self.pool = LauncherPool.of(config.hydra.launcher)
        if self.pool:
            self.pool.start(self._figures(config))

    def on_job_end(self, config: DictConfig, job_return: Any, **kwargs: Any) -> None:
        sweep_dir = Path(str(config.hydra.sweep.dir))
        if (sweep_dir / PROGRESS_DIR).is_dir():  # a multirun job, not a single run
            mark_done(sweep_dir, config)
            if sys.stderr.isatty():  # on a terminal one updating bar, in a log whole lines
                print(f"\r{progress_line(sweep_dir, bar=True)}\033[K", end="", file=sys.stderr, flush=True)
            else:
                print(progress_line(sweep_dir), file=sys.stderr, flush=True)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(str(config.hydra.sweep.dir))
        try:
            result = collect(sweep_dir, figures=self._figures(config), pool=self.pool)
        except OSError as err:  # a full disk: the runs' folders are kept, the tables can follow
            print(
                f"error: could not write the sweep's tables in {sweep_dir} ({type(err).__name__}: {err}); the runs "
                f"are kept in their folders: make room, then run python -m sim.analysis.collect {sweep_dir}",
                file=sys.stderr,
            )
            sys.exit(2)
        finally:
            shutil.rmtree(sweep_dir / SHARED_PASTS, ignore_errors=True)  # the pasts served their runs
            if self.pool:
                self.pool.stop()
        LAST["result"] = result
        end = "\n" if sys.stderr.isatty() else ""  # after the bar
        print(
            f"{end}[sweep] {result.ok} of {result.total} runs ok; combined tables and figures in {result.folder}",
            file=sys.stderr,
            flush=True,
        )
