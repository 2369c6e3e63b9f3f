"""Interventions: everything that is done to the world on a date, as one kind of object.

A record (sim/world/record.py) is a dated list of them, the past the world lives through; a
scenario is the list that starts on its branching day (day 0), made from its levers by
`from_levers`. The model applies each on its day, before the day's processes
(`CartelModel.step`); an intervention dated before the run's first day applies on that day.
Each says what it does in one line (`describe`) for figures and logs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar

from sim.world.calendar import DAY0, day_of

if TYPE_CHECKING:
    from sim.world.model import CartelModel

LEVER_SOURCE = "the scenario's levers (docs/policies.md)"


@dataclass(frozen=True)
class Intervention:
    """Something done to the world on `date`, with its `source`."""

    date: dt.date
    source: str
    action: ClassVar[str] = ""

    @property
    def day(self) -> int:
        return day_of(self.date)

    @property
    def args(self) -> dict[str, Any]:
        """Its settings by name (what a record's YAML gives under the action)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("date", "source")}

    def describe(self) -> str:
        return ", ".join(f"{k} = {v}" for k, v in self.args.items())

    def apply(self, model: CartelModel) -> None:
        raise NotImplementedError


# ----- the record's actions ----------------------------------------------------------------
@dataclass(frozen=True)
class SetPolicy(Intervention):
    """Policy settings of kind `record` (arrest tempo, fronts) change; troops move at once."""

    settings: Mapping[str, Any] = field(default_factory=dict)
    action: ClassVar[str] = "set"

    @property
    def args(self) -> dict[str, Any]:
        return dict(self.settings)

    def describe(self) -> str:
        return ", ".join(f"{k} = {v:g}" for k, v in self.settings.items())

    def apply(self, model: CartelModel) -> None:
        model.government.set(self.settings)


@dataclass(frozen=True)
class RemoveLeader(Intervention):
    """An organisation loses its leader: killed, captured and held, extradited, or betrayed `by` an ally."""

    organisation: str = ""
    mode: str = "killed"
    by: str | None = None
    heir: bool = False
    action: ClassVar[str] = "remove_leader"

    def describe(self) -> str:
        return f"{self.organisation} leader {self.mode}" + (f" by {self.by}" if self.by else "")

    def apply(self, model: CartelModel) -> None:
        by = model.org_index(self.by) if self.by else None
        model.leadership.lose_leader(
            model.organisations[model.org_index(self.organisation)], model.day, self.mode, by, self.heir
        )


@dataclass(frozen=True)
class Extradite(Intervention):
    """Prisoners sent to the US: leaders held in Mexico (of `organisations`, or any) lose their influence."""

    prisoners: int = 0
    organisations: tuple[str, ...] = ()
    action: ClassVar[str] = "extradite"

    def describe(self) -> str:
        return f"{self.prisoners} prisoners extradited"

    def apply(self, model: CartelModel) -> None:
        model.leadership.extradite(list(self.organisations), self.prisoners, model.day)


@dataclass(frozen=True)
class ArrestCellLeaders(Intervention):
    """`arrested` commanders of an organisation's cells in each of `states` (INEGI codes) taken out of its core."""

    organisation: str = ""
    states: tuple[int, ...] = ()
    arrested: int = 0
    action: ClassVar[str] = "arrest_cell_leaders"

    def describe(self) -> str:
        return f"{self.organisation} cell leaders arrested in {', '.join(f'{s:02d}' for s in self.states)}"

    def apply(self, model: CartelModel) -> None:
        org = model.org_index(self.organisation)
        for code in self.states:
            model.arrest_core(org, code - 1, self.arrested)


@dataclass(frozen=True)
class War(Intervention):
    """Two organisations go to war: their families become enemies at `hostility_war` (`CartelModel.war`)."""

    organisations: tuple[str, ...] = ()
    action: ClassVar[str] = "war"

    def describe(self) -> str:
        return " against ".join(self.organisations) + " at war"

    def apply(self, model: CartelModel) -> None:
        a, b = (model.org_index(name) for name in self.organisations)
        model.war(a, b)


@dataclass(frozen=True)
class Note(Intervention):
    """A dated fact the model does not act on, shown on the record's figures."""

    text: str = ""
    action: ClassVar[str] = "note"

    def describe(self) -> str:
        return self.text

    def apply(self, model: CartelModel) -> None:
        return None


# ----- a scenario's levers, from day 0 --------------------------------------------------------
@dataclass(frozen=True)
class Deployment(Intervention):
    """The military's fronts from day 0: the Sinaloa front's size relative to the record's, a front
    against CJNG (a share of the troop pool, placed where CJNG's members are) and the posture."""

    sinaloa_front_factor: float = 1.0
    cjng_front_share: float = 0.0
    posture: str = "hold"
    action: ClassVar[str] = "deploy"

    def apply(self, model: CartelModel) -> None:
        troops = self.cjng_front_share * model.government.pool
        model.government.deploy_fronts(
            self.sinaloa_front_factor, model.org_state_members()[model.cjng], troops, self.posture
        )


@dataclass(frozen=True)
class Policies(Intervention):
    """Social prevention (recruitment cut by `recruitment_reduction`), incapacitation (arrests times
    `incapacitation_multiplier`), revenue disruption, and capacity building and its decay a year."""

    recruitment_reduction: float = 0.0
    incapacitation_multiplier: float = 1.0
    revenue_disruption: float = 0.0
    capacity_investment: float = 0.0
    capacity_corruption: float = 0.0
    action: ClassVar[str] = "policies"

    def apply(self, model: CartelModel) -> None:
        model.government.adopt(
            recruit_factor=1.0 - self.recruitment_reduction,
            arrest_factor=self.incapacitation_multiplier,
            disruption=self.revenue_disruption,
            investment=self.capacity_investment,
            corruption=self.capacity_corruption,
        )


@dataclass(frozen=True)
class Strike(Intervention):
    """The kingpin strategy: a strike on `target`'s leader in `state` (an INEGI code) on
    `strike_day` (if enabled), how the government's operations remove a leader, an attempt's
    chance, and whether the target has an heir ready."""

    enabled: bool = False
    strike_day: int = 0
    target: str = "CJNG"
    state: int = 14
    mode: str = "killed"
    success: float = 0.5
    heir: bool = False
    action: ClassVar[str] = "strike"

    def apply(self, model: CartelModel) -> None:
        day = self.strike_day if self.enabled else None
        model.leadership.adopt_strike(
            day, model.org_index(self.target), self.state - 1, self.mode, self.success, self.heir
        )


@dataclass(frozen=True)
class Campaign(Intervention):
    """High-value-target operations, `ops_per_year` of them, on every organisation or CJNG's lineage."""

    ops_per_year: float = 12.0
    scope: str = "all"
    action: ClassVar[str] = "campaign"

    def apply(self, model: CartelModel) -> None:
        model.government.start_campaign(self.ops_per_year, self.scope, self.day)


def from_levers(p: Mapping[str, Any], start: dt.date = DAY0) -> list[Intervention]:
    """A scenario's interventions from its levers (parameters of kind `lever`): the policies from
    `start` (the run's origin), the strike on day 0 plus `strike_day` (it belongs to the scenario's
    branch of the record); the one place the levers are read."""
    mode = "killed" if p["strike_mode"] == "kill" else ("extradited" if p["extradite_captured"] else "captured")
    success = min(1.0, p["hvt_success_prob"] * (p["us_intel_multiplier"] if p["us_intel_support"] else 1.0))
    out: list[Intervention] = [
        Deployment(start, LEVER_SOURCE, p["sinaloa_front_factor"], p["cjng_front_share"], p["posture"]),
        Policies(
            start,
            LEVER_SOURCE,
            p["recruitment_reduction"],
            p["incapacitation_multiplier"],
            p["revenue_disruption"],
            p["capacity_investment"],
            p["capacity_corruption"],
        ),
        Strike(
            DAY0,
            LEVER_SOURCE,
            bool(p["strike_enabled"]),
            int(p["strike_day"]),
            p["strike_target"],
            int(p["strike_state"]),
            mode,
            success,
            bool(p["heir_available"]),
        ),
    ]
    if p["campaign_enabled"]:
        out.append(Campaign(start, LEVER_SOURCE, float(p["campaign_ops_per_year"]), p["campaign_scope"]))
    return out
