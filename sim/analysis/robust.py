"""Robust comparison of policy scenarios over plausible worlds: which scenario wins in how many.

A world is one plausible parameter set (`world`); the briefing's question is not which scenario is
best on average but which is best across the worlds we cannot rule out, and how much a choice
costs in the worlds where it is not best (its regret). Every outcome here is lower-is-better.

Input: `runs` with one row per run: `scenario`, `world`, `seed`, `status` and the outcome columns.
Runs are paired: a world's value under a scenario is its mean over the seeds that ran (ok, with a
number) under every scenario compared, so the scenarios of one world face the same chance.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim import __version__
from sim.analysis.figures import pair_keys
from sim.analysis.style import (
    OKABE_ITO,
    QUANTILES,
    head,
    new_figure,
    num,
    ordered,
    scenario_colour,
    signed,
    source_line,
    style_axes,
)

OUTCOMES = {  # column -> short label; all lower is better
    "homicides_o0_365": "first-year homicides from the origin",
    "homicides_last_365": "final-year homicides",
    "groups_alive_end": "armed groups at the end",
    "flow_ratio_end": "trafficking flow at the end (ratio to before day 0)",
}


def world_values(runs: pd.DataFrame, outcome: str, scenarios: Sequence[str] | None = None) -> pd.DataFrame:
    """Mean over seeds per world (index `world`) and scenario (columns), on the seeds every scenario
    has: a seed that failed under one scenario would otherwise tilt the comparison. A world left
    with no such seed (a scenario missing, or no number) is dropped."""
    return seed_values(runs, outcome, scenarios).groupby(level="world").mean()


def seed_values(runs: pd.DataFrame, outcome: str, scenarios: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per (world, seed) with a number under every scenario, one column per scenario: the
    paired cases every comparison is built on (per seed alone when the runs have no worlds)."""
    ok = runs[runs["status"] == "ok"]
    names = list(scenarios) if scenarios is not None else ordered(ok["scenario"])
    ok = ok[ok["scenario"].isin(names)]
    values = pd.to_numeric(ok[outcome], errors="coerce")  # a summary's null arrives as None or ""
    wide = values.groupby([*(ok[k] for k in pair_keys(ok)), ok["scenario"]]).mean().unstack("scenario")
    return wide.reindex(columns=pd.Index(names, name="scenario")).dropna()


def win_shares(runs: pd.DataFrame, outcome: str, scenarios: Sequence[str] | None = None) -> pd.DataFrame:
    """Entry [a, b]: share of worlds in which a is lower (better) than b, ties counting half; NaN on
    the diagonal. A pairwise table, because 'best overall' hides who beats whom."""
    values = world_values(runs, outcome, scenarios)
    shares = pd.DataFrame(np.nan, index=values.columns, columns=values.columns)
    for a in values.columns:
        for b in values.columns.drop(a):
            shares.loc[a, b] = ((values[a] < values[b]) + 0.5 * (values[a] == values[b])).mean()
    return shares


def regret(runs: pd.DataFrame, outcome: str, scenarios: Sequence[str] | None = None) -> pd.DataFrame:
    """Per world and scenario: its value minus the world's best, what choosing it costs there."""
    values = world_values(runs, outcome, scenarios)
    return values.sub(values.min(axis=1), axis=0)


