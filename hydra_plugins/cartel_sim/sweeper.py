"""cartel-sim's sweeper: Hydra's basic sweeper whose jobs compose their config once per set of
overrides besides the seed (sim/analysis/compose.py). conf/config.yaml chooses it
(`hydra.sweeper._target_`)."""

from __future__ import annotations

from collections.abc import Sequence

# Hydra's own basic sweeper is internal (no public base class does its work); hydra-core is pinned <1.4.
from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig


class SeedSweeper(BasicSweeper):
    """The basic sweeper (same batches, same jobs) with a config loader that caches compositions."""

    def setup(self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig) -> None:
        from sim.analysis.compose import SeedCachingLoader

        context = HydraContext(
            config_loader=SeedCachingLoader(hydra_context.config_loader), callbacks=hydra_context.callbacks
        )
        super().setup(hydra_context=context, task_function=task_function, config=config)

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        """Check every job's config before launching any, as the basic sweeper does, composing once per set of
        overrides besides the seed."""
        for overrides in batch:
            self.hydra_context.config_loader.check(self.config, list(overrides))
