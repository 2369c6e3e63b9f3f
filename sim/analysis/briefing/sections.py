"""The briefing's sections, each a list of Markdown lines from the runs: the bottom line, the
headlines, where the spread comes from, the distance from the record, the robust comparison and
the scenario discovery."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sim.analysis.baselines import COUNTERFACTUAL, STATUS_QUO, baseline_for, first_year
from sim.analysis.briefing.comparisons import PAIR, POLICIES, effect, level, lower_share, paired, policy_scenarios
from sim.analysis.figures import pair_keys
from sim.analysis.figures.tables import month_means, scenario_wides
from sim.world.calendar import day_of


def bottom_line(runs: pd.DataFrame, horizon: int, origin: dt.date) -> list[str]:
    """Two questions an adviser can quote the answers to: what each policy changes from the origin
    against the status quo (the question's two policies and the best one), and what the strike did
    against no strike; each with its band and share of worlds."""
    present = set(runs["scenario"])
    final = "the third year" if horizon == 1095 else f"the last 365 days of {horizon}"

    def change(scenario: str, key: str) -> str:
        base = baseline_for(scenario, present)
        return f"{effect(runs, key, scenario, base)}, lower in {lower_share(runs, key, scenario, base)}"

    policies = [p for p in POLICIES if p in present and baseline_for(p, present) == STATUS_QUO]
    if not policies:
        return []
    asked = [p for p in PAIR if p in policies] or policies[:1]
    lines = [
        "## Bottom line",
        "",
        f"**From now ({origin:%d %B %Y}), against the status quo after the strike**, national homicides in {final} "
        f"from {origin:%d %B %Y} change "
        + "; ".join(f"under `{p}` by {change(p, 'homicides_last_365')}" for p in asked)
        + ".",
    ]
    effects = {p: paired(runs, "homicides_last_365", p, STATUS_QUO).median() for p in policies}
    best = min(effects, key=effects.get)
    if best not in asked:
        lines[-1] += f" Of the policies modelled, `{best}` lowers them most: {change(best, 'homicides_last_365')}."
    if COUNTERFACTUAL in present and STATUS_QUO in present:
        lines += [
            "",
            f"**What the strike did**: in the year from 22 February 2026 it changed national homicides by "
            f"{change(STATUS_QUO, first_year(COUNTERFACTUAL))} against no strike.",
        ]
    lines += [
        "",
        "Changes are in victims, median [5th–95th percentile over worlds and seeds] (median change); quote the "
        "changes rather than the levels, which carry the worlds' distance from the record (below).",
    ]
    return [*lines, ""]


def headlines(runs: pd.DataFrame, horizon: int) -> list[str]:
    """Each policy against the status quo after the strike (its first year from the origin), and the
    strike against no strike (its first year from day 0)."""
    final = "third year" if horizon == 1095 else f"the last 365 days of {horizon}"
    lines = [
        "## Headlines",
        "",
        "Paired changes in national homicides (victims), median [5th–95th percentile over plausible worlds and seeds] "
        "(median relative change), and the share of plausible worlds (seeds averaged) in which the change is a fall. "
        "The first year is the strike's from 22 Feb 2026 against no strike, a policy's from the origin, where its "
        "levers start, against the status quo.",
        "",
        f"| scenario | against | first year | lower in | {final} | lower in |",
        "|---|---|---|---|---|---|",
    ]
    present = set(runs["scenario"])
    for scenario in (STATUS_QUO, *POLICIES):
        base = baseline_for(scenario, present)  # the rule the figures and the maps follow
        if scenario in present and base is not None:
            year = first_year(base)
            lines.append(
                f"| `{scenario}` | `{base}` | {effect(runs, year, scenario, base)} | "
                f"{lower_share(runs, year, scenario, base)} | "
                f"{effect(runs, 'homicides_last_365', scenario, base)} | "
                f"{lower_share(runs, 'homicides_last_365', scenario, base)} |"
            )
    return lines


def spread_section(runs: pd.DataFrame) -> list[str]:
    """How much of each headline quantity's spread is the parameters and how much chance."""
    from sim.analysis.spread import split

    if pair_keys(runs) == ["seed"]:
        return []
    rows = []
    quantities = [
        (f"first-year homicides, `{STATUS_QUO}`", lambda: level(runs, "homicides_d0_365", STATUS_QUO)),
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
            lambda: level(runs, "effective_groups_d365", STATUS_QUO),
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


def distance_from_record(daily: pd.DataFrame, origin: dt.date) -> list[str]:
    """How far the ensemble sits from the record in the last observed months before the origin: the
    worlds' median and band (the status quo after the strike, which lived what was observed) against
    SESNSP's victims a day."""
    from sim.world.observed import long_months

    wides = scenario_wides(daily, "homicides")
    past = wides.get(STATUS_QUO, wides.get(COUNTERFACTUAL))
    if past is None:
        return []
    before = day_of(origin)
    lived = [m for m in long_months() if m.end_day <= before and m.first_day >= past.index.min()]
    # no strike never lived the months after day 0
    months = [m for m in lived if STATUS_QUO in wides or m.end_day <= 0][-3:]
    if not months:
        return []
    rows, gaps = [], []
    for m in months:
        q = np.percentile(month_means(past, m), [50, 5, 95])
        gaps.append(q[0] / m.per_day - 1)
        rows.append(f"| {m.month} | {m.per_day:.1f} | {q[0]:.1f} [{q[1]:.1f}–{q[2]:.1f}] | {100 * gaps[-1]:+.0f}% |")
    return [
        "## Distance from the record at the origin",
        "",
        f"In the last {len(months)} observed months before the origin ({origin}) the worlds run "
        f"{100 * np.mean(gaps):+.0f}% from the record on average (victims a day; model: median [5th–95th percentile] "
        "over worlds and seeds). The levels after the origin inherit this; the paired changes mostly do not.",
        "",
        "| month | observed (SESNSP) | model | gap |",
        "|---|---|---|---|",
        *rows,
        "",
    ]


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


def discovery_section(runs: pd.DataFrame, world_of: str = "2024") -> tuple[list[str], object | None]:
    """PRIM on the campaign-backfire question, from the briefing's own runs (in the plausible worlds
    of the world of organisations `world_of`, sim/runs/plausible.py)."""
    from sim.analysis import discovery
    from sim.runs import plausible

    if pair_keys(runs) == ["seed"] or not {PAIR[0], STATUS_QUO} <= set(runs["scenario"]):
        return [], None
    x, y = discovery.backfire(runs, plausible.values(world_of))
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
