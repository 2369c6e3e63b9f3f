"""The briefing pack: the main scenarios over plausible worlds x seeds, their figures, a PDF and a summary.

    python -m experiments.briefing                    # 7 scenarios x 50 worlds x 2 seeds, 3 years
    python -m experiments.briefing --worlds 100 --seeds 4 --out my_briefing
    python -m experiments.briefing --worlds 0 --seeds 20   # the fitted defaults only: chance alone

Writes into the folder (default `briefing/`): `figures/*.png|pdf`, `briefing.pdf` (every figure,
one per page), `summary.md` (headlines, key numbers, where the spread comes from, the robust
comparison and the scenario discovery), `robust.csv` (every pair of policies on every outcome:
the share of worlds the first does better), `runs.csv` (one row per run) and `daily.parquet`
(national daily rows). Until the pack is whole, `runs/` keeps the runs chunk by chunk as they
finish: interrupted (Ctrl-C), the same command resumes where it stopped. Every scenario runs in
the same plausible worlds (sim/data/plausible_sets.csv) with the same test seeds, so differences
are paired by world and seed (common random numbers); ranges cover both what we do not know about
the parameters and chance. Each policy is compared with the status quo after the strike, the
strike with no strike (sim/analysis/baselines.py), in the summary and the figures alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.baselines import COUNTERFACTUAL, STATUS_QUO, baseline_for
from sim.analysis.figures import pair_keys
from sim.analysis.style import percent, signed

SCENARIOS = (
    "no_strike",
    "mencho_strike",
    "kingpin_campaign",
    "state_capacity",
    "second_front",
    "hugs_not_bullets",
    "combined",
)
POLICIES = ("kingpin_campaign", "state_capacity", "second_front", "hugs_not_bullets", "combined")
PAIR = ("kingpin_campaign", "state_capacity")  # the comparison the briefing is asked about
WORLDS, SEEDS, HORIZON = 50, 2, 1095  # the defaults: about 3 minutes on 2 cores
RUNS_FOLDER = "runs"  # in the pack's folder until it is whole: the runs, chunk by chunk, so an interrupted pack resumes


def _range(values: pd.Series, digits: int = 0) -> str:
    """'median [5th-95th percentile]' of a column over runs (worlds and seeds)."""
    v = pd.to_numeric(values, errors="coerce").dropna().astype(float)
    if v.empty:
        return "n/a"
    q = np.percentile(v, [50, 5, 95])
    return f"{q[0]:,.{digits}f} [{q[1]:,.{digits}f}–{q[2]:,.{digits}f}]"


def paired(
    runs: pd.DataFrame, key: str, scenario: str, baseline: str = COUNTERFACTUAL, relative: bool = False
) -> pd.Series:
    """Differences of `key` between a scenario and the baseline, run by run (same world and seed);
    with `relative`, as a share of the baseline's value."""
    from sim.analysis.robust import seed_values

    if not {scenario, baseline} <= set(runs["scenario"]):
        return pd.Series(dtype=float)
    wide = seed_values(runs, key, [scenario, baseline])
    diff = wide[scenario] - wide[baseline]
    return diff / wide[baseline] if relative else diff


def _lower_share(runs: pd.DataFrame, key: str, scenario: str, baseline: str) -> str:
    """In how many worlds (seeds averaged) the scenario gives less than the baseline."""
    d = paired(runs, key, scenario, baseline)
    if d.empty:
        return "n/a"
    per_world = d.groupby(level="world").mean() if "world" in d.index.names else d
    unit = "worlds" if "world" in d.index.names else "seeds"
    return f"{(per_world < 0).mean():.0%} of {len(per_world)} {unit}"


def _effect(runs: pd.DataFrame, key: str, scenario: str, baseline: str) -> str:
    """'−1,234 [−3,000–+200] (−2.1%)': the paired change, absolute with its band, then relative."""
    d, r = paired(runs, key, scenario, baseline), paired(runs, key, scenario, baseline, relative=True)
    if d.empty:
        return "n/a"
    q = np.percentile(d, [50, 5, 95])  # written as the figures write them, so both read the same
    return f"{signed(q[0])} [{signed(q[1])} to {signed(q[2])}] ({percent(100 * r.median())})"


