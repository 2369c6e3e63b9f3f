"""What a scenario changes against the baseline, run by paired run (same seed, and world): the
difference over time and the change per state on a tile map."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from sim import __version__
from sim.analysis.baselines import first_year
from sim.analysis.figures.tables import by_seed, first, horizon, pair, pair_keys, paired_by, seed_rows
from sim.analysis.style import (
    KEY_LABELS,
    LABELS,
    LEVEL_METRICS,
    bands,
    cap,
    dates,
    head,
    legend,
    name,
    new_figure,
    ordered,
    percent,
    scenario_colour,
    signed,
    source_line,
    style_axes,
    when,
)
from sim.world.geography import states_table


def paired_difference(
    daily: pd.DataFrame,
    baseline: str = "no_strike",
    metric: str = "homicides",
    scenarios: Sequence[str] | None = None,
    version: str = __version__,
) -> Figure:
    """Each scenario minus the baseline run with the same seed (and world), cumulative from day 0.

    A pair shares its burn-in and its random numbers (common random numbers), so the difference
    is the effect of the scenario alone, not noise between runs. Levels are differenced day by day.
    """
    level = metric in LEVEL_METRICS
    label = LABELS.get(metric, metric)
    chosen = [s for s in ordered(scenarios if scenarios is not None else daily["scenario"]) if s != baseline]
    if not chosen:
        raise ValueError(f"paired_difference needs a scenario other than the baseline {baseline}")
    base = by_seed(daily, baseline, metric).loc[0:]
    pairs = {s: pair(base, by_seed(daily, s, metric).loc[0:], s, baseline) for s in chosen}
    days = min(horizon(o) for o, _ in pairs.values())
    fig = new_figure()
    ax = fig.add_subplot()
    ax.axhline(0, color="0.3", lw=0.8)
    effects = {}  # scenario: (median % change, median difference, pairs)
    for s, (other, own_base) in pairs.items():
        diff = other - own_base if level else other.cumsum() - own_base.cumsum()
        bands(ax, dates(diff.index), diff, scenario_colour(s), f"{name(s)} − {name(baseline)}")
        fo, fb = first(other, level, days), first(own_base, level, days)
        same_sign = float(((fo - fb) * np.sign((fo - fb).median()) > 0).mean())
        effects[s] = ((100 * (fo - fb) / fb.where(fb != 0)).median(), (fo - fb).median(), other.shape[1], same_sign)
    top_s = max(effects, key=lambda s: abs(np.nan_to_num(effects[s][0])))
    pct, change, n, same_sign = effects[top_s]
    headline = (
        f"{cap(label)} {when(days, level)}: {_compare(pct, name(top_s), name(baseline))} "
        f"({signed(change)}; median of {n} paired runs, this sign in {same_sign:.0%} of them)"
    )
    others = ", ".join(f"{name(s)} {percent(effects[s][0])}" for s in effects if s != top_s)
    what = "Difference" if level else "Cumulative difference since 22 Feb 2026"
    detail = (
        f"{what} from the {name(baseline)} run with the same {'world and ' if len(pair_keys(daily)) == 2 else ''}seed "
        "(common random numbers). "
        f"Line: median; shaded: 50% and 90% of paired runs." + (f" Others: {others}." if others else "")
    )
    top = head(fig, headline, detail)
    ax.set_ylabel(f"difference in {label}\n({'daily' if level else 'cumulative'}, scenario − {name(baseline)})")
    ax.set_xlabel("date")
    style_axes(ax, dates=True)
    legend(ax)
    fig.subplots_adjust(left=0.1, right=0.75, top=top, bottom=0.13)
    base_seeds = set().union(*(b.columns for _, b in pairs.values()))
    n_runs = len(base_seeds) + sum(o.shape[1] for o, _ in pairs.values())
    source_line(fig, version, [baseline, *chosen], n_runs, paired_by(daily))
    return fig


def effect_map(
    runs: pd.DataFrame,
    scenario: str,
    baseline: str = "no_strike",
    key: str | None = None,
    version: str = __version__,
) -> Figure:
    """Where a scenario changes `key` against the baseline: the median paired % change per state;
    by default over the comparison's first year (`baselines.first_year`: from day 0 for the strike,
    from the origin for a policy).

    A tile map (one equal square per state) keeps small central states as visible as Chihuahua.
    """
    key = key or first_year(baseline)
    states = states_table()
    cols = [f"{key}_{code}" for code in states["code"]]
    mine, base = (seed_rows(runs, s, [key, *cols]) for s in (scenario, baseline))
    seeds = mine.index.intersection(base.index)
    if seeds.empty:
        raise ValueError(f"no seed of {scenario} is also a seed of {baseline}: nothing to pair")
    mine, base = mine.loc[seeds], base.loc[seeds]
    pct = 100 * (mine - base) / base.where(base != 0)
    med = pct[cols].median().to_numpy()
    valid = ~np.isnan(med)
    if not valid.any():
        raise ValueError(f"{baseline} has no {key} in any state to compare with")
    up, down = int((med[valid] > 0).sum()), int((med[valid] < 0).sum())
    change = (mine - base)[cols].median().to_numpy()
    i = int(np.nanargmax(np.abs(change)))  # the largest change in victims, not in % of a small base
    label = KEY_LABELS.get(key, key)
    national = mine[key] - base[key]
    same_sign = float((national * np.sign(national.median()) > 0).mean())
    headline = (
        f"{cap(label)} under {name(scenario)} vs {name(baseline)}: {signed(national.median())} nationally "
        f"({percent(pct[key].median())}; this sign in {same_sign:.0%} of {len(seeds)} paired runs); "
        f"{'up' if up >= down else 'down'} in {max(up, down)} of {int(valid.sum())} states, most in "
        f"{states['name'].iloc[i]} ({signed(change[i])}, {percent(med[i])})"
    )
    detail = (
        f"National 5–95% over paired runs: {signed(np.percentile(national, 5))} to "
        f"{signed(np.percentile(national, 95))}. Colour and number: median of the % change per state."
        + ("" if valid.all() else f" Grey: no {name(baseline)} value to compare.")
    )
    fig = new_figure()
    top = head(fig, headline, detail)
    ax = fig.add_axes((0.02, 0.06, 0.8, top - 0.08))
    lim = max(5.0, 5 * math.ceil(np.nanpercentile(np.abs(med), 90) / 5))  # a few outliers must not wash out the rest
    norm, cmap = Normalize(-lim, lim), colormaps["RdBu_r"]
    for (abbr, row, col), v in zip(states[["abbr", "sq_row", "sq_col"]].itertuples(index=False), med):
        shade = np.nan if np.isnan(v) else float(norm(v))
        ax.add_patch(Rectangle((col - 0.46, row - 0.46), 0.92, 0.92, facecolor="0.85" if np.isnan(v) else cmap(shade)))
        ink = "white" if abs(shade - 0.5) > 0.3 else "black"  # NaN compares False: black on grey
        ax.text(col, row - 0.14, abbr, ha="center", va="center", fontsize=9, fontweight="bold", color=ink)
        ax.text(col, row + 0.2, percent(v), ha="center", va="center", fontsize=8, color=ink)
    ax.set_xlim(0.4, 12.6)
    ax.set_ylim(6.6, 0.4)
    ax.set_aspect("equal")
    ax.axis("off")
    extend = "both" if np.nanmax(np.abs(med)) > lim else "neither"
    bar = fig.colorbar(ScalarMappable(norm, cmap), ax=ax, fraction=0.035, pad=0.01, extend=extend)
    bar.set_label(f"change in {label}, % (scenario vs {name(baseline)})")
    source_line(fig, version, [scenario, baseline], 2 * len(seeds), paired_by(runs))
    return fig


def _compare(pct: float, scenario: str, baseline: str) -> str:
    """'12% higher under X than under Y', in words a briefing reads aloud."""
    if np.isnan(pct):
        return f"not comparable between {scenario} and {baseline} ({baseline} is zero)"
    if abs(pct) < 0.5:
        return f"about the same under {scenario} as under {baseline}"
    return f"{abs(pct):.0f}% {'higher' if pct > 0 else 'lower'} under {scenario} than under {baseline}"
