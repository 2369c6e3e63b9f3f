"""Initial placement: which organisations exist, where their cells stand, and who is at war.

Everything here is read from the shipped reference data and the size parameters; nothing is
fitted per state. Two worlds: `2024`, the presence of 2024 (`sim/data/states.csv`), and `2014`,
the presence around 2014 (`sim/data/presence_2014.csv`: the DEA's 2015 map and the PGR's 2015
lists), from which the long record starts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.world import observed
from sim.world.geography import N_STATES, geography, states_table
from sim.world.metrics import CELL_DEATH_MEMBERS
from sim.world.processes import market

REGIONAL = {"CDN": "cdn", "CDG": "cdg", "LNFM": "lnfm", "CU": "cu"}
# DEA NDTA 2025 (mexico-states.md section 3); Los Chapitos and Los Mayos are factions of one
# cartel until the record's removal of El Mayo (25 Jul 2024) turns them against each other.
ALLIANCES = {
    "2024": [("CJNG", "Chapitos"), ("Mayos", "CDN"), ("Chapitos", "Mayos")],
    "2014": [("Chapitos", "Mayos")],  # CJNG and Sinaloa rivals by 2015 (events_2015_2026.csv, Aug 2016)
}
# The organisations of 2014 as presence_2014.csv names them, and their kind in the model. The
# Sinaloa Cartel stands as its two factions (Chapo's, later his sons', and El Mayo's), allies.
ORGS_2014 = {
    "Zetas": "Zetas",
    "Gulf": "Gulf",
    "Knights Templar": "Knights Templar",
    "Beltran Leyva": "Beltran Leyva",
    "Juarez": "Juarez",
    "Tijuana (Arellano Felix)": "Tijuana",
    "Familia Michoacana": "Familia Michoacana",
}
# Home bases marked in mexico-states.md section 3: Jalisco "S (home base)" of CJNG, Sinaloa
# "S (home; civil war)" of the Sinaloa Cartel (both factions).
HOMES = {"CJNG": "14", "Chapitos": "25", "Mayos": "25"}
HOME_INDEX = {name: int(code) - 1 for name, code in HOMES.items()}


@dataclass
class OrgSpec:
    """One organisation to create: its presence tiers, its target size and, once placed, its cells."""

    name: str
    kind: str
    unverified: bool = False
    tiers: dict[int, str] = field(default_factory=dict)  # state -> "S", "L" or "P" (present, tier not reported)
    target: float | None = None  # members in the steady world, where the literature gives a size
    home: int = -1  # index of the home base's state (national cartels), -1 for none
    strength: float = 1.0
    cells: list[tuple[int, float]] = field(default_factory=list)  # (state, members)

    @property
    def members(self) -> float:
        return sum(m for _, m in self.cells)


def _tier_weight(tier: str, lesser: float) -> float:
    return {"S": 1.0, "L": lesser, "P": lesser, "": 0.0}[tier]


def sinaloa_tiers(df: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Split the Sinaloa Cartel's presence between its factions.

    Los Mayos stand where the faction map puts them (with the CDS tier, or 'lesser' where CDS is
    otherwise absent, as in Jalisco, or where the map notes only a single cell); Los Chapitos
    where reported and in every other CDS state.
    """
    mayos, chapitos = [], []
    for cds, mayo, cell, chapo in zip(
        df["cds"], df["mayos_faction_map"], df["mayos_cell_only"], df["chapitos_reported"]
    ):
        mayos.append(("L" if cell else cds or "L") if mayo else "")
        chapitos.append((cds or "L") if (chapo or (cds and not mayo)) else "")
    return mayos, chapitos


