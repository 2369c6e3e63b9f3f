"""Initial placement: which organisations exist, where their cells stand, and who is at war.

Everything here is read from the shipped reference data (`sim/data/states.csv`) and the size
parameters; nothing is fitted per state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.world.geography import geography, states_table
from sim.world.processes.market import state_revenue

REGIONAL = {"CDN": "cdn", "CDG": "cdg", "LNFM": "lnfm", "CU": "cu"}
ALLIANCES = [("CJNG", "Chapitos"), ("Mayos", "CDN")]  # DEA NDTA 2025 (mexico-states.md section 3)
WARS = [("Chapitos", "Mayos")]  # since 9 Sep 2024 [G11, G12]
# Home bases marked in mexico-states.md section 3: Jalisco "S (home base)" of CJNG, Sinaloa
# "S (home; civil war)" of the Sinaloa Cartel (both factions).
HOMES = {"CJNG": "14", "Chapitos": "25", "Mayos": "25"}


@dataclass
class OrgSpec:
    """One organisation to create: its cells as (state index, members)."""

    name: str
    kind: str
    unverified: bool = False
    cells: list[tuple[int, float]] = field(default_factory=list)
    advantage: dict[int, float] = field(default_factory=dict)  # state -> tier weight; 1 where absent

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
    for cds, mayo, cell, chapo in zip(df["cds"], df["mayos_faction_map"], df["mayos_cell_only"], df["chapitos_reported"]):
        mayos.append(("L" if cell else cds or "L") if mayo else "")
        chapitos.append((cds or "L") if (chapo or (cds and not mayo)) else "")
    return mayos, chapitos


def _spread(total: float, weights: np.ndarray) -> np.ndarray:
    s = weights.sum()
    return total * weights / s if s > 0 else np.zeros_like(weights)


def initial_organisations(p: dict, rng: np.random.Generator) -> tuple[list[OrgSpec], np.ndarray]:
    """Organisations with their cells, and the hostility matrix between them."""
    df = states_table()
    revenue = state_revenue(geography(), p)
    lesser = p["lesser_tier_weight"]
    mayos, chapitos = sinaloa_tiers(df)
    national = {
        "CJNG": (p["cjng_members"], list(df["cjng"])),
        "Chapitos": (p["cds_members"] * p["chapitos_share"], chapitos),
        "Mayos": (p["cds_members"] * (1 - p["chapitos_share"]), mayos),
    }
    specs: list[OrgSpec] = []
    for name, (total, tiers) in national.items():
        w = np.array([_tier_weight(t, lesser) for t in tiers])
        spec = OrgSpec(name, "national", advantage=dict(enumerate(w)))
        home = list(df["code"]).index(HOMES[name])
        spec.advantage[home] *= p["home_advantage"]
        for s, m in enumerate(_spread(total, w * revenue)):
            if m > 0:
                n = p["cells_per_significant_state"] if tiers[s] == "S" else 1
                for share in _jittered_shares(rng, n):
                    spec.cells.append((s, m * share))
        specs.append(spec)
    for name, col in REGIONAL.items():
        w = np.array([_tier_weight(t, lesser) for t in df[col]])
        spec = OrgSpec(name, "regional", advantage=dict(enumerate(w)))
        spec.cells = [(s, m) for s, m in enumerate(_spread(p["regional_cartel_members"], w * revenue)) if m > 0]
        specs.append(spec)
    specs.extend(_named_local(df, p["named_local_members"], revenue))
    # Unnamed local gangs fill each state's market up to its share of all members.
    target = p["members_total"] * revenue / revenue.sum()
    placed = np.zeros(len(df))
    for spec in specs:
        for s, m in spec.cells:
            placed[s] += m
    for s, abbr in enumerate(df["abbr"]):
        specs.append(OrgSpec(f"Local gangs {abbr}", "local", cells=[(s, max(target[s] - placed[s], 0.0))]))
    return specs, hostility_matrix(specs, p)


def advantage_matrix(specs: list[OrgSpec], n_states: int) -> np.ndarray:
    """Each organisation's strength per member in each state's market (organisations x states).

    The tier of presence in the data: 1 where significant, `lesser_tier_weight` where lesser,
    times `home_advantage` in a national cartel's home base; single-state groups and local
    gangs hold 1 on their home ground.
    """
    a = np.ones((len(specs), n_states))
    for o, spec in enumerate(specs):
        for s, w in spec.advantage.items():
            a[o, s] = w if w > 0 else 1.0
    return a


def _jittered_shares(rng: np.random.Generator, n: int) -> np.ndarray:
    w = rng.uniform(0.5, 1.5, size=n)
    return w / w.sum()


def _named_local(df: pd.DataFrame, members: float, revenue: np.ndarray) -> list[OrgSpec]:
    """Single-state groups named in the data (a group named in two states gets a cell in each)."""
    found: dict[str, OrgSpec] = {}
    for s, text in enumerate(df["other_named_groups"]):
        for raw in filter(None, (x.strip() for x in text.split(";"))):
            name = raw.rstrip("†").strip()
            spec = found.setdefault(name, OrgSpec(name, "named_local", unverified=raw.endswith("†")))
            spec.cells.append((s, 0.0))
    for spec in found.values():
        states = [s for s, _ in spec.cells]
        spec.cells = list(zip(states, _spread(members, revenue[states]).tolist()))
    return list(found.values())


def hostility_matrix(specs: list[OrgSpec], p: dict) -> np.ndarray:
    """Pairwise hostility: the base rate, war and alliance pairs from the data, weaker for local gangs."""
    n = len(specs)
    h = np.full((n, n), p["hostility_default"])
    index = {spec.name: i for i, spec in enumerate(specs)}
    local = np.array([spec.kind == "local" for spec in specs])
    h[local, :] = p["hostility_local"]
    h[:, local] = p["hostility_local"]
    for pairs, key in ((ALLIANCES, "hostility_alliance"), (WARS, "hostility_war")):
        for a, b in pairs:
            h[index[a], index[b]] = h[index[b], index[a]] = p[key]
    np.fill_diagonal(h, 0.0)
    return h
