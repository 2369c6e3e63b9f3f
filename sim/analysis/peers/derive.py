"""Derived tables of the BACRIM 2020 network and the national trends, for the peer model.

`python -m experiments.peers.derive /path/to/bacrim2020` (`write` below) reads the four CSVs of
GitHub rafaelprietocuriel/Recruitment (commit a1db30c; UTF-8 with BOM, CRLF) and writes
`groups.csv`, `pairs.csv` and `trends.csv` to `data/` beside this module. The originals carry no
licence, so the project ships only these derived tables (and the code that makes them) and never reads the
originals at run time; `data/README.md` says where each comes from.
Run again, it writes the same bytes (tests/test_peers.py checks this when the source folder exists).
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
NODES, RIVALS, ALLIANCES, TRENDS = (
    "BACRIM2020_Nodes.csv",
    "BACRIM2020_Rivals.csv",
    "BACRIM2020_Alliances.csv",
    "Trends2012_2021.csv",
)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _symmetric(rows: list[dict[str, str]]) -> dict[tuple[str, str], int]:
    """Weight per unordered pair (lower node id first): the larger of the two directed rows, as the model takes it."""
    out: dict[tuple[str, str], int] = {}
    for r in rows:
        a, b = sorted((r["Node"], r["RNode"]))
        out[(a, b)] = max(out.get((a, b), 0), int(r["weight"]))
    return out


def tables(source: Path) -> dict[str, list[list[str | int]]]:
    """The three derived tables (header first) from the source folder."""
    nodes = _read(source / NODES)
    rival, ally = _symmetric(_read(source / RIVALS)), _symmetric(_read(source / ALLIANCES))
    strength = {kind: {n["Node"]: 0 for n in nodes} for kind in ("rival", "ally")}
    for kind, weights in (("rival", rival), ("ally", ally)):
        for (a, b), w in weights.items():
            strength[kind][a] += w
            strength[kind][b] += w
    total = {n["Node"]: strength["rival"][n["Node"]] + strength["ally"][n["Node"]] for n in nodes}
    ranked = sorted(nodes, key=lambda n: -total[n["Node"]])  # stable: ties keep file order
    groups: list[list[str | int]] = [
        ["rank", "node", "name", "short_name", "state", "rival_strength", "ally_strength", "strength"]
    ]
    for rank, n in enumerate(ranked, start=1):
        node = n["Node"]
        groups.append(
            [
                rank,
                node,
                n["Group"],
                n["ShortName"],
                n["State"],
                strength["rival"][node],
                strength["ally"][node],
                total[node],
            ]
        )
    name = {n["Node"]: n["Group"] for n in nodes}
    pairs: list[list[str | int]] = [["node_a", "node_b", "name_a", "name_b", "w_rival", "w_ally"]]
    for a, b in sorted(set(rival) | set(ally)):
        pairs.append([a, b, name[a], name[b], rival.get((a, b), 0), ally.get((a, b), 0)])
    trends: list[list[str | int]] = [["year", "homicides", "missing", "arrests"]]
    for r in _read(source / TRENDS):
        trends.append([int(r["YEAR"]), int(r["homicide"]), int(r["missings"]), int(r["arrests"])])
    return {"groups.csv": groups, "pairs.csv": pairs, "trends.csv": trends}


def write(source: Path, out: Path = DATA) -> list[Path]:
    """Write the derived tables (plain UTF-8, LF) into `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in tables(source).items():
        path = out / name
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
        paths.append(path)
    return paths
