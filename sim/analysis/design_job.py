"""One chunk of a design as a Hydra job, so a design scales out on Hydra's launchers (joblib on
this machine, submitit on a cluster); see conf/design_job.yaml and sim/analysis/design.py."""

from __future__ import annotations

from pathlib import Path

import hydra
from omegaconf import DictConfig

from sim.analysis import design
from sim.config import CONF_DIR


@hydra.main(config_path=str(CONF_DIR), config_name="design_job", version_base=None)
def main(cfg: DictConfig) -> None:
    design.run_chunk(Path(cfg.folder), int(cfg.chunk), float(cfg.memory_gb))


if __name__ == "__main__":
    main()
