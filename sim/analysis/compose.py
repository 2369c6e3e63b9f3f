"""A sweep's job configs, composed once for all seeds that share the rest of their overrides.

Hydra composes every job's config from the files (about 0.15 s here) twice: the sweeper checks
every job before launching any, in the parent, and the launcher composes it again where the job
runs. For a sweep of 1,000 seeds that is five minutes of composing the same config with another
seed. `SeedCachingLoader` wraps Hydra's config loader: a job whose overrides differ from an
earlier one's only in `seed=` gets a copy of that config with its own seed, task overrides and
override_dirname, set as Hydra sets them (`tests/test_sweeps.py` checks the two are equal). The
sweeper of conf/config.yaml (hydra_plugins/cartel_sim/sweeper.py) puts it in the sweep's context.
"""

from __future__ import annotations

import copy
import os
import uuid
from collections import OrderedDict
from typing import Any

# Internal to Hydra, unavoidable: composing a job's config as Hydra's sweeper does has no public API
# (hydra-core is pinned <1.4 in pyproject.toml).
from hydra._internal.config_loader_impl import ConfigLoaderImpl, get_overrides_dirname
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, OmegaConf

SEED = "seed"
KEPT = 16  # composed configs kept per process: a sweep has few sets of overrides besides the seed

# Per process: the launcher pickles the loader into every job, so a cache on the loader would
# start empty each time; a worker that runs many jobs keeps this one.
_CACHE: OrderedDict[tuple, DictConfig] = OrderedDict()


class SeedCachingLoader:
    """Hydra's config loader, with `load_sweep_config` composing once per overrides-but-the-seed."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.sweep = uuid.uuid4().hex  # cached configs belong to one sweep (workers outlive sweeps)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("loader", "sweep"):  # (unpickling looks these up first)
            raise AttributeError(name)
        return getattr(self.loader, name)  # everything else is Hydra's

    def check(self, master_config: DictConfig, sweep_overrides: list[str]) -> None:
        """Compose a job's config as Hydra's sweeper does to check it (errors raise), once per
        overrides-but-the-seed, without the copy a job needs."""
        self._composed(master_config, sweep_overrides)

    def load_sweep_config(self, master_config: DictConfig, sweep_overrides: list[str]) -> DictConfig:
        composed, parsed, seeds = self._composed(master_config, sweep_overrides)
        cfg = copy.deepcopy(composed)
        if not seeds:
            return cfg
        ConfigLoaderImpl._apply_overrides_to_config(seeds, cfg)
        app = [o for o in parsed if not o.is_hydra_override()]
        cfg.hydra.overrides.task = [o.input_line for o in app]
        names = cfg.hydra.job.config.override_dirname
        cfg.hydra.job.override_dirname = get_overrides_dirname(app, names.exclude_keys, names.item_sep, names.kv_sep)
        OmegaConf.copy_cache(from_config=master_config, to_config=cfg)
        return cfg

    def _composed(self, master_config: DictConfig, sweep_overrides: list[str]) -> tuple[DictConfig, list, list]:
        """The config composed for these overrides or for the same with another seed (cached),
        the parsed overrides, and the seed's override (none: composed for these alone)."""
        overrides = [*OmegaConf.to_container(master_config.hydra.overrides.hydra), *sweep_overrides]
        parsed = OverridesParser.create().parse_overrides(overrides)
        seeds = [o for o in parsed if o.input_line.startswith(f"{SEED}=") and not o.is_sweep_override()]
        if len(seeds) != 1:
            return self.loader.load_sweep_config(master_config, sweep_overrides), parsed, []
        key = (self.sweep, os.getcwd(), *(o for o in overrides if o != seeds[0].input_line))
        if key not in _CACHE:
            _CACHE[key] = self.loader.load_sweep_config(master_config, sweep_overrides)
            if len(_CACHE) > KEPT:
                _CACHE.popitem(last=False)
            return _CACHE[key], parsed, []  # composed with this very seed
        return _CACHE[key], parsed, seeds