def headlines(runs: pd.DataFrame, horizon: int) -> list[str]:
    """Each policy against the status quo after the strike, and the strike against no strike."""
    final = "third year" if horizon == 1095 else f"the last 365 days of {horizon}"
    lines = [
        "## Headlines",
        "",
        "Paired changes in national homicides (victims), median [5th–95th percentile over plausible worlds and seeds] "
        "(median relative change), and the share of plausible worlds (seeds averaged) in which the change is a fall.",
        "",
        f"| scenario | against | first year | lower in | {final} | lower in |",
        "|---|---|---|---|---|---|",
    ]
    present = set(runs["scenario"])
    for scenario in (STATUS_QUO, *POLICIES):
        base = baseline_for(scenario, present)  # the rule the figures and the maps follow
        if scenario in present and base is not None:
            lines.append(
                f"| `{scenario}` | `{base}` | {_effect(runs, 'homicides_d0_365', scenario, base)} | "
                f"{_lower_share(runs, 'homicides_d0_365', scenario, base)} | "
                f"{_effect(runs, 'homicides_last_365', scenario, base)} | "
                f"{_lower_share(runs, 'homicides_last_365', scenario, base)} |"
            )
    return lines


def spread_section(runs: pd.DataFrame) -> list[str]:
    """How much of each headline quantity's spread is the parameters and how much chance."""
    from sim.analysis.spread import split

    if pair_keys(runs) == ["seed"]:
        return []
    rows = []
    quantities = [
        (f"first-year homicides, `{STATUS_QUO}`", lambda: _level(runs, "homicides_d0_365", STATUS_QUO)),
        (
            f"the strike's first-year effect (`{STATUS_QUO}` − `{COUNTERFACTUAL}`)",
            lambda: paired(runs, "homicides_d0_365", STATUS_QUO, COUNTERFACTUAL),
        ),
        (f"third-year effect, `{PAIR[0]}` − `{PAIR[1]}`", lambda: paired(runs, "homicides_last_365", *PAIR)),
        (
            f"third-year effect, `{PAIR[0]}` − `{STATUS_QUO}`",
            lambda: paired(runs, "homicides_last_365", PAIR[0], STATUS_QUO),
        ),
        (
            f"effective groups a year after the strike, `{STATUS_QUO}`",
            lambda: _level(runs, "effective_groups_d365", STATUS_QUO),
        ),
    ]
    for label, values in quantities:
        v = values()
        if v.empty:
            continue
        s = split(v, pd.Series(v.index.get_level_values("world")))
        rows.append(f"| {label} | {s.parameter_share:.0%} | {1 - s.parameter_share:.0%} | {s.worlds} × {s.seeds:.0f} |")
    return [
        "",
        "## Where the spread comes from",
        "",
        "Share of each quantity's variance due to the plausible worlds' parameters and due to chance (the seeds), "
        "by a one-way analysis of variance over worlds (sim/analysis/spread.py).",
        "",
        "| quantity | parameters | chance | worlds × seeds |",
        "|---|---|---|---|",
        *rows,
    ]


def _level(runs: pd.DataFrame, key: str, scenario: str) -> pd.Series:
    ok = runs[(runs["status"] == "ok") & (runs["scenario"] == scenario)]
    return pd.to_numeric(ok.set_index(pair_keys(ok))[key], errors="coerce").dropna()


def robust_section(runs: pd.DataFrame) -> list[str]:
    """Campaign against capacity, then every pair of policies on every outcome, and their regret."""
    from sim.analysis import robust

    if pair_keys(runs) == ["seed"] or not set(PAIR) <= set(runs["scenario"]):
        return []
    a, b = PAIR
    policies = policy_scenarios(runs)
    lines = [
        "",
        "## Robust comparison over plausible worlds",
        "",
        f"`{a}` against `{b}`: in how many plausible worlds each does better (seeds averaged within a world), "
        "and by how much (figure `robust`).",
        "",
        robust.pair_markdown(robust.pair_table(runs, a, b), a, b),
    ]
    for outcome, label in robust.OUTCOMES.items():
        lines += [
            "",
            f"Every pair of policies on {label}: the share of worlds in which the row does better than the column.",
            "",
            robust.wins_markdown(robust.win_shares(runs, outcome, policies)),
        ]
    lines += [
        "",
        "Regret: how much worse than the best policy in the same world (victims, groups, or flow ratio); "
        "the robust choice has small regret everywhere, not only a good median.",
        "",
        robust.summary_markdown(robust.regret_summary(runs, list(robust.OUTCOMES), policies)),
    ]
    return lines


