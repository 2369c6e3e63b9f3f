"""The Hydra job behind `python -m sim`: one run, its files in Hydra's output folder.

Every job leaves a status.json, so a sweep can be audited folder by folder: "ok", or "failed"
with the one-line reason; a sweep re-run into the same folder skips the runs already complete.
Start it through `python -m sim`, which checks the overrides first.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from sim import __version__
from sim.errors import ConfigError
from sim.runs import plausible
from sim.runs.config import CONF_DIR, RUN_SETTINGS, check_setting
from sim.runs.files import write_parquet, write_text

SHARED_PASTS = (
    ".pasts"  # a sweep's shared pasts (sim/runs/pasts.py); the sweep callback creates it when runs share them
)

log = logging.getLogger(__name__)

# conf/config.yaml's hydra.output_subdir: a run of `outputs=summary` writes no .hydra/ folder (its
# three YAML files cost a sweep of short runs about 5% of its time); its status.json keeps the
# overrides that make it.
OmegaConf.register_new_resolver(
    "sim_output_subdir", lambda outputs: None if outputs == "summary" else ".hydra", replace=True
)


def write_status(out: Path, cfg: DictConfig, overrides: list[str], error: str | None, past: str | None = None) -> None:
    """status.json: ok or failed with the error line, and what the run was (for the collector);
    `past`: whether its past was simulated by this job or loaded from the sweep's shared pasts."""
    status = {"status": "ok" if error is None else "failed", "error": error, "overrides": overrides}
    status.update(scenario=cfg.get("scenario"), seed=cfg.get("seed"), model_version=__version__)
    if past:
        status["past"] = past
    write_text(out / "status.json", json.dumps(status, indent=1) + "\n")


def already_complete(out: Path, overrides: list[str]) -> bool:
    """A run of the same overrides and model version finished in this folder before."""
    try:
        status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    same = status.get("overrides") == overrides and status.get("model_version") == __version__
    return same and status.get("status") == "ok" and (out / "summary.json").exists()


def user_params(overrides: list[str]) -> set[str]:
    """The parameters a command line sets (params.NAME=...): a plausible world leaves them alone."""
    keys = (o.split("=", 1)[0].lstrip("+~") for o in overrides)
    return {k.removeprefix("params.") for k in keys if k.startswith("params.")}


def run_job(
    cfg: DictConfig, out: Path, pasts: Path | None = None, keep: set[str] = frozenset()
) -> tuple[dict[str, Any], str]:
    """Simulate the configured run and write summary.json and, unless `outputs=summary`,
    timeseries.parquet (figures show ensembles: a sweep draws them, never one run). The parameters
    not in `keep` take the record's fit and, with `cfg.world`, that plausible world's values
    (sim/runs/plausible.py). With `pasts` (a sweep's folder of shared pasts) the run goes on from
    its past at day 0 if another job saved it (sim/runs/pasts.py). Returns the summary, and whether
    the past was "simulated" or "loaded"."""
    from sim.runs.simulate import (
        result as run_result,
    )  # here, not at the top: a sweep's parent process never needs the model
    from sim.runs.summary import dumps
    from sim.world.model import CartelModel

    settings = {key: check_setting(key, cfg[key]) for key in (*RUN_SETTINGS, "record", "origin")}
    everything = check_setting("outputs", cfg.outputs) == "all"
    params = {str(k): v for k, v in (OmegaConf.to_container(cfg.params, resolve=True) or {}).items()}  # type: ignore[union-attr]
    world = check_setting("world", cfg.get("world"))
    params = plausible.apply(params, world, keep, settings["record"])
    past = "simulated"
    if pasts is not None:
        from sim.runs import pasts as shared

        model, loaded = shared.branch(pasts, settings, params)
        past = "loaded" if loaded else past
    else:
        model = CartelModel(**settings, **params)
    model.run()
    result = run_result(model, timeseries=everything)
    summary = {
        "scenario": cfg.scenario,
        "seed": settings["seed"],
        "world": world,
        "model_version": __version__,
        **result.summary,
    }
    write_text(out / "summary.json", dumps(summary))
    if result.timeseries is None:
        return summary, past
    write_parquet(result.timeseries, out / "timeseries.parquet")
    return summary, past


@hydra.main(config_path=str(CONF_DIR), config_name="config", version_base=None)
def main(cfg: DictConfig) -> None:
    hc = HydraConfig.get()
    out = Path(hc.runtime.output_dir)
    overrides = list(hc.overrides.task)
    if hc.mode == RunMode.MULTIRUN and already_complete(out, overrides):
        log.info("skipped %s: already complete", out)
        return
    pasts = None
    if hc.mode == RunMode.MULTIRUN:
        folder = Path(str(hc.sweep.dir)) / SHARED_PASTS
        pasts = folder if folder.is_dir() else None  # the sweep varies levers: its runs share pasts
    try:
        s, past = run_job(cfg, out, pasts, keep=user_params(overrides))
    except (ConfigError, OSError) as err:  # bad input, or a file that could not be written (a full disk)
        reason = str(err) if isinstance(err, ConfigError) else f"{type(err).__name__}: {err}"
        try:
            write_status(out, cfg, overrides, reason)
        except OSError:
            pass  # the disk is full: the sweep counts a job without a readable status as failed
        if hc.mode == RunMode.MULTIRUN:  # let the other jobs of the sweep run
            print(f"error: {reason} (in {out})", file=sys.stderr)
            return
        print(f"error: {reason}", file=sys.stderr)
        sys.exit(2)
    except Exception as err:  # a bug: record it, then show the traceback
        write_status(out, cfg, overrides, f"{type(err).__name__}: {err}".splitlines()[0])
        raise
    write_status(out, cfg, overrides, None, past)
    log.info(
        "wrote %s: %s homicides in 2024, %s in the year before day 0, %s members and %s groups on day 0",
        out,
        s["homicides_2024"],
        s["homicides_baseline_annual"],
        s["members_total_d0"],
        s["groups_alive_d0"],
    )
