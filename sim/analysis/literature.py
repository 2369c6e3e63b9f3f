"""The model beside the published findings of sim/data/literature.csv, and the
distribution of the succession's outcomes: a section of docs/validation.md.

Every estimate is paired: the scenarios of one seed share their whole past (the record up to day
0), so a difference is the effect of the policy on that seed. Each finding's row in the CSV says
how its estimate is made and what counts as agreement; `FINDINGS` below is that rule in code.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from sim.analysis.mapping import each
from sim.runs.summary import new_organisations
from sim.world.geography import JALISCO, adjacency
from sim.world.model import CartelModel

LITERATURE = "literature.csv"  # in sim/data/
STRIKE = {"strike_enabled": True}
CAPTURE = {**STRIKE, "strike_mode": "capture", "extradite_captured": True}
HELD = {**STRIKE, "strike_mode": "capture", "extradite_captured": False}
YEAR5 = (1461, 1826)  # the fifth year after day 0
CAMPAIGN_DAYS = 2190  # six years
NETWORK_SHARE = 0.10  # "other states where CJNG is present": it holds at least this share of their armed members
FRONT = {**STRIKE, "cjng_front_share": 0.15, "sinaloa_front_factor": 0.5, "posture": "clear"}  # second_front's settings
MANY_GROUPS = (3, 0.05)  # a state "hosts many groups": at least 3 organisations, each with 5% of its armed members
FOUR_YEARS = 1460  # 2007-2011, the span of the published rise in groups
LOYALTIES = (0.6, 0.8, 0.9)  # a fractious, the default and a cohesive organisation


def literature() -> list[dict[str, str]]:
    """The published findings, as committed before the model changed against them."""
    with resources.files("sim.data").joinpath(LITERATURE).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _run(seed: int, horizon: int, **params: Any) -> CartelModel:
    model = CartelModel(seed=seed, horizon_days=horizon, **params)
    model.run()
    return model


def _measure(seed: int) -> dict[str, float]:
    """Every quantity the findings compare, on one seed."""
    base = CartelModel(seed=seed, horizon_days=CAMPAIGN_DAYS)
    base.run_until(0)
    cjng = base.org_state_members()[base.cjng]
    armed = base.state_members()
    network = np.flatnonzero((cjng >= NETWORK_SHARE * np.maximum(armed, 1e-9)) & (np.arange(len(armed)) != JALISCO))
    neighbours = np.flatnonzero(adjacency()[JALISCO])
    front = np.append(network, JALISCO)  # where the CJNG front's troops go (by CJNG's members)
    holders = (base.org_state_members() >= MANY_GROUPS[1] * np.maximum(armed, 1e-9)).sum(axis=0)
    crowded = front[holders[front] >= MANY_GROUPS[0]]
    sparse = front[holders[front] < MANY_GROUPS[0]]
    groups_d0 = base.groups_alive
    base.run()
    killed, captured, held, offensive = (_run(seed, 365, **kw) for kw in (STRIKE, CAPTURE, HELD, FRONT))
    heir = _run(seed, 365, heir_available=True, **STRIKE)
    campaign = _run(seed, CAMPAIGN_DAYS, campaign_enabled=True, **STRIKE)
    halve = _run(seed, YEAR5[1], recruitment_reduction=0.5)
    double = _run(seed, YEAR5[1], incapacitation_multiplier=2.0)

    def pct(
        model: CartelModel,
        a: int,
        b: int,
        states: np.ndarray | int | None = None,
        metric: str = "homicides",
        ref: CartelModel | None = None,
    ) -> float:
        """`model` against `ref` (default: no_strike) in % over days a .. b-1; NaN for an empty set of states."""

        def total(m: CartelModel) -> float:
            if states is None or isinstance(states, int):
                return m.daily.total(metric, a, b, state=states)
            return sum(m.daily.total(metric, a, b, state=int(s)) for s in states)

        if states is not None and not isinstance(states, int) and len(states) == 0:
            return float("nan")
        return 100.0 * (total(model) / total(base if ref is None else ref) - 1.0)

    def factions(model: CartelModel) -> int:
        org = model.organisations[model.cjng]
        return new_organisations(model, org, 0, 365)

    return {
        "calderon_local": pct(killed, 0, 182, JALISCO),
        "lindo_local": pct(captured, 0, 365, JALISCO),
        "lindo_network": pct(captured, 0, 182, network),
        "lindo_network_late": pct(captured, 182, 365, network),
        "dickenson_mode": killed.daily.total("homicides", 0, 365) - captured.daily.total("homicides", 0, 365),
        "phillips_arrest": held.daily.total("homicides", 0, 90) - killed.daily.total("homicides", 0, 90),
        "fragmentation_groups": campaign.groups_alive - base.groups_alive,
        "campaign_removals": campaign.leadership.removed_since_day0,
        "campaign_groups_ratio": campaign.groups_alive / groups_d0,
        "prieto_recruitment": pct(halve, *YEAR5) - pct(double, *YEAR5),
        "prieto_halve": pct(halve, *YEAR5),
        "prieto_double": pct(double, *YEAR5),
        "dell_diversion": campaign.daily.mean("flow", CAMPAIGN_DAYS - 90, CAMPAIGN_DAYS)
        / campaign.daily.mean("flow", -90, 0),
        "jordan_factions": factions(heir) - factions(killed),
        "jordan_homicides": heir.daily.total("homicides", 0, 365) - killed.daily.total("homicides", 0, 365),
        "held_vs_extradited": held.daily.total("homicides", 0, 365) - captured.daily.total("homicides", 0, 365),
        "held_vs_extradited_factions": factions(held) - factions(captured),
        "calderon_spillover": pct(killed, 0, 182, neighbours),
        "lindo_local_182": pct(captured, 0, 182, JALISCO),
        "lindo_gradient": float(np.float64(pct(captured, 0, 182, network)) / pct(captured, 0, 182, JALISCO)),
        "fragmentation_ratio_4y": (campaign.daily.on_day("groups_alive", FOUR_YEARS) or np.nan) / groups_d0,
        "dell_crackdown": pct(offensive, 0, 365, front, ref=killed),
        "osorio_crowded": pct(offensive, 0, 365, crowded, "homicides_criminal", killed),
        "osorio_sparse": pct(offensive, 0, 365, sparse, "homicides_criminal", killed),
        "osorio_concentration": pct(offensive, 0, 365, crowded, "homicides_criminal", killed)
        - pct(offensive, 0, 365, sparse, "homicides_criminal", killed),
        "atuesta_criminal": campaign.daily.total("homicides_criminal", 0, CAMPAIGN_DAYS)
        - base.daily.total("homicides_criminal", 0, CAMPAIGN_DAYS),
    }


def _factions(seed: int, loyalty: float) -> int:
    model = _run(seed, 365, loyalty_mean=loyalty, **STRIKE)
    return new_organisations(model, model.organisations[model.cjng], 0, 365)


def _factions_of(task: tuple[int, float]) -> int:
    return _factions(*task)


def measure(seed_list: list[int], workers: int | None = None) -> dict[str, np.ndarray]:
    """Each quantity over the seeds (one value per seed), on sim.ensemble's executor."""
    rows = each(_measure, seed_list, processes=workers)
    return {k: np.array([r[k] for r in rows], dtype=float) for k in rows[0]}