def robust_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Every ordered pair of policies on every outcome: the share of worlds the first does better (robust.csv)."""
    from sim.analysis import robust

    parts = []
    for outcome in robust.OUTCOMES:
        shares = robust.win_shares(runs, outcome, policy_scenarios(runs)).rename_axis(
            index="scenario", columns="against"
        )
        parts.append(shares.stack().rename("share_of_worlds_better").reset_index().assign(outcome=outcome))
    table = pd.concat(parts, ignore_index=True)
    return table[table["scenario"] != table["against"]][
        ["outcome", "scenario", "against", "share_of_worlds_better"]
    ].reset_index(drop=True)


def policy_scenarios(runs: pd.DataFrame) -> list[str]:
    return [s for s in (STATUS_QUO, *POLICIES) if s in set(runs["scenario"])]


def discovery_section(runs: pd.DataFrame) -> tuple[list[str], object | None]:
    """PRIM on the campaign-backfire question, from the briefing's own runs."""
    from sim.analysis import discovery
    from sim.runs import plausible

    if pair_keys(runs) == ["seed"] or not {PAIR[0], STATUS_QUO} <= set(runs["scenario"]):
        return [], None
    x, y = discovery.backfire(runs, plausible.values())
    box = discovery.find_box(x, y)
    lines = [
        "",
        "## When does a kingpin campaign backfire? (scenario discovery)",
        "",
        discovery.sentence(box),
        "",
        discovery.markdown(box),
        "",
        f"PRIM (ema_workbench) over the {x.shape[1]} parameters that differ between plausible worlds; "
        f"one case per world and seed (figure `discovery`). A box found in {box.cases} cases can fit chance: "
        "read it as where to look, and docs/discovery.md for the same question over more worlds.",
    ]
    return lines, box


