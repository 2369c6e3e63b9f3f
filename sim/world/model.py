"""The Mesa model: Mexico's states as a network, armed groups as organisations and cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mesa
import numpy as np
from mesa.discrete_space import Network

from sim import parameters
from sim.errors import ConfigError
from sim.world import record as history
from sim.world.agents import Cell, Organisation
from sim.world.calendar import FIRST_DAY
from sim.world.geography import N_STATES, border_graph, geography
from sim.world.government import Government
from sim.world.leadership import LEADERSHIP_KINDS, Leadership
from sim.world.metrics import CELL_DEATH_MEMBERS, concentration, effective_groups, groups_alive
from sim.world.placement import advantage_matrix, initial_organisations
from sim.world import kernel
from sim.world.processes import core, forces, market, recruitment, retaliation, violence
from sim.world.recorder import METRICS, NATIONAL, DailyRecord

BURN_IN_DAYS = 365  # default: days of steady world simulated before 1 Jan 2024
LOYAL, HELD, REMOVED = (NATIONAL.index(k) for k in ("cjng_loyal_share", "held_states", "leaders_removed"))


class CartelModel(mesa.Model):
    """Cartel fragmentation in Mexico, one step per day.

    Keyword arguments are the entries of the parameter table (docs/parameters.md) plus `seed`,
    `burn_in_days` (days of steady world simulated before 1 Jan 2024, when the daily table
    starts), `horizon_days` (days from day 0, 22 Feb 2026, on) and `record` (the events the world
    lives through before day 0: a shipped record's name, `none`, a YAML path or a `Record`).
    `compiled` chooses the day's compiled kernels (sim/world/kernel.py) or the numpy processes;
    both give the same numbers, and by default the kernels run when numba is installed.
    """

    def __init__(
        self,
        *,
        seed: int = 1,
        burn_in_days: int = BURN_IN_DAYS,
        horizon_days: int = 730,
        record: str | Path | history.Record = history.DEFAULT,
        compiled: bool | None = None,
        **params: Any,
    ) -> None:
        super().__init__(rng=int(seed))
        for name, value in (("burn_in_days", burn_in_days), ("horizon_days", horizon_days)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ConfigError(f"{name} = {value!r} is not allowed: it must be a whole number of days >= 0")
        self.p = parameters.resolve(params)
        if self.p["cjng_members"] + self.p["cds_members"] > self.p["members_total"]:
            raise ConfigError(
                f"cjng_members + cds_members = {self.p['cjng_members'] + self.p['cds_members']:g} is not allowed: "
                f"they cannot exceed members_total = {self.p['members_total']:g}"
            )
        self.record = history.load(record)
        # the kernels draw from the model's PCG64 stream as numpy would (sim/world/draws.py)
        self.compiled = (kernel.AVAILABLE if compiled is None else compiled) and isinstance(self.rng.bit_generator, np.random.PCG64)
        self.burn_in_days = burn_in_days
        self.horizon_days = horizon_days
        self.day = FIRST_DAY - burn_in_days
        self.geo = geography()
        self.space = Network(border_graph(), random=self.random)
        self._build_world()
        history.check_organisations(self.record, (o.name for o in self.organisations))
        self._next_event = 0  # index of the record's first event not yet applied
        self.capacity = forces.state_capacity(self.geo.rule_of_law, self.p["state_capacity"], self.p["capacity_index_exponent"])
        self.government = Government(self)  # sets troops, densities, held states and revenue
        self.core = core.steady(self._arrest_rate(), self.p["core_share"], self.p["core_targeting"], self.p["core_rebuild_rate"])
        self.core0 = self.core.copy()  # each cell's core strength in the steady world: clashes scale with core / core0
        self._arrest_risk0 = self._state_arrest_risk(self.members * self._arrest_rate())  # the steady world's, per state
        self._pairs_key: bytes | None = None
        self.leadership = Leadership(self)
        self.cjng = self.org_index("CJNG")
        self.cjng_cells_d0 = np.zeros(0, dtype=np.int64)
        self._event_arrests = np.zeros(N_STATES)  # commanders arrested by the record's events today
        self.daily = DailyRecord(start_day=FIRST_DAY, end_day=horizon_days, n_states=N_STATES)
        self.snapshots: dict[str, dict[str, float]] = {}
        # Mesa's DataCollector holds the daily national series for mesa.batch_run and notebooks; the
        # model appends the day's values to it itself (`_collect`): collect() deep-copies each value,
        # which costs more than a day's processes.
        self.datacollector = mesa.DataCollector(
            model_reporters={"day": "day", "members": "members_total", "groups_alive": "groups_alive"}
        )
        self._scalars_key: tuple[float, float] | None = None

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
        self.org_network = np.array([market.network_share(org.kind, 1.0, self.p) for org in self.organisations])
        self.org_entrant = np.zeros(len(self.organisations), dtype=bool)
        self.advantage = advantage_matrix(specs, self.p, N_STATES)
        self.home = np.array([spec.home for spec in specs])

    def org_index(self, name: str) -> int:
        return next(o.index for o in self.organisations if o.name == name)

    def live_cells(self, orgs: int | list[int] | np.ndarray) -> np.ndarray:
        """Indices of the cells of these organisations that still have members."""
        chosen = np.zeros(self.n_orgs, dtype=bool)
        chosen[orgs] = True  # a lookup by organisation: np.isin sorts, and runs every day of a succession
        return np.flatnonzero(chosen[self.cell_org] & (self.members >= CELL_DEATH_MEMBERS))

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
        self.home = np.append(self.home, -1)
        self.org_local = np.append(self.org_local, False)
        self.org_network = np.append(self.org_network, market.network_share(kind, self.org_network[like] if like is not None else 1.0, self.p))
        self.org_entrant = np.append(self.org_entrant, kind == "entrant")
        return o

    def set_hostility(self, a: list[int], b: list[int], value: float) -> None:
        """Hostility between every organisation in `a` and every one in `b` (never with itself)."""
        self.hostility[np.ix_(a, b)] = value
        self.hostility[np.ix_(b, a)] = value
        np.fill_diagonal(self.hostility, 0.0)
        self._pairs_key = None  # who fights whom has changed

    def add_cell(self, org: int, state: int, members: float, loyalty: float, core: float = 1.0, core0: float = 1.0) -> None:
        """A new cell, e.g. a rival's detachment entering a state (by default a new crew, its core at full strength)."""
        self.cells.append(Cell(self, len(self.cells), self.organisations[org], self.space._cells[state]))
        self.cell_state = np.append(self.cell_state, state)
        self.cell_org = np.append(self.cell_org, org)
        self.members = np.append(self.members, members)
        self.core = np.append(self.core, core)
        self.core0 = np.append(self.core0, core0)
        self.aggression = np.append(self.aggression, 1.0)
        self.loyalty = np.append(self.loyalty, loyalty)

    def arrest_core(self, org: int, state: int, arrested: float) -> None:
        """`arrested` commanders of an organisation's cells in a state taken out of their core
        (and their cells), in proportion to each cell's core (the record's middle-tier arrests)."""
        cells = self.live_cells(org)
        cells = cells[self.cell_state[cells] == state]
        in_place = self.core[cells] * self.p["core_share"] * self.members[cells]
        if in_place.sum() <= 0:
            return
        taken = np.minimum(in_place, arrested * in_place / in_place.sum())
        self.core[cells] = (in_place - taken) / (self.p["core_share"] * self.members[cells])
        self.members[cells] -= taken
        self._event_arrests[state] += taken.sum()

    # ----- views ---------------------------------------------------------------------------
    @property
    def n_orgs(self) -> int:
        return len(self.organisations)

    def org_state_members(self) -> np.ndarray:
        """Members of each organisation in each state (organisations x states)."""
        if self.compiled:
            return kernel.org_state(self.members, self.cell_org, self.cell_state, self.n_orgs, N_STATES)
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

    @property
    def core_strength(self) -> float:
        """Members' mean core strength relative to the steady world's, nationally (1 before the record)."""
        return float(core.mean_strength(self.core / self.core0, self.members, np.zeros(len(self.members), dtype=np.int64), 1)[0])

    def _state_arrest_risk(self, arrested: np.ndarray) -> np.ndarray:
        """Members arrested per member and year in each state, from each cell's arrests today."""
        members = self.state_members()
        return np.divide(self._per_state(arrested) * 365.0, members, out=np.zeros(N_STATES), where=members > 0)

    def _arrest_rate(self) -> np.ndarray:
        """Share of each cell's members arrested (and held) today."""
        p, gov = self.p, self.government
        arrested = forces.arrests(self.members, gov.arrests_per_day * p["arrest_member_share"], self.capacity[self.cell_state])
        return np.divide(arrested, self.members, out=np.zeros_like(arrested), where=self.members > 0)

    # ----- the day -------------------------------------------------------------------------
    def step(self) -> None:
        """One day, in the order of docs/ODD.md (process overview)."""
        events = self.record.events
        while self._next_event < len(events) and events[self._next_event].day <= self.day:
            history.apply(self, events[self._next_event])  # an event before the run's start applies on its first day
            self._next_event += 1
        self.government.step(self.day)
        raid = self.leadership.step(self.day)
        today, levels, national = self.daily.rows(self.day)
        today[kernel.ENTRIES] = self._entry()
        held = self.org_state_members()  # organisations x states, as the day starts
        if self.compiled:
            self._processes_compiled(held, raid, today, levels[0], national)
        else:
            self._processes(held, raid, today, levels[0], national)
        if self.leadership.roadblocks:
            today[kernel.ROADBLOCKS] = self.leadership.roadblocks_today(self.day)
        today[kernel.ARRESTS] += self._event_arrests
        self._event_arrests.fill(0.0)
        national[REMOVED] = self.leadership.removed_since_day0
        self._collect(today, national)
        self.day += 1

    def _collect(self, today: np.ndarray, national: np.ndarray) -> None:
        """The DataCollector's values of the day (its reporters: day, members, groups alive)."""
        values = self.datacollector.model_vars
        values["day"].append(self.day)
        values["members"].append(float(today[kernel.MEMBERS].sum()))
        values["groups_alive"].append(int(national[kernel.NAT_GROUPS]))

    def _processes(self, held: np.ndarray, raid: np.ndarray, today: np.ndarray, levels: np.ndarray, national: np.ndarray) -> None:
        """Income to the day's end with the array functions of sim/world/processes (the reference
        path; `_processes_compiled` does the same in one kernel)."""
        t: dict[str, np.ndarray] = {}
        income = self._income(held)
        self._recruit_and_attrit(income, t)
        self._clash(held, t)
        self._fight_forces(t)
        self._background(t)
        t["homicides_criminal"] = t["homicides_criminal"] + raid
        t["gunmen_killed"] = t["gunmen_killed"] + raid
        t["flow"] = self.government.flow(held)
        self._apply_losses(t)
        for i, metric in enumerate(METRICS):
            if metric in t:
                today[i] = t[metric]
        end = self.org_state_members()  # as the day ends
        levels[:] = np.append(concentration(end), concentration(end.sum(axis=1, keepdims=True)))
        org_members = self.org_members()
        national[NATIONAL.index("groups_alive")] = groups_alive(org_members, self.org_local)
        national[NATIONAL.index("effective_groups")] = effective_groups(org_members, self.org_local)
        national[NATIONAL.index("core_strength")] = self.core_strength
        national[LOYAL] = self.cjng_loyal_share
        national[HELD] = self.government.held.sum()

    def _processes_compiled(self, held: np.ndarray, raid: np.ndarray, today: np.ndarray, levels: np.ndarray, national: np.ndarray) -> None:
        """What `_processes` does, in the compiled kernel of sim/world/kernel.py."""
        p, gov = self.p, self.government
        a, b, s = self._hostile_pairs(held)
        key = (gov.recruit_factor, gov.arrests_per_day * p["arrest_member_share"])
        if key != self._scalars_key:  # the levers and the record change them on a few days only
            self._scalars, self._scalars_key = kernel.scalars(p, *key), key
        kernel.day(
            self.members, self.core, self.core0, self.cell_state, self.cell_org, self.home, self.org_local, self.advantage, self.aggression,
            held, a, b, s, self.hostility, self.revenue, self.capacity, gov.held, gov.flow_capacity, gov.moves(), self.density, self.geo.population,
            self._arrest_risk0, raid, self.cjng_cells_d0, self.cjng, self._scalars, self.rng.bit_generator.ctypes.state_address,
            today, levels, national,
        )

    def _entry(self) -> np.ndarray:
        """New groups enter states whose market no group fully serves; cartels absorb some of them.

        Absorption: each day an entrant joins the strongest cartel present in its state (national
        or regional, under its banner as a franchise, 000_325491e1f299dc88.txt) with probability
        `absorb_rate`.
        """
        p = self.p
        if self.compiled:
            drawn = kernel.entry(self.members, self.cell_state, self.cell_org, self.org_entrant, self.revenue, p["member_cost_usd_day"],
                                 self.capacity, p["entry_rate"], p["entry_capacity_cost"], p["absorb_rate"],
                                 self.rng.bit_generator.ctypes.state_address, N_STATES)
            n, joining = drawn[:N_STATES], drawn[N_STATES:]
        else:
            cells = np.flatnonzero(self.org_entrant[self.cell_org] & (self.members >= CELL_DEATH_MEMBERS))
            joining = cells[self.rng.random(len(cells)) < p["absorb_rate"]]
            lam = market.entry_rates(self.state_members(), self.revenue / p["member_cost_usd_day"], self.capacity, p["entry_rate"], p["entry_capacity_cost"])
            n = self.rng.poisson(lam)
        if len(joining):
            m = self.org_state_members()
            strength = np.where(self.kind_mask(LEADERSHIP_KINDS)[:, None], m, 0.0)
            for c in joining:
                s = self.cell_state[c]
                if strength[:, s].max() >= CELL_DEATH_MEMBERS:
                    self.cell_org[c] = int(np.argmax(strength[:, s]))
        for s in n.nonzero()[0]:
            for _ in range(n[s]):
                o = self.add_organisation(f"New group {self.geo.abbr[s]} {self.n_orgs}", "entrant")
                self.add_cell(o, int(s), p["entry_members"], float(retaliation.loyalty_draw(self.rng, 1, p["loyalty_mean"])[0]))
        return n

    def _income(self, m: np.ndarray) -> np.ndarray:
        """Each cell's share of its state's market, and a national cartel's home guard its leadership's pay."""
        p = self.p
        share = market.shares(self.advantage, m, p["market_share_exponent"])
        income = market.cell_income(self.revenue, share, m, self.cell_org, self.cell_state, self.members)
        pay = market.home_pay(share, self.government.flow_capacity, p["trafficking_labour_share"], p["home_guard_share"], self.home)
        at_home = self.cell_state == self.home[self.cell_org]
        held = m[self.cell_org, self.cell_state]
        guard = np.divide(pay[self.cell_org] * self.members, held, out=np.zeros_like(held), where=at_home & (held > 0))
        return income + guard

    def _recruit_and_attrit(self, income: np.ndarray, today: dict) -> None:
        """Recruits and unpaid members moving in; desertion, arrests (the core among them) and
        unpaid members moving out."""
        p = self.p
        cap = self.capacity[self.cell_state]
        gov = self.government
        new = gov.recruit_factor * recruitment.recruits(self.members, income, p["member_cost_usd_day"], p["recruit_rate_max"], cap, p["capacity_recruit_damping"])
        deserted = recruitment.desertion(self.members, p["desertion_rate"])
        self._arrested_share = self._arrest_rate()
        arrested = self.members * self._arrested_share
        affordable = income / p["member_cost_usd_day"]
        leaving, joining = recruitment.switch_employers(self.cell_state, self.members, affordable, p["unpaid_switch_rate"], N_STATES)
        self._gain = new + joining
        self._loss = deserted + arrested + leaving
        self._arrest_risk = self._state_arrest_risk(arrested)
        today["recruits"] = self._per_state(new)
        today["arrests"] = self._per_state(arrested)

    def _clash(self, m: np.ndarray, today: dict) -> None:
        """Clashes between hostile groups in each state, scaled by the violence each side's core
        can organise (its strength relative to the steady world's); part of the dead disappear
        where arrests bite harder than in the steady world."""
        p = self.p
        a, b, s = self._hostile_pairs(m)
        v = core.mean_strength(self.core / self.core0, self.members, self.cell_org * N_STATES + self.cell_state, m.size).reshape(m.shape)
        v = v ** p["core_violence_exponent"]
        lam = violence.clash_intensity(m[a, s], m[b, s], m.sum(axis=0)[s], v[a, s], v[b, s], self.hostility[a, b], self.capacity[s], p["clash_lethality"], p["evenness_exponent"], p["capacity_violence_damping"])
        lam = lam * (1.0 - p["hold_violence_damping"] * self.government.held[s])
        killed = self.rng.poisson(lam)
        lost_a, lost_b = violence.split_losses(self.rng, killed, m[a, s] * v[a, s], m[b, s] * v[b, s])
        size = m.size
        lost = (np.bincount(a * N_STATES + s, weights=lost_a, minlength=size) + np.bincount(b * N_STATES + s, weights=lost_b, minlength=size)).reshape(m.shape)
        # Each organisation's dead in a state fall on its cells there in proportion to members.
        held = m[self.cell_org, self.cell_state]
        self._loss += np.divide(lost[self.cell_org, self.cell_state] * self.members, held, out=np.zeros_like(held), where=held > 0)
        clash_dead = np.bincount(s, weights=killed, minlength=N_STATES).astype(np.int64)
        civilians = self.rng.poisson(p["civilians_per_member_killed"] * np.bincount(s, weights=lam, minlength=N_STATES))
        hidden = violence.hidden_share(np.maximum(self._arrest_risk - self._arrest_risk0, 0.0), p["concealment"])
        hidden_dead, hidden_civilians = self.rng.binomial(clash_dead, hidden), self.rng.binomial(civilians, hidden)
        today["homicides_criminal"] = (clash_dead - hidden_dead).astype(float)
        today["homicides_civilian"] = (civilians - hidden_civilians).astype(float)
        today["homicides_hidden"] = (hidden_dead + hidden_civilians).astype(float)

    def _hostile_pairs(self, m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        presence = m >= CELL_DEATH_MEMBERS
        key = presence.tobytes()
        if key != self._pairs_key:
            pairs = kernel.hostile_pairs if self.compiled else violence.hostile_pairs
            self._pairs = pairs(presence, self.hostility)
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
        """Members change by gains less losses; the core loses its arrested and rebuilds by promotion."""
        p = self.p
        self.members = np.maximum(self.members + self._gain - self._loss, 0.0)
        self.members[self.members < CELL_DEATH_MEMBERS] = 0.0
        q = core.after_arrests(self.core, self._arrested_share, p["core_share"], p["core_targeting"])
        self.core = core.rebuilt(q, p["core_rebuild_rate"])
        today["homicides"] = today["homicides_criminal"] + today["homicides_civilian"] + today["homicides_forces"]
        today["members"] = self.state_members()

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
        """Simulate the burn-in, the record period and the horizon."""
        self.run_until(self.horizon_days)
        if self.horizon_days == 0:
            self.snapshots["d0"] = self.snapshot()
        # Mesa 3.3 counts agent ids per model in a class-level dict (mesa.Agent._ids) that holds
        # every model ever made: a process running thousands of them (a sweep's worker, a
        # sensitivity design) kept them all, about 30 MB a design point. A finished run lets go.
        getattr(mesa.Agent, "_ids", {}).pop(self, None)

    def run_until(self, day: int) -> None:
        """Simulate up to the start of `day` (day 0: the past every scenario shares)."""
        while self.day < min(day, self.horizon_days):
            if self.day == FIRST_DAY:
                self.snapshots["2024"] = self.snapshot()
            if self.day == 0:
                self.cjng_cells_d0 = self.live_cells(self.cjng)
                self.snapshots["d0"] = self.snapshot()
            self.step()

    def set_levers(self, levers: dict[str, Any]) -> None:
        """Change the levers (parameters of kind `lever`, which act from day 0) of a model not past
        day 0: the branch of a shared past into one scenario. Other parameters cannot change."""
        if self.day > 0:
            raise ValueError(f"levers change from day 0, and this model is on day {self.day}")
        new = parameters.resolve({**self.p, **levers})
        fixed = [name for name, value in parameters.split_levers(new)[1].items() if value != self.p[name]]
        if fixed:
            raise ValueError(f"not levers, so not the branch's to change: {', '.join(fixed)}")
        self.p = new
        self.government.check_fronts()
        self.leadership.check_target()
        self._scalars_key = None

    def snapshot(self) -> dict[str, float]:
        """Stock quantities at the start of the current day."""
        return {
            "members_total": self.members_total,
            "cjng_members": float(self.org_members()[self.cjng]),
            "groups_alive": self.groups_alive,
            "effective_groups": self.effective_groups,
        }
