"""The Mesa model: Mexico's states as a network, armed groups as organisations and cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np

from sim import parameters
from sim.errors import ConfigError
from sim.world import day as the_day
from sim.world import interventions
from sim.world import record as history
from sim.world.agents import Cell, Organisation
from sim.world.calendar import FIRST_DAY, check_days, check_origin, day_of
from sim.world.geography import N_STATES, adjacency, border_graph, border_lists, geography
from sim.world.government import Government
from sim.world.leadership import Leadership
from sim.world.mesa_parts import Agent, DataCollector, Model, Network
from sim.world.metrics import effective_groups, groups_alive
from sim.world.organisations import Relations
from sim.world.placement import advantage_matrix, initial_organisations
from sim.world.population import Population
from sim.world.processes import commanders, expansion, forces, retaliation
from sim.world.recorder import DailyRecord

BURN_IN_DAYS = 365  # default: days of steady world simulated before 1 Jan 2024
NO_PAIRS = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))


class CartelModel(Model):
    """Cartel fragmentation in Mexico, one step per day.

    Keyword arguments are the entries of the parameter table (docs/parameters.md) plus `seed`,
    `burn_in_days` (days of steady world simulated before the daily table starts: 1 Jan 2024, or
    the record's `start`), `origin` (the day the policy levers start and the horizon counts from: a date, default
    day 0, 22 Feb 2026, where the model's calendar counts from; a run's default is the day after the last
    observed month, `calendar.DEFAULT_ORIGIN`; an earlier origin knows only the record's events before it),
    `horizon_days` (days from the origin on; a run always reaches day 0) and `record` (the events
    the world lives through before day 0: a shipped record's name, `none`, a YAML path or a `Record`).

    The world's state has one owner each: the cells' numbers the population
    (sim/world/population.py), the organisations' relations `relations`, the state's troops,
    capacity and revenue the government, leaders and successions the leadership. The day's
    processes run compiled in `sim.world.day.advance`; `step()` is one day, `run_until` runs
    stretches of days in one call where nothing in Python is due.
    """

    def __init__(
        self,
        *,
        seed: int = 1,
        burn_in_days: int = BURN_IN_DAYS,
        horizon_days: int = 730,
        record: str | Path | history.Record = history.DEFAULT,
        origin: dt.date | str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(rng=int(seed))
        burn_in_days, horizon_days = check_days("burn_in_days", burn_in_days), check_days("horizon_days", horizon_days)
        self.p = parameters.resolve(params)
        if self.p["cjng_members"] + self.p["cds_members"] > self.p["members_total"]:
            raise ConfigError(
                f"cjng_members + cds_members = {self.p['cjng_members'] + self.p['cds_members']:g} is not allowed: "
                f"they cannot exceed members_total = {self.p['members_total']:g}"
            )
        self.record = history.load(record)
        self.origin = check_origin(origin, self.record.start)
        self.origin_day = day_of(self.origin)
        if any(e.day >= self.origin_day for e in self.record.events):
            self.record = self.record.before(self.origin)  # a run from an earlier origin knows only the past before it
        self.burn_in_days = burn_in_days
        self.horizon_days = horizon_days
        self.end_day = max(0, self.origin_day + horizon_days)  # the day after the last simulated
        self.branch_day = min(0, self.origin_day)  # the first day scenarios differ: the strike's or the origin's
        self.table_start = day_of(self.record.start)  # the daily table's first day (the record's start)
        self.day = self.table_start - burn_in_days
        self.geo = geography()
        self.space = Network(border_graph(), random=self.random)
        self._build_world()
        history.check_organisations(self.record, (o.name for o in self.organisations))
        self.government = Government(self)
        self.population.set_core(
            commanders.steady(
                self._arrest_rate(), self.p["core_share"], self.p["core_targeting"], self.p["core_rebuild_rate"]
            )
        )
        self._arrest_risk0 = self._arrest_risk(
            self.population.members * self._arrest_rate()
        )  # the steady world's, per state
        self.leadership = Leadership(self)
        self.cjng = self.org_index("CJNG")
        self.cjng_cells_d0 = np.zeros(0, dtype=np.int64)
        self._plan_interventions()
        self._event_arrests = np.zeros(N_STATES)  # commanders arrested by today's interventions
        self._pairs, self._presence = NO_PAIRS, np.zeros((0, 0), dtype=bool)
        self.daily = DailyRecord(start_day=self.table_start, end_day=self.end_day, n_states=N_STATES)
        self.snapshots: dict[str, dict[str, float]] = {}
        # Mesa's DataCollector holds the daily national series for notebooks and mesa.batch_run,
        # from the daily record's first day; `_collect` copies the recorded days into it.
        self.datacollector = DataCollector(
            model_reporters={"day": "day", "members": "members_total", "groups_alive": "groups_alive"}
        )
        self._collected = self.table_start
        # expansion from the daily table's start: the burn-in settles the presence the data describe
        self._next_expansion = self.table_start if self.p["expansion_rate"] > 0 else None

    # ----- construction -------------------------------------------------------------------
    def _build_world(self) -> None:
        specs, hostility = initial_organisations(self.p, self.rng, self.record.world)
        self.relations = Relations(
            [s.kind for s in specs],
            hostility,
            advantage_matrix(specs, self.p, N_STATES),
            [s.home for s in specs],
            self.p,
        )
        self.organisations: list[Organisation] = [
            Organisation(self, o, spec.name, spec.unverified) for o, spec in enumerate(specs)
        ]
        placed = [(s, o, m) for o, spec in enumerate(specs) for s, m in spec.cells]
        states, orgs, members = (np.array(x) for x in zip(*placed))
        loyalty = retaliation.loyalty_draw(self.rng, len(members), self.p["loyalty_mean"])
        self.population = Population(states, orgs, members, loyalty, N_STATES)
        self.cells: list[Cell] = [
            Cell(self, c, self.space[int(s)]) for c, s in enumerate(states)
        ]  # mesa: node id -> Cell

    def _plan_interventions(self) -> None:
        """The record's events, then the scenario's interventions from the origin, in date order."""
        planned = [*self.record.events, *interventions.from_levers(self.p, self.origin)]
        self.interventions = sorted(planned, key=lambda i: i.day)
        self._next = 0

    def org_index(self, name: str) -> int:
        return next(o.index for o in self.organisations if o.name == name)

    def live_cells(self, orgs: int | list[int] | np.ndarray) -> np.ndarray:
        """Indices of the cells of these organisations that still have members."""
        return self.population.live(orgs, self.n_orgs)

    def add_organisation(self, name: str, kind: str, like: int | None = None) -> int:
        """A new organisation: a faction or splinter with the relations and market standing of
        `like`, or (without `like`) a new group hostile to all at the base rate."""
        o = self.relations.add(kind, like)
        self.organisations.append(Organisation(self, o, name))
        return o

    def add_cell(self, org: int, state: int, members: float, loyalty: float) -> int:
        """A new crew of `org` in `state`, its core at full strength."""
        c = self.population.add(org, state, members, loyalty)
        self.cells.append(Cell(self, c, self.space[state]))
        return c

    def detach(self, donor: int, share: float, org: int, state: int) -> int:
        """A detachment of a cell (`share` of its members, its loyalty and core) sets up in `state`."""
        c = self.population.detach(donor, share, org, state)
        self.cells.append(Cell(self, c, self.space[state]))
        return c

    def war(self, a: int, b: int) -> None:
        """Two organisations go to war: both families (the organisations descended from each, as
        `Organisation.lineage` traces them) become enemies at `hostility_war`."""
        roots = [o.lineage() for o in self.organisations]
        ours = [i for i, root in enumerate(roots) if root is roots[a]]
        theirs = [i for i, root in enumerate(roots) if root is roots[b]]
        self.relations.set_hostility(ours, theirs, self.p["hostility_war"])

    def arrest_core(self, org: int, state: int, arrested: float) -> None:
        """`arrested` commanders of an organisation's cells in a state taken out of their core
        (and their cells), in proportion to each cell's core (the record's middle-tier arrests)."""
        cells = self.live_cells(org)
        self._event_arrests[state] += self.population.arrest_core(
            cells[self.population.state[cells] == state], arrested, self.p["core_share"]
        )

    # ----- views ---------------------------------------------------------------------------
    @property
    def n_orgs(self) -> int:
        return len(self.organisations)

    def org_state_members(self) -> np.ndarray:
        """Members of each organisation in each state (organisations x states)."""
        return self.population.by_org_state(self.n_orgs)

    def org_members(self) -> np.ndarray:
        return self.population.by_org(self.n_orgs)

    def state_members(self) -> np.ndarray:
        return self.population.by_state()

    @property
    def troops(self) -> np.ndarray:
        return self.government.troops

    @property
    def members_total(self) -> float:
        return float(self.population.members.sum())

    @property
    def groups_alive(self) -> int:
        return int(groups_alive(self.org_members(), self.relations.local))

    @property
    def effective_groups(self) -> float:
        return float(effective_groups(self.org_members(), self.relations.local))

    @property
    def core_strength(self) -> float:
        """Members' mean core strength relative to the steady world's, nationally (1 before the record)."""
        pop = self.population
        return float(
            commanders.mean_strength(pop.core / pop.core0, pop.members, np.zeros(len(pop), dtype=np.int64), 1)[0]
        )

    @property
    def cjng_loyal_share(self) -> float:
        """Share of CJNG's cells at day 0 that are alive and still with CJNG."""
        return float(the_day.loyal_share(self.cjng_cells_d0, self.population.org, self.population.members, self.cjng))

    def _arrest_risk(self, arrested: np.ndarray) -> np.ndarray:
        """Members arrested per member and year in each state, from each cell's arrests today."""
        members = self.state_members()
        return np.divide(self.population.by_state(arrested) * 365.0, members, out=np.zeros(N_STATES), where=members > 0)

    def _arrest_rate(self) -> np.ndarray:
        """Share of each cell's members arrested (and held) today."""
        pop, gov = self.population, self.government
        arrested = forces.arrests(
            pop.members, gov.arrests_per_day * self.p["arrest_member_share"], gov.capacity[pop.state]
        )
        return np.divide(arrested, pop.members, out=np.zeros_like(arrested), where=pop.members > 0)

    # ----- the day -------------------------------------------------------------------------
    def step(self) -> None:
        """One day, in the order of docs/ODD.md (process overview)."""
        self._advance(self.day + 1)
        self._collect()

    def _advance(self, until: int) -> None:
        """Simulate up to the start of day `until`: each day's interventions and the government's
        and leadership's decisions in Python, then the day's processes compiled, as many days in
        one call as nothing in Python is due."""
        while self.day < until:
            day = self.day
            if day == FIRST_DAY:
                self.snapshots["2024"] = self.snapshot()
            if day == 0:
                self.cjng_cells_d0 = self.live_cells(self.cjng)
                self.snapshots["d0"] = self.snapshot()
            while self._next < len(self.interventions) and self.interventions[self._next].day <= day:
                self.interventions[self._next].apply(self)  # one dated before the run's start applies on its first day
                self._next += 1
            if self._next_expansion is not None and day >= self._next_expansion:
                self._expand()
                self._next_expansion = day + expansion.DAYS
            self.government.step(day)
            busy = self.leadership.busy(day) or self.government.campaign is not None
            raid = self.leadership.step(day) if busy else None
            last = day + 1 if busy else min(until, self._next_stop(day))
            self._run_days(day, last)
            self._after_day(day, raid)

    def _expand(self) -> None:
        """The month's expansion (sim/world/processes/expansion.py): detachments into neighbouring states."""
        pop = self.population
        for o, s, source in expansion.entries(
            self.rng, self.org_state_members(), adjacency(), self.relations.leading(), self.p["expansion_rate"]
        ):
            donors = np.flatnonzero((pop.org == o) & (pop.state == source) & (pop.members > 0))
            self.detach(int(donors[np.argmax(pop.members[donors])]), self.p["encroach_share"], o, s)

    def _next_stop(self, day: int) -> int:
        """The first day after `day` on which Python has something to do."""
        stops = [FIRST_DAY, self.branch_day, 0, self.end_day]
        if self._next < len(self.interventions):
            stops.append(self.interventions[self._next].day)
        if self.leadership.next_attempt is not None:
            stops.append(self.leadership.next_attempt)
        if self._next_expansion is not None:
            stops.append(self._next_expansion)
        return min(s for s in stops if s > day) if any(s > day for s in stops) else day + 1

    def _run_days(self, first: int, last: int) -> None:
        pop, rel, gov, lead = self.population, self.relations, self.government, self.leadership
        if rel.changed:
            self._presence, rel.changed = np.zeros((0, 0), dtype=bool), False
        rec = self.daily
        reached, entries, self._pairs, self._presence = the_day.advance(
            first,
            last,
            self.rng,
            the_day.scalars(self.p, gov.scalars()),
            pop.members,
            pop.core,
            pop.core0,
            pop.state,
            pop.org,
            rel.home,
            rel.local,
            rel.leading(),
            rel.entrant,
            rel.advantage,
            rel.hostility_room,
            gov.moves(),
            lead.aggression(len(pop)),
            self.cjng_cells_d0,
            self.cjng,
            float(lead.removed_since_day0),
            gov.holding,
            gov.local_revenue,
            gov.trafficking,
            gov.capacity,
            gov.density,
            self.geo.population,
            self._arrest_risk0,
            gov.held,
            gov.revenue,
            gov.flow_capacity,
            *border_lists(),
            self._pairs,
            self._presence,
            rec.values,
            rec.level_values,
            rec.national_values,
            rec.start_day,
        )
        self.day = int(reached)
        for s in np.flatnonzero(entries):  # new groups in unserved markets, from the next day on
            for _ in range(int(entries[s])):
                o = self.add_organisation(f"New group {self.geo.abbr[s]} {self.n_orgs}", "entrant")
                self.add_cell(
                    o,
                    int(s),
                    self.p["entry_members"],
                    float(retaliation.loyalty_draw(self.rng, 1, self.p["loyalty_mean"])[0]),
                )

    def _after_day(self, day: int, raid: np.ndarray | None) -> None:
        """What Python adds to the first day's rows: raid deaths, roadblocks, the record's arrests."""
        row = day - self.daily.start_day
        if not 0 <= row < len(self.daily.values):
            self._event_arrests.fill(0.0)
            return
        today = self.daily.values[row]
        if raid is not None and raid.any():
            for metric in (the_day.CRIMINAL, the_day.GUNMEN, the_day.HOMICIDES):
                today[metric] += raid
        if day in self.leadership.roadblocks:
            today[the_day.ROADBLOCKS] = self.leadership.roadblocks[day]
        today[the_day.ARRESTS] += self._event_arrests
        self._event_arrests.fill(0.0)

    def _collect(self) -> None:
        """Copy the days recorded since the last call into the DataCollector (day, members, groups alive)."""
        rec, values = self.daily, self.datacollector.model_vars
        days = range(max(self._collected, rec.start_day), min(self.day, rec.end_day))
        if len(days) == 0:
            return
        rows = slice(days.start - rec.start_day, days.stop - rec.start_day)
        values["day"].extend(days)
        values["members"].extend(rec.values[rows, the_day.MEMBERS].sum(axis=1).tolist())
        values["groups_alive"].extend(rec.national_values[rows, the_day.NAT_GROUPS].astype(int).tolist())
        self._collected = days.stop

    # ----- running -------------------------------------------------------------------------
    def run(self, stop_day: int | None = None) -> None:
        """Simulate the burn-in, the record period and the horizon; with `stop_day`, only up to the
        start of that day (a sampler that weighs a proposal on the months before an origin needs no
        more: the days before it are the same as in the whole run)."""
        self.run_until(self.end_day if stop_day is None else stop_day)  # run_until stops at the horizon
        if self.end_day == 0 and self.day >= self.end_day:
            self.snapshots["d0"] = self.snapshot()
        # Mesa 3.3 counts agent ids per model in a class-level dict (mesa.Agent._ids, private,
        # mesa>=3.3,<4) that holds every model ever made: a process running thousands of them
        # kept them all, about 30 MB a design point. A finished run lets go.
        getattr(Agent, "_ids", {}).pop(self, None)

    def run_until(self, day: int) -> None:
        """Simulate up to the start of `day` (`branch_day`: the past every scenario shares)."""
        self._advance(min(day, self.end_day))
        self._collect()

    def set_levers(self, levers: dict[str, Any]) -> None:
        """Change the levers (parameters of kind `lever`, which act from the origin, the strike from day
        0) of a model not past its branch day: the branch of a shared past into one scenario. Other
        parameters cannot change."""
        if self.day > self.branch_day:
            raise ValueError(f"levers change from day {self.branch_day}, and this model is on day {self.day}")
        new = parameters.resolve({**self.p, **levers})
        fixed = [name for name, value in parameters.split_levers(new)[1].items() if value != self.p[name]]
        if fixed:
            raise ValueError(f"not levers, so not the branch's to change: {', '.join(fixed)}")
        self.p = new
        self.government.check_fronts()
        self.leadership.check_target()
        pending = [
            i for i in self.interventions[self._next :] if i.source != interventions.LEVER_SOURCE
        ]  # the record's
        self.interventions[self._next :] = sorted(
            pending + interventions.from_levers(new, self.origin), key=lambda i: i.day
        )

    def snapshot(self) -> dict[str, float]:
        """Stock quantities at the start of the current day."""
        return {
            "members_total": self.members_total,
            "cjng_members": float(self.org_members()[self.cjng]),
            "groups_alive": self.groups_alive,
            "effective_groups": self.effective_groups,
        }