def summary_markdown(
    runs: pd.DataFrame,
    worlds: int,
    seeds: int,
    horizon: int,
    version: str,
    extra: list[str] = (),
    opening: list[str] = (),
) -> str:
    """The summary in plain scenario names: `opening` (the bottom line, the distance from the record)
    after the title, the tables, `extra` (robust comparison, discovery), then the glossary."""
    from sim.analysis import glossary

    ok = runs[runs["status"] == "ok"]
    sample = f"{worlds} plausible worlds × {seeds} seeds" if worlds else f"{seeds} seeds of the fitted parameters"
    lines = [
        "# Briefing: after the strike on the CJNG leader (22 February 2026)",
        "",
        *opening,
        f"cartel-sim {version}; generated {dt.date.today().isoformat()}; {len(ok)} runs ({sample} per scenario, "
        f"the same in every scenario); horizon {horizon} days from 22 Feb 2026. Numbers are the median over runs "
        "with the 5th–95th percentile in brackets: the spread of outcomes the model gives over "
        + (
            "parameter sets that meet every calibration target (docs/plausible.md) and chance"
            if worlds
            else "chance alone"
        )
        + ", not a forecast interval.",
        "",
        *headlines(ok, horizon),
        "",
        "## Key numbers",
        "",
        "| scenario | homicides, first year | change vs no strike (paired) | groups alive, day 365 "
        "| effective groups, day 365 | trafficking flow at the end (vs before) | states held (mean) "
        "| leaders removed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for scenario, g in ok.groupby("scenario", sort=False):
        lines.append(
            f"| `{scenario}` | {_range(g['homicides_d0_365'])} | "
            f"{_effect(ok, 'homicides_d0_365', scenario, COUNTERFACTUAL) if scenario != COUNTERFACTUAL else '—'} | "
            f"{_range(g['groups_alive_d365'])} | {_range(g['effective_groups_d365'], 1)} | "
            f"{_range(g['flow_ratio_end'], 2)} | "
            f"{_range(g['state_held_states_mean'], 1)} | {_range(g['leaders_removed'])} |"
        )
    lines += spread_section(ok)
    past = ok[ok["scenario"] == COUNTERFACTUAL] if COUNTERFACTUAL in set(ok["scenario"]) else ok
    if len(past) and "homicides_record_monthly_error" in past:
        lines += [
            "",
            "## The past the scenarios share (the record, July 2024 - 21 February 2026)",
            "",
            f"- National homicides: {_range(past['homicides_2024'])} in 2024 (SESNSP: 30,046), "
            f"{_range(past['homicides_2025'])} in 2025 (SESNSP, preliminary: about 23,240; not fitted).",
            "- Against the 15 observed months from September 2024 (86.9 victims a day) to February 2026 (48.8): "
            f"median error {_range(100 * past['homicides_record_monthly_error'], 1)}% "
            "(figure `record`; docs/validation.md).",
            "- Killings hidden as disappearances under the strategy: "
            f"{_range(past['homicides_hidden_excess_per_day'], 1)} a day "
            "more than before it (registered disappearances rose by about 14 a day).",
        ]
    strike = ok[ok["scenario"] == STATUS_QUO]
    if len(strike):
        consolidated = strike["succession_days"].notna().mean()
        lines += [
            "",
            "## The day-0 wave and the succession (`mencho_strike`)",
            "",
            f"- Roadblocks in the first 48 hours: {_range(strike['roadblocks_48h'])}, "
            f"in {_range(strike['roadblock_states_48h'])} states "
            "(articles: more than 250 in 20 states).",
            "- Share cleared within 24 hours of being set: "
            f"{_range(strike['roadblocks_cleared_24h_share'], 2)} (articles: most by Monday morning).",
            f"- National Guard killed in Jalisco in 72 hours: {_range(strike['guard_killed_jalisco_72h'])} "
            "(articles: 25); "
            f"gunmen killed by forces: {_range(strike['gunmen_killed_72h'])} (articles: about 34).",
            f"- A successor consolidated within the horizon in {consolidated:.0%} of runs, "
            f"after {_range(strike['succession_days'])} days; "
            f"CJNG cells still loyal a year later: {_range(strike['cjng_loyal_share_d365'], 2)}.",
        ]
    lines += list(extra)
    failed = runs[runs["status"] != "ok"]
    if len(failed):
        lines += ["", f"**{len(failed)} runs failed**: see runs.csv (status, error)."]
    lines += [
        "",
        "## How to read this",
        "",
        "The model and its assumptions: docs/ODD.md; each policy lever and what it cannot represent: docs/policies.md; "
        "every parameter with its source: docs/parameters.md; the plausible worlds and how they were found: "
        "docs/plausible.md. "
        "The day-0 wave is calibrated to the articles (docs/calibration.md); the months after it are results of the "
        "model's mechanisms, not inputs.",
        "",
    ]
    return plain("\n".join(lines)) + "\n" + glossary.markdown() + "\n"


def plain(text: str) -> str:
    """Every scenario's code name, as `code` or bare, replaced by its plain name (the glossary gives both)."""
    from sim.analysis.style import SCENARIO_NAMES

    codes = "|".join(SCENARIO_NAMES)
    pattern = rf"`({codes})`|(?<![\w`/])({codes})(?![\w`/])"  # one pass: a name put in is not read again
    return re.sub(pattern, lambda m: SCENARIO_NAMES[m.group(1) or m.group(2)], text)


def bottom_line(runs: pd.DataFrame, horizon: int) -> list[str]:
    """Two or three sentences an adviser can quote: the question's two policies and the best one
    against the status quo, the strike against no strike, each with its band and share of worlds."""
    present = set(runs["scenario"])
    final = "the third year" if horizon == 1095 else f"the last 365 days of {horizon}"

    def change(scenario: str, key: str) -> str:
        base = baseline_for(scenario, present)
        return f"{_effect(runs, key, scenario, base)}, lower in {_lower_share(runs, key, scenario, base)}"

    policies = [p for p in POLICIES if p in present and baseline_for(p, present) == STATUS_QUO]
    if not policies:
        return []
    asked = [p for p in PAIR if p in policies] or policies[:1]
    lines = [
        "## Bottom line",
        "",
        f"Against the status quo after the strike, national homicides in {final} change "
        + "; ".join(f"under `{p}` by {change(p, 'homicides_last_365')}" for p in asked)
        + ".",
    ]
    effects = {p: paired(runs, "homicides_last_365", p, STATUS_QUO).median() for p in policies}
    best = min(effects, key=effects.get)
    if best not in asked:
        lines[-1] += f" Of the policies modelled, `{best}` lowers them most: {change(best, 'homicides_last_365')}."
    if COUNTERFACTUAL in present and STATUS_QUO in present:
        lines[-1] += (
            f" The strike itself changed first-year homicides by {change(STATUS_QUO, 'homicides_d0_365')} against "
            "no strike. Changes are in victims, median [5th–95th percentile over worlds and seeds] (median change); "
            "quote the changes rather than the levels, which start away from the record (below)."
        )
    return [*lines, ""]


def distance_from_record(daily: pd.DataFrame) -> list[str]:
    """How far the ensemble sits from the record in the last observed months before day 0, the
    briefing's origin: the worlds' median and band against SESNSP's victims a day."""
    from sim.world.observed import monthly

    past = daily[(daily["metric"] == "homicides") & (daily["scenario"] == COUNTERFACTUAL)]
    months = [m for m in monthly() if m.end_day <= 0 and m.first_day >= past["day"].min()][-3:]
    if past.empty or not months:
        return []
    rows, gaps = [], []
    for m in months:
        days = past[(past["day"] >= m.first_day) & (past["day"] < m.end_day)]
        model = days.groupby("run")["value"].mean()
        q = np.percentile(model, [50, 5, 95])
        gaps.append(q[0] / m.per_day - 1)
        rows.append(f"| {m.month} | {m.per_day:.1f} | {q[0]:.1f} [{q[1]:.1f}–{q[2]:.1f}] | {100 * gaps[-1]:+.0f}% |")
    return [
        "## Distance from the record at the origin",
        "",
        f"In the last {len(months)} observed months before the strike the worlds run {100 * np.mean(gaps):+.0f}% "
        "from the record on average (victims a day; model: median [5th–95th percentile] over worlds and seeds). "
        "The levels after the strike inherit this; the paired changes mostly do not.",
        "",
        "| month | observed (SESNSP) | model | gap |",
        "|---|---|---|---|",
        *rows,
        "",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--worlds",
        type=int,
        default=WORLDS,
        help=(
            f"plausible worlds, the first N of sim/data/plausible_sets.csv (default {WORLDS}; "
            "0: the fitted defaults only)"
        ),
    )
    ap.add_argument("--seeds", type=int, default=SEEDS, help=f"test seeds per world and scenario (default {SEEDS})")
    ap.add_argument(
        "--horizon-days", type=int, default=HORIZON, help=f"days from 22 Feb 2026 (default {HORIZON}: three years)"
    )
    ap.add_argument("--out", type=Path, default=Path("briefing"))
    ap.add_argument("--processes", type=int, default=None, help="worker processes (default: all cores)")
    ap.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    args = ap.parse_args()

    from sim.errors import ConfigError

    try:
        make(args)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:  # Ctrl-C: one line on what is kept, not a traceback
        print(
            f"interrupted; the finished runs are kept in {args.out / RUNS_FOLDER}: the same command resumes",
            file=sys.stderr,
        )
        sys.exit(130)


def make(args: argparse.Namespace) -> None:
    """The pack for the command line's arguments: every input and the output folder are checked
    before the first run; the runs are kept in `RUNS_FOLDER` as they finish."""
    import sim
    from sim.analysis import discovery, figures, robust
    from sim.analysis import seeds as seedlists
    from sim.analysis.document import write_pdf
    from sim.errors import ConfigError
    from sim.runs import plausible
    from sim.runs.config import check_scenario
    from sim.runs.files import writable, write_csv, write_parquet, write_text
    from sim.world.calendar import check_days

    start, out = time.time(), args.out
    if not 0 <= args.worlds <= plausible.count() or args.seeds < 1:
        raise ConfigError(
            f"--worlds {args.worlds} --seeds {args.seeds} is not allowed: worlds must be from 0 to "
            f"{plausible.count()} (the plausible worlds in sim/data/plausible_sets.csv) and seeds at least 1"
        )
    check_days("--horizon-days", args.horizon_days)
    for name in args.scenarios:
        check_scenario(name)
    writable(out / "figures")
    result = sim.ensemble(
        args.scenarios,
        seeds=seedlists.test(args.seeds),
        worlds=range(args.worlds) if args.worlds else None,
        processes=args.processes,
        horizon_days=args.horizon_days,
        folder=out / RUNS_FOLDER,
    )
    write_csv(result.runs, out / "runs.csv")
    write_parquet(result.daily, out / "daily.parquet")
    ok = result.runs[result.runs["status"] == "ok"]
    pngs = figures.briefing_figures(ok, result.daily, out / "figures", book=None)
    extra = robust_section(ok)
    if extra:
        write_csv(robust_table(ok), out / "robust.csv")
        pngs += figures.save(
            robust.figure(ok, "homicides_last_365", policy_scenarios(ok), version=sim.__version__),
            out / "figures",
            "robust",
        )[:1]
    found, box = discovery_section(ok)
    if box is not None:
        pngs += figures.save(discovery.figure(box, version=sim.__version__), out / "figures", "discovery")[:1]
    opening = bottom_line(ok, args.horizon_days) + distance_from_record(result.daily)
    summary = summary_markdown(
        result.runs, args.worlds, args.seeds, args.horizon_days, sim.__version__, extra + found, opening
    )
    write_text(out / "summary.md", summary)
    write_pdf(summary, pngs, out / "briefing.pdf", title="Briefing")  # text, tables, then every figure
    shutil.rmtree(out / RUNS_FOLDER)  # the pack is whole: runs.csv and daily.parquet hold the same rows
    print(
        f"briefing pack in {out}: {len(pngs)} figures, briefing.pdf, summary.md "
        f"({len(ok)} runs, {time.time() - start:.0f} s)"
    )
    if len(result.failed):
        print(f"error: {len(result.failed)} runs failed; see {out / 'runs.csv'}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
