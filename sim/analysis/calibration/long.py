"""The long fit: global parameters of the world of 2014 against the record of 2015 - May 2026.

The world starts from the organisations of 2014 and lives through the long record
(`mexico_2015_2026`, then the strike and its aftermath to 31 May 2026, the last observed month).
Nothing per period, per month or per state is fitted: the parameters act on every day and state.

Targets (calibration fits), on the median over calibration seeds:
- national victims a day in every month from Jan 2015 to May 2026 (sim/data/observed_national_monthly.csv):
  the share of months more than 15% off (what the issue's target counts) plus the mean squared log
  error (which ranks points that miss as many months);
- the ranking of states by victims in each year 2015-2024 (sim/data/observed_states_annual.csv):
  Spearman on counts, a penalty `RANK_WEIGHT` x (floor - rho) for each year below its floor (0.7;
  0.75 in 2024, `RANK_FLOOR`);
- the states' levels in those years: `STATE_WEIGHT` x the mean squared log error of each state's
  victims in each year (the ranking alone does not see a state's war missing, as Sinaloa's of 2024 was);
- the number of criminal groups: named groups alive on 1 Jan 2024 against the about 175 AC
  Consultores counted in 2023, a penalty `GROUPS_WEIGHT` x log(ratio)^2 (without it the best fit
  made its rise from some 770 entrant crews);
- the hidden-killings bound: hidden killings under the 2024 strategy at most `HIDDEN_BOUND` a day
  above the months before it (a point that breaks it on the median is out).

Procedure: a seeded Latin hypercube of `points` over the factors' ranges (the table's) and the
current fit, then `generations` of CMA-ES (`evolve`) from the best of them, each point on `seeds`
calibration seeds; the best `finalists` on `FINAL_SEEDS` calibration seeds, the best of which is
written to `sim/data/long_fit.csv`. Every run goes through `sim.ensemble` into a folder (resumable).

    python -m experiments.calibrate_long [--points N --generations N --seeds N --out DIR]
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis import seeds as seedlists
from sim.analysis.calibration.record import HIDDEN_BOUND, WITHIN
from sim.analysis.calibration.space import factor, from_unit, latin_hypercube, to_unit
from sim.analysis.factors import Factor
from sim.analysis.forecast import discrepancy
from sim.analysis.forecast.conditioned import FROM_DAY0, record_measures, state_residuals
from sim.analysis.forecast.states import table as state_table
from sim.runs import plausible
from sim.world.calendar import day_of
from sim.world.day import NAT_GROUPS
from sim.world.observed import national_series, states_annual
from sim.world.record import LONG

RECORD = LONG
END = dt.date(2026, 6, 1)  # the day after the last observed month
FACTORS = (
    "clash_lethality",
    "background_homicide_rate",
    "hostility_default",
    "hostility_war",
    "entry_rate",
    "absorb_rate",
    "succession_claim_ratio",
    "concealment",
    "hold_troops_per_member",
    "hold_violence_damping",
    "expansion_rate",
    "market_share_exponent",
    "evenness_exponent",
    "members_2014",
    "recruit_rate_max",
    "member_cost_usd_day",
    "stakes_exponent",
    "season_amplitude",
    "season_peak_day",
)
# Where violence falls between states: the markets that pay members and the state's strength. The fit
# searches them too (the states' ranking moves with them, the national months hardly), but the
# backtest and the worlds condition `FACTORS` only: the backtest keeps these at the table's values,
# the worlds at the fit's.
SPREAD = (
    "local_revenue_usd_pc",
    "local_drug_use_exponent",
    "border_revenue_usd",
    "port_revenue_usd",
    "coast_revenue_usd",
    "trafficking_labour_share",
    "capacity_index_exponent",
    "capacity_violence_damping",
    "entry_capacity_cost",
)
SEARCHED = FACTORS + SPREAD
LOG_SCALE = ("absorb_rate", "recruit_rate_max", "member_cost_usd_day", "trafficking_labour_share")
YEARS = range(2015, 2025)
STATE_WEIGHT = 0.25  # x the states' years' mean squared log error: a factor of 2 off everywhere costs 0.12
RANK_WEIGHT = 1.0  # a year's Spearman 0.01 below its floor costs a little more than a month 15% off (1/137)
GROUPS_WEIGHT = 0.05  # x log(groups alive / GROUPS_2023)^2: 755 groups cost 0.11, 350 cost 0.012
GROUPS_2023 = 175  # criminal groups, AC Consultores 2023 (docs: mexico-states.md [G6])
GROUPS_DAY = dt.date(2024, 1, 1)  # where the model's count meets theirs
MEMBERS_2022 = (160_000, 185_000)  # members of all armed groups, Prieto-Curiel et al. 2023 (175,000): a check
POPULATION = 16  # CMA-ES points a generation (its default for 19 factors is 11; more average the seeds' noise)
CMA_SIGMA = 0.2  # its first step, in units of each factor's range
CMA_SEED = 2015
OUT = 10.0  # a point over the hidden-killings bound, for CMA-ES: far above any point that keeps it
RANK_FLOOR = {2024: 0.75}  # the floor of each year's Spearman where it is not `RANK_FLOOR_DEFAULT`
RANK_FLOOR_DEFAULT = 0.7
RANK_MARGIN = 0.02  # the search aims this far above each floor: a median over 3 seeds is noisier than over 10
FINAL_SEEDS = 10
FIT_FILE = plausible.FIT_FILES["2014"]  # where a run of the long record reads its fit
DISCREPANCY_FILE = "long_discrepancy.csv"  # what the fit leaves: the conditioning's AR(1) (forecast/discrepancy.py)


def measure(model: Any) -> dict[str, float]:
    """A run's months and each state's victims in every whole year (the backtest's measure), and the hidden excess."""
    rec = model.daily
    out = record_measures(model)
    out["groups_2024"] = float(rec.national_values[day_of(GROUPS_DAY) - rec.start_day, NAT_GROUPS])
    return out


def run(points: list[dict[str, float]], seeds: list[int], folder: Path, **options: Any) -> pd.DataFrame:
    """Each point on each seed through the whole long record and the strike to June 2026 (a point
    that carries its own `seed` runs on that one only)."""
    from sim.analysis.ensembles import ensemble

    design = [{**p, "record": RECORD, "origin": FROM_DAY0, "horizon_days": day_of(END)} for p in points]
    return ensemble(["mencho_strike"], seeds=seeds, points=design, measure=measure, folder=folder, **options).runs


def score(runs: pd.DataFrame) -> dict[str, Any]:
    """One point's score from its runs (one row per seed): the median over seeds against the record."""
    ok = runs[runs["status"] == "ok"] if "status" in runs else runs
    if ok.empty:
        return {
            "score": np.inf,
            "within": 0.0,
            "rho": {},
            "states_error": np.nan,
            "hidden_excess": np.nan,
            "months": pd.Series(dtype=float),
        }
    obs = national_series()
    months = pd.Series(
        {m: ok[f"m{m}"].astype(float).median() for m in obs.index.strftime("%Y-%m") if f"m{m}" in ok},
        dtype=float,
    )
    observed = obs.set_axis(obs.index.strftime("%Y-%m"))["per_day"].loc[months.index]
    err = np.log(np.maximum(months, 1e-9) / observed)
    states = states_annual()
    rho = {}
    for year in YEARS:
        model = pd.Series({code: ok[f"y{year}_{code}"].median() for code in states["code"].unique()})
        truth = states[states["year"] == year].set_index("code")["victims"].loc[model.index]
        rho[year] = float(model.rank().corr(truth.rank()))
    runs_months = ok[[f"m{m}" for m in months.index]].astype(float).to_numpy()
    persistence = {
        "months": discrepancy.estimate(np.log(observed.to_numpy())[None, :] - np.log(np.maximum(runs_months, 1e-9)))
    }
    observed_states = state_table()
    state_years = state_residuals(ok, observed_states, list(YEARS), floor=1.0)
    persistence["states"] = discrepancy.estimate(state_years.reshape(-1, len(YEARS)))
    medians = ok.median(numeric_only=True).to_frame().T  # the states' years of the median over seeds
    states_error = float(np.mean(state_residuals(medians, observed_states, list(YEARS), floor=1.0) ** 2))
    hidden = float(ok["hidden_excess"].median())
    groups = float(ok["groups_2024"].median())
    penalty = RANK_WEIGHT * sum(max(0.0, rank_floor(y) + RANK_MARGIN - r) for y, r in rho.items())
    penalty += GROUPS_WEIGHT * np.log(max(groups, 1.0) / GROUPS_2023) ** 2
    within = float((np.abs(months / observed - 1) <= WITHIN).mean())
    total = (1.0 - within) + float(np.mean(err**2)) + STATE_WEIGHT * states_error + penalty
    total += np.inf if hidden > HIDDEN_BOUND else 0.0
    return {
        "score": total,
        "within": within,
        "rho": rho,
        "states_error": states_error,
        "hidden_excess": hidden,
        "groups": groups,
        "months": months,
        "discrepancy": persistence,
        "runs": len(ok),
    }


def rank_floor(year: int) -> float:
    """The floor the issue sets to a year's Spearman of the states."""
    return RANK_FLOOR.get(year, RANK_FLOOR_DEFAULT)


def factors() -> list[Factor]:
    """The long fit's factors over the table's ranges, on the fit's scales: the parameters the record
    is fitted through, which the backtest's particles draw and condition (the rest keep the table's values)."""
    return [factor(k, LOG_SCALE) for k in FACTORS]


def search(
    points: int,
    generations: int,
    seeds: int,
    finalists: int,
    folder: Path,
    start: dict[str, float],
    sigma: float = CMA_SIGMA,
    names: tuple[str, ...] = SEARCHED,
    **options: Any,
) -> tuple[dict[str, float], dict[str, Any]]:
    """The Latin hypercube (and `start`), then CMA-ES from the best of them, then the finalists;
    the best point (every parameter of `SEARCHED`) and its score. Only `names` move, the rest of
    `SEARCHED` keep `start`'s values: from a point already fitted, `points` 0, a smaller `sigma`
    and fewer dimensions, which CMA-ES crosses in fewer generations through the seeds' noise."""
    rng = np.random.default_rng(2015)
    kept = {k: start[k] for k in SEARCHED}
    point = lambda u: {**kept, **{k: from_unit(k, x, LOG_SCALE) for k, x in zip(names, u)}}  # noqa: E731
    units = [
        np.array([to_unit(k, start[k], LOG_SCALE) for k in names]),
        *latin_hypercube(rng, points, len(names)),
    ]
    scored = _scored(units, point, seedlists.calibration(seeds), folder / "hypercube", **options)
    best = min(scored, key=lambda s: s[1]["score"])[0]
    scored += evolve(best, generations, point, seedlists.calibration(seeds), folder / "cma", sigma, **options)
    top = sorted(scored, key=lambda s: s[1]["score"])[:finalists]
    final = _scored([u for u, _ in top], point, seedlists.calibration(FINAL_SEEDS), folder / "finalists", **options)
    for u, sc in final:
        print(describe(point(u), sc))
    best_u, best_sc = min(final, key=lambda s: s[1]["score"])
    return point(best_u), best_sc


def evolve(
    centre: np.ndarray,
    generations: int,
    point: Any,
    seeds: list[int],
    folder: Path,
    sigma: float = CMA_SIGMA,
    **options: Any,
) -> list:
    """CMA-ES (Hansen's `cma`) on the unit cube from `centre`: `POPULATION` points a generation, each
    generation's runs in one ensemble (its own folder, so a re-run resumes: the strategy is seeded).
    A point that breaks the hidden-killings bound scores `OUT` instead of infinity."""
    import cma

    opts = {"bounds": [0, 1], "popsize": POPULATION, "seed": CMA_SEED, "verbose": -9}
    es = cma.CMAEvolutionStrategy(list(centre), sigma, opts)
    scored: list = []
    for g in range(generations):
        units = [np.asarray(x) for x in es.ask()]
        found = _scored(units, point, seeds, folder / f"gen{g:03d}", **options)
        es.tell([u for u, _ in found], [min(sc["score"], OUT) for _, sc in found])
        scored += found
        best = min(sc["score"] for _, sc in found)
        print(f"generation {g}: best {best:.4f}, so far {es.result.fbest:.4f}", flush=True)
    return scored


def _scored(units: list[np.ndarray], point: Any, seeds: list[int], folder: Path, **options: Any) -> list[tuple]:
    runs = run([point(u) for u in units], seeds, folder, **options)
    return [(u, score(runs[runs["point"] == i])) for i, u in enumerate(units)]


def describe(point: dict[str, float], sc: dict[str, Any]) -> str:
    values = " ".join(f"{k}={v:.3g}" for k, v in point.items())
    rho = " ".join(f"{y}:{r:.2f}" for y, r in sc["rho"].items())
    return (
        f"{values}: score {sc['score']:.4f}, months within 15% {sc['within']:.0%}, "
        f"states' log error {np.sqrt(sc['states_error']):.2f} (rms), "
        f"hidden excess {sc['hidden_excess']:.1f}/day, groups on 1 Jan 2024 {sc['groups']:.0f}, Spearman {rho}"
    )


def decade_checks(point: dict[str, float], seeds: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Where the decade leaves the world of 2014, per seed:
    - presence on 1 Jan 2024 of CJNG and the Sinaloa Cartel (either faction) against the presence
      of 2024 (sim/data/states.csv): states present and states that agree (of 32), a check;
    - size: members of all armed groups on 1 Jan 2023 (the peer's 2022 estimate), a check, and named
      groups alive on 1 Jan 2024 (AC Consultores' count of 2023), the fit's target, shown per seed."""
    from sim.world.geography import states_table
    from sim.world.model import CartelModel

    data = states_table()
    truth = {"CJNG": data["cjng"].astype(bool).to_numpy(), "Sinaloa": data["cds"].astype(bool).to_numpy()}
    rows, sizes = [], []
    for seed in seeds:
        model = CartelModel(seed=seed, record=RECORD, origin=FROM_DAY0, horizon_days=0, **point)
        model.run_until(day_of(dt.date(2023, 1, 1)))
        members = model.members_total
        model.run_until(day_of(dt.date(2024, 1, 1)))
        sizes.append({"seed": seed, "members_2023": members, "groups_alive_2024": model.groups_alive})
        m = model.org_state_members() > 0
        sinaloa = [model.org_index("Chapitos"), model.org_index("Mayos")]
        found = {"CJNG": m[model.cjng], "Sinaloa": m[sinaloa].any(axis=0)}
        for name, where in found.items():
            rows.append(
                {
                    "seed": seed,
                    "organisation": name,
                    "states": int(where.sum()),
                    "data": int(truth[name].sum()),
                    "agree": int((where == truth[name]).sum()),
                }
            )
    return pd.DataFrame(rows), pd.DataFrame(sizes)


def by_year(sc: dict[str, Any]) -> pd.DataFrame:
    """The fit's months as yearly means beside the observed, with each year's months within 15% and Spearman."""
    obs = national_series()
    observed = obs.set_axis(obs.index.strftime("%Y-%m"))["per_day"].loc[sc["months"].index]
    frame = pd.DataFrame({"model": sc["months"], "observed": observed})
    frame["within"] = (frame["model"] / frame["observed"] - 1).abs() <= WITHIN
    years = frame.groupby(frame.index.str[:4]).agg(
        model=("model", "mean"),
        observed=("observed", "mean"),
        months_within=("within", "sum"),
        months=("within", "size"),
    )
    years["spearman"] = [sc["rho"].get(int(y), np.nan) for y in years.index]
    return years.round(2)


def section(
    point: dict[str, float], sc: dict[str, Any], years: pd.DataFrame, presence: pd.DataFrame, sizes: pd.DataFrame
) -> str:
    """The long fit's section of docs/calibration.md."""
    from sim.analysis.calibration.report import table

    rows = [
        [
            y,
            f"{r.observed:.1f}",
            f"{r.model:.1f}",
            f"{int(r.months_within)}/{int(r.months)}",
            "" if np.isnan(r.spearman) else f"{r.spearman:.2f}",
        ]
        for y, r in years.iterrows()
    ]
    return (
        table(["parameter", "fitted value"], [[f"`{k}`", f"{v:.4g}"] for k, v in point.items()])
        + f"\n\nMedian over {FINAL_SEEDS} calibration seeds: {sc['within']:.0%} of the months from January 2015 "
        f"to May 2026 within 15% of the observed; hidden killings under the 2024 strategy "
        f"{sc['hidden_excess']:.1f} a day above the months before it (bound {HIDDEN_BOUND:g}). "
        "What the fit leaves, as an AR(1) over its runs (`discrepancy.estimate`; the forecasts' discrepancy, "
        "sim/analysis/forecast/discrepancy.py): the national months' residuals persist at "
        f"{sc['discrepancy']['months'][0]:.2f} a month with innovations of {sc['discrepancy']['months'][1]:.2f} "
        f"(in logs), the states' yearly residuals at {sc['discrepancy']['states'][0]:.2f} a year with "
        f"innovations of {sc['discrepancy']['states'][1]:.2f}.\n\n"
        + table(["year", "observed (victims a day)", "model", "months within 15%", "Spearman of states"], rows)
        + "\n\nA check, not fitted: where the decade leaves CJNG and the Sinaloa Cartel on 1 January 2024, "
        f"against the presence of 2024 (states with any tier in sim/data/states.csv), median over {FINAL_SEEDS} "
        "calibration seeds (they start in the 12 and 9 states of the DEA's 2015 map):\n\n"
        + table(
            ["organisation", "states present (model)", "states present (data)", "states that agree, of 32"],
            [
                [name, f"{g.states.median():g}", f"{g.data.iloc[0]}", f"{g.agree.median():g}"]
                for name, g in presence.groupby("organisation")
            ],
        )
        + "\n\nNamed groups alive on 1 January 2024 (a target, fitted): "
        f"{sizes.groups_alive_2024.median():g} ({sizes.groups_alive_2024.min()} - {sizes.groups_alive_2024.max()}) "
        f"against about {GROUPS_2023} criminal groups counted by AC Consultores in 2023 (mexico-states.md [G6]). "
        "Members of all armed groups on 1 January 2023 (a check, not fitted): "
        f"{sizes.members_2023.median():,.0f} ({sizes.members_2023.min():,.0f} - "
        f"{sizes.members_2023.max():,.0f}) against {MEMBERS_2022[0]:,} - {MEMBERS_2022[1]:,} in 2022 "
        "(Prieto-Curiel, Campedelli & Hope 2023).\n"
    )


def fitted() -> dict[str, float]:
    """The long fit's values (sim/data/long_fit.csv), which a run of the long record starts from
    (`sim.runs.plausible.fitted`)."""
    return dict(plausible.fitted("2014"))


def write(point: dict[str, float], path: Path) -> None:
    """The fit at full precision: a value rounded to 4 digits is another point, whose runs on the same
    seeds take other paths (the fit of f4d1331, rounded so, scored 93% of months within 15%, not 96%)."""
    pd.DataFrame({"parameter": list(point), "value": [float(v) for v in point.values()]}).to_csv(path, index=False)


def write_discrepancy(sc: dict[str, Any], path: Path) -> None:
    """What the fit's runs leave (`score`'s AR(1) of the national months and of the states' years),
    the conditioning's discrepancy constants (sim/analysis/forecast/discrepancy.py reads them)."""
    rows = [
        {"series": series, "persistence": round(phi, 3), "innovation": round(sd, 3), "runs": sc["runs"]}
        for series, (phi, sd) in sc["discrepancy"].items()
    ]
    pd.DataFrame(rows).to_csv(path, index=False)
