"""The validation targets: every observed figure the model is compared with, and its measurement.

Each target is marked **calibration fit** (a calibration fit, sim/analysis/calibration/, chose a
parameter to meet it), **check** (nothing was fitted to it) or **by construction** (it follows
from a parameter's value directly). National figures up to the default origin (May 2026) are used,
the months after the strike as checks; later ones, and every state-level figure for 2025 or later,
are reserved for out-of-sample validation. `measure` runs on test seeds, which no calibration ever
uses. experiments/validate.py writes docs/validation.md from them; `tests/test_validation.py`
asserts every target on the same runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from sim.analysis import seeds
from sim.analysis.calibration import long
from sim.analysis.mapping import each
from sim.runs import plausible
from sim.runs.summary import summarise
from sim.world.calendar import DEFAULT_ORIGIN, day_of, year_days
from sim.world.geography import states_table
from sim.world.model import CartelModel
from sim.world.observed import after_strike, monthly
from sim.world.record import LONG

STRIKE = {"strike_enabled": True}  # the mencho_strike settings; its past is the default world's, seed by seed
H1_2024 = (day_of(dt.date(2024, 1, 1)), day_of(dt.date(2024, 7, 1)))
STEADY_SEEDS = 10
OF_THE_MEDIAN = ("spearman_", "within_")  # targets judged on the median run, measured as each run's then the median's


@dataclass(frozen=True)
class Target:
    key: str  # the measured quantity
    what: str
    observed: str
    criterion: str
    ok: Callable[[float], bool]
    kind: str  # "calibration fit", "check" or "by construction"
    source: str


def _within(value: float, share: float) -> Callable[[float], bool]:
    return lambda x: abs(x / value - 1.0) <= share


def _months() -> list[Target]:
    out = []
    for m in monthly():
        label = "1-21 Feb 2026" if m.month == "2026-02" else dt.date.fromisoformat(m.month + "-01").strftime("%b %Y")
        out.append(
            Target(
                f"month_{m.month}",
                f"national victims a day, {label}",
                f"{m.per_day:g}",
                "within ±15%",
                _within(m.per_day, 0.15),
                "calibration fit" if m.window == "fit" else "check",
                m.source,
            )
        )
    return out


def _months_after_strike() -> list[Target]:
    return [
        Target(
            f"month_{m.month}",
            f"national victims a day, {dt.date.fromisoformat(m.month + '-01'):%b %Y}, after the strike",
            f"{m.per_day:g}",
            "within ±15%",
            _within(m.per_day, 0.15),
            "check",
            f"{m.source.split(';')[0]} (sim/data/observed_national_monthly.csv; released with the data split of "
            "31 May 2026, never fitted); the model's `mencho_strike` runs",
        )
        for m in after_strike()
    ]


TARGETS: list[Target] = [
    *_months(),
    *_months_after_strike(),
    Target(
        "homicides_2024",
        "national victims, calendar 2024",
        "30,046",
        "27,000–33,000",
        lambda x: 27_000 <= x <= 33_000,
        "calibration fit",
        "SESNSP 2024 (mexico-states.md [H1]); experiments/calibrate_baseline.py",
    ),
    Target(
        "per_day_h1_2024",
        "national victims a day, Jan–Jun 2024",
        "about 83",
        "within ±15%",
        _within(83.0, 0.15),
        "check",
        "record-2024-2026.md section 3 (Jan-Jun 2025 at 70.5 a day, about 15% below Jan-Jun 2024)",
    ),
    Target(
        "homicides_2025",
        "national victims, calendar 2025",
        "about 23,240",
        "21,000–25,500",
        lambda x: 21_000 <= x <= 25_500,
        "check",
        "record-2024-2026.md section 1 (SESNSP Jan-Nov plus December's preliminary count, via La Razón)",
    ),
    Target(
        "spearman_counts_2024",
        "ranking of states by 2024 homicides (Spearman, counts)",
        "population alone: 0.70",
        "≥ 0.75",
        lambda x: x >= 0.75,
        "calibration fit",
        "SESNSP 2024 by state (mexico-states.md [H1]); experiments/calibrate_ranking.py",
    ),
    Target(
        "spearman_rates_2024",
        "ranking of states by 2024 homicide rates (Spearman)",
        "",
        "≥ 0.4",
        lambda x: x >= 0.4,
        "calibration fit",
        "SESNSP 2024 by state / Census 2020; a constraint of experiments/calibrate_ranking.py",
    ),
    Target(
        "spearman_counts_2023",
        "ranking of states by 2023 homicides (Spearman, counts)",
        "",
        "≥ 0.7",
        lambda x: x >= 0.7,
        "check",
        "SESNSP 2023 by state (mexico-states.md [H1]); the ranking search never sees it",
    ),
    Target(
        "homicides_sinaloa_war_ratio",
        "Sinaloa, 9 Sep–31 Dec 2024 against before 25 Jul 2024 (victims a day)",
        "994 in 2024, 531 in 2023",
        "≥ 2",
        lambda x: x >= 2.0,
        "calibration fit",
        "a constraint of experiments/calibrate_ranking.py (≥ 2.2); "
        "the war follows from El Mayo's removal in the record",
    ),
    Target(
        "homicides_hidden_excess_per_day",
        "killings hidden as disappearances, Oct 2024–Sep 2025 over Jan–Jun 2024 (a day)",
        "≈ 14 more registered disappearances a day",
        "≤ 14",
        lambda x: x <= 14.0,
        "calibration fit",
        "record-2024-2026.md section 3; a constraint of experiments/calibrate_record.py",
    ),
    Target(
        "members_total_2024",
        "members of all armed groups, 1 Jan 2024",
        "175,000 (160,000–185,000)",
        "160,000–185,000",
        lambda x: 160_000 <= x <= 185_000,
        "calibration fit",
        "Prieto-Curiel, Campedelli & Hope 2023; experiments/calibrate_baseline.py",
    ),
    Target(
        "cjng_members_d0",
        "CJNG members on day 0",
        "about 30,000",
        "25,000–35,000",
        lambda x: 25_000 <= x <= 35_000,
        "check",
        "Prieto-Curiel et al. 2023; the placement solves CJNG's strength for 30,000 in 2024 (by construction then), "
        "day 0 follows the record",
    ),
    Target(
        "recruits_weekly_2024",
        "recruits a week, 2024",
        "350–370",
        "300–420",
        lambda x: 300 <= x <= 420,
        "check",
        "Prieto-Curiel, Campedelli & Hope 2023",
    ),
    Target(
        "armed_group_share_2024",
        "armed groups' share of homicides, 2024",
        "0.54–0.80",
        "≥ 0.5",
        lambda x: x >= 0.5,
        "by construction",
        "Molzahn, Rios & Shirk 2012; Semáforo Delictivo: "
        "follows from background_homicide_rate once the total is calibrated",
    ),
    Target(
        "homicides_forces_2024",
        "security forces killed, 2024",
        "about 400 (assumption)",
        "300–500",
        lambda x: 300 <= x <= 500,
        "calibration fit",
        "assumption in the parameter table; experiments/calibrate_baseline.py",
    ),
    Target(
        "steady_year_1",
        "record=none: national homicides in the 2nd year over 2024",
        "steady",
        "within ±3%",
        _within(1.0, 0.03),
        "check",
        "MODEL.md (a steady burn-in); 10 seeds",
    ),
    Target(
        "steady_year_2",
        "record=none: national homicides in the 3rd year over the 2nd",
        "steady",
        "within ±3%",
        _within(1.0, 0.03),
        "check",
        "MODEL.md (a steady burn-in); 10 seeds",
    ),
    Target(
        "roadblocks_48h",
        "roadblocks in the first 48 hours",
        "more than 250",
        "200–330",
        lambda x: 200 <= x <= 330,
        "calibration fit",
        "000, 002 (seed-facts.md); experiments/calibrate_wave.py",
    ),
    Target(
        "roadblock_states_48h",
        "states with a roadblock",
        "20 of 32",
        "15–25",
        lambda x: 15 <= x <= 25,
        "calibration fit",
        "000, 002; experiments/calibrate_wave.py",
    ),
    Target(
        "roadblocks_cleared_24h_share",
        "roadblocks cleared within 24 hours",
        "most by Monday morning",
        "≥ 0.6",
        lambda x: x >= 0.6,
        "calibration fit",
        "000, 002; experiments/calibrate_wave.py",
    ),
    Target(
        "guard_killed_jalisco_72h",
        "National Guard killed in Jalisco, 72 hours",
        "25",
        "10–45",
        lambda x: 10 <= x <= 45,
        "calibration fit",
        "002, 003; experiments/calibrate_wave.py",
    ),
    Target(
        "spearman_wave_margin",
        "roadblocks by state: Spearman with CJNG's members by state minus Spearman with population",
        "the day's deaths in Jalisco, Michoacán, Guanajuato",
        "> 0",
        lambda x: x > 0.0,
        "check",
        "000, 002 (seed-facts.md); "
        "issue 13: the wave follows the organisation's cells and their loyalty, not population",
    ),
    Target(
        "gunmen_killed_72h",
        "gunmen killed by forces, 72 hours (raid included)",
        "about 34",
        "15–60",
        lambda x: 15 <= x <= 60,
        "check",
        "002, 003 (about 30 in Jalisco and 4 in Michoacán)",
    ),
]


# The long world (the briefing's and the explorer's, docs/worlds.md) against the same targets and two of its own:
# world i of sim/data/long_worlds.csv on test seed i + 1, to the default origin. Its worlds were conditioned on
# every national month to May 2026, the states' years 2015-2024 and the hidden-killings bound, so those targets
# are calibration fits there whatever they are in the world of 2024.
LONG_WORLDS = 20
CONDITIONED = {
    "homicides_2024",
    "homicides_2025",
    "per_day_h1_2024",
    "spearman_counts_2023",
    "spearman_counts_2024",
    "homicides_hidden_excess_per_day",
}
# Targets fitted in the world of 2024 through parameters that do not act, or are fitted again without
# them, in the world of 2014: checks there. Sinaloa's war: the long fit sets `hostility_war` and
# `clash_lethality` on the months and the states' years; members in 2024: `members_total` places the world of
# 2024 only, and the long fit sets `members_2014` on the months.
UNFITTED_IN_LONG = {
    "homicides_sinaloa_war_ratio": "in the world of 2014 a check: the long fit sets the war's parameters without it",
    "members_total_2024": "in the world of 2014 a check: its members grow from members_2014 through the decade",
}
LONG_TARGETS: list[Target] = [
    Target(
        "within_2015_2026",
        "share of national months, Jan 2015 – May 2026, within ±15%",
        "137 months, 44 to 101 victims a day",
        "≥ 0.85",
        lambda x: x >= 0.85,
        "calibration fit",
        "sim/data/observed_national_monthly.csv (delitos × 1.16 to 2025, RNID 2026; docs/data.md); "
        "the worlds' rule (docs/worlds.md)",
    ),
    Target(
        "spearman_lowest_2015_2023",
        "ranking of states, the lowest of 2015–2023 (Spearman, each year's counts against its own)",
        "",
        "≥ 0.7",
        lambda x: x >= 0.7,
        "calibration fit",
        "SESNSP by state 2015-2024 (sim/data/states_annual.csv; docs/data.md); the worlds' rule (docs/worlds.md)",
    ),
]


def long_targets() -> list[Target]:
    """The targets the long world is measured on: every one but the steady world's, as they stand there (a
    calibration fit wherever its worlds were conditioned on it), then its own."""
    out = []
    for t in TARGETS:
        if t.key.startswith("steady_"):
            continue
        if t.key.startswith("month_") or t.key in CONDITIONED:
            t = replace(t, kind="calibration fit", source=t.source.replace("never fitted", "the long worlds' data"))
        elif t.key in UNFITTED_IN_LONG:
            t = replace(t, kind="check", source=f"{t.source}; {UNFITTED_IN_LONG[t.key]}")
        out.append(t)
    return out + LONG_TARGETS


def _past_and_wave(seed: int, **params: Any) -> dict[str, Any]:
    """One mencho_strike run to the default origin: the record period (shared with no_strike on the seed),
    the wave and the months after the strike; on the long record also its months since 2015 and the
    states' years (`long.measure`)."""
    model = CartelModel(seed=seed, horizon_days=day_of(DEFAULT_ORIGIN), **STRIKE, **params)
    model.run_until(0)
    cjng = model.org_state_members()[model.cjng]  # where CJNG stands as the strike comes
    model.run()
    s = summarise(model)
    s.update({f"cjng_members_d0_{code}": float(m) for code, m in zip(model.geo.codes, cjng)})
    rec = model.daily
    s.update({f"month_{m.month}": rec.mean("homicides", m.first_day, m.end_day) for m in [*monthly(), *after_strike()]})
    s["per_day_h1_2024"] = rec.mean("homicides", *H1_2024)
    if params.get("record") == LONG:
        s.update(long.measure(model))
    return s


