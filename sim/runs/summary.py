"""The one-row summary of a run: named metrics, flat, rounded so that equal runs print equal bytes."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import numpy as np

from sim.world.calendar import day_of, year_days
from sim.world.geography import JALISCO, SINALOA
from sim.world.model import CartelModel
from sim.world.observed import monthly

BASELINE = (-365, 0)  # the 365 days before day 0
YEARS = (2024, 2025)  # calendar years reported (both lie before day 0)
WINDOWS = (180, 365, 730)  # days after day 0 over which homicides are summed
CATEGORIES = ("", "criminal_", "civilian_", "forces_")
# The record's Sinaloa war: its first months against the months before El Mayo's removal.
SINALOA_BEFORE = (day_of(dt.date(2024, 1, 1)), day_of(dt.date(2024, 7, 25)))
SINALOA_WAR = (day_of(dt.date(2024, 9, 9)), day_of(dt.date(2025, 1, 1)))
# Hidden killings under the strategy (its first year) against before the record.
HIDDEN_BEFORE = (day_of(dt.date(2024, 1, 1)), day_of(dt.date(2024, 7, 1)))
HIDDEN_STRATEGY = (day_of(dt.date(2024, 10, 1)), day_of(dt.date(2025, 10, 1)))


def summarise(model: CartelModel) -> dict[str, Any]:
    rec = model.daily
    out: dict[str, Any] = {"homicides_baseline_annual": rec.total("homicides", *BASELINE)}
    for cat in CATEGORIES[1:]:
        out[f"homicides_{cat}baseline_annual"] = rec.total(f"homicides_{cat}".rstrip("_"), *BASELINE)
    out.update(_calendar(model))
    d0 = model.snapshots["d0"]
    out.update(
        members_total_d0=d0["members_total"],
        cjng_members_d0=d0["cjng_members"],
        groups_alive_d0=d0["groups_alive"],
        effective_groups_d0=d0["effective_groups"],
    )
    for i, code in enumerate(model.geo.codes):
        out[f"homicides_baseline_annual_{code}"] = rec.total("homicides", *BASELINE, state=i)
    out.update(_after_day0(model))
    out.update(_after_origin(model))
    out.update(_strike(model))
    out.update(_policy(model))
    return {k: _clean(v) for k, v in out.items()}


def _calendar(model: CartelModel) -> dict[str, Any]:
    """Calendar years, the record's months against the observed ones, and the record's Sinaloa war."""
    rec = model.daily
    y2024 = year_days(2024)
    total = rec.total("homicides", *y2024)
    out: dict[str, Any] = {f"homicides_{year}": rec.total("homicides", *year_days(year)) for year in YEARS}
    out.update(
        homicides_forces_2024=rec.total("homicides_forces", *y2024),
        armed_group_share_2024=1.0 - rec.total("homicides_background", *y2024) / total if total else 0.0,
        members_total_2024=model.snapshots["2024"]["members_total"],
        recruits_weekly_2024=rec.total("recruits", *y2024) / (366 / 7.0),
        arrests_2024=rec.total("arrests", *y2024),
        homicides_record_monthly_error=record_error(model),
        homicides_sinaloa_war_ratio=_ratio(
            rec.mean("homicides", *SINALOA_WAR, state=SINALOA), rec.mean("homicides", *SINALOA_BEFORE, state=SINALOA)
        ),
        homicides_hidden_excess_per_day=rec.mean("homicides_hidden", *HIDDEN_STRATEGY)
        - rec.mean("homicides_hidden", *HIDDEN_BEFORE),
    )
    for i, code in enumerate(model.geo.codes):
        out[f"homicides_2024_{code}"] = rec.total("homicides", *y2024, state=i)
    return out


def record_error(model: CartelModel) -> float:
    """Median absolute error (share) of the model's national homicides per day against the observed months."""
    rec = model.daily
    return float(np.median([abs(rec.mean("homicides", m.first_day, m.end_day) / m.per_day - 1.0) for m in monthly()]))


def _ratio(a: float, b: float) -> float | None:
    return a / b if b > 0 else None


def _after_day0(model: CartelModel) -> dict[str, Any]:
    """Homicides over windows from day 0 (None if the horizon is shorter) and fragmentation a year later."""
    rec = model.daily
    out = _windows(model, 0, "d0")
    for metric in ("groups_alive", "effective_groups", "cjng_loyal_share"):
        out[f"{metric}_d365"] = rec.on_day(metric, 364)  # at the end of day 364: 365 days after the strike
    out.update(_states_year(model, 0, "d0"))  # per state, for maps of an effect
    return out


