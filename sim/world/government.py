"""The government: where the troops stand, which states it holds, and the policy levers from day 0.

Before day 0 the status quo holds (the Sinaloa front of 2025, no CJNG front, no new measures).
From day 0 the levers of docs/policies.md act through the model's mechanisms: troops per front
and their posture, capacity building and its decay, revenue disruption, social policy against
recruitment, incapacitation, and a campaign of high-value-target operations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.errors import ConfigError
from sim.world.geography import N_STATES, SINALOA
from sim.world.metrics import ALIVE_MEMBERS
from sim.world.processes import forces, market

if TYPE_CHECKING:
    from sim.world.agents import Organisation
    from sim.world.model import CartelModel

TARGETABLE = ("national", "regional", "faction", "splinter")  # organisations with a leadership to strike
SINALOA_FRONT = np.eye(N_STATES)[SINALOA]  # the Sinaloa front's weights over states


class Government:
    """Troop deployment, held states and the policy levers."""

    def __init__(self, model: CartelModel) -> None:
        p = model.p
        fronts = p["sinaloa_front_share"] + p["cjng_front_share"]
        if fronts > 1.0 + 1e-9:
            raise ConfigError(
                f"sinaloa_front_share + cjng_front_share = {fronts:g} is not allowed: "
                "the fronts cannot take more than the whole troop pool (the sum must be <= 1)"
            )
        self.model = model
        self.local_revenue, self.trafficking = market.revenue_parts(model.geo, p)
        self.policy_on = False
        self.recruit_factor = 1.0
        self.arrest_factor = 1.0
        self.disruption = 0.0
        self.mean_density = forces.troop_density(p["troop_pool"], model.geo.population.sum())
        self.deploy([(SINALOA_FRONT, p["sinaloa_front_troops"])], "hold")
        self.update_held()

    # ----- deployment ----------------------------------------------------------------------
    def deploy(self, fronts: list[tuple[np.ndarray, float]], posture: str) -> None:
        """Garrison by population, fronts by their weights; sets troop densities and holding troops."""
        model, p = self.model, self.model.p
        garrison, front = forces.allocate_troops(model.geo.population, p["troop_pool"], fronts)
        raid = p["clear_raid_multiplier"] if posture == "clear" else 1.0
        self.holding = garrison + (front if posture == "hold" else 0.0)
        model.troops = garrison + front
        model.density = forces.troop_density(garrison + raid * front, model.geo.population)
        model.density_ratio = model.density / self.mean_density

    def update_held(self) -> None:
        """How much of each state the forces hold today, and the revenue and flow that follow."""
        model, p = self.model, self.model.p
        self.held = forces.held_share(self.holding, model.state_members(), p["hold_troops_per_member"])
        open_route = 1.0 - p["hold_interdiction"] * self.held
        kept = 1.0 - self.disruption
        model.revenue = kept * market.payroll_revenue(self.local_revenue, self.trafficking * open_route, p["trafficking_labour_share"])
        self.flow_capacity = kept * self.trafficking * open_route

    def flow(self, m: np.ndarray) -> np.ndarray:
        """Trafficking flow to the US per state today (USD a day): what organised groups move.

        The state's trafficking value, less disruption and interdiction, times the share of its
        members (`m`, organisations x states) in organisations with reach beyond local gangs.
        """
        model = self.model
        total = m.sum(axis=0)
        organised = np.divide(m[~model.org_local].sum(axis=0), total, out=np.zeros(N_STATES), where=total > 0)
        return self.flow_capacity * organised

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
        cjng_weights = model.org_state_members()[model.cjng]
        pool = p["troop_pool"]
        self.deploy(
            [(SINALOA_FRONT, p["sinaloa_front_share"] * pool), (cjng_weights, p["cjng_front_share"] * pool)],
            p["posture"],
        )

    def _build_capacity(self) -> None:
        """Capacity closes part of its gap to 1 with investment and loses part of itself to corruption (per year)."""
        p, model = self.model.p, self.model
        c = model.capacity
        model.capacity = np.clip(c + (p["capacity_investment"] * (1.0 - c) - p["capacity_corruption"] * c) / 365.0, 0.0, 1.0)

    def _campaign(self, day: int) -> None:
        """High-value-target operations: each picks a leader among the targeted organisations by size."""
        model, p = self.model, self.model.p
        if not p["campaign_enabled"]:
            return
        for _ in range(model.rng.poisson(p["campaign_ops_per_year"] / 365.0)):
            targets = self._targets()
            if not targets:
                return
            size = model.org_members()[[o.index for o in targets]]
            org = targets[int(model.rng.choice(len(targets), p=size / size.sum()))]
            if model.rng.random() < model.leadership.success_chance():
                model.leadership.remove_leader(org, day)

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