def succession_outcomes(seed_list: list[int], workers: int | None = None) -> dict[float, np.ndarray]:
    """Organisations born from CJNG within a year of the strike, per seed, at each loyalty."""
    found = each(_factions_of, [(s, lo) for lo in LOYALTIES for s in seed_list], processes=workers)
    return {lo: np.array(found[i * len(seed_list) : (i + 1) * len(seed_list)]) for i, lo in enumerate(LOYALTIES)}


@dataclass(frozen=True)
class Finding:
    """How a finding's paired estimate reads: its key, its unit and the agreement rule (direction, size or None).
    The size rule reads `size_key` where the size is compared on another quantity than the direction (default: key)."""

    key: str
    unit: str
    direction: Callable[[dict[str, float]], bool]
    size: Callable[[float], bool] | None
    size_key: str | None = None


def _within(low: float, high: float) -> Callable[[float], bool]:
    return lambda x: low <= x <= high


FINDINGS = {
    "calderon_local": Finding("calderon_local", "%", lambda m: m["calderon_local"] > 0, _within(18.25, 73.0)),
    "lindo_local": Finding("lindo_local", "%", lambda m: m["lindo_local"] > 0, _within(40.0, 160.0)),
    "lindo_network": Finding(
        "lindo_network",
        "%",
        lambda m: m["lindo_network"] > 0 and m["lindo_network_late"] < m["lindo_network"],
        _within(15.0, 60.0),
    ),
    "dickenson_mode": Finding("dickenson_mode", "victims", lambda m: m["dickenson_mode"] > 0, None),
    "phillips_arrest": Finding("phillips_arrest", "victims", lambda m: m["phillips_arrest"] < 0, None),
    "fragmentation_groups": Finding(
        "fragmentation_groups",
        "groups",
        lambda m: m["fragmentation_groups"] > 0,
        _within(4.0, 64.0),
        "fragmentation_ratio_4y",
    ),
    "prieto_recruitment": Finding(
        "prieto_recruitment", "pp", lambda m: m["prieto_recruitment"] < 0, _within(-61.0, -15.0), "prieto_halve"
    ),
    "dell_diversion": Finding("dell_diversion", "ratio", lambda m: m["dell_diversion"] >= 0.85, _within(0.85, np.inf)),
    "jordan_succession": Finding(
        "jordan_factions", "organisations", lambda m: m["jordan_factions"] < 0 and m["jordan_homicides"] < 0, None
    ),
    "calderon_spillover": Finding("calderon_spillover", "%", lambda m: m["calderon_spillover"] > 0, None),
    "lindo_gradient": Finding("lindo_gradient", "ratio", lambda m: 0 < m["lindo_gradient"] < 1, _within(0.1875, 0.75)),
    "dell_crackdown": Finding("dell_crackdown", "%", lambda m: m["dell_crackdown"] > 0, None),
    "osorio_concentration": Finding("osorio_concentration", "pp", lambda m: m["osorio_concentration"] > 0, None),
    "atuesta_ponce_competition": Finding(
        "atuesta_criminal",
        "victims",
        lambda m: m["fragmentation_groups"] > 0 and m["atuesta_criminal"] > 0,
        None,
    ),
}


