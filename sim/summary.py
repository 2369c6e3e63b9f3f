"""The one-row summary of a run: named metrics, flat, rounded so that equal runs print equal bytes."""

from __future__ import annotations

import json
import math

import numpy as np
from typing import Any

from sim.world.geography import JALISCO, SINALOA
from sim.world.model import CartelModel

BASELINE = (-365, 0)
WINDOWS = (180, 365, 730)  # days after day 0 over which homicides are summed
CATEGORIES = ("", "criminal_", "civilian_", "forces_")


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
    out.update(_after_day0(model))
    out.update(_strike(model))
    out.update(_policy(model))
    return {k: _clean(v) for k, v in out.items()}


def _after_day0(model: CartelModel) -> dict[str, Any]:
    """Homicides over windows from day 0 (None if the horizon is shorter) and fragmentation at day 365."""
    rec, out = model.record, {}
    for days in WINDOWS:
        for cat in CATEGORIES:
            metric = f"homicides_{cat}".rstrip("_")
            out[f"homicides_{cat}d0_{days}"] = rec.total(metric, 0, days) if model.horizon_days >= days else None
    for metric in ("groups_alive", "effective_groups", "cjng_loyal_share"):
        out[f"{metric}_d365"] = rec.on_day(metric, 365)
    for i, code in enumerate(model.geo.codes):  # per state, for maps of an effect
        out[f"homicides_d0_365_{code}"] = rec.total("homicides", 0, 365, state=i) if model.horizon_days >= 365 else None
    return out


def _strike(model: CartelModel) -> dict[str, Any]:
    """The removal and its wave: roadblocks in 48 h, clearance, deaths in the first 72 h."""
    lead, rec = model.leadership, model.record
    removal = lead.removals[0] if lead.removals else None
    start = removal["day"] if removal else 0
    wave = lead.wave
    in_window = 0 <= start and start + 3 <= rec.end_day
    org = model.organisations[lead.target]
    per_state = np.bincount(wave.state, minlength=len(model.geo.codes)) if wave else np.zeros(len(model.geo.codes), int)
    return {
        **{f"roadblocks_48h_{code}": int(n) for code, n in zip(model.geo.codes, per_state)},
        "leader_removed_day": start if removal else None,
        "roadblocks_48h": wave.count if wave else 0,
        "roadblock_states_48h": wave.states_hit() if wave else 0,
        "roadblocks_cleared_24h_share": wave.cleared_within(24.0) if wave else None,
        "guard_killed_jalisco_72h": rec.total("homicides_forces", start, start + 3, state=JALISCO) if in_window else None,
        "forces_killed_72h": rec.total("homicides_forces", start, start + 3) if in_window else None,
        "gunmen_killed_72h": rec.total("gunmen_killed", start, start + 3) if in_window else None,
        "succession_days": org.consolidated_day - org.removed_day
        if removal and org.consolidated_day is not None and org.consolidated_day <= model.horizon_days
        else None,
    }


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


def _mean(rec, metric: str, first_day: int, last_day: int) -> float:
    return rec.total(metric, first_day, last_day) / (last_day - first_day)


def _policy(model: CartelModel) -> dict[str, Any]:
    """Outcomes a policy comparison reads: flow to the US, held states, the final year, the end state."""
    rec, h = model.record, model.horizon_days
    before = _mean(rec, "flow", -90, 0)
    ratio = lambda a, b: _mean(rec, "flow", a, b) / before if before > 0 else None  # noqa: E731
    national = rec.national
    return {
        "flow_ratio_d365": ratio(275, 365) if h >= 365 else None,
        "flow_ratio_end": ratio(h - min(h, 90), h) if h else None,
        "state_held_states_mean": float(national["held_states"][-h:].mean()) if h else None,
        "homicides_sinaloa_d0_365": rec.total("homicides", 0, 365, state=SINALOA) if h >= 365 else None,
        "homicides_last_365": rec.total("homicides", h - 365, h) if h >= 365 else None,
        "leaders_removed": len(model.leadership.removals),
        "new_groups_d0_end": rec.total("entries", 0, h),
        "recruits_weekly_d0_end": rec.total("recruits", 0, h) / (h / 7.0) if h else None,
        "members_total_end": model.members_total,
        "groups_alive_end": model.groups_alive,
    }
