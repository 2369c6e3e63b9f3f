"""Figures of the runs' summary values: every run's outcome per scenario, the day-0 wave of
roadblocks per state, and a two-parameter sweep as a heatmap."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim import __version__
from sim.analysis.figures.tables import successful
from sim.analysis.style import (
    KEY_LABELS,
    QUANTILES,
    about,
    cap,
    head,
    name,
    new_figure,
    num,
    ordered,
    runs_phrase,
    scenario_colour,
    source_line,
    style_axes,
    tick,
)
from sim.parameters import table as parameter_table
from sim.world.geography import states_table


def outcomes(runs: pd.DataFrame, key: str = "homicides_d0_365", version: str = __version__) -> Figure:
    """Every run's value of a summary key, one row per scenario, with the median and the 50% and
    90% intervals over runs: the one figure a sweep of summaries alone can draw."""
    ok = successful(runs).dropna(subset=[key])
    scenarios = ordered(ok["scenario"])
    label = KEY_LABELS.get(key, key)
    fig = new_figure(10, 1.6 + 0.7 * len(scenarios))
    ax = fig.add_subplot()
    jitter = np.random.default_rng(0)  # the dots' vertical scatter only, for legibility
    medians = {}
    for row, s in enumerate(scenarios):
        values = ok.loc[ok["scenario"] == s, key].astype(float).to_numpy()
        lo90, lo50, med, hi50, hi90 = np.quantile(values, QUANTILES)
        medians[s] = (med, len(values))
        colour = scenario_colour(s)
        ax.scatter(values, row + jitter.uniform(-0.18, 0.18, len(values)), s=6, color=colour, alpha=0.35, lw=0)
        ax.plot([lo90, hi90], [row, row], color=colour, lw=1.5)
        ax.plot([lo50, hi50], [row, row], color=colour, lw=5, alpha=0.6)
        ax.plot([med], [row], marker="|", markersize=18, mew=3, color="black")
    hi = max(medians, key=lambda s: medians[s][0])
    headline = f"{cap(label)}: median {num(medians[hi][0])} under {hi}" + (
        f", {num(min(m for m, _ in medians.values()))} at the lowest"
        if len(medians) > 1
        else f" ({medians[hi][1]} runs)"
    )
    top = head(fig, headline, "Dots: runs; thick bar: 50% of runs; thin bar: 90%; tick: median.")
    ax.set_yticks(range(len(scenarios)), scenarios)
    ax.set_ylim(len(scenarios) - 0.5, -0.5)
    ax.set_xlabel(label)
    style_axes(ax)
    fig.subplots_adjust(left=0.2, right=0.97, top=top, bottom=0.3 if len(scenarios) < 3 else 0.15)
    source_line(fig, version, scenarios, len(ok))
    return fig


def wave(runs: pd.DataFrame, scenario: str = "mencho_strike", version: str = __version__) -> Figure:
    """The retaliation wave: roadblocks per state within 48 hours of the strike, sorted, with spread."""
    rows = successful(runs)
    rows = rows[rows["scenario"] == scenario]
    if rows.empty:
        raise ValueError(f"no successful run of {scenario}")
    states = states_table()
    per = rows[[f"roadblocks_48h_{code}" for code in states["code"]]].astype(float)
    per.columns = pd.Index(states["abbr"])
    q = per.quantile(list(QUANTILES))
    order = q.T[q.loc[0.95] > 0].sort_values([0.5, 0.95], ascending=False).index
    total, hit, n = rows["roadblocks_48h"].median(), rows["roadblock_states_48h"].median(), len(rows)
    if total > 0:
        headline = f"About {about(total)} roadblocks in {num(hit)} states within 48 hours of the strike"
        headline += f" (median of {n} runs)"
    else:
        headline = f"No roadblocks within 48 hours under {name(scenario)} (median of {n} runs)"
    names = dict(zip(states["abbr"], states["name"]))
    most = ", ".join(f"{names[a]} ({num(q.loc[0.5, a])})" for a in order[:3] if q.loc[0.5, a] > 0)
    detail = (f"Most in {most}. " if most else "") + "Bars: median per state; lines: 50% and 90% of runs."
    fig = new_figure()
    top = head(fig, headline, detail)
    ax = fig.add_subplot()
    x = np.arange(len(order))
    ax.bar(x, q.loc[0.5, order], width=0.7, color=scenario_colour(scenario), alpha=0.85)
    ax.vlines(x, q.loc[0.05, order], q.loc[0.95, order], color="0.15", lw=1)
    ax.vlines(x, q.loc[0.25, order], q.loc[0.75, order], color="0.15", lw=3.5)
    ax.set_xticks(x, list(order), fontsize=8, rotation=90 if len(order) > 16 else 0)
    ax.set_xlabel("state (sorted by median)")
    ax.set_ylabel("roadblocks set in the first 48 hours\n(per state)")
    ax.set_ylim(bottom=0)
    style_axes(ax)
    handles = [
        Patch(color=scenario_colour(scenario), alpha=0.85, label=f"{name(scenario)}: median"),
        Line2D([], [], color="0.15", lw=3.5, label="50% of runs"),
        Line2D([], [], color="0.15", lw=1, label="90% of runs"),
    ]
    ax.legend(handles=handles, frameon=False, loc="upper right")
    fig.subplots_adjust(left=0.1, right=0.97, top=top, bottom=0.18)
    source_line(fig, version, [scenario], n)
    return fig


def sweep_heatmap(
    runs: pd.DataFrame,
    x: str,
    y: str,
    value: str = "homicides_d0_365",
    scenario: str | None = None,
    version: str = __version__,
) -> Figure:
    """Median `value` over seeds for each pair of values of two swept parameters: where the levers matter."""
    rows = successful(runs)
    if scenario is not None:
        rows = rows[rows["scenario"] == scenario]
    names = ordered(rows["scenario"])
    if len(names) != 1:
        raise ValueError(f"sweep_heatmap needs the runs of one scenario, found {names}: pass scenario=")
    cells = rows[value].astype(float).groupby([rows[y], rows[x]])  # a summary value may be None
    grid = cells.median().unstack(x).sort_index().sort_index(axis=1)
    counts = cells.count().unstack(x).reindex_like(grid)
    label = KEY_LABELS.get(value, value)
    (lo_y, lo_x), (hi_y, hi_x) = grid.stack().idxmin(), grid.stack().idxmax()
    xn, yn = _short(x), _short(y)
    headline = (
        f"{cap(label)}: lowest at {xn} = {tick(lo_x)}, {yn} = {tick(lo_y)} ({num(grid.loc[lo_y, lo_x])}); "
        f"highest at {xn} = {tick(hi_x)}, {yn} = {tick(hi_y)} ({num(grid.loc[hi_y, hi_x])})"
    )
    sizes = runs_phrase(n for n in counts.to_numpy().ravel() if n > 0)
    detail = f"Each cell: median of {sizes} under {names[0]} (n = runs in the cell)."
    fig = new_figure()
    top = head(fig, headline, detail)
    ax = fig.add_subplot()
    values = grid.to_numpy(dtype=float)
    image = ax.imshow(values, cmap="viridis", origin="lower", aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        ink = "white" if image.norm(v) < 0.6 else "black"  # viridis is dark at the bottom
        text = "no run" if np.isnan(v) else f"{num(v)}\n(n = {int(counts.iloc[i, j])})"
        ax.text(j, i, text, ha="center", va="center", fontsize=10, color=ink)
    ax.set_xticks(range(grid.shape[1]), [tick(v) for v in grid.columns])
    ax.set_yticks(range(grid.shape[0]), [tick(v) for v in grid.index])
    ax.set_xlabel(_param_label(x))
    ax.set_ylabel(_param_label(y))
    fig.colorbar(image, ax=ax, pad=0.02).set_label(f"{label} (median over seeds)")
    fig.subplots_adjust(left=0.12, right=0.97, top=top, bottom=0.13)
    source_line(fig, version, names, len(rows), f"sweep of {xn} × {yn}")
    return fig


def _short(column: str) -> str:
    """A Hydra override's parameter name: `params.capacity_investment` -> `capacity_investment`."""
    return column.rsplit(".", 1)[-1].rsplit("/", 1)[-1]


def _param_label(column: str) -> str:
    """The parameter name with its unit from the parameter table."""
    name = _short(column)
    unit = parameter_table()[name].unit if name in parameter_table() else ""
    return f"{name} ({unit})" if unit else name
