"""The Hydra job behind `python -m sim`: one run, its files in Hydra's output folder.

Every job leaves a status.json, so a sweep can be audited folder by folder: "ok", or "failed"
with the one-line reason. Start it through `python -m sim`, which checks the overrides first.
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
from sim.core import simulate
from sim.errors import ConfigError
from sim.summary import dumps

log = logging.getLogger(__name__)
# Output folder -> status of every job run by this process (Hydra's basic launcher runs sweeps in-process).
STATUS: dict[str, str] = {}


def write_status(out: Path, overrides: list[str], error: str | None) -> None:
    status = {"status": "ok" if error is None else "failed", "error": error, "overrides": overrides}
    status["model_version"] = __version__
    STATUS[str(out)] = status["status"]
    (out / "status.json").write_text(json.dumps(status, indent=1) + "\n", encoding="utf-8")


def run_job(cfg: DictConfig, out: Path) -> dict[str, Any]:
    """Simulate the configured run and write summary.json, timeseries.parquet and figures."""
    settings = {key: check_setting(key, cfg[key]) for key in RUN_SETTINGS}
    figures = check_setting("figures", cfg.figures)
    params = OmegaConf.to_container(cfg.params, resolve=True)
    assert isinstance(params, dict)
    result = simulate(**settings, **{str(k): v for k, v in params.items()})
    summary = {"scenario": cfg.scenario, "seed": settings["seed"], "model_version": __version__, **result.summary}
    (out / "summary.json").write_text(dumps(summary), encoding="utf-8")
    result.timeseries.to_parquet(out / "timeseries.parquet", engine="pyarrow", index=False)
    if figures:
        from sim import plotting  # matplotlib only when figures are wanted

        fig = plotting.homicides(result.timeseries, str(cfg.scenario), settings["seed"], __version__)
        fig.savefig(out / "homicides.png")
    return summary


@hydra.main(config_path=str(CONF_DIR), config_name="config", version_base=None)
def main(cfg: DictConfig) -> None:
    hc = HydraConfig.get()
    out = Path(hc.runtime.output_dir)
    overrides = list(hc.overrides.task)
    try:
        s = run_job(cfg, out)
    except ConfigError as err:
        write_status(out, overrides, str(err))
        if hc.mode == RunMode.MULTIRUN:  # let the other jobs of the sweep run
            print(f"error: {err} (in {out})", file=sys.stderr)
            return
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    except Exception as err:  # a bug: record it, then show the traceback
        write_status(out, overrides, f"{type(err).__name__}: {err}".splitlines()[0])
        raise
    write_status(out, overrides, None)
    log.info(
        "wrote %s: %s homicides in the baseline year, %s members and %s groups on day 0",
        out,
        s["homicides_baseline_annual"],
        s["members_total_d0"],
        s["groups_alive_d0"],
    )
