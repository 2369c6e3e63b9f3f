"""The one-row summary of a run: named metrics, flat, rounded so that equal runs print equal bytes."""

from __future__ import annotations

import json
import math
from typing import Any

from sim.model import CartelModel

BASELINE = (-365, 0)


def summarise(model: CartelModel) -> dict[str, Any]:
    rec = model.record
    total = rec.total("homicides", *BASELINE)
    out: dict[str, Any] = {
        "homicides_baseline_annual": total,
        "homicides_criminal_baseline_annual": rec.total("homicides_criminal", *BASELINE),
        "homicides_civilian_baseline_annual": rec.total("homicides_civilian", *BASELINE),
        "homicides_forces_baseline_annual": rec.total("homicides_forces", *BASELINE),
        "armed_group_share_baseline": 1.0 - rec.total("homicides_background", *BASELINE) / total if total else 0.0,
        "recruits_weekly_baseline": rec.total("recruits", *BASELINE) / 52.0,
        "arrests_baseline_annual": rec.total("arrests", *BASELINE),
    }
    d0 = model.snapshot_d0
    out.update(
        members_total_d0=d0["members_total"],
        cjng_members_d0=d0["cjng_members"],
        groups_alive_d0=d0["groups_alive"],
        effective_groups_d0=d0["effective_groups"],
    )
    for i, code in enumerate(model.geo.codes):
        out[f"homicides_baseline_annual_{code}"] = rec.total("homicides", *BASELINE, state=i)
    return {k: _clean(v) for k, v in out.items()}


def _clean(value: Any) -> Any:
    """Whole numbers as int, others to 6 significant digits; NaN becomes null."""
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
        return float(f"{value:.6g}")
    return value


def dumps(summary: dict[str, Any]) -> str:
    return json.dumps(summary, indent=1, ensure_ascii=False) + "\n"