def _interval(values: np.ndarray) -> tuple[float, float, float]:
    values = values[np.isfinite(values)]
    if not len(values):
        return float("nan"), float("nan"), float("nan")
    lo, hi = np.percentile(values, [5, 95])
    return float(np.median(values)), float(lo), float(hi)


def medians(measured: dict[str, np.ndarray]) -> dict[str, float]:
    """Each quantity's median over the seeds that have it (a set of states can be empty on a seed; NaN where no seed
    has it), and the quantities judged on medians: lindo_gradient is the ratio of the two medians, since a per-seed
    ratio is unstable where the local effect is near zero."""
    med = {k: float(np.nanmedian(v)) if np.isfinite(v).any() else float("nan") for k, v in measured.items()}
    if "lindo_network" in med and "lindo_local_182" in med:
        med["lindo_gradient"] = med["lindo_network"] / med["lindo_local_182"]
    return med


def agreement(measured: dict[str, np.ndarray]) -> dict[str, tuple[bool, bool | None]]:
    """Per finding: (agrees in direction, agrees in size or None where size is not compared), on the medians. A
    median that is NaN agrees with nothing."""
    med = medians(measured)
    return {
        fid: (f.direction(med), None if f.size is None else f.size(med[f.size_key or f.key]))
        for fid, f in FINDINGS.items()
    }


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def _estimate(measured: dict[str, np.ndarray], key: str, unit: str) -> str:
    mid, lo, hi = _interval(measured[key])
    return f"{_fmt(mid)}{' ' + unit if unit else ''} [{_fmt(lo)} to {_fmt(hi)}]"


