"""Leaders, their removal and what follows: the raid, the retaliation wave, the succession.

`Leadership` runs once a day before the market (phase 2 in docs/ODD.md). It attempts the
scheduled strike, and for every organisation whose leader is gone it plays out the succession:
a quick hand-over to an heir, or the lieutenants' decisions (to claim their region or submit),
whose breakaway factions fight the brand, while cells defect to rivals and rivals enter the
weakened organisation's states.

A leader leaves in one of four modes: killed or captured by the state (a raid, a retaliation
wave and attacks on forces follow, at `capture_retaliation_share` of a killing's after a capture,
which also yields arrests of the core; any removal by the state disorganises, taking
`decapitation_core_loss` of the organisation's core; a leader captured and held names a successor
from prison with chance `held_leader_authority`, until he is extradited), extradited, or betrayed
by an ally who hands him over (no raid and no wave: his organisation and the betrayer's go to war).

Every succession is a contest: the lieutenants decide whether to claim their regions, each with a
chance (`succession.claim_probability`), against a claim ratio that a named successor (an heir, or
one named from prison) scales by `heir_claim_factor`, up if he deters challenges, down if he
invites them. Whether a removal raises or lowers violence is what these processes make of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.errors import ConfigError
from sim.world.geography import N_STATES, adjacency, border_distance
from sim.world.metrics import CELL_DEATH_MEMBERS
from sim.world.processes import retaliation, succession
from sim.world.processes.retaliation import Wave

if TYPE_CHECKING:
    from sim.world.agents import Organisation
    from sim.world.model import CartelModel


class Leadership:
    """The government's strike and the succession process of every organisation."""

    def __init__(self, model: CartelModel) -> None:
        self.model = model
        self.check_target()
        self.next_attempt: int | None = None  # the strike is scheduled on day 0 (interventions.Strike)
        self.strike_mode = "killed"  # how the government's operations remove a leader (interventions.Strike)
        self.success = 0.0  # a strike attempt's chance of success
        self.removals: list[dict] = []  # one entry per removed leader: org, day, home, mode, wave
        self.roadblocks: dict[int, np.ndarray] = {}  # day -> roadblocks set per state
        self.retaliations: list[tuple[np.ndarray, int, int, float]] = []  # (cells, last day + 1, home state, revenge)
        self.unsettled: list[Organisation] = []  # in a succession or short of full cohesion, by index
        self._surge: dict[int, float] = {}  # cell -> aggression toward forces during a retaliation
        self._raid = np.zeros(N_STATES)  # members killed in today's raids, per state

    def check_target(self) -> None:
        """Check the strike's levers when the run starts (and again when a branch changes them), so
        that a bad target fails at once rather than on day 0; until day 0's interventions.Strike
        the target is the one named."""
        p = self.model.p
        if p["strike_state"] > N_STATES:
            raise ConfigError(
                f"strike_state = {p['strike_state']} is not allowed: "
                f"it must be an INEGI state code from 1 to {N_STATES}"
            )
        self.target = self.model.org_index(p["strike_target"])
        self.strike_state = p["strike_state"] - 1

    def adopt_strike(self, day: int | None, target: int, state: int, mode: str, success: float, heir: bool) -> None:
        """The kingpin strategy from day 0 (interventions.Strike): the strike's day (None: no
        strike), its target and state (an index), the removal mode of the government's
        operations, an attempt's chance and whether the target has an heir ready."""
        self.next_attempt, self.target, self.strike_state = day, target, state
        self.strike_mode, self.success = mode, success
        self.model.organisations[target].heir_available = heir

    def lose_leader(self, org: Organisation, day: int, mode: str, by: int | None, heir: bool) -> None:
        """The record's removal of a leader (interventions.RemoveLeader): whether an heir is ready,
        and the removal if the leader is still there."""
        org.heir_available = heir
        if org.leader_present:
            self.remove_leader(org, day, mode=mode, by=by)

    def busy(self, day: int) -> bool:
        """Whether today needs the leadership's step: an attempt, a succession, a wave."""
        return (
            self.next_attempt == day
            or bool(self.unsettled)
            or bool(self.retaliations)
            or bool(self._surge)
            or day in self.roadblocks
        )

    def aggression(self, n_cells: int) -> np.ndarray:
        """Each cell's aggression toward forces today: 1, raised during a retaliation."""
        out = np.ones(n_cells)
        for cell, value in self._surge.items():
            out[cell] = value
        return out

    @property
    def removed_since_day0(self) -> int:
        return sum(r["day"] >= 0 for r in self.removals)

    # ----- the day -------------------------------------------------------------------------
    def step(self, day: int) -> np.ndarray:
        """Today's strike attempt and succession dynamics; returns today's raid deaths per state."""
        if self.next_attempt == day:
            self._attempt(day)
        if self.unsettled:
            reach = self.model.relations.leading()
            for org in list(self.unsettled):
                if org.succession == "contest":
                    self._contest(org, day)
                if org.cohesion < 1.0:
                    self._defections(org)
                    self._encroachment(org, reach)
                    self._recover(org, day)
            self.unsettled = [org for org in self.unsettled if org.cohesion < 1.0 or org.succession]
        if self.retaliations or self._surge:
            self._retaliate(day)
        raid, self._raid = self._raid, np.zeros(N_STATES)
        return raid

    def roadblocks_today(self, day: int) -> np.ndarray:
        """Roadblocks set today per state (zeros outside any wave)."""
        return self.roadblocks.get(day, np.zeros(N_STATES))

    # ----- the strike ----------------------------------------------------------------------
    def _attempt(self, day: int) -> None:
        p, model = self.model.p, self.model
        org = model.organisations[self.target]
        if not org.leader_present or model.rng.random() >= self.success:
            self.next_attempt = day + p["hvt_retry_days"] if org.leader_present else None
            return
        self.next_attempt = None
        self.remove_leader(org, day, home=self.strike_state, mode=self.strike_mode)

    def remove_leader(
        self, org: Organisation, day: int, home: int | None = None, mode: str = "killed", by: int | None = None
    ) -> None:
        """The leader leaves (`mode`: killed, captured, extradited, or betrayed `by` an ally) and the succession starts.

        A removal by the state brings the raid (in `home`, by default where the organisation has
        most members), the retaliation wave and attacks on forces; a betrayal brings none of them.
        """
        p, model = self.model.p, self.model
        cells = model.live_cells(org.index)
        pop = model.population
        if home is None:
            home = int(np.argmax(np.bincount(pop.state[cells], weights=pop.members[cells], minlength=N_STATES)))
        wave = None
        if mode == "betrayed":
            self._avenge(org, by)
        else:
            wave = self._raid_and_wave(
                cells, home, day, revenge=1.0 if mode == "killed" else p["capture_retaliation_share"]
            )
            model.population.lose_core(cells, p["decapitation_core_loss"])  # the leadership's organising is gone
            if mode != "killed":  # what a captured leader's phones and papers lead to
                model.population.lose_core(cells, p["capture_intel_core_share"])
        # a leader held in Mexico backs a successor from prison only if his authority reaches out of it
        org.leader_held = mode == "captured" and bool(model.rng.random() < p["held_leader_authority"])
        org.leader_present = False
        org.removed_day = day
        if org not in self.unsettled:
            self.unsettled = sorted([*self.unsettled, org], key=lambda o: o.index)
        self.removals.append({"org": org.name, "day": day, "home": home, "mode": mode, "wave": wave})
        named = org.heir_available or org.leader_held  # an heir, or a successor named from prison
        self._start_contest(org, cells, p["heir_claim_factor"] if named else 1.0)

    def _hand_over(self, org: Organisation, day: int) -> None:
        """A successor takes over uncontested (no lieutenant claimed): cohesion falls to an heir's
        and he consolidates after `heir_succession_days`."""
        p = self.model.p
        org.succession = "heir"
        org.cohesion = p["heir_cohesion"]
        org.consolidated_day = day + p["heir_succession_days"]

    def _raid_and_wave(self, cells: np.ndarray, home: int, day: int, revenge: float) -> Wave:
        """The raid's dead in `home`, the roadblocks of the organisation's cells and their attacks on forces.

        Roadblocks follow any removal by the state (they cover escapes and block transfers); the
        attacks on forces are revenge, at full strength for a killed leader and at `revenge` of it
        for a captured one (Dickenson 2014: killings are followed by more violence than captures).
        """
        p, model, pop = self.model.p, self.model, self.model.population
        self._raid[home] += pop.kill(cells[pop.state[cells] == home], p["raid_gunmen_killed"])
        wave = retaliation.roadblocks(
            model.rng,
            pop.state[cells],
            pop.members[cells],
            pop.loyalty[cells],
            model.government.density_ratio,
            p["roadblock_rate"],
            p["roadblock_size_exponent"],
            p["roadblock_onset_hours"],
            p["clearance_rate_hour"],
        )
        for offset, row in enumerate(retaliation.per_day(wave, N_STATES)):
            self.roadblocks[day + offset] = self.roadblocks.get(day + offset, np.zeros(N_STATES)) + row
        self.retaliations.append((cells, day + p["retaliation_days"], home, revenge))
        return wave

    def extradite(self, names: list[str], prisoners: int, day: int) -> None:
        """Up to `prisoners` leaders held in Mexican prisons (of the organisations named, or of
        any) are sent to the US: a successor still being named from prison loses his backing and
        the lieutenants contest the succession as if none had been named."""
        model = self.model
        held = [o for o in model.organisations if o.leader_held and (not names or o.name in names)]
        for org in held[:prisoners]:
            org.leader_held = False
            if org.succession == "heir" and org.consolidated_day is not None and day < org.consolidated_day:
                org.consolidated_day = None
                self._start_contest(org, model.live_cells(org.index))

    def _retaliate(self, day: int) -> None:
        p, pop = self.model.p, self.model.population
        self._surge = {}
        self.retaliations = [r for r in self.retaliations if day < r[1]]
        for cells, _, home, revenge in self.retaliations:
            hops = border_distance()[home, pop.state[cells]]
            surge = retaliation.attack_aggression(
                pop.loyalty[cells], hops, revenge * p["retaliation_attack_surge"], p["retaliation_distance_decay"]
            )
            self._surge.update(zip(cells.tolist(), surge.tolist()))

    # ----- succession ----------------------------------------------------------------------
    def _start_contest(self, org: Organisation, cells: np.ndarray, factor: float = 1.0) -> None:
        """The lieutenants decide: the strongest claims the brand, the others claim their region
        or submit (`succession.lieutenant_choices`, against `succession_claim_ratio` x `factor`:
        a named successor's legitimacy, 1 without one; each lieutenant's chance decided by a draw
        of the model's random numbers, one per lieutenant in his order, after the cells' draws); a
        claimant's faction is the cells that do follow him (`succession.follows_lieutenant`), the
        rest stay with the brand.

        Lieutenants command regions around the organisation's strongholds as it stands today.
        With no faction the succession is a hand-over to the brand's claimant (or the named successor).
        """
        model, p, pop = self.model, self.model.p, self.model.population
        org.factions = []
        if len(cells) == 0:
            return
        lts = succession.assign_lieutenants(pop.state[cells], pop.members[cells], p["lieutenants"], border_distance())
        follows = succession.follows_lieutenant(pop.loyalty[cells], model.rng.random(len(cells)))
        claimant, choice = succession.lieutenant_choices(
            lts,
            pop.members[cells],
            pop.loyalty[cells],
            self._stakes(cells),
            p["succession_claim_ratio"] * factor,
            p["succession_claim_noise"],
            model.rng.random(int(lts.max()) + 1),
        )
        for lt in np.flatnonzero(choice == 1):
            moving = cells[(lts == lt) & follows]
            if len(moving) == 0:  # he claimed, but no cell followed him
                continue
            f = model.add_organisation(f"{org.name} faction {len(org.factions) + 1}", "faction", like=org.index)
            model.organisations[f].parent = org
            org.factions.append(f)
            pop.move(moving, f)
        if not org.factions:  # every lieutenant submits: the claimant takes over
            self._hand_over(org, model.day)
            return
        org.succession = "contest"
        family = [org.index] + org.factions
        model.relations.set_hostility(family, family, p["hostility_succession"])
        org.cohesion = p["heir_cohesion"] * succession.claimant_share(
            model.org_members()[family]
        )  # an heir's, less the breakaways

    def _stakes(self, cells: np.ndarray) -> np.ndarray:
        """What each cell's region is worth to a lieutenant: the revenue per armed member of its
        state, over the organisation's mean (member-weighted)."""
        pop = self.model.population
        armed = pop.by_state()
        per_member = np.divide(self.model.government.revenue, armed, out=np.zeros(N_STATES), where=armed > 0)
        value = per_member[pop.state[cells]]
        mean = np.average(value, weights=pop.members[cells]) if pop.members[cells].sum() > 0 else 0.0
        return value / mean if mean > 0 else np.ones(len(cells))

    def _contest(self, org: Organisation, day: int) -> None:
        model, p = self.model, self.model.p
        family = [org.index] + org.factions
        share = succession.claimant_share(model.org_members()[family])
        for f in org.factions:
            cells = model.live_cells(f)
            moving = cells[succession.realign(model.rng, len(cells), p["realign_rate"], share)]
            model.population.move(moving, org.index)
        share = succession.claimant_share(model.org_members()[family])
        org.cohesion = p["heir_cohesion"] * share
        if (
            share >= p["consolidation_share"] and day >= org.removed_day + p["heir_succession_days"]
        ):  # no faster than an heir
            org.succession = "heir"  # from here on like a hand-over: cohesion recovers
            org.consolidated_day = day
            for f in org.factions:
                model.organisations[f].kind = "splinter"
            org.factions = []

    def _defections(self, org: Organisation) -> None:
        model, p = self.model, self.model.p
        family = np.array([org.index] + org.factions)
        cells = model.live_cells(family)
        leaving = cells[succession.defect(model.rng, len(cells), p["defect_rate"], org.cohesion)]
        if len(leaving) == 0:
            return
        m = model.org_state_members()
        eligible = ~model.relations.local
        for c in leaving:
            target = succession.defection_target(
                m, model.relations.hostility[:, org.index], family, int(model.population.state[c]), eligible
            )
            if target >= 0:
                model.population.move(c, target)

    def _encroachment(self, org: Organisation, reach: np.ndarray) -> None:
        model, p = self.model, self.model.p
        family = [org.index] + org.factions
        m = model.org_state_members()
        weak = m[family].sum(axis=0) >= CELL_DEATH_MEMBERS
        hostile = model.relations.hostility[:, org.index] > p["hostility_alliance"]
        hostile[family] = False
        pop = model.population
        for o, s, source in succession.encroachers(
            model.rng, m, weak, adjacency(), hostile, reach, p["encroach_rate"], org.cohesion
        ):
            donors = np.flatnonzero((pop.org == o) & (pop.state == source))
            model.detach(int(donors[np.argmax(pop.members[donors])]), p["encroach_share"], o, s)

    def _recover(self, org: Organisation, day: int) -> None:
        if org.succession != "heir" or day < org.consolidated_day:
            return
        org.leader_present = True
        org.cohesion += self.model.p["cohesion_recovery_rate"] * (1.0 - org.cohesion)
        if org.cohesion > 0.99:
            org.cohesion = 1.0
            org.succession = None

    def _avenge(self, org: Organisation, by: int | None) -> None:
        """An organisation whose leader an ally handed over goes to war with him (`CartelModel.war`)."""
        if by is None:
            raise ConfigError(f"the betrayal of {org.name}'s leader needs the organisation that betrayed him ('by')")
        self.model.war(org.index, by)
