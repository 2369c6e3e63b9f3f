"""The cells' numbers: where each cell stands, which organisation it belongs to, its members and
its core. The one place that holds them.

The day's processes update members and core in place (sim/world/day.py); everything else that
changes a cell (a defection, a faction, an entry, a raid, arrests of its commanders) goes through
the methods here. `org` is the only record of which organisation a cell belongs to: the Mesa
agents read it (`Cell.org`).
"""

from __future__ import annotations

import numpy as np

from sim.world.metrics import CELL_DEATH_MEMBERS, org_state_members, per_group


class Population:
    """Per-cell arrays: `state`, `org` (indices), `members`, `loyalty` to the leader, `core`
    (core strength, 0-1) and `core0` (the steady world's, which clashes are scaled by)."""

    def __init__(
        self, state: np.ndarray, org: np.ndarray, members: np.ndarray, loyalty: np.ndarray, n_states: int
    ) -> None:
        self.n_states = n_states
        self.state = np.asarray(state, dtype=np.int64)
        self.org = np.asarray(org, dtype=np.int64)
        self.members = np.asarray(members, dtype=float)
        self.loyalty = np.asarray(loyalty, dtype=float)
        self.core = np.ones(len(self.members))
        self.core0 = np.ones(len(self.members))

    def __len__(self) -> int:
        return len(self.members)

    def set_core(self, core: np.ndarray) -> None:
        """The steady world's core strength, where every cell starts."""
        self.core = np.asarray(core, dtype=float).copy()
        self.core0 = self.core.copy()

    # ----- views -----------------------------------------------------------------------------
    def by_org_state(self, n_orgs: int) -> np.ndarray:
        """Members of each organisation in each state (organisations x states)."""
        return org_state_members(self.members, self.org, self.state, n_orgs, self.n_states)

    def by_org(self, n_orgs: int) -> np.ndarray:
        return per_group(self.members, self.org, n_orgs)

    def by_state(self, values: np.ndarray | None = None) -> np.ndarray:
        """Sum per state of the cells' members (or of `values`, one per cell)."""
        return per_group(self.members if values is None else values, self.state, self.n_states)

    def live(self, orgs: int | list[int] | np.ndarray, n_orgs: int) -> np.ndarray:
        """Indices of the cells of these organisations that still have members."""
        chosen = np.zeros(n_orgs, dtype=bool)
        chosen[orgs] = True
        return np.flatnonzero(chosen[self.org] & (self.members >= CELL_DEATH_MEMBERS))

    # ----- changes ---------------------------------------------------------------------------
    def add(self, org: int, state: int, members: float, loyalty: float, core: float = 1.0, core0: float = 1.0) -> int:
        """A new cell (by default a new crew, its core at full strength); returns its index."""
        self.state = np.append(self.state, state)
        self.org = np.append(self.org, org)
        self.members = np.append(self.members, members)
        self.loyalty = np.append(self.loyalty, loyalty)
        self.core = np.append(self.core, core)
        self.core0 = np.append(self.core0, core0)
        return len(self.members) - 1

    def move(self, cells: np.ndarray | list[int] | int, org: int) -> None:
        """These cells now belong to `org` (a defection, a faction, a realignment)."""
        self.org[cells] = org

    def kill(self, cells: np.ndarray, killed: float) -> float:
        """`killed` members of these cells die, shared by members; returns how many (at most all)."""
        total = self.members[cells].sum()
        killed = min(float(killed), total)
        if killed > 0:
            self.members[cells] -= killed * self.members[cells] / total
        return killed

    def detach(self, donor: int, share: float, org: int, state: int) -> int:
        """A detachment of `share` of a cell's members sets up a new cell of `org` in `state`,
        with the donor's loyalty and core; returns the new cell."""
        sent = self.members[donor] * share
        self.members[donor] -= sent
        return self.add(org, state, sent, float(self.loyalty[donor]), float(self.core[donor]), float(self.core0[donor]))

    def lose_core(self, cells: np.ndarray, share: float) -> None:
        """These cells lose `share` of their core (what a captured leader's papers lead to)."""
        self.core[cells] *= 1.0 - share

    def arrest_core(self, cells: np.ndarray, arrested: float, core_share: float) -> float:
        """`arrested` commanders of these cells taken out of their core (and their cells), in
        proportion to each cell's core in place; returns how many were taken."""
        in_place = self.core[cells] * core_share * self.members[cells]
        if in_place.sum() <= 0:
            return 0.0
        taken = np.minimum(in_place, arrested * in_place / in_place.sum())
        self.core[cells] = (in_place - taken) / (core_share * self.members[cells])
        self.members[cells] -= taken
        return float(taken.sum())