def _steady(seed: int, **params: Any) -> dict[str, float]:
    """record=none over the two years after 2024: each year's national homicides against the one before."""
    start = year_days(2024)[1]  # 1 Jan 2025
    model = CartelModel(seed=seed, horizon_days=start + 730, record="none", **params)
    model.run()
    rec = model.daily
    y0 = rec.total("homicides", *year_days(2024))
    y1 = rec.total("homicides", start, start + 365)
    y2 = rec.total("homicides", start + 365, start + 730)
    return {"steady_year_1": y1 / y0, "steady_year_2": y2 / y1}


def _past_and_wave_of(task: tuple[int, dict[str, Any]]) -> dict[str, Any]:
    return _past_and_wave(task[0], **task[1])


def _steady_of(task: tuple[int, dict[str, Any]]) -> dict[str, float]:
    return _steady(task[0], **task[1])


def measure(
    n_seeds: int = 20, workers: int | None = None, steady_seeds: int = STEADY_SEEDS, **params: Any
) -> dict[str, np.ndarray]:
    """Every target's measured value per seed (the rankings: per seed, and of the medians last), on the first
    `n_seeds` test seeds (the steady world's on the first `steady_seeds`; 0 leaves its targets out). `params`
    replace parameter values in every run (the page uses none; a test sets one far from its fitted value)."""
    test = seeds.test(n_seeds)
    past = each(_past_and_wave_of, [(s, params) for s in test], processes=workers)
    steady = each(_steady_of, [(s, params) for s in test[:steady_seeds]], processes=workers)
    out = _of_pasts(past)
    for t in TARGETS:
        if t.key.startswith("steady_") and steady:
            out[t.key] = np.array([r[t.key] for r in steady], dtype=float)
    return out


