"""Plausible worlds: the parameter sets that meet every calibration target, shipped with the package.

`sim/data/plausible_sets.csv` is made by `python -m experiments.plausible_worlds` (ABC-SMC,
sim/analysis/abc.py; docs/plausible.md). Each row is one world: a value for every uncertain and
calibrated parameter (but those of `NOT_DRAWN`). A run set to `world=N` takes world N's values in place of the parameter
table's defaults; a parameter the user sets (`params.NAME=...`, or a keyword of `sim.run`) keeps
the user's value, and the levers (policy) are never part of a world.
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

FILE = "plausible_sets.csv"
META = ("set", "seed", "score", "distance")  # the table's columns that are not parameters
# Parameters added after the worlds were drawn: the worlds run them at the table's default (the
# world of 2024's), until they are drawn again. `expansion_rate` is 0 there: its presence is the data;
# `members_2014` acts only in the world of 2014; `stakes_exponent` and `season_amplitude` are 0 in the
# world of 2024 as calibrated (`season_peak_day` acts only with an amplitude).
NOT_DRAWN = ("expansion_rate", "members_2014", "stakes_exponent", "season_amplitude", "season_peak_day")


@cache
def table() -> pd.DataFrame:
    """The plausible sets, one row per world (index: world number)."""
    with resources.files("sim.data").joinpath(FILE).open(encoding="utf-8") as f:
        return pd.read_csv(f).set_index("set")


def values() -> pd.DataFrame:
    """The worlds' parameter values only (index: world number), without seed, score and distance."""
    return table().drop(columns=[c for c in META if c in table()])


def count() -> int:
    return len(table())


def check_world(value: Any) -> int | None:
    """A world number (or None: the parameter table's defaults); a clear error otherwise."""
    if value is None:
        return None
    n = count()
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value < n:
        raise ConfigError(
            f"world = {value!r} is not allowed: it must be null (the defaults) or a whole number from 0 to {n - 1} "
            f"(the plausible worlds in sim/data/{FILE})"
        )
    return int(value)


def parameters(world: int) -> dict[str, Any]:
    """World `world`'s parameter values, each checked and typed as the parameter table says."""
    return typed(table().loc[check_world(world)])


def typed(row: pd.Series) -> dict[str, Any]:
    """A row of parameter values (and meta columns, left out) as the model takes them."""
    names = parameter_table()
    return {
        name: check_value(name, int(v) if names[name].domain.startswith("int") else float(v))
        for name, v in row.items()
        if name not in META
    }


def apply(params: dict[str, Any], world: int | None, keep: Iterable[str] = ()) -> dict[str, Any]:
    """`params` with world `world`'s values, except the parameters in `keep` (set by the user)."""
    if world is None:
        return params
    keep = set(keep)
    return {**params, **{k: v for k, v in parameters(world).items() if k not in keep}}