def initial_organisations(p: dict, rng: np.random.Generator, world: str = "2024") -> tuple[list[OrgSpec], np.ndarray]:
    """Organisations with their cells in the market's steady state, and the hostility between them.

    The markets and the national cartels' home guards (`market.home_pay`) hold `members_total`
    (`members_2014` in the world of 2014) in proportion to what they pay; the organisations
    present share each market as the contest function's steady state gives
    (`market.steady_members`), so the burn-in starts near a steady world. The national cartels'
    market strength is solved so that they reach the sizes the literature gives them
    (`cjng_members`, `cds_members`).
    """
    specs = _specs(p, world)
    members, strength = _steady_world_of(tuple(sorted(p.items())), world)
    for o, spec in enumerate(specs):
        spec.strength = float(strength[o])
        for s in np.flatnonzero(members[o] >= CELL_DEATH_MEMBERS):
            n = p["cells_per_significant_state"] if spec.kind == "national" and spec.tiers[s] == "S" else 1
            spec.cells += [(int(s), float(members[o, s] * share)) for share in _jittered_shares(rng, n)]
    return specs, hostility_matrix(specs, p, ALLIANCES[world])


def _specs(p: dict, world: str = "2024") -> list[OrgSpec]:
    """The organisations, their tiers per state and their home bases, before any cell."""
    if world == "2014":
        return _specs_2014()
    df = states_table()
    mayos, chapitos = sinaloa_tiers(df)
    specs = [
        OrgSpec("CJNG", "national", tiers=_tiers(df["cjng"]), target=p["cjng_members"]),
        OrgSpec("Chapitos", "national", tiers=_tiers(chapitos), target=p["cds_members"] * p["chapitos_share"]),
        OrgSpec("Mayos", "national", tiers=_tiers(mayos), target=p["cds_members"] * (1 - p["chapitos_share"])),
    ]
    specs += [OrgSpec(name, "regional", tiers=_tiers(df[col])) for name, col in REGIONAL.items()]
    specs += _named_local(df)
    specs += [OrgSpec(f"Local gangs {abbr}", "local", tiers={s: "S"}) for s, abbr in enumerate(df["abbr"])]
    for spec in specs:
        spec.home = HOME_INDEX.get(spec.name, -1)
    return specs


def _specs_2014() -> list[OrgSpec]:
    """The organisations of 2014 with their tiers (S significant, L lesser, P present), local
    gangs in every state; no size target (each holds what its markets pay it). The Sinaloa
    Cartel's states of 2014 go to its factions as the faction map of 2024 divides them (an
    assumption: the factions' strongholds are older than their war); Chapo's faction holds the rest."""
    df = presence_2014()
    abbr = states_table()["abbr"]

    def tiers(name: str) -> dict[int, str]:
        rows = df[df["organisation"] == name]
        return {int(code) - 1: tier for code, tier in zip(rows["code"], rows["tier"])}

    mayos, chapitos = sinaloa_tiers(states_table())
    sinaloa = tiers("Sinaloa")
    specs = [
        OrgSpec("CJNG", "national", tiers=tiers("CJNG")),
        OrgSpec("Chapitos", "national", tiers={s: t for s, t in sinaloa.items() if chapitos[s] or not mayos[s]}),
        OrgSpec("Mayos", "national", tiers={s: t for s, t in sinaloa.items() if mayos[s]}),
    ]
    specs += [OrgSpec(name, "regional", tiers=tiers(raw)) for raw, name in ORGS_2014.items()]
    specs += [OrgSpec(f"Local gangs {a}", "local", tiers={s: "S"}) for s, a in enumerate(abbr)]
    for spec in specs:
        spec.home = HOME_INDEX.get(spec.name, -1)
    return specs


@functools.cache
def presence_2014() -> pd.DataFrame:
    """Who held which state around 2014 (sim/data/presence_2014.csv)."""
    return observed.read("presence_2014.csv")


@functools.lru_cache(maxsize=16)
def _steady_world_of(params: tuple, world: str = "2024") -> tuple[np.ndarray, np.ndarray]:
    """`steady_world` of the parameters (as sorted items), solved once per process for all seeds
    that share them: it needs no random draw. Read-only arrays, since they are shared."""
    p = dict(params)
    total = p["members_2014"] if world == "2014" else p["members_total"]
    members, strength = steady_world(_specs(p, world), p, N_STATES, total)
    members.flags.writeable = strength.flags.writeable = False
    return members, strength