def regret_summary(
    runs: pd.DataFrame, outcomes: Sequence[str] = tuple(OUTCOMES), scenarios: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per outcome and scenario: share of worlds where it is best (a tie shares the world), median,
    90th percentile and maximum regret, and the number of worlds: the robust choice has small
    regret everywhere, not only a good median."""
    rows = []
    for outcome in outcomes:
        r = regret(runs, outcome, scenarios)
        best = r.eq(0)
        best = best.div(best.sum(axis=1), axis=0)
        for s in r.columns:
            rows.append(
                {
                    "outcome": outcome,
                    "scenario": s,
                    "best_share": best[s].mean(),
                    "regret_median": r[s].median(),
                    "regret_p90": r[s].quantile(0.9),
                    "regret_max": r[s].max(),
                    "worlds": len(r),
                }
            )
    return pd.DataFrame(rows)


def pair_table(runs: pd.DataFrame, a: str, b: str, outcomes: Sequence[str] = tuple(OUTCOMES)) -> pd.DataFrame:
    """One pair, per outcome: share of worlds a wins, share b wins (the rest tie), the median
    paired difference a - b and its 5th-95th percentile over worlds, the number of worlds, and the
    median difference relative to b's median (`relative`: under NEGLIGIBLE, the wins count for little)."""
    rows = {}
    for outcome in outcomes:
        v = world_values(runs, outcome, [a, b])
        d, size = v[a] - v[b], v[b].abs().median()
        rows[outcome] = {
            "a_wins": (d < 0).mean(),
            "b_wins": (d > 0).mean(),
            "diff_median": d.median(),
            "diff_p05": d.quantile(0.05),
            "diff_p95": d.quantile(0.95),
            "worlds": len(d),
            "relative": abs(d.median()) / size if size > 0 else np.nan,
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("outcome")


# ----- Markdown for the briefing -----------------------------------------------------------------
NEGLIGIBLE = 0.01  # a median difference under 1% of the outcome: a share of "wins" then means little


def wins_markdown(shares: pd.DataFrame) -> str:
    """The win-share table: the row's scenario beats the column's in this share of worlds."""
    rows = [[a] + ["–" if a == b else percent(shares.loc[a, b]) for b in shares.columns] for a in shares.index]
    return markdown_table(["row beats column", *shares.columns], rows)


def summary_markdown(summary: pd.DataFrame) -> str:
    """The regret summary, one row per outcome and scenario, in the outcome's own units."""
    header = ["outcome", "scenario", "best in", "median regret", "90th pct regret", "max regret", "worlds"]
    rows = [
        [
            OUTCOMES.get(r.outcome, r.outcome),
            r.scenario,
            percent(r.best_share),
            num(r.regret_median),
            num(r.regret_p90),
            num(r.regret_max),
            str(r.worlds),
        ]
        for r in summary.itertuples()
    ]
    return markdown_table(header, rows)


def pair_markdown(pair: pd.DataFrame, a: str, b: str) -> str:
    """The pair table with the scenarios named: who wins how often and by how much."""
    header = ["outcome", f"{a} better", f"{b} better", f"median {a} − {b} (5th–95th pct)", "worlds"]
    rows = [
        [
            OUTCOMES.get(o, o),
            percent(r.a_wins),
            percent(r.b_wins),
            f"{signed(r.diff_median)} ({signed(r.diff_p05)} to {signed(r.diff_p95)})"
            + (f"; under {NEGLIGIBLE:.0%} of the outcome: as good as a tie" if r.relative < NEGLIGIBLE else ""),
            str(int(r.worlds)),
        ]
        for o, r in pair.iterrows()
    ]
    return markdown_table(header, rows)


def percent(v: float) -> str:
    """A share as a briefing reads it: 62%; <1% rather than a misleading 0%."""
    return "n/a" if np.isnan(v) else "<1%" if 0 < v < 0.005 else f"{100 * v:.0f}%"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A markdown table: the header, its rule, a line per row."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


# ----- the figure --------------------------------------------------------------------------------
def figure(
    runs: pd.DataFrame,
    outcome: str = "homicides_last_365",
    scenarios: Sequence[str] | None = None,
    version: str = __version__,
) -> Figure:
    """Left: who beats whom in how many worlds; right: each scenario's regret over the worlds.
    The title names the scenario best in most worlds and in what share."""
    label = OUTCOMES.get(outcome, outcome)
    shares, r = win_shares(runs, outcome, scenarios), regret(runs, outcome, scenarios)
    names, worlds = list(r.columns), len(r)
    best = regret_summary(runs, [outcome], names).set_index("scenario")["best_share"]
    top = best.idxmax()
    rival = (
        r.drop(columns=top).median().idxmin() if len(names) > 1 else None
    )  # the second best: least regret after the best
    headline = (
        f"{label[:1].upper() + label[1:]}: {top} is best in {percent(best[top])} of {worlds} plausible worlds"
        + (f" and beats the second best, {rival}, in {percent(shares.loc[top, rival])} of them" if rival else "")
    )
    seeds = seed_values(runs, outcome, names).groupby(level="world").size()
    detail = (
        f"Left: share of worlds in which the row's scenario has lower {label} than the column's (ties count half). "
        f"Right: regret, a scenario's {label} minus the best scenario's in the same world "
        "(dots: worlds; thick bar: 50% of worlds; thin bar: 90%; tick: median). "
        f"Each world: mean of {seeds.min() if seeds.min() == seeds.max() else f'{seeds.min()}–{seeds.max()}'} "
        "paired seeds."
    )
    fig = new_figure(12, 5.5)
    top_y = head(fig, headline, detail)
    left, right = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    image = left.imshow(shares.to_numpy(dtype=float), cmap="viridis", vmin=0, vmax=1)
    for (i, j), v in np.ndenumerate(shares.to_numpy(dtype=float)):
        if not np.isnan(v):
            left.text(j, i, percent(v), ha="center", va="center", fontsize=9, color="white" if v < 0.6 else "black")
    left.set_xticks(range(len(names)), names, rotation=30, ha="right")
    left.set_yticks(range(len(names)), names)
    left.set_xlabel("… beats this scenario")
    left.set_ylabel("this scenario …")
    fig.colorbar(image, ax=left, fraction=0.046, pad=0.03, format=PercentFormatter(xmax=1)).set_label("share of worlds")
    jitter = np.random.default_rng(0)  # the dots' vertical scatter only, for legibility
    for row, s in enumerate(names):
        lo90, lo50, med, hi50, hi90 = np.quantile(r[s], QUANTILES)
        colour = scenario_colour(s)
        right.scatter(r[s], row + jitter.uniform(-0.18, 0.18, worlds), s=8, color=colour, alpha=0.45, lw=0)
        right.plot([lo90, hi90], [row, row], color=colour, lw=1.5)
        right.plot([lo50, hi50], [row, row], color=colour, lw=5, alpha=0.6)
        right.plot([med], [row], marker="|", markersize=16, mew=3, color=OKABE_ITO["black"])
    right.set_yticks(range(len(names)), names)
    right.set_ylim(len(names) - 0.5, -0.5)
    right.set_xlabel(f"regret: {label} above the world's best")
    right.set_xlim(left=0)
    style_axes(right)
    fig.subplots_adjust(left=0.14, right=0.97, top=top_y, bottom=0.27, wspace=0.55)
    source_line(fig, version, names, int(seeds.sum()) * len(names), f"{worlds} plausible worlds")
    return fig
