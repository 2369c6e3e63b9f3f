"""Mesa agents: organisations (brands) and their cells (local armed groups).

Agents carry identity and relations; their numbers (members, loyalty, aggression) live in the
model's arrays so that the daily processes run as array operations over all cells at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
from mesa.discrete_space import FixedAgent

if TYPE_CHECKING:
    from sim.world.model import CartelModel

KINDS = ("national", "regional", "named_local", "local", "faction", "splinter", "entrant")


class Organisation(mesa.Agent):
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

    def __init__(self, model: CartelModel, index: int, name: str, kind: str, unverified: bool = False) -> None:
        super().__init__(model)
        if kind not in KINDS:
            raise ValueError(f"unknown organisation kind {kind!r}")
        self.index = index
        self.name = name
        self.kind = kind
        self.unverified = unverified
        self.leader_present = kind != "local"
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
    def members(self) -> float:
        return float(self.model.org_members()[self.index])

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

    def __init__(self, model: CartelModel, index: int, org: Organisation, node: mesa.discrete_space.Cell) -> None:
        super().__init__(model)
        self.index = index
        self.org = org
        self.cell = node

    @property
    def state_index(self) -> int:
        return int(self.model.cell_state[self.index])

    @property
    def members(self) -> float:
        return float(self.model.members[self.index])

    def __repr__(self) -> str:
        return f"Cell({self.org.name!r}, state={self.state_index + 1:02d}, members={self.members:.0f})"