def measure_long(n_worlds: int = LONG_WORLDS, workers: int | None = None) -> dict[str, np.ndarray]:
    """The long world's values of `TARGETS` (the steady world's aside) and `LONG_TARGETS`: world i of
    its worlds on test seed i + 1, each a parameter set and a draw of chance, as the briefing runs them."""
    tasks = [(s, {**plausible.apply({}, w, record=LONG), "record": LONG}) for w, s in enumerate(seeds.test(n_worlds))]
    past = each(_past_and_wave_of, tasks, processes=workers)
    out = _of_pasts(past)
    runs = pd.DataFrame(past)
    scores = [long.score(runs.iloc[[i]]) for i in range(len(runs))] + [long.score(runs)]  # each run, then all
    out["within_2015_2026"] = np.array([sc["within"] for sc in scores])
    out["spearman_lowest_2015_2023"] = np.array([min(r for y, r in sc["rho"].items() if y < 2024) for sc in scores])
    return out


def _of_pasts(past: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    """The targets' values from `_past_and_wave`'s runs: per run, and the rankings of the median state counts last."""
    out: dict[str, np.ndarray] = {}
    for t in TARGETS:
        if not t.key.startswith(("steady_", "spearman_")):
            out[t.key] = np.array([np.nan if r[t.key] is None else r[t.key] for r in past], dtype=float)
    df = states_table()
    pop = df["population_2020"].to_numpy(float)
    for year in (2023, 2024):
        per_seed = np.array([[r[f"homicides_2024_{c}"] for c in df["code"]] for r in past])
        ref = df[f"homicides_{year}"].to_numpy(float)
        for kind, d in (("counts", 1.0), ("rates", pop)):
            if f"spearman_{kind}_{year}" in {t.key for t in TARGETS}:
                values = [spearmanr(h / d, ref / d)[0] for h in per_seed] + [
                    spearmanr(np.median(per_seed, axis=0) / d, ref / d)[0]
                ]
                out[f"spearman_{kind}_{year}"] = np.array(values)
    wave = np.array([[r[f"roadblocks_48h_{c}"] for c in df["code"]] for r in past], dtype=float)
    cjng = np.array([[r[f"cjng_members_d0_{c}"] for c in df["code"]] for r in past])
    margin = lambda w, c: spearmanr(w, c)[0] - spearmanr(w, pop)[0]  # noqa: E731
    out["spearman_wave_margin"] = np.array(
        [margin(w, c) for w, c in zip(wave, cjng)] + [margin(np.median(wave, axis=0), np.median(cjng, axis=0))]
    )
    out["wave_rho"] = np.array(
        [spearmanr(np.median(wave, axis=0), ref)[0] for ref in (np.median(cjng, axis=0), pop)]
    )  # for the notes
    return out


def headline(key: str, values: np.ndarray) -> float:
    """The value a target is judged on: the median over seeds (for a ranking or a share of months, that of
    the median over runs, which comes last)."""
    return float(values[-1]) if key.startswith(OF_THE_MEDIAN) else float(np.nanmedian(values))


def misses(measured: dict[str, np.ndarray], targets: list[Target] = TARGETS) -> list[Target]:
    """The targets the measured values miss (a value that is NaN misses), among the targets measured."""
    return [t for t in targets if t.key in measured and not t.ok(headline(t.key, measured[t.key]))]
