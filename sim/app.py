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
from sim.config import CONF_DIR, RUN_SETTINGS, check_setting
from sim.errors import ConfigError

log = logging.getLogger(__name__)


def write_status(out: Path, cfg: DictConfig, overrides: list[str], error: str | None) -> None:
    """status.json: ok or failed with the error line, and what the run was (for the collector)."""
    status = {"status": "ok" if error is None else "failed", "error": error, "overrides": overrides}
    status.update(scenario=cfg.get("scenario"), seed=cfg.get("seed"), model_version=__version__)
    (out / "status.json").write_text(json.dumps(status, indent=1) + "\n", encoding="utf-8")


def already_complete(out: Path, overrides: list[str]) -> bool:
    """A run of the same overrides and model version finished in this folder before."""
    try:
        status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    same = status.get("overrides") == overrides and status.get("model_version") == __version__
    return same and status.get("status") == "ok" and (out / "summary.json").exists()


def run_job(cfg: DictConfig, out: Path) -> dict[str, Any]:
    """Simulate the configured run and write summary.json, timeseries.parquet and figures."""
    from sim.core import simulate  # here, not at the top: a sweep's parent process never needs the model
    from sim.summary import dumps

    settings = {key: check_setting(key, cfg[key]) for key in (*RUN_SETTINGS, "record")}
    figures = check_setting("figures", cfg.figures)
    params = OmegaConf.to_container(cfg.params, resolve=True)
    assert isinstance(params, dict)
    result = simulate(**settings, **{str(k): v for k, v in params.items()})
    summary = {"scenario": cfg.scenario, "seed": settings["seed"], "model_version": __version__, **result.summary}
    (out / "summary.json").write_text(dumps(summary), encoding="utf-8")
    result.timeseries.to_parquet(out / "timeseries.parquet", engine="pyarrow", index=False)
    if figures:
        from sim.analysis import plotting  # matplotlib only when figures are wanted

        fig = plotting.homicides(result.timeseries, str(cfg.scenario), settings["seed"], __version__)
        fig.savefig(out / "homicides.png")
    return summary


@hydra.main(config_path=str(CONF_DIR), config_name="config", version_base=None)
def main(cfg: DictConfig) -> None:
    hc = HydraConfig.get()
    out = Path(hc.runtime.output_dir)
    overrides = list(hc.overrides.task)
    if hc.mode == RunMode.MULTIRUN and already_complete(out, overrides):
        log.info("skipped %s: already complete", out)
        return
    try:
        s = run_job(cfg, out)
    except ConfigError as err:
        write_status(out, cfg, overrides, str(err))
        if hc.mode == RunMode.MULTIRUN:  # let the other jobs of the sweep run
            print(f"error: {err} (in {out})", file=sys.stderr)
            return
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    except Exception as err:  # a bug: record it, then show the traceback
        write_status(out, cfg, overrides, f"{type(err).__name__}: {err}".splitlines()[0])
        raise
    write_status(out, cfg, overrides, None)
    log.info(
        "wrote %s: %s homicides in 2024, %s in the year before day 0, %s members and %s groups on day 0",
        out,
        s["homicides_2024"],
        s["homicides_baseline_annual"],
        s["members_total_d0"],
        s["groups_alive_d0"],
    )
