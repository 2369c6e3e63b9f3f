"""The organisations' relations and standing, kept as arrays for the day's processes.

The Mesa agents (sim/world/agents.py) carry each organisation's identity and leadership; here
are the numbers the market and the clashes read: hostility between every pair, the advantage of
an established presence per state, the home base, whether a group is an unnamed local gang, its
trafficking network, whether it is a new entrant, and which organisations can absorb entrants.
"""

from __future__ import annotations

import numpy as np

from sim.world.processes import market

LEADERSHIP_KINDS = ("national", "regional")  # organisations with lieutenants and a reach beyond one state


class Relations:
    """Per-organisation arrays and the hostility matrix; `add` grows them by one organisation."""

    def __init__(
        self, kinds: list[str], hostility: np.ndarray, advantage: np.ndarray, home: np.ndarray, p: dict
    ) -> None:
        self.p = p
        self.kinds = list(kinds)
        self._hostility = hostility  # room for more organisations than there are: `add` doubles it when full
        self.advantage = advantage
        self.home = np.asarray(home, dtype=np.int64)
        self.local = np.array([k == "local" for k in kinds])
        self.network = np.array([market.network_share(k, 1.0, p) for k in kinds])
        self.entrant = np.array([k == "entrant" for k in kinds])
        self._leading = self.kind_mask(LEADERSHIP_KINDS)  # kept with the kinds: the day reads it every step
        self.changed = True  # who fights whom changed since the day last looked

    def __len__(self) -> int:
        return len(self.kinds)

    @property
    def hostility(self) -> np.ndarray:
        """Hostility between every pair of organisations (a view: writes go to the relations)."""
        n = len(self)
        return self._hostility[:n, :n]

    @property
    def hostility_room(self) -> np.ndarray:
        """The whole hostility buffer, zero beyond the organisations: what the compiled day reads.
        Always one C-contiguous array, so numba compiles (and loads from its cache) one version of
        the day, not a second one for the view `hostility` becomes once the buffer has room."""
        return self._hostility

    def kind_mask(self, kinds: tuple[str, ...]) -> np.ndarray:
        """Which organisations are of one of these kinds (kinds change when factions split off)."""
        return np.array([k in kinds for k in self.kinds])

    def leading(self) -> np.ndarray:
        """The national and regional cartels (`LEADERSHIP_KINDS`): they take in an entrant's cells
        and reach into a weakened rival's states. Kept with the kinds, not rebuilt each day."""
        return self._leading

    def add(self, kind: str, like: int | None = None) -> int:
        """A new organisation: a faction or splinter with the relations and market standing of
        `like`, or (without `like`) a new group hostile to all at the base rate."""
        o = len(self)
        if like is None:
            row = np.where(self.local, self.p["hostility_local"], self.p["hostility_default"])
            standing = np.ones(self.advantage.shape[1])
        else:
            row, standing = self.hostility[like], self.advantage[like]
        if o == len(self._hostility):  # full: double the room, so that n additions copy O(n^2), not O(n^3)
            h = np.zeros((2 * o + 1, 2 * o + 1))
            h[:o, :o] = self._hostility
            self._hostility = h
        self._hostility[o, :o] = self._hostility[:o, o] = row
        self._hostility[o, o] = 0.0
        self.advantage = np.vstack([self.advantage, standing])
        self.home = np.append(self.home, -1)
        self.local = np.append(self.local, False)
        self.network = np.append(
            self.network, market.network_share(kind, self.network[like] if like is not None else 1.0, self.p)
        )
        self.entrant = np.append(self.entrant, kind == "entrant")
        self.kinds.append(kind)
        self._leading = np.append(self._leading, kind in LEADERSHIP_KINDS)
        self.changed = True
        return o

    def set_kind(self, o: int, kind: str) -> None:
        self.kinds[o] = kind
        self._leading[o] = kind in LEADERSHIP_KINDS

    def set_hostility(self, a: list[int], b: list[int], value: float) -> None:
        """Hostility between every organisation in `a` and every one in `b` (never with itself)."""
        self.hostility[np.ix_(a, b)] = value
        self.hostility[np.ix_(b, a)] = value
        np.fill_diagonal(self.hostility, 0.0)
        self.changed = True
