"""The Mesa model: Mexico's states as a network, armed groups as organisations and cells."""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
from mesa.discrete_space import Network

from sim import parameters
from sim.world.agents import Cell, Organisation
from sim.errors import ConfigError
from sim.world.geography import N_STATES, border_graph, geography
from sim.world.government import Government
from sim.world.leadership import LEADERSHIP_KINDS, Leadership
from sim.world.metrics import CELL_DEATH_MEMBERS, concentration, effective_groups, groups_alive
from sim.world.placement import advantage_matrix, initial_organisations
from sim.world.processes import forces, market, recruitment, retaliation, violence
from sim.world.recorder import DailyRecord


class CartelModel(mesa.Model):
    """Cartel fragmentation in Mexico, one step per day.

    Keyword arguments are the entries of the parameter table (docs/parameters.md) plus `seed`,
    `burn_in_days` (days simulated before day 0) and `horizon_days` (days from day 0 on).
    """

    def __init__(self, *, seed: int = 1, burn_in_days: int = 730, horizon_days: int = 730, **params: Any) -> None:
        super().__init__(rng=int(seed))
        for name, value in (("burn_in_days", burn_in_days), ("horizon_days", horizon_days)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ConfigError(f"{name} = {value!r} is not allowed: it must be a whole number of days >= 0")
        if burn_in_days < 365:
            raise ConfigError(f"burn_in_days = {burn_in_days} is not allowed: the baseline year needs at least 365")
        self.p = parameters.resolve(params)
        self.burn_in_days = burn_in_days
        self.horizon_days = horizon_days
        self.day = -burn_in_days
        self.geo = geography()
        self.space = Network(border_graph(), random=self.random)
        self._build_world()
        self.capacity = forces.state_capacity(self.geo.rule_of_law, self.p["state_capacity"], self.p["capacity_index_exponent"])
        self.government = Government(self)  # sets troops, densities, held states and revenue
        self._pairs_key: bytes | None = None
        self.leadership = Leadership(self)
        self.cjng = self.org_index("CJNG")
        self.cjng_cells_d0 = np.zeros(0, dtype=np.int64)
        self.record = DailyRecord(start_day=-365, end_day=horizon_days, n_states=N_STATES)
        self.datacollector = mesa.DataCollector(
            model_reporters={"day": "day", "members": "members_total", "groups_alive": "groups_alive"}
        )

    # ----- construction -------------------------------------------------------------------
    def _build_world(self) -> None:
        specs, self.hostility = initial_organisations(self.p, self.rng)
        self.organisations: list[Organisation] = []
        states, orgs, members = [], [], []
        self.cells: list[Cell] = []
        nodes = self.space._cells  # node id -> mesa Cell
        for o, spec in enumerate(specs):
            org = Organisation(self, o, spec.name, spec.kind, spec.unverified)
            self.organisations.append(org)
            for s, m in spec.cells:
                self.cells.append(Cell(self, len(self.cells), org, nodes[s]))
                states.append(s)
                orgs.append(o)
                members.append(m)
        self.cell_state = np.array(states, dtype=np.int64)
        self.cell_org = np.array(orgs, dtype=np.int64)
        self.members = np.array(members, dtype=float)
        self.aggression = np.ones(len(members))
        self.loyalty = retaliation.loyalty_draw(self.rng, len(members), self.p["loyalty_mean"])
        self.org_local = np.array([org.kind == "local" for org in self.organisations])
        self.advantage = advantage_matrix(specs, N_STATES)
        self.organisations[self.org_index(self.p["strike_target"])].heir_available = self.p["heir_available"]

    def org_index(self, name: str) -> int:
        return next(o.index for o in self.organisations if o.name == name)

    def live_cells(self, orgs: int | list[int] | np.ndarray) -> np.ndarray:
        """Indices of the cells of these organisations that still have members."""
        return np.flatnonzero(np.isin(self.cell_org, orgs) & (self.members >= CELL_DEATH_MEMBERS))

    def kind_mask(self, kinds: tuple[str, ...]) -> np.ndarray:
        """Which organisations are of one of these kinds (kinds change when factions split off)."""
        return np.array([o.kind in kinds for o in self.organisations])

    def add_organisation(self, name: str, kind: str, like: int | None = None) -> int:
        """A new organisation: a faction or splinter with the relations and market standing of
        `like`, or (without `like`) a new group hostile to all at the base rate."""
        o = self.n_orgs
        self.organisations.append(Organisation(self, o, name, kind))
        if like is None:
            row = np.where(self.org_local, self.p["hostility_local"], self.p["hostility_default"])
            standing = np.ones(N_STATES)
        else:
            row, standing = self.hostility[like], self.advantage[like]
        h = np.zeros((o + 1, o + 1))
        h[:o, :o] = self.hostility
        h[o, :o] = h[:o, o] = row
        self.hostility = h
        self.advantage = np.vstack([self.advantage, standing])
        self.org_local = np.append(self.org_local, False)
        return o

    def set_hostility(self, a: list[int], b: list[int], value: float) -> None:
        """Hostility between every organisation in `a` and every one in `b` (never with itself)."""
        self.hostility[np.ix_(a, b)] = value
        self.hostility[np.ix_(b, a)] = value
        np.fill_diagonal(self.hostility, 0.0)
        self._pairs_key = None  # who fights whom has changed

    def add_cell(self, org: int, state: int, members: float, loyalty: float) -> None:
        """A new cell, e.g. a rival's detachment entering a state."""
        self.cells.append(Cell(self, len(self.cells), self.organisations[org], self.space._cells[state]))
        self.cell_state = np.append(self.cell_state, state)
        self.cell_org = np.append(self.cell_org, org)
        self.members = np.append(self.members, members)
        self.aggression = np.append(self.aggression, 1.0)
        self.loyalty = np.append(self.loyalty, loyalty)

    # ----- views ---------------------------------------------------------------------------
    @property
    def n_orgs(self) -> int:
        return len(self.organisations)

    def org_state_members(self) -> np.ndarray:
        """Members of each organisation in each state (organisations x states)."""
        flat = np.bincount(self.cell_org * N_STATES + self.cell_state, weights=self.members, minlength=self.n_orgs * N_STATES)
        return flat.reshape(self.n_orgs, N_STATES)

    def org_members(self) -> np.ndarray:
        return np.bincount(self.cell_org, weights=self.members, minlength=self.n_orgs)

    def state_members(self) -> np.ndarray:
        return np.bincount(self.cell_state, weights=self.members, minlength=N_STATES)

    @property
    def members_total(self) -> float:
        return float(self.members.sum())

    @property
    def groups_alive(self) -> int:
        return groups_alive(self.org_members(), self.org_local)

    @property
    def effective_groups(self) -> float:
        return effective_groups(self.org_members(), self.org_local)

    # ----- the day -------------------------------------------------------------------------
    def step(self) -> None:
        """One day, in the order of docs/ODD.md (process overview)."""
        today = {}
        self.government.step(self.day)
        raid = self.leadership.step(self.day)
        today["entries"] = self._entry()
        held = self.org_state_members()  # organisations x states, as the day starts
        income = self._income(held)
        self._recruit_and_attrit(income, today)
        self._clash(held, today)
        self._fight_forces(today)
        self._background(today)
        today["homicides_criminal"] = today["homicides_criminal"] + raid
        today["gunmen_killed"] = today["gunmen_killed"] + raid
        today["roadblocks"] = self.leadership.roadblocks_today(self.day)
        today["flow"] = self.government.flow(held)
        self._apply_losses(today)
        end = self.org_state_members()  # as the day ends
        self.record.add(self.day, today, self._levels(end), self._national(self.org_members()))
        self.datacollector.collect(self)
        self.day += 1

    def _entry(self) -> np.ndarray:
        """New groups enter states whose market no group fully serves; cartels absorb some of them.

        Absorption: each day an entrant joins the strongest cartel present in its state (national
        or regional, under its banner as a franchise, 000_325491e1f299dc88.txt) with probability
        `absorb_rate`.
        """
        p = self.p
        cells = self.live_cells(np.flatnonzero(self.kind_mask(("entrant",))))
        joining = cells[self.rng.random(len(cells)) < p["absorb_rate"]]
        if len(joining):
            m = self.org_state_members()
            strength = np.where(self.kind_mask(LEADERSHIP_KINDS)[:, None], m, 0.0)
            for c in joining:
                s = self.cell_state[c]
                if strength[:, s].max() >= CELL_DEATH_MEMBERS:
                    self.cell_org[c] = int(np.argmax(strength[:, s]))
        n = market.entrants(self.rng, self.state_members(), self.revenue / p["member_cost_usd_day"], self.capacity, p["entry_rate"], p["entry_capacity_cost"])
        for s in np.flatnonzero(n):
            for _ in range(n[s]):
                o = self.add_organisation(f"New group {self.geo.abbr[s]} {self.n_orgs}", "entrant")
                self.add_cell(o, int(s), p["entry_members"], float(retaliation.loyalty_draw(self.rng, 1, p["loyalty_mean"])[0]))
        return n.astype(float)

    def _income(self, m: np.ndarray) -> np.ndarray:
        return market.cell_income(self.revenue, m, self.advantage, self.cell_org, self.cell_state, self.members, self.p["market_share_exponent"])

    def _recruit_and_attrit(self, income: np.ndarray, today: dict) -> None:
        p = self.p
        cap = self.capacity[self.cell_state]
        gov = self.government
        new = gov.recruit_factor * recruitment.recruits(self.members, income, p["member_cost_usd_day"], p["recruit_rate_max"], cap, p["capacity_recruit_damping"])
        deserted, arrested = recruitment.attrition(self.members, p["desertion_rate"], p["arrest_rate"] * gov.arrest_factor, cap, self.density_ratio[self.cell_state])
        affordable = income / p["member_cost_usd_day"]
        leaving, joining = recruitment.switch_employers(self.cell_state, self.members, affordable, p["unpaid_switch_rate"], N_STATES)
        self._gain = new + joining
        self._loss = deserted + arrested + leaving
        today["recruits"] = self._per_state(new)
        today["arrests"] = self._per_state(arrested)

    def _clash(self, m: np.ndarray, today: dict) -> None:
        p = self.p
        a, b, s = self._hostile_pairs(m)
        lam = violence.clash_intensity(m[a, s], m[b, s], m.sum(axis=0)[s], self.hostility[a, b], self.capacity[s], p["clash_lethality"], p["evenness_exponent"], p["capacity_violence_damping"])
        lam = lam * (1.0 - p["hold_violence_damping"] * self.government.held[s])
        killed = self.rng.poisson(lam)
        lost_a, lost_b = violence.split_losses(self.rng, killed, m[a, s], m[b, s])
        size = m.size
        lost = (np.bincount(a * N_STATES + s, weights=lost_a, minlength=size) + np.bincount(b * N_STATES + s, weights=lost_b, minlength=size)).reshape(m.shape)
        # Each organisation's dead in a state fall on its cells there in proportion to members.
        held = m[self.cell_org, self.cell_state]
        self._loss += np.divide(lost[self.cell_org, self.cell_state] * self.members, held, out=np.zeros_like(held), where=held > 0)
        clash_dead = np.bincount(s, weights=killed, minlength=N_STATES)
        expected = np.bincount(s, weights=lam, minlength=N_STATES)
        today["homicides_criminal"] = clash_dead
        today["homicides_civilian"] = self.rng.poisson(p["civilians_per_member_killed"] * expected).astype(float)

    def _hostile_pairs(self, m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        presence = m >= CELL_DEATH_MEMBERS
        key = presence.tobytes()
        if key != self._pairs_key:
            self._pairs = violence.hostile_pairs(presence, self.hostility)
            self._pairs_key = key
        return self._pairs

    def _fight_forces(self, today: dict) -> None:
        p = self.p
        armed = self._per_state(self.members * self.aggression)
        dead_forces, dead_gunmen = forces.force_clashes(self.rng, armed, self.density, p["force_attack_rate"], p["gunmen_per_force_killed"])
        share = np.divide(self.members * self.aggression, armed[self.cell_state], out=np.zeros_like(self.members), where=armed[self.cell_state] > 0)
        self._loss += dead_gunmen[self.cell_state] * share
        today["homicides_forces"] = dead_forces.astype(float)
        today["gunmen_killed"] = dead_gunmen.astype(float)
        today["homicides_criminal"] = today["homicides_criminal"] + dead_gunmen

    def _background(self, today: dict) -> None:
        bg = violence.background_homicides(self.rng, self.geo.population, self.p["background_homicide_rate"]).astype(float)
        today["homicides_background"] = bg
        today["homicides_civilian"] = today["homicides_civilian"] + bg

    def _apply_losses(self, today: dict) -> None:
        self.members = np.maximum(self.members + self._gain - self._loss, 0.0)
        self.members[self.members < CELL_DEATH_MEMBERS] = 0.0
        today["homicides"] = today["homicides_criminal"] + today["homicides_civilian"] + today["homicides_forces"]
        today["members"] = self.state_members()

    def _levels(self, m: np.ndarray) -> dict[str, np.ndarray]:
        """Per-state values that do not add up to a national one: each with its MX value last."""
        return {"concentration": np.append(concentration(m), concentration(m.sum(axis=1, keepdims=True)))}

    def _national(self, org_members: np.ndarray) -> dict[str, float]:
        return {
            "groups_alive": float(groups_alive(org_members, self.org_local)),
            "effective_groups": effective_groups(org_members, self.org_local),
            "cjng_loyal_share": self.cjng_loyal_share if self.day >= 0 else float("nan"),
            "held_states": float(self.government.held.sum()),
            "leaders_removed": float(len(self.leadership.removals)),
        }

    @property
    def cjng_loyal_share(self) -> float:
        """Share of CJNG's cells at day 0 that are alive and still with CJNG."""
        cells = self.cjng_cells_d0
        if len(cells) == 0:
            return float("nan")
        return float(((self.cell_org[cells] == self.cjng) & (self.members[cells] >= CELL_DEATH_MEMBERS)).mean())

    def _per_state(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.cell_state, weights=values, minlength=N_STATES)

    # ----- running -------------------------------------------------------------------------
    def run(self) -> None:
        """Simulate the burn-in and the horizon."""
        for _ in range(self.burn_in_days + self.horizon_days):
            if self.day == 0:
                self.cjng_cells_d0 = self.live_cells(self.cjng)
                self.snapshot_d0 = self.snapshot()
            self.step()
        if self.horizon_days == 0:
            self.snapshot_d0 = self.snapshot()

    def snapshot(self) -> dict[str, float]:
        """Stock quantities at the start of the current day."""
        return {
            "members_total": self.members_total,
            "cjng_members": float(self.org_members()[self.cjng]),
            "groups_alive": self.groups_alive,
            "effective_groups": self.effective_groups,
        }
