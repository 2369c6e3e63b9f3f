"""The parameter table: defaults, ranges, units and sources of every model parameter.

One CSV (`sim/data/parameters.csv`) is the single source: the Hydra defaults
(`conf/params/default.yaml`), the docs page (`docs/parameters.md`) and the checks on user
input are all derived from it, so they cannot drift apart. Each parameter has a plausible range
(`low`-`high`, what sensitivity analysis varies) and a hard validity domain (`domain` and `max`,
what the model accepts at all: outside it a run stops with one line).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sim.errors import ConfigError

DOMAINS = {
    "share": "a share between 0 and 1",
    "fraction": "a share strictly between 0 and 1",
    "nonneg": "a number >= 0",
    "positive": "a number > 0",
    "int_nonneg": "a whole number >= 0",
    "int_positive": "a whole number >= 1",
    "bool": "true or false",
}


@dataclass(frozen=True)
class Parameter:
    name: str
    default: Any
    low: float | None
    high: float | None
    max: float | None  # hard upper bound of the validity domain (the domain gives the lower one)
    unit: str
    domain: str
    kind: str
    group: str
    source: str
    description: str


def _convert(text: str, domain: str) -> Any:
    if domain == "bool":
        return text.strip().lower() == "true"
    if domain.startswith("int"):
        return int(float(text))
    if domain.startswith("choice:"):
        return text
    return float(text)


@cache
def table() -> dict[str, Parameter]:
    """All parameters by name, in table order."""
    text = resources.files("sim.data").joinpath("parameters.csv").read_text(encoding="utf-8")
    out: dict[str, Parameter] = {}
    for row in csv.DictReader(text.splitlines()):
        dom = row["domain"]
        numeric = not (dom == "bool" or dom.startswith("choice:"))
        out[row["name"]] = Parameter(
            name=row["name"],
            default=_convert(row["default"], dom),
            low=float(row["low"]) if numeric and row["low"] else None,
            high=float(row["high"]) if numeric and row["high"] else None,
            max=float(row["max"]) if numeric and row["max"] else None,
            unit=row["unit"],
            domain=dom,
            kind=row["kind"],
            group=row["group"],
            source=row["source"],
            description=row["description"],
        )
    return out


def split_levers(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the levers, the rest) of parameter values by name: levers act from day 0, the rest shape
    the past too, so runs that share the rest share their past."""
    kinds = table()
    levers = {name: value for name, value in values.items() if kinds[name].kind == "lever"}
    return levers, {name: value for name, value in values.items() if name not in levers}


def defaults() -> dict[str, Any]:
    """Default value of every parameter."""
    return {name: p.default for name, p in table().items()}


def options(p: Parameter) -> list[str]:
    """The values a `choice:` parameter takes, in the table's order (none for other domains)."""
    return p.domain.split(":", 1)[1].split("|") if p.domain.startswith("choice:") else []


def allowed(p: Parameter) -> str:
    """What values a parameter accepts, in words."""
    if p.domain.startswith("choice:"):
        return "one of " + ", ".join(options(p))
    limit = f" and at most {p.max:g}" if p.max is not None and p.domain not in ("share", "fraction") else ""
    return DOMAINS[p.domain] + limit


def check_value(name: str, value: Any) -> Any:
    """Return the value converted to the parameter's type, or raise ConfigError in one line."""
    params = table()
    if name not in params:
        raise ConfigError(f"unknown parameter '{name}'; see docs/parameters.md for the {len(params)} allowed names")
    p = params[name]
    bad = ConfigError(f"{name} = {value!r} is not allowed: it must be {allowed(p)} ({p.unit})")
    if p.domain == "bool":
        if not isinstance(value, bool):
            raise bad
        return value
    if p.domain.startswith("choice:"):
        if str(value) not in options(p):
            raise bad
        return str(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise bad
    if p.domain.startswith("int"):
        if float(value) != int(value):
            raise bad
        value = int(value)
    ok = {
        "share": lambda v: 0.0 <= v <= 1.0,
        "fraction": lambda v: 0.0 < v < 1.0,
        "nonneg": lambda v: v >= 0,
        "positive": lambda v: v > 0,
        "int_nonneg": lambda v: v >= 0,
        "int_positive": lambda v: v >= 1,
    }[p.domain](value) and (p.max is None or value <= p.max)
    if not ok or value != value:  # NaN fails too
        raise bad
    return value if p.domain.startswith("int") else float(value)


def resolve(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults updated with overrides, every value checked."""
    values = defaults()
    for name, value in (overrides or {}).items():
        values[name] = value
    return {name: check_value(name, value) for name, value in values.items()}
