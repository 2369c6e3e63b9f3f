"""The government: its policy settings, where the troops stand, which states it holds, and the levers from day 0.

The policy settings of kind `record` (arrest tempo, the Sinaloa and northern-border fronts)
start at the parameter table's values, the steady world before the record, and change when the
record sets them. From day 0 the status quo is the record's policy continuing, and the levers of
docs/policies.md change it: troops per front and their posture, capacity building and its
decay, revenue disruption, social policy against recruitment, incapacitation, and a campaign of
high-value-target operations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from sim.errors import ConfigError
from sim.parameters import table
from sim.world.geography import N_STATES, SINALOA
from sim.world.metrics import ALIVE_MEMBERS
from sim.world import kernel
from sim.world.processes import forces, market

if TYPE_CHECKING:
    from sim.world.agents import Organisation
    from sim.world.model import CartelModel

TARGETABLE = ("national", "regional", "faction", "splinter")  # organisations with a leadership to strike
SINALOA_FRONT = np.eye(N_STATES)[SINALOA]  # the Sinaloa front's weights over states
SETTINGS = tuple(p.name for p in table().values() if p.kind == "record")  # what the record can set


class Government:
    """Policy settings, troop deployment, held states and the policy levers."""

    def __init__(self, model: CartelModel) -> None:
        p = model.p
        self.model = model
        self.settings: dict[str, Any] = {name: p[name] for name in SETTINGS}
        self.local_revenue, self.trafficking = market.revenue_parts(model.geo, p)
        geo = model.geo
        self.border_front = np.where(geo.us_border, geo.population, 0.0)  # the northern border front's weights
        self.policy_on = False
        self.cjng_front = np.zeros(N_STATES)
        self.recruit_factor = 1.0
        self.arrest_factor = 1.0
        self.disruption = 0.0
        self.mean_density = forces.troop_density(p["troop_pool"], geo.population.sum())
        self.check_fronts()
        self.deploy()
        self.update_held()

    def check_fronts(self) -> None:
        """Fronts can never take more than the troop pool: on every date of the record and from day 0."""
        p, record = self.model.p, self.model.record
        pool = p["troop_pool"]
        for event in [None, *(e for e in record.events if e.action == "set")]:
            values = record.settings_until(event.day if event else self.model.day, self.settings)
            if values["sinaloa_front_troops"] + values["border_front_troops"] > pool:
                when = f"from {event.date} (record '{record.name}')" if event else "in the steady world"
                raise ConfigError(
                    f"sinaloa_front_troops + border_front_troops = {values['sinaloa_front_troops'] + values['border_front_troops']:g} "
                    f"{when} is not allowed: the fronts cannot take more than troop_pool = {pool:g}"
                )
        end = record.settings_until(-1, self.settings)
        fronts = p["sinaloa_front_factor"] * end["sinaloa_front_troops"] + end["border_front_troops"] + p["cjng_front_share"] * pool
        if fronts > pool * (1 + 1e-9):
            raise ConfigError(
                f"sinaloa_front_factor x {end['sinaloa_front_troops']:g} Sinaloa troops + {end['border_front_troops']:g} on the border "
                f"+ cjng_front_share x troop_pool = {fronts:g} troops from day 0 is not allowed: "
                f"the fronts cannot take more than troop_pool = {pool:g}"
            )

    # ----- settings and deployment ----------------------------------------------------------
    def set(self, values: Mapping[str, Any]) -> None:
        """Policy settings from the record (arrest tempo, fronts); troops move at once."""
        self.settings.update(values)
        self.deploy()

    @property
    def arrests_per_day(self) -> float:
        """High-impact arrests today, nationally: the record's tempo, times the incapacitation lever from day 0."""
        return self.settings["arrests_per_day"] * self.arrest_factor

    def deploy(self) -> None:
        """Garrison by population, fronts by their weights; sets troop densities and holding troops.

        Before day 0 the fronts are the record's and they hold ground; from day 0 the levers set
        the Sinaloa front's size relative to the record's, add a CJNG front and choose the posture.
        """
        model, p, s = self.model, self.model.p, self.settings
        sinaloa = s["sinaloa_front_troops"] * (p["sinaloa_front_factor"] if self.policy_on else 1.0)
        fronts = [(SINALOA_FRONT, sinaloa), (self.border_front, s["border_front_troops"])]
        if self.policy_on:
            fronts.append((self.cjng_front, p["cjng_front_share"] * p["troop_pool"]))
        posture = p["posture"] if self.policy_on else "hold"
        garrison, front = forces.allocate_troops(model.geo.population, p["troop_pool"], fronts)
        raid = p["clear_raid_multiplier"] if posture == "clear" else 1.0
        self.holding = garrison + (front if posture == "hold" else 0.0)
        model.troops = garrison + front
        model.density = forces.troop_density(garrison + raid * front, model.geo.population)
        model.density_ratio = model.density / self.mean_density

    def update_held(self) -> None:
        """How much of each state the forces hold today, and the revenue and flow that follow."""
        model, p = self.model, self.model.p
        kept = 1.0 - self.disruption
        if model.compiled:
            self.held, model.revenue, self.flow_capacity = kernel.held_and_revenue(
                self.holding, model.members, model.cell_state, p["hold_troops_per_member"], p["hold_interdiction"], kept,
                self.local_revenue, self.trafficking, p["trafficking_labour_share"],
            )
            return
        self.held = forces.held_share(self.holding, model.state_members(), p["hold_troops_per_member"])
        open_route = 1.0 - p["hold_interdiction"] * self.held
        model.revenue = kept * market.payroll_revenue(self.local_revenue, self.trafficking * open_route, p["trafficking_labour_share"])
        self.flow_capacity = kept * self.trafficking * open_route

    def flow(self, m: np.ndarray) -> np.ndarray:
        """Trafficking flow to the US per state today (USD a day): what trafficking networks move
        through the state's crossings and ports (`market.trafficking_flow`); `m` is members per
        organisation and state. An organisation moves in proportion to its network and cohesion."""
        return market.trafficking_flow(self.flow_capacity, m, self.moves(), self.model.p["route_spare_capacity"])

    def moves(self) -> np.ndarray:
        """What each organisation can move of the trafficking today: its network times its cohesion."""
        model = self.model
        moves = model.org_network.copy()
        for org in model.leadership.unsettled:
            moves[org.index] *= org.cohesion
        return moves

    # ----- policy from day 0 -----------------------------------------------------------------
    def step(self, day: int) -> None:
        if day == 0:
            self._start()
        if self.policy_on:
            self._build_capacity()
            if day > 0:
                self._campaign(day)
        self.update_held()

    def _start(self) -> None:
        model, p = self.model, self.model.p
        self.policy_on = True
        self.recruit_factor = 1.0 - p["recruitment_reduction"]
        self.arrest_factor = p["incapacitation_multiplier"]
        self.disruption = p["revenue_disruption"]
        self.cjng_front = model.org_state_members()[model.cjng]
        self.deploy()
        model.leadership.start()

    def _build_capacity(self) -> None:
        """Capacity closes part of its gap to 1 with investment and loses part of itself to corruption (per year)."""
        p, model = self.model.p, self.model
        c = model.capacity
        model.capacity = np.clip(c + (p["capacity_investment"] * (1.0 - c) - p["capacity_corruption"] * c) / 365.0, 0.0, 1.0)

    def _campaign(self, day: int) -> None:
        """High-value-target operations, `campaign_ops_per_year` of them (the units and intelligence
        that can mount them): each picks a leader among the targeted organisations by size and
        removes him with `campaign_success_prob`."""
        model, p = self.model, self.model.p
        if not p["campaign_enabled"]:
            return
        for _ in range(model.rng.poisson(p["campaign_ops_per_year"] / 365.0)):
            targets = self._targets()
            if not targets:
                return
            size = model.org_members()[[o.index for o in targets]]
            org = targets[int(model.rng.choice(len(targets), p=size / size.sum()))]
            if model.rng.random() < p["campaign_success_prob"]:
                model.leadership.remove_leader(org, day, mode=model.leadership.strike_mode)

    def _targets(self) -> list[Organisation]:
        model, p = self.model, self.model.p
        size = model.org_members()
        cjng = model.organisations[model.cjng]
        return [
            o
            for o in model.organisations
            if o.kind in TARGETABLE
            and o.leader_present
            and size[o.index] >= ALIVE_MEMBERS
            and (p["campaign_scope"] == "all" or o.lineage() is cjng)
        ]