def steady_world(specs: list[OrgSpec], p: dict, n_states: int, total: float) -> tuple[np.ndarray, np.ndarray]:
    """Members per organisation and state in the steady world of `total` members, and each
    organisation's market strength (1 but for those with a target size, solved by a damped
    fixed-point iteration). The world of 2024 starts at `members_total`, near what its markets
    pay; the world of 2014 at `members_2014`, below it, the room recruitment fills in the decade."""
    weight, present = tier_matrix(specs, p, n_states)
    home = np.array([spec.home for spec in specs])
    e = p["market_share_exponent"]
    local, trafficking = market.revenue_parts(geography(), p)
    payroll = market.payroll_revenue(local, trafficking, p["trafficking_labour_share"])
    targets = {o: spec.target for o, spec in enumerate(specs) if spec.target is not None}
    k = e / (1.0 - e)
    strength = np.ones(len(specs))
    for _ in range(200):
        advantage = weight * strength[:, None]
        funding = market.home_pay(
            market.equilibrium_shares(advantage, present, e),
            trafficking,
            p["trafficking_labour_share"],
            p["home_guard_share"],
            home,
        )
        scale = total / (payroll.sum() + funding.sum())  # members per USD a day
        members = market.steady_members(advantage, present, payroll * scale, funding * scale, home, e)
        worst = 0.0
        for o, target in targets.items():
            ratio = target / max(members[o].sum(), 1e-9)
            worst = max(worst, abs(np.log(ratio)))
            strength[o] = float(np.clip(strength[o] * ratio ** (0.5 / k), 0.05, 20.0))
        if worst < 1e-3:
            break
    return members, strength


def _tiers(column) -> dict[int, str]:
    return {s: tier for s, tier in enumerate(column) if tier}


def tier_matrix(specs: list[OrgSpec], p: dict, n_states: int) -> tuple[np.ndarray, np.ndarray]:
    """Each organisation's strength per member where it is present (tier weight: 1 significant,
    `lesser_tier_weight` lesser, times `home_advantage` in a national cartel's home base), and
    where it is present (organisations x states each)."""
    weight = np.zeros((len(specs), n_states))
    for o, spec in enumerate(specs):
        for s, tier in spec.tiers.items():
            weight[o, s] = _tier_weight(tier, p["lesser_tier_weight"])
        if spec.name in HOMES:
            weight[o, HOME_INDEX[spec.name]] *= p["home_advantage"]
    return weight, weight > 0


def advantage_matrix(specs: list[OrgSpec], p: dict, n_states: int) -> np.ndarray:
    """Each organisation's market strength per member in each state (organisations x states).

    Its tier weight where it is present, 1 where it enters later (a detachment or a defector's
    cell), times its market strength everywhere.
    """
    weight, present = tier_matrix(specs, p, n_states)
    strength = np.array([spec.strength for spec in specs])
    return np.where(present, weight, 1.0) * strength[:, None]


def _jittered_shares(rng: np.random.Generator, n: int) -> np.ndarray:
    w = rng.uniform(0.5, 1.5, size=n)
    return w / w.sum()


def _named_local(df: pd.DataFrame) -> list[OrgSpec]:
    """Single-state groups named in the data (a group named in two states is present in both)."""
    found: dict[str, OrgSpec] = {}
    for s, text in enumerate(df["other_named_groups"]):
        for raw in filter(None, (x.strip() for x in text.split(";"))):
            name = raw.rstrip("†").strip()
            spec = found.setdefault(name, OrgSpec(name, "named_local", unverified=raw.endswith("†")))
            spec.tiers[s] = "S"
    return list(found.values())


def hostility_matrix(specs: list[OrgSpec], p: dict, alliances: list[tuple[str, str]]) -> np.ndarray:
    """Pairwise hostility: the base rate, war and alliance pairs from the data, weaker for local gangs."""
    n = len(specs)
    h = np.full((n, n), p["hostility_default"])
    index = {spec.name: i for i, spec in enumerate(specs)}
    local = np.array([spec.kind == "local" for spec in specs])
    h[local, :] = p["hostility_local"]
    h[:, local] = p["hostility_local"]
    for a, b in alliances:
        h[index[a], index[b]] = h[index[b], index[a]] = p["hostility_alliance"]
    np.fill_diagonal(h, 0.0)
    return h
