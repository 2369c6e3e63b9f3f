"""Plausible worlds: the parameter sets that meet every calibration target, shipped with the package.

Which worlds, and which values a run starts from, follow the record's world of organisations
(`Record.world`, sim/world/record.py):

- the world of 2024 (`record=mexico_2024_2026`, the default, or `none`): the parameter table's
  defaults, and `sim/data/plausible_sets.csv`, made by `python -m experiments.plausible_worlds`
  (ABC-SMC, sim/analysis/abc.py; docs/plausible.md);
- the world of 2014 (`record=mexico_2015_2026`, or a record of one's own that starts from it): the
  long fit's values (`sim/data/long_fit.csv`, `python -m experiments.calibrate_long`, docs/
  calibration.md section 5) in place of the table's defaults of the parameters it fits, and
  `sim/data/long_worlds.csv`, the worlds conditioned on every observed month
  (`python -m experiments.long_worlds`, docs/worlds.md).

A run set to `world=N` takes row N's values of its worlds; a parameter the user sets
(`params.NAME=...`, or a keyword of `sim.run`) keeps the user's value, and the levers (policy)
are never part of a world. `CartelModel` itself takes the values it is given: the fit and the
worlds are applied where a run is configured (`sim.run`, `python -m sim`, `sim.ensemble`).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from sim.errors import ConfigError
from sim.parameters import check_value
from sim.parameters import table as parameter_table

FILES = {"2024": "plausible_sets.csv", "2014": "long_worlds.csv"}  # each world of organisations' worlds
FIT_FILES = {"2014": "long_fit.csv"}  # the fit a world of organisations runs with, where not the table's defaults
META = ("set", "seed", "score", "distance", "hidden_excess")  # the tables' columns that are not parameters
# Parameters added after the worlds of 2024 were drawn: those worlds run them at the table's default
# (the world of 2024's), until they are drawn again. `expansion_rate` is 0 there: its presence is the
# data; `members_2014` acts only in the world of 2014; `stakes_exponent` and `season_amplitude` are 0
# in the world of 2024 as calibrated (`season_peak_day` acts only with an amplitude), and so is
# `local_drug_use_exponent` (the long fit sets it).
NOT_DRAWN = (
    "expansion_rate",
    "members_2014",
    "stakes_exponent",
    "season_amplitude",
    "season_peak_day",
    "local_drug_use_exponent",
)
DEFAULT = "2024"


def kind(record: Any = None) -> str:
    """The world of organisations a record starts from (`2024` or `2014`); the default record's for None."""
    from sim.world import record as history

    return DEFAULT if record is None else history.load(record).world


@cache
def table(world_of: str = DEFAULT) -> pd.DataFrame:
    """The plausible sets of a world of organisations, one row per world (index: world number)."""
    with resources.files("sim.data").joinpath(FILES[world_of]).open(encoding="utf-8") as f:
        return pd.read_csv(f).set_index("set")


def values(world_of: str = DEFAULT) -> pd.DataFrame:
    """The worlds' parameter values only (index: world number), without the meta columns."""
    return table(world_of).drop(columns=[c for c in META if c in table(world_of)])


def count(world_of: str = DEFAULT) -> int:
    return len(table(world_of))


@cache
def fitted(world_of: str = DEFAULT) -> dict[str, float]:
    """The values a world of organisations runs with in place of the parameter table's defaults (its
    fit, as written: full precision), or none."""
    if world_of not in FIT_FILES:
        return {}
    with resources.files("sim.data").joinpath(FIT_FILES[world_of]).open(encoding="utf-8") as fh:
        fit = pd.read_csv(fh)
    return dict(zip(fit["parameter"], fit["value"].astype(float)))


def check_form(value: Any) -> int | None:
    """A world number's form (None, or a whole number from 0), before the record says which table it indexes."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ConfigError(f"world = {value!r} is not allowed: it must be null or a whole number from 0")
    return int(value)


def check_world(value: Any, world_of: str = DEFAULT) -> int | None:
    """A world number of the worlds of `world_of` (or None: the defaults, or the record's fit); a
    clear error otherwise."""
    if value is None:
        return None
    n = count(world_of)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value < n:
        defaults = "the defaults" if world_of not in FIT_FILES else f"the fit, sim/data/{FIT_FILES[world_of]}"
        raise ConfigError(
            f"world = {value!r} is not allowed: it must be null ({defaults}) or a whole number from 0 to {n - 1} "
            f"(the plausible worlds of the world of {world_of} in sim/data/{FILES[world_of]})"
        )
    return int(value)


def parameters(world: int, world_of: str = DEFAULT) -> dict[str, Any]:
    """World `world`'s parameter values, each checked and typed as the parameter table says."""
    return typed(table(world_of).loc[check_world(world, world_of)])


def typed(row: pd.Series | dict[str, Any]) -> dict[str, Any]:
    """A row of parameter values (and meta columns, left out) as the model takes them."""
    names = parameter_table()
    return {
        name: check_value(name, int(v) if names[name].domain.startswith("int") else float(v))
        for name, v in row.items()
        if name not in META
    }


def apply(params: dict[str, Any], world: int | None, keep: Iterable[str] = (), record: Any = None) -> dict[str, Any]:
    """`params` with the fit of `record`'s world of organisations and then world `world`'s values (of
    its worlds; a clear error if there is no such world), except the parameters in `keep` (set by the user)."""
    world_of, keep = kind(record), set(keep)
    chosen = typed(fitted(world_of)) | ({} if world is None else parameters(world, world_of))
    return {**params, **{k: v for k, v in chosen.items() if k not in keep}}
