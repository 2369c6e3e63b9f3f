"""What an analyst can choose on the explorer page, and what is wrong with a choice.

The levers, their units and their allowed ranges come from the parameter table (sim/data/
parameters.csv, the `lever` kind), so the page offers exactly what `python -m sim
params.NAME=...` accepts, within each lever's plausible range. Every check returns a message for
the field it concerns instead of raising, so the page can show it beside that field.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from sim import parameters
from sim.analysis.baselines import STATUS_QUO
from sim.errors import ConfigError
from sim.runs import plausible
from sim.runs.config import available_scenarios
from sim.world.record import LONG

MAX_LEVERS = 6
MAX_SEEDS = 50  # the test seeds are 1-100; calibration seeds (101+) stay out of the page
MAX_YEARS = 3
MAX_RUNS = 4000  # about 15 minutes on two cores: beyond it the page is the wrong tool (use sweeps)


@dataclass(frozen=True)
class Lever(parameters.Parameter):
    """A lever's row of the parameter table, with how the page shows it: a slider for numbers, a
    list for choices, a box for flags."""

    @property
    def widget(self) -> str:
        if self.domain == "bool":
            return "checkbox"
        if self.domain.startswith("choice:"):
            return "select"
        return "int" if self.domain.startswith("int") else "float"

    @property
    def options(self) -> list[str]:
        return parameters.options(self)

    @property
    def step(self) -> float:
        """A slider step of about 1% of the range, rounded to 1, 2 or 5 times a power of ten."""
        if self.widget == "int":
            return 1
        span = (self.high or 1.0) - (self.low or 0.0)
        raw = span / 100
        power = 10 ** math.floor(math.log10(raw))
        return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)

    def label(self) -> str:
        return f"{self.name} ({self.unit})"


@cache
def levers() -> dict[str, Lever]:
    """The parameter table's levers, in table order."""
    return {p.name: Lever(**asdict(p)) for p in parameters.table().values() if p.kind == "lever"}


@cache
def scenario_values(scenario: str) -> dict[str, Any]:
    """Every lever's value in `scenario` as configured (conf/scenario/*.yaml over the table's defaults)."""
    from sim.runs.api import configure

    _, params = configure(scenario)
    return {name: params[name] for name in levers()}


def entered(text: str, whole: bool = False) -> int | float | str:
    """What a number field holds once left: the finite number typed (an int if `whole`), else the
    text itself, which `Choice.problems` refuses beside the field. NaN and the infinities stay text:
    no lever or count takes them, and NaN, unequal to itself, would re-render the page without end."""
    text = text.strip()
    try:
        number = int(text) if whole else float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


def _finite(value: Any) -> bool:
    """A finite int or float; a bool is not a number here (as in `parameters.check_value`)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class Choice:
    """A full setting of the page: the scenario with the analyst's levers against a baseline, as
    entered (a field's text that is no number stays text, for `problems` to name)."""

    scenario: str = "kingpin_campaign"
    baseline: str = STATUS_QUO
    levers: dict[str, Any] = field(default_factory=dict)
    seeds: int = 4
    worlds: int = 0  # 0: the record's fit; N: its plausible worlds 0..N-1
    years: int = 1
    record: str = LONG  # the past both arms share: the world of 2014 through the decade (docs/worlds.md)

    @property
    def world_of(self) -> str:
        """The world of organisations `record` starts from, whose plausible worlds the page offers."""
        return plausible.kind(self.record)

    @property
    def arm(self) -> str:
        """The name the scenario with the levers carries in tables and figures."""
        return f"{self.scenario} + levers" if self.levers else self.scenario

    @property
    def runs(self) -> int:
        return 2 * self.seeds * max(1, self.worlds)

    def ensemble_args(self) -> dict[str, Any]:
        """Keywords for `sim.ensemble`, shared by both arms (the levers go to the scenario's arm only)."""
        return {
            "seeds": range(1, self.seeds + 1),
            "worlds": range(self.worlds) if self.worlds else None,
            "horizon_days": 365 * self.years,
            "record": self.record,
        }

    def problems(self) -> dict[str, str]:
        """Field name (scenario, baseline, a lever's name, seeds, worlds, years, runs): what is wrong with it."""
        out: dict[str, str] = {}
        names = available_scenarios()
        for key in ("scenario", "baseline"):
            if getattr(self, key) not in names:
                out[key] = f"unknown scenario '{getattr(self, key)}'; allowed: {', '.join(names)}"
        if not out and self.scenario == self.baseline and not self.levers:
            out["baseline"] = "this compares the scenario with itself: choose another, or set a lever"
        if len(self.levers) > MAX_LEVERS:
            out["levers"] = f"at most {MAX_LEVERS} levers at once"
        for name, value in self.levers.items():
            if name not in levers():
                out[name] = f"'{name}' is not a lever; levers: {', '.join(levers())}"
                continue
            lever = levers()[name]
            if lever.widget in ("int", "float") and not _finite(value):
                kind = "whole number" if lever.widget == "int" else "number"
                out[name] = f"{name} must be a {kind} from {lever.low:g} to {lever.high:g} {lever.unit}, not '{value}'"
                continue
            try:
                value = parameters.check_value(name, value)
            except ConfigError as err:
                out[name] = str(err)
                continue
            if lever.widget in ("int", "float") and not lever.low <= value <= lever.high:
                out[name] = f"{name} must be from {lever.low:g} to {lever.high:g} {lever.unit} (its plausible range)"
        limits = {"seeds": (1, MAX_SEEDS), "worlds": (0, plausible.count(self.world_of)), "years": (1, MAX_YEARS)}
        for key, (low, high) in limits.items():
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                out[key] = f"{key} must be a whole number from {low} to {high}"
        if not out and self.runs > MAX_RUNS:
            out["runs"] = (
                f"{self.runs:,} runs is more than the page runs at once ({MAX_RUNS:,}): "
                "fewer seeds or worlds, or a sweep"
            )
        return out
