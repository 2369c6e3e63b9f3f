"""Mesa agents: organisations (brands) and their cells (local armed groups).

Agents carry identity and relations; their numbers (members, loyalty, core, the organisation a
cell belongs to) live in the population's arrays (sim/world/population.py), so that the day's
processes run over all cells at once and each number has one home.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.world.mesa_parts import Agent, FixedAgent
from sim.world.mesa_parts import Cell as Node

if TYPE_CHECKING:
    from sim.world.model import CartelModel

KINDS = ("national", "regional", "named_local", "local", "faction", "splinter", "entrant")


class Organisation(Agent):
    """A criminal brand: CJNG, a Sinaloa faction, a regional cartel or a local group.

    `kind == "local"` is the aggregate of a state's unnamed local gangs (contractors): it has no
    leadership and is left out of the fragmentation metrics. A `faction` is a lieutenant's part
    of an organisation in a succession fight (its `parent`); it becomes a `splinter` when the
    succession is decided without it. An `entrant` is a new group born in a state's unserved
    market. `cohesion` (0-1) is how firmly the cells follow the
    leadership; `succession` is None, "heir" (a successor is taking over) or "contest".
    `leader_held`: its removed leader sits in a Mexican prison and backs a successor from there.
    `born_day`: the day it split off or entered (the world's first day for those placed at the start).
    """

    def __init__(self, model: CartelModel, index: int, name: str, unverified: bool = False) -> None:
        super().__init__(model)
        self.index = index
        self.name = name
        self.unverified = unverified
        self.leader_present = self.kind != "local"
        self.heir_available = False
        self.leader_held = False
        self.cohesion = 1.0
        self.parent: Organisation | None = None
        self.succession: str | None = None
        self.factions: list[int] = []
        self.removed_day: int | None = None
        self.consolidated_day: int | None = None
        self.born_day: int = model.day  # the day it came into being (the world's first day for the founders)

    @property
    def kind(self) -> str:
        """Its kind, kept with the organisations' relations (sim/world/organisations.py)."""
        return self.model.relations.kinds[self.index]

    @kind.setter
    def kind(self, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown organisation kind {kind!r}")
        self.model.relations.set_kind(self.index, kind)

    @property
    def members(self) -> float:
        return float(self.model.org_members()[self.index])

    @property
    def cells(self) -> list[Cell]:
        """Its cells that still have members."""
        return [self.model.cells[c] for c in self.model.population.live(self.index, self.model.n_orgs)]

    def lineage(self) -> Organisation:
        """The organisation this one split from in the end (itself if it never split)."""
        org = self
        while org.parent is not None:
            org = org.parent
        return org

    def __repr__(self) -> str:
        return f"Organisation({self.name!r}, {self.kind})"


class Cell(FixedAgent):
    """A cell: an armed group with a home state, belonging to one organisation."""

    def __init__(self, model: CartelModel, index: int, node: Node) -> None:
        super().__init__(model)
        self.index = index
        self.cell = node

    @property
    def org(self) -> Organisation:
        """The organisation it belongs to now (read from the population: a defection shows at once)."""
        return self.model.organisations[int(self.model.population.org[self.index])]

    @property
    def state_index(self) -> int:
        return int(self.model.population.state[self.index])

    @property
    def members(self) -> float:
        return float(self.model.population.members[self.index])

    def __repr__(self) -> str:
        return f"Cell({self.org.name!r}, state={self.state_index + 1:02d}, members={self.members:.0f})"
