"""The government: its policy settings, where the troops stand, the state's capacity, and the
policies it adopts from day 0.

The settings of kind `record` (arrest tempo, the Sinaloa and northern-border fronts) start at the
parameter table's values, the steady world before the record, and change when the record sets
them. From day 0 the status quo is the record's policy continuing; the scenario's interventions
(sim/world/interventions.py) change it: troops per front and their posture, capacity building
and its decay, revenue disruption, social policy against recruitment, incapacitation, and a
campaign of high-value-target operations. Only this class and the day's processes (which update
capacity, held ground, revenue and trafficking capacity in place, sim/world/day.py) write its state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from sim.errors import ConfigError
from sim.parameters import table
from sim.world.geography import N_STATES, SINALOA
from sim.world.metrics import ALIVE_MEMBERS
from sim.world.processes import forces, market

if TYPE_CHECKING:
    from sim.world.agents import Organisation
    from sim.world.model import CartelModel

TARGETABLE = ("national", "regional", "faction", "splinter")  # organisations with a leadership to strike
SINALOA_FRONT = np.eye(N_STATES)[SINALOA]  # the Sinaloa front's weights over states
SETTINGS = tuple(p.name for p in table().values() if p.kind == "record")  # what the record can set


class Government:
    """Policy settings, troop deployment, capacity, held ground and revenue, and the campaign."""

    def __init__(self, model: CartelModel) -> None:
        p = model.p
        self.model = model
        self.settings: dict[str, Any] = {name: p[name] for name in SETTINGS}
        self.local_revenue, self.trafficking = market.revenue_parts(model.geo, p)
        geo = model.geo
        self.border_front = np.where(geo.us_border, geo.population, 0.0)  # the northern border front's weights
        self.capacity = forces.state_capacity(geo.rule_of_law, p["state_capacity"], p["capacity_index_exponent"])
        self.mean_density = forces.troop_density(p["troop_pool"], geo.population.sum())
        # the policy from day 0 (the scenario's interventions set it)
        self.sinaloa_front_factor, self.posture = 1.0, "hold"
        self.cjng_front, self.cjng_front_troops = np.zeros(N_STATES), 0.0  # weights over states, troops
        self.recruit_factor = 1.0
        self.arrest_factor = 1.0
        self.disruption = 0.0
        self.investment, self.corruption = 0.0, 0.0
        self.campaign: dict[str, Any] | None = None  # ops a year and scope, while a campaign runs
        # what the day fills: held share, revenue that pays members, trafficking capacity
        self.held, self.revenue, self.flow_capacity = np.zeros(N_STATES), np.zeros(N_STATES), np.zeros(N_STATES)
        self.check_fronts()
        self.deploy()
        self.update_held()

    def check_fronts(self) -> None:
        """Fronts can never take more than the troop pool: on every date of the record and from day 0."""
        model = self.model
        p, record = model.p, model.record
        for event in [None, *(e for e in record.events if e.action == "set")]:
            values = record.settings_until(event.day if event else model.day, self.settings)
            pool = p["troop_pool"] * values["forces_ratio"]
            if values["sinaloa_front_troops"] + values["border_front_troops"] > pool:
                when = f"from {event.date} (record '{record.name}')" if event else "in the steady world"
                raise ConfigError(
                    "sinaloa_front_troops + border_front_troops = "
                    f"{values['sinaloa_front_troops'] + values['border_front_troops']:g} {when} is not allowed: the "
                    f"fronts cannot take more than troop_pool x forces_ratio = {pool:g}"
                )
        end = record.settings_until(-1, self.settings)
        pool = p["troop_pool"] * end["forces_ratio"]
        fronts = (
            p["sinaloa_front_factor"] * end["sinaloa_front_troops"]
            + end["border_front_troops"]
            + p["cjng_front_share"] * pool
        )
        if fronts > pool * (1 + 1e-9):
            raise ConfigError(
                f"sinaloa_front_factor x {end['sinaloa_front_troops']:g} Sinaloa troops + "
                f"{end['border_front_troops']:g} on the border + cjng_front_share x troop_pool = {fronts:g} troops "
                f"from day 0 is not allowed: the fronts cannot take more than troop_pool x forces_ratio = {pool:g}"
            )

    # ----- settings and deployment ----------------------------------------------------------
    def set(self, values: Mapping[str, Any]) -> None:
        """Policy settings from the record (arrest tempo, fronts); troops move at once."""
        self.settings.update(values)
        self.deploy()

    @property
    def pool(self) -> float:
        """Troops in public security today: the table's pool (2024's) times the record's ratio."""
        return self.model.p["troop_pool"] * self.settings["forces_ratio"]

    @property
    def arrests_per_day(self) -> float:
        """High-impact arrests today, nationally: the record's tempo, times the incapacitation from day 0."""
        return self.settings["arrests_per_day"] * self.arrest_factor

    def deploy(self) -> None:
        """Garrison by population, fronts by their weights; sets troop densities and holding troops.

        Before day 0 the fronts are the record's and they hold ground; a deployment from day 0 sets
        the Sinaloa front's size relative to the record's, adds a CJNG front and chooses the posture.
        """
        p, s, population = self.model.p, self.settings, self.model.geo.population
        fronts = [
            (SINALOA_FRONT, s["sinaloa_front_troops"] * self.sinaloa_front_factor),
            (self.border_front, s["border_front_troops"]),
        ]
        if self.cjng_front_troops > 0:
            fronts.append((self.cjng_front, self.cjng_front_troops))
        garrison, front = forces.allocate_troops(population, self.pool, fronts)
        raid = p["clear_raid_multiplier"] if self.posture == "clear" else 1.0
        self.holding = garrison + (front if self.posture == "hold" else 0.0)
        self.troops = garrison + front
        self.density = forces.troop_density(garrison + raid * front, population)
        self.density_ratio = self.density / self.mean_density

    def update_held(self) -> None:
        """How much of each state the forces hold, and the revenue and flow that follow (the day
        does the same each day, sim/world/day.py)."""
        p = self.model.p
        self.held, self.revenue, self.flow_capacity = forces.hold(
            self.holding,
            self.model.population.by_state(),
            p["hold_troops_per_member"],
            p["hold_interdiction"],
            self.local_revenue,
            self.trafficking,
            p["trafficking_labour_share"],
            1.0 - self.disruption,
        )

    def moves(self) -> np.ndarray:
        """What each organisation can move of the trafficking today: its network times its cohesion."""
        model = self.model
        moves = model.relations.network.copy()
        for org in model.leadership.unsettled:
            moves[org.index] *= org.cohesion
        return moves

    def scalars(self) -> tuple[float, ...]:
        """The settings the day reads (sim.world.day.GOVERNMENT)."""
        return (
            self.recruit_factor,
            self.arrests_per_day,
            1.0 - self.disruption,
            self.investment,
            self.corruption,
        )

    # ----- policies from day 0 (applied by sim/world/interventions.py) ---------------------------
    def deploy_fronts(
        self, sinaloa_front_factor: float, cjng_front: np.ndarray, cjng_front_troops: float, posture: str
    ) -> None:
        """The fronts from day 0: the Sinaloa front's size relative to the record's, a CJNG front
        (its weights over states and its troops) and the posture of front troops."""
        self.sinaloa_front_factor, self.posture = sinaloa_front_factor, posture
        self.cjng_front, self.cjng_front_troops = cjng_front, cjng_front_troops
        self.deploy()

    def adopt(
        self,
        recruit_factor: float | None = None,
        arrest_factor: float | None = None,
        disruption: float | None = None,
        investment: float | None = None,
        corruption: float | None = None,
    ) -> None:
        """Policy settings from day 0: social prevention, incapacitation, revenue disruption, capacity building."""
        for name, value in (
            ("recruit_factor", recruit_factor),
            ("arrest_factor", arrest_factor),
            ("disruption", disruption),
            ("investment", investment),
            ("corruption", corruption),
        ):
            if value is not None:
                setattr(self, name, float(value))

    def start_campaign(self, ops_per_year: float, scope: str, day: int) -> None:
        """A campaign from the day after `day` (the day it is decided on)."""
        self.campaign = {"ops_per_year": ops_per_year, "scope": scope, "from": day}

    def step(self, day: int) -> None:
        """The government's decisions of the day: the campaign's operations, if one runs."""
        if self.campaign is not None and day > self.campaign["from"]:
            self._campaign(day)

    def _campaign(self, day: int) -> None:
        """High-value-target operations, `ops_per_year` of them (the units and intelligence that can
        mount them): each picks a leader among the targeted organisations by size and removes him
        with `campaign_success_prob`."""
        model, p = self.model, self.model.p
        for _ in range(model.rng.poisson(self.campaign["ops_per_year"] / 365.0)):
            targets = self._targets()
            if not targets:
                return
            size = model.org_members()[[o.index for o in targets]]
            org = targets[int(model.rng.choice(len(targets), p=size / size.sum()))]
            if model.rng.random() < p["campaign_success_prob"]:
                model.leadership.remove_leader(org, day, mode=model.leadership.strike_mode)

    def _targets(self) -> list[Organisation]:
        model = self.model
        size = model.org_members()
        cjng = model.organisations[model.cjng]
        scope = self.campaign["scope"]
        return [
            o
            for o in model.organisations
            if o.kind in TARGETABLE
            and o.leader_present
            and size[o.index] >= ALIVE_MEMBERS
            and (scope == "all" or o.lineage() is cjng)
        ]