REASONS = {  # why the model and a finding differ, where they do (kept beside the numbers they explain)
    "calderon_local": "the model's unit is the state: the raid's municipality is a small part of Jalisco's homicides, "
    "and the model has no municipal turf war at the raid's site",
    "lindo_local": "besides the dilution above, a capture in the model takes a tenth of the organisation's core in "
    "follow-up arrests (Phillips 2015's short-term calm) and, at the default capture_retaliation_share (0.5, its range "
    "0.2-2), is avenged less than a killing; Lindo & Padilla-Romo find the opposite locally. The two findings pull "
    "against each other and the model's defaults side with Phillips",
    "lindo_network": "the model's effect grows instead of fading: the succession's wars and rivals' entry into the "
    "weakened states build up over months (cohesion recovers slowly), where the published effect comes at once and is "
    "gone in six months",
    "lindo_gradient": "both of the model's effects over months 1-6 are small beside the published ones (the local "
    "one diluted over Jalisco, the network one building up only later, as in lindo_network) and the local one's range "
    "spans zero, so their ratio is poorly determined; the published network effect is well below the local one",
    "fragmentation_groups": "news data count every named cell, splinter and brand (473 groups in Esberg's data, 9 of "
    "them major cartels); the model counts organisations of at least 50 members apart from the local gangs, and "
    "a removal splits an organisation only where lieutenants' cells follow them. Counted alike, the rise would be "
    "smaller than 16-fold; how much smaller nobody has measured, so the tolerance is wide and the miss is kept",
    "jordan_succession": "a named heir no longer ends the contest: he raises the lieutenants' claim threshold by "
    "heir_claim_factor (2 at the default, its range 0.5-4), so fewer organisations break away, but the first year's "
    "violence comes mostly from the retaliation wave, the war with the breakaways that still claim and rivals' entry "
    "into the weakened states, which an heir does not stop; the sign on homicides is left to the parameters",
    "prieto_recruitment": "recruitment here is limited by what the market pays, not by a per-member rate: halving the "
    "rate still fills most of the market, so members barely fall; arrests take the cells' core, and clashes scale with "
    "the core squared, so doubled incapacitation calms violence strongly. That rests on the three fitted core "
    "parameters (docs/calibration.md); the peer has no labour market and no core (next section)",
}


def finding_rows(measured: dict[str, np.ndarray]) -> list[str]:
    """One markdown row per finding: the published effect, the model's paired estimate, the verdict and the reason."""
    agree = agreement(measured)
    extra = {
        "lindo_network": f"; months 7-12: {_estimate(measured, 'lindo_network_late', '%')}",
        "fragmentation_groups": f"; leaders removed in six years: {_estimate(measured, 'campaign_removals', '')}; "
        f"groups alive on day {FOUR_YEARS} over day 0: {_estimate(measured, 'fragmentation_ratio_4y', 'x')}",
        "lindo_gradient": f" per seed; judged on the ratio of the medians, {_fmt(medians(measured)['lindo_gradient'])}"
        f" (the network effect over months 1-6, {_estimate(measured, 'lindo_network', '%')}, over the local effect "
        f"over the same months, {_estimate(measured, 'lindo_local_182', '%')})",
        "osorio_concentration": f" (states hosting many groups {_estimate(measured, 'osorio_crowded', '%')}; "
        f"the others {_estimate(measured, 'osorio_sparse', '%')})",
        "atuesta_ponce_competition": f"; groups: {_estimate(measured, 'fragmentation_groups', 'groups')}",
        "prieto_recruitment": f" (halving recruitment {_estimate(measured, 'prieto_halve', '%')}; "
        f"doubling incapacitation {_estimate(measured, 'prieto_double', '%')}, each against the status quo)",
        "jordan_succession": f"; homicides in year 1: {_estimate(measured, 'jordan_homicides', 'victims')}",
    }
    rows = []
    for r in literature():
        f = FINDINGS[r["id"]]
        direction, size = agree[r["id"]]
        verdict = ("agrees" if direction else "**disagrees**") + " in direction"
        verdict += "" if size is None else ("; agrees in size" if size else "; **differs in size**")
        reason = REASONS.get(r["id"], "") if size is False or not direction else ""
        rows.append(
            f"| {r['id']} | {r['published_effect']} | {_estimate(measured, f.key, f.unit)}{extra.get(r['id'], '')} | "
            f"{verdict} | {reason} |"
        )
    return rows


