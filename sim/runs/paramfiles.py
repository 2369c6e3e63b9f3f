"""Files derived from the parameter table: Hydra's defaults and the docs page.

    python -m sim.runs.paramfiles   # regenerate conf/params/default.yaml and docs/parameters.md

A test fails when either file is out of step with `sim/data/parameters.csv`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sim import parameters

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "sim" / "data" / "parameters.csv"
CONF_PARAMS = ROOT / "conf" / "params" / "default.yaml"
DOCS_PARAMS = ROOT / "docs" / "parameters.md"


def _yaml_value(p: parameters.Parameter) -> str:
    if p.domain == "bool":
        return "true" if p.default else "false"
    if p.domain.startswith("choice:"):
        return str(p.default)
    if p.domain.startswith("int"):
        return str(int(p.default))
    return repr(float(p.default))


def render_yaml() -> str:
    lines = [
        "# Model parameters. GENERATED from sim/data/parameters.csv by `python -m sim.runs.paramfiles`;",
        "# edit the table, not this file. Units, ranges and sources: docs/parameters.md.",
    ]
    group = None
    for p in parameters.table().values():
        if p.group != group:
            group = p.group
            lines.append(f"# --- {group}")
        lines.append(f"{p.name}: {_yaml_value(p)}  # {p.unit}")
    return "\n".join(lines) + "\n"


def render_docs() -> str:
    out = [
        "# Parameters",
        "",
        "GENERATED from `sim/data/parameters.csv` by `python -m sim.runs.paramfiles`; edit the table, not this page.",
        "Kind: *uncertainty* (a fact we do not know exactly: vary it in sensitivity analysis), *lever* (a policy",
        "setting from day 0), *record* (a policy setting of the steady world that the record changes on its dates,",
        "see [record.md](record.md)), *calibrated* (fitted by a script in `experiments/`). Override any of them as",
        "`params.NAME=VALUE`. *Range* is the plausible range (what sensitivity analysis varies); *allowed* is the",
        "hard validity domain: outside it a run stops with a one-line error.",
        "",
        "| name | default | range | allowed | unit | kind | source | meaning |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in parameters.table().values():
        rng = f"{p.low:g} – {p.high:g}" if p.low is not None else ""
        default = _yaml_value(p)
        out.append(
            f"| `{p.name}` | {default} | {rng} | {parameters.allowed(p)} | {p.unit} | {p.kind} | {p.source} | "
            f"{p.description} |"
        )
    return "\n".join(out) + "\n"


def write_derived() -> None:
    CONF_PARAMS.parent.mkdir(parents=True, exist_ok=True)
    DOCS_PARAMS.parent.mkdir(parents=True, exist_ok=True)
    CONF_PARAMS.write_text(render_yaml(), encoding="utf-8")
    DOCS_PARAMS.write_text(render_docs(), encoding="utf-8")


def write_parameter_defaults(updates: dict[str, float]) -> None:
    """Replace defaults in the table (e.g. after calibration) and regenerate the derived files."""
    with TABLE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    unknown = set(updates) - {r["name"] for r in rows}
    if unknown:
        raise KeyError(f"not in the parameter table: {sorted(unknown)}")
    for r in rows:
        if r["name"] in updates:
            r["default"] = f"{updates[r['name']]:g}"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    TABLE.write_text(buf.getvalue(), encoding="utf-8")
    parameters.table.cache_clear()
    write_derived()


if __name__ == "__main__":
    write_derived()
    print(f"wrote {CONF_PARAMS.relative_to(ROOT)} and {DOCS_PARAMS.relative_to(ROOT)}")