def _after_origin(model: CartelModel) -> dict[str, Any]:
    """Homicides over windows from the origin, where the policy levers start: the same as the day-0
    windows when the origin is day 0."""
    return {**_windows(model, model.origin_day, "o0"), **_states_year(model, model.origin_day, "o0")}


def _windows(model: CartelModel, start: int, tag: str) -> dict[str, Any]:
    """Homicides of each category over WINDOWS days from `start` (None if the run ends sooner)."""
    out = {}
    for days in WINDOWS:
        for cat in CATEGORIES:
            metric = f"homicides_{cat}".rstrip("_")
            whole = model.end_day >= start + days
            out[f"homicides_{cat}{tag}_{days}"] = model.daily.total(metric, start, start + days) if whole else None
    return out


def _states_year(model: CartelModel, start: int, tag: str) -> dict[str, Any]:
    """Each state's homicides in the 365 days from `start` (None if the run ends sooner)."""
    whole = model.end_day >= start + 365
    return {
        f"homicides_{tag}_365_{code}": model.daily.total("homicides", start, start + 365, state=i) if whole else None
        for i, code in enumerate(model.geo.codes)
    }


def _strike(model: CartelModel) -> dict[str, Any]:
    """The first removal from day 0 on and its wave: roadblocks in 48 h, clearance, deaths in the first 72 h."""
    lead, rec = model.leadership, model.daily
    removal = next((r for r in lead.removals if r["day"] >= 0), None)
    start = removal["day"] if removal else 0
    wave = removal["wave"] if removal else None
    in_window = removal is not None and start + 3 <= rec.end_day
    org = model.organisations[lead.target]
    per_state = np.bincount(wave.state, minlength=len(model.geo.codes)) if wave else np.zeros(len(model.geo.codes), int)
    return {
        **{f"roadblocks_48h_{code}": int(n) for code, n in zip(model.geo.codes, per_state)},
        "leader_removed_day": start if removal else None,
        "roadblocks_48h": wave.count if wave else 0,
        "roadblock_states_48h": wave.states_hit() if wave else 0,
        "roadblocks_cleared_24h_share": wave.cleared_within(24.0) if wave else None,
        "guard_killed_jalisco_72h": rec.total("homicides_forces", start, start + 3, state=JALISCO)
        if in_window
        else None,
        "forces_killed_72h": rec.total("homicides_forces", start, start + 3) if in_window else None,
        "gunmen_killed_72h": rec.total("gunmen_killed", start, start + 3) if in_window else None,
        "new_factions_d365": new_organisations(model, org, start, 365) if model.end_day >= 365 else None,
        "succession_days": org.consolidated_day - org.removed_day
        if removal
        and org.removed_day is not None
        and org.removed_day >= 0
        and org.consolidated_day is not None
        and org.consolidated_day <= model.end_day
        else None,
    }


def new_organisations(model: CartelModel, org, start: int, days: int) -> int:
    """Organisations born from `org` (factions and splinters of its line) within `days` of `start`."""
    return sum(
        o is not org and o.kind in ("faction", "splinter") and o.lineage() is org and start <= o.born_day < start + days
        for o in model.organisations
    )


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


def _policy(model: CartelModel) -> dict[str, Any]:
    """Outcomes a policy comparison reads: flow to the US, held states, the final year, the end state."""
    rec, h = model.daily, model.end_day
    before = rec.mean("flow", -90, 0)
    ratio = lambda a, b: _ratio(rec.mean("flow", a, b), before)  # noqa: E731
    national = rec.national
    return {
        "flow_ratio_d365": ratio(275, 365) if h >= 365 else None,
        "flow_ratio_end": ratio(h - min(h, 90), h) if h else None,
        "state_held_states_mean": float(national["held_states"][-h:].mean()) if h else None,
        "homicides_sinaloa_d0_365": rec.total("homicides", 0, 365, state=SINALOA) if h >= 365 else None,
        "homicides_last_365": rec.total("homicides", h - 365, h) if h >= 365 else None,
        "leaders_removed": model.leadership.removed_since_day0,
        "new_groups_d0_end": rec.total("entries", 0, h),
        "recruits_weekly_d0_end": rec.total("recruits", 0, h) / (h / 7.0) if h else None,
        "members_total_end": model.members_total,
        "groups_alive_end": model.groups_alive,
    }