def render(measured: dict[str, np.ndarray], outcomes: dict[float, np.ndarray], n_seeds: int, grid: str = "") -> str:
    """The findings beside the model, and the succession's outcomes over seeds (markdown); `grid`:
    the outcomes over the succession rule's grid (`sim.analysis.succession_grid.render`)."""
    agree = agreement(measured)
    rows = finding_rows(measured)
    met_direction = sum(d for d, _ in agree.values())
    sized = [z for _, z in agree.values() if z is not None]
    ratio = _estimate(measured, "campaign_groups_ratio", "x")
    removals = _estimate(measured, "campaign_removals", "")
    table = []
    for lo, values in outcomes.items():
        counts = np.bincount(values, minlength=4)
        table.append(
            f"| {lo} | {np.mean(values == 0):.0%} | "
            + " | ".join(str(int(c)) for c in counts[:4])
            + f" | {int(counts[4:].sum())} |"
        )
    held = _estimate(measured, "held_vs_extradited", "victims")
    held_f = _estimate(measured, "held_vs_extradited_factions", "organisations")
    return f"""## The model beside the published findings

Paired estimates over {n_seeds} test seeds: median [5th to 95th percentile] of the per-seed
difference. {met_direction} of {len(agree)} findings agree in direction; {sum(sized)} of the {len(sized)} whose size
is compared (a numeric size rule, sim/analysis/literature.py `FINDINGS`) agree in size. A disagreement stays in the
table with its reason; each rule is set from the published numbers and its stated comparability, never moved to
meet the model.

| id | published | model | agreement | why they differ |
|---|---|---|---|---|
{chr(10).join(rows)}

The pattern tests of the strike and the policies (tests/test_strike.py, tests/test_policies.py)
remain as checks of the mechanisms and hold, except one: a six-year campaign no longer at least
doubles the groups alive on day 0 (now {ratio}). Operations now fail as often as Mexico's lists
say ({removals} leaders removed in six years, where every attempt used to succeed and removed 72-89),
and a removal splits an organisation only where lieutenants' cells follow them. The evidence
(fragmentation_groups above) says groups multiplied far more in Mexico (5 visible groups in 2007,
about 80 in 2011), but it counts every named cell and gang in news reports, many of them brands of
one cartel, while the model counts organisations of at least 50 members apart from the states'
local gangs; the test now asks for more groups than the same seeds without the campaign.

Capture and held against capture and extradited (year 1): homicides {held}, organisations born
from CJNG {held_f}. The mechanism, an assumption from the record's own cases (the Sinaloa
Cartel under El Chapo's sons after his extradition): a leader held in Mexico names and backs a
successor with chance `held_leader_authority`, whom the lieutenants then face as they would an heir
(their claim ratio times `heir_claim_factor`); an extradited one cannot.

## The succession's outcomes

Organisations born from CJNG within 365 days of the strike (`new_factions_d365`) over
{len(next(iter(outcomes.values())))} test seeds, by the cells' mean loyalty (`loyalty_mean`; the default is 0.8). Each
lieutenant claims by chance, more likely with his own strength and the worth of his region, less
with his cells' loyalty and the brand's pull (docs/ODD.md, succession).

| loyalty_mean | no new organisation | 0 | 1 | 2 | 3 | more |
|---|---|---|---|---|---|---|
{chr(10).join(table)}
{"" if not grid else chr(10) + "### Over the succession rule's grid" + chr(10) + chr(10) + grid}"""
