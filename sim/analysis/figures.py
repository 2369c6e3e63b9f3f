"""Briefing figures of an ensemble of runs: what security analysts put on a slide.

Every figure shows the median and the 50% and 90% bands over seeds, never a single run: one run
is one draw of many possible futures. Each scenario keeps one Okabe-Ito colour in every figure,
each title states the finding computed from the data, and a source line says what is shown.

Inputs follow the sweep collector's contract: `runs` has one row per run (`run`, `scenario`,
`seed`, `status`, `error`, Hydra override columns such as `params.capacity_investment`, and every
key of the run's summary.json); `daily` has the national daily rows (`run`, `scenario`, `seed`,
`day`, `date`, `metric`, `value`; day 0 = 22 Feb 2026).
"""

from __future__ import annotations

import math
import textwrap
import zlib
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from sim import __version__
from sim.observed import monthly
from sim.world.geography import states_table
from sim.parameters import table as parameter_table
from sim.analysis.plotting import OKABE_ITO, WINDOW, mark_day0, new_figure, source_line
from sim.world.calendar import DAY0
from sim.world.recorder import LEVELS, NATIONAL

# One colour per scenario in every figure; the counterfactual is black so the others read against it.
SCENARIO_COLOURS = {
    "no_strike": OKABE_ITO["black"],
    "mencho_strike": OKABE_ITO["vermillion"],
    "kingpin_campaign": OKABE_ITO["reddish_purple"],
    "state_capacity": OKABE_ITO["bluish_green"],
    "second_front": OKABE_ITO["orange"],
    "hugs_not_bullets": OKABE_ITO["sky_blue"],
    "combined": OKABE_ITO["blue"],
}
_FALLBACK = [colour for name, colour in OKABE_ITO.items() if name != "black"]
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)  # the 90% band, the 50% band and the median
OUTCOME_KEYS = ("homicides_d0_365", "homicides_d0_180", "homicides_baseline_annual")  # the outcomes figure's key, first present
YEAR = 365  # days in the "first year" the titles report
DPI = 150
LEVEL_METRICS = frozenset({*LEVELS, *NATIONAL, "members"})  # stocks: shown as they are, not summed
LABELS = {  # what a daily metric counts, with its unit
    "homicides": "homicides",
    "homicides_criminal": "homicides of armed-group members",
    "homicides_civilian": "civilian homicides",
    "homicides_forces": "security-force deaths",
    "homicides_background": "homicides outside armed groups",
    "homicides_hidden": "killings hidden as disappearances",
    "gunmen_killed": "gunmen killed by forces",
    "members": "armed-group members",
    "recruits": "recruits",
    "arrests": "arrests",
    "roadblocks": "roadblocks",
    "entries": "new armed groups",
    "flow": "trafficking flow (USD)",
    "concentration": "market concentration (Herfindahl, 0-1)",
    "groups_alive": "armed groups",
    "effective_groups": "effective number of armed groups",
    "cjng_loyal_share": "share of CJNG's day-0 cells still loyal",
    "held_states": "states held by forces (state-equivalents)",
    "leaders_removed": "leaders removed",
    "core_strength": "armed groups' core strength (0-1)",
}
KEY_LABELS = {  # what a summary key measures
    "homicides_d0_180": "homicides in the first 180 days",
    "homicides_baseline_annual": "homicides in the year before 22 Feb 2026",
    "homicides_d0_365": "first-year homicides",
    "homicides_d0_730": "homicides in the first two years",
    "homicides_last_365": "homicides in the final year",
    "homicides_sinaloa_d0_365": "first-year homicides in Sinaloa",
    "groups_alive_end": "armed groups at the end",
    "members_total_end": "armed-group members at the end",
    "flow_ratio_end": "trafficking flow at the end (ratio to before day 0)",
}


def scenario_colour(scenario: str) -> str:
    """The scenario's colour; an unknown name gets a stable Okabe-Ito colour (it may repeat a known one)."""
    return SCENARIO_COLOURS.get(scenario) or _FALLBACK[zlib.crc32(scenario.encode()) % len(_FALLBACK)]


# ----- the figures -------------------------------------------------------------------------------
def scenario_comparison(
    daily: pd.DataFrame, metric: str = "homicides", window: int = WINDOW, version: str = __version__
) -> Figure:
    """National `metric` over time per scenario, to see when and how far the scenarios part.

    Counts are summed over a rolling `window` of days (a month by default: daily counts are too
    noisy to read); levels such as `groups_alive` are shown as they are.
    """
    level = metric in LEVEL_METRICS
    label = LABELS.get(metric, metric)
    wides = _wides(daily, metric)
    days = min(_horizon(w) for w in wides.values())
    fig = new_figure()
    ax = fig.add_subplot()
    for rank, (s, wide) in enumerate(wides.items()):
        shown = wide if level else wide.rolling(window, min_periods=window).sum()
        # the counterfactual first and on top: before day 0 the scenarios share its burn-in exactly
        _bands(ax, _dates(shown.index), shown, scenario_colour(s), s, zorder=3 - rank / len(wides))
    mark_day0(ax, "22 Feb 2026")
    medians = {s: _first(w, level, days).median() for s, w in wides.items()}
    what = f"{_cap(label)} {_when(days, level)}"
    hi, lo = max(medians, key=medians.__getitem__), min(medians, key=medians.__getitem__)
    if len(medians) == 1:
        headline = f"{what}: {_num(medians[hi])} under {hi} (median of {wides[hi].shape[1]} runs)"
    elif abs(medians[hi] - medians[lo]) <= 0.01 * abs(medians[lo]):
        headline = f"{what}: about {_num(medians[lo])} under all {len(medians)} scenarios (medians)"
    else:
        headline = f"{what}: highest under {hi} ({_num(medians[hi])}), lowest under {lo} ({_num(medians[lo])})"
    sizes = _runs_phrase(w.shape[1] for w in wides.values())
    detail = f"Median of {sizes} per scenario. Line: median; shaded: 50% and 90% of runs"
    every = pd.concat(wides.values(), axis=1)
    if level:
        detail += "."
        before = every.loc[:-1].dropna(how="all")  # the last day before any strike, if the metric has one
        if len(before):
            eve = before.index.max()
            detail += f" On {_dates([eve])[0]:%d %b %Y}: {_num(before.loc[eve].median())} (median of all runs)."
    else:
        detail += f"; {window}-day rolling sums."
        ax.set_ylim(bottom=0)
    top = _head(fig, headline, detail)
    ax.set_ylabel(f"{label}\n(Mexico, daily)" if level else f"{label} per {window} days\n(Mexico, rolling sum)")
    ax.set_xlabel("date")
    _style(ax, dates=True)
    _legend(ax)
    fig.subplots_adjust(left=0.1, right=0.78, top=top, bottom=0.13)
    source_line(fig, version, list(wides), every.shape[1])
    return fig


def record_fit(daily: pd.DataFrame, baseline: str = "no_strike", version: str = __version__) -> Figure:
    """The model against the record: national victims a day, the observed months (SESNSP) over the
    model's median and bands from 2024 to day 0, then each scenario's horizon.

    Before day 0 every scenario shares its past with the baseline run of the same seed, so the past
    is drawn once, from the baseline's runs. Filled points are the months the record's parameters
    were fitted to, open points the months they were not (docs/validation.md).
    """
    wides = _wides(daily, "homicides")
    past_of = baseline if baseline in wides else next(iter(wides))
    fig = new_figure()
    ax = fig.add_subplot()
    roll = lambda w: w.rolling(WINDOW, center=True, min_periods=WINDOW).mean()  # noqa: E731
    past = roll(wides[past_of]).loc[:-1]
    _bands(ax, _dates(past.index), past, "0.35", "model, before 22 Feb 2026", zorder=3)
    for rank, (s, wide) in enumerate(wides.items()):
        future = roll(wide).loc[0:]
        _bands(ax, _dates(future.index), future, scenario_colour(s), s, zorder=2.9 - rank / len(wides))
    months = [m for m in monthly() if m.first_day >= wides[past_of].index.min()]
    model = np.array([wides[past_of].loc[m.first_day : m.end_day - 1].mean().median() for m in months])
    observed = np.array([m.per_day for m in months])
    mid = _dates([(m.first_day + m.end_day - 1) / 2 for m in months])
    fitted = np.array([m.window == "fit" for m in months])
    for chosen, label, face in ((fitted, "observed, fitted month", "black"), (~fitted, "observed, not fitted", "white")):
        if chosen.any():
            ax.scatter(mid[chosen], observed[chosen], s=28, marker="o", facecolor=face, edgecolor="black", lw=1.2, zorder=5, label=label)
    mark_day0(ax, "22 Feb 2026")
    error = np.abs(model / observed - 1)
    headline = (
        f"Homicides fell with the record, as observed: {int((error <= 0.15).sum())} of {len(months)} months within 15%, "
        f"median error {100 * np.median(error):.0f}%"
    )
    unfitted = error[~fitted]
    detail = (
        f"National victims a day ({WINDOW}-day centred mean), median and 50%/90% bands of {wides[past_of].shape[1]} runs; "
        f"points: SESNSP monthly averages (record-2024-2026.md)."
        + (f" Months not fitted: median error {100 * np.median(unfitted):.0f}%." if len(unfitted) else "")
    )
    top = _head(fig, headline, detail)
    ax.set_ylabel("homicides per day\n(Mexico, recorded victims)")
    ax.set_xlabel("date")
    ax.set_ylim(bottom=0)
    _style(ax, dates=True)
    _legend(ax)
    fig.subplots_adjust(left=0.1, right=0.75, top=top, bottom=0.13)
    source_line(fig, version, list(wides), sum(w.shape[1] for w in wides.values()), "observed: SESNSP")
    return fig


def outcomes(runs: pd.DataFrame, key: str = "homicides_d0_365", version: str = __version__) -> Figure:
    """Every run's value of a summary key, one row per scenario, with the median and the 50% and
    90% intervals over runs: the one figure a sweep of summaries alone can draw."""
    ok = _ok(runs).dropna(subset=[key])
    scenarios = _ordered(ok["scenario"])
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
    headline = f"{_cap(label)}: median {_num(medians[hi][0])} under {hi}" + (
        f", {_num(min(m for m, _ in medians.values()))} at the lowest" if len(medians) > 1 else f" ({medians[hi][1]} runs)"
    )
    top = _head(fig, headline, "Dots: runs; thick bar: 50% of runs; thin bar: 90%; tick: median.")
    ax.set_yticks(range(len(scenarios)), scenarios)
    ax.set_ylim(len(scenarios) - 0.5, -0.5)
    ax.set_xlabel(label)
    _style(ax)
    fig.subplots_adjust(left=0.2, right=0.97, top=top, bottom=0.3 if len(scenarios) < 3 else 0.15)
    source_line(fig, version, scenarios, len(ok))
    return fig


def groups_over_time(daily: pd.DataFrame, version: str = __version__) -> Figure:
    """Armed groups alive per scenario over time: fragmentation is the strike's lasting effect."""
    return scenario_comparison(daily, metric="groups_alive", version=version)


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
    chosen = [s for s in _ordered(scenarios if scenarios is not None else daily["scenario"]) if s != baseline]
    if not chosen:
        raise ValueError(f"paired_difference needs a scenario other than the baseline {baseline}")
    base = _by_seed(daily, baseline, metric).loc[0:]
    pairs = {s: _pair(base, _by_seed(daily, s, metric).loc[0:], s, baseline) for s in chosen}
    days = min(_horizon(o) for o, _ in pairs.values())
    fig = new_figure()
    ax = fig.add_subplot()
    ax.axhline(0, color="0.3", lw=0.8)
    effects = {}  # scenario: (median % change, median difference, pairs)
    for s, (other, own_base) in pairs.items():
        diff = other - own_base if level else other.cumsum() - own_base.cumsum()
        _bands(ax, _dates(diff.index), diff, scenario_colour(s), f"{s} − {baseline}")
        fo, fb = _first(other, level, days), _first(own_base, level, days)
        same_sign = float(((fo - fb) * np.sign((fo - fb).median()) > 0).mean())
        effects[s] = ((100 * (fo - fb) / fb.where(fb != 0)).median(), (fo - fb).median(), other.shape[1], same_sign)
    top_s = max(effects, key=lambda s: abs(np.nan_to_num(effects[s][0])))
    pct, change, n, same_sign = effects[top_s]
    headline = (
        f"{_cap(label)} {_when(days, level)}: {_compare(pct, top_s, baseline)} "
        f"({_signed(change)}; median of {n} paired runs, this sign in {same_sign:.0%} of them)"
    )
    others = ", ".join(f"{s} {_pct(effects[s][0])}" for s in effects if s != top_s)
    what = "Difference" if level else "Cumulative difference since 22 Feb 2026"
    detail = (
        f"{what} from the {baseline} run with the same {'world and ' if len(pair_keys(daily)) == 2 else ''}seed (common random numbers). "
        f"Line: median; shaded: 50% and 90% of paired runs." + (f" Others: {others}." if others else "")
    )
    top = _head(fig, headline, detail)
    ax.set_ylabel(f"difference in {label}\n({'daily' if level else 'cumulative'}, scenario − {baseline})")
    ax.set_xlabel("date")
    _style(ax, dates=True)
    _legend(ax)
    fig.subplots_adjust(left=0.1, right=0.75, top=top, bottom=0.13)
    base_seeds = set().union(*(b.columns for _, b in pairs.values()))
    n_runs = len(base_seeds) + sum(o.shape[1] for o, _ in pairs.values())
    source_line(fig, version, [baseline, *chosen], n_runs, _paired_by(daily))
    return fig


def effect_map(
    runs: pd.DataFrame,
    scenario: str,
    baseline: str = "no_strike",
    key: str = "homicides_d0_365",
    version: str = __version__,
) -> Figure:
    """Where a scenario changes `key` against the baseline: the median paired % change per state.

    A tile map (one equal square per state) keeps small central states as visible as Chihuahua.
    """
    states = states_table()
    cols = [f"{key}_{code}" for code in states["code"]]
    mine, base = (_seed_rows(runs, s, [key, *cols]) for s in (scenario, baseline))
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
        f"{_cap(label)} under {scenario} vs {baseline}: {_signed(national.median())} nationally "
        f"({_pct(pct[key].median())}; this sign in {same_sign:.0%} of {len(seeds)} paired runs); "
        f"{'up' if up >= down else 'down'} in {max(up, down)} of {int(valid.sum())} states, most in "
        f"{states['name'].iloc[i]} ({_signed(change[i])}, {_pct(med[i])})"
    )
    detail = (
        f"National 5–95% over paired runs: {_signed(np.percentile(national, 5))} to {_signed(np.percentile(national, 95))}. "
        f"Colour and number: median of the % change per state." + ("" if valid.all() else f" Grey: no {baseline} value to compare.")
    )
    fig = new_figure()
    top = _head(fig, headline, detail)
    ax = fig.add_axes((0.02, 0.06, 0.8, top - 0.08))
    lim = max(5.0, 5 * math.ceil(np.nanpercentile(np.abs(med), 90) / 5))  # a few outliers must not wash out the rest
    norm, cmap = Normalize(-lim, lim), colormaps["RdBu_r"]
    for (abbr, row, col), v in zip(states[["abbr", "sq_row", "sq_col"]].itertuples(index=False), med):
        shade = np.nan if np.isnan(v) else float(norm(v))
        ax.add_patch(Rectangle((col - 0.46, row - 0.46), 0.92, 0.92, facecolor="0.85" if np.isnan(v) else cmap(shade)))
        ink = "white" if abs(shade - 0.5) > 0.3 else "black"  # NaN compares False: black on grey
        ax.text(col, row - 0.14, abbr, ha="center", va="center", fontsize=9, fontweight="bold", color=ink)
        ax.text(col, row + 0.2, _pct(v), ha="center", va="center", fontsize=8, color=ink)
    ax.set_xlim(0.4, 12.6)
    ax.set_ylim(6.6, 0.4)
    ax.set_aspect("equal")
    ax.axis("off")
    extend = "both" if np.nanmax(np.abs(med)) > lim else "neither"
    bar = fig.colorbar(ScalarMappable(norm, cmap), ax=ax, fraction=0.035, pad=0.01, extend=extend)
    bar.set_label(f"change in {label}, % (scenario vs {baseline})")
    source_line(fig, version, [scenario, baseline], 2 * len(seeds), _paired_by(runs))
    return fig


def wave(runs: pd.DataFrame, scenario: str = "mencho_strike", version: str = __version__) -> Figure:
    """The retaliation wave: roadblocks per state within 48 hours of the strike, sorted, with spread."""
    rows = _ok(runs)
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
        headline = f"About {_about(total)} roadblocks in {_num(hit)} states within 48 hours of the strike"
        headline += f" (median of {n} runs)"
    else:
        headline = f"No roadblocks within 48 hours under {scenario} (median of {n} runs)"
    names = dict(zip(states["abbr"], states["name"]))
    most = ", ".join(f"{names[a]} ({_num(q.loc[0.5, a])})" for a in order[:3] if q.loc[0.5, a] > 0)
    detail = (f"Most in {most}. " if most else "") + "Bars: median per state; lines: 50% and 90% of runs."
    fig = new_figure()
    top = _head(fig, headline, detail)
    ax = fig.add_subplot()
    x = np.arange(len(order))
    ax.bar(x, q.loc[0.5, order], width=0.7, color=scenario_colour(scenario), alpha=0.85)
    ax.vlines(x, q.loc[0.05, order], q.loc[0.95, order], color="0.15", lw=1)
    ax.vlines(x, q.loc[0.25, order], q.loc[0.75, order], color="0.15", lw=3.5)
    ax.set_xticks(x, list(order), fontsize=8, rotation=90 if len(order) > 16 else 0)
    ax.set_xlabel("state (sorted by median)")
    ax.set_ylabel("roadblocks set in the first 48 hours\n(per state)")
    ax.set_ylim(bottom=0)
    _style(ax)
    handles = [
        Patch(color=scenario_colour(scenario), alpha=0.85, label=f"{scenario}: median"),
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
    rows = _ok(runs)
    if scenario is not None:
        rows = rows[rows["scenario"] == scenario]
    names = _ordered(rows["scenario"])
    if len(names) != 1:
        raise ValueError(f"sweep_heatmap needs the runs of one scenario, found {names}: pass scenario=")
    cells = rows[value].astype(float).groupby([rows[y], rows[x]])  # a summary value may be None
    grid = cells.median().unstack(x).sort_index().sort_index(axis=1)
    counts = cells.count().unstack(x).reindex_like(grid)
    label = KEY_LABELS.get(value, value)
    (lo_y, lo_x), (hi_y, hi_x) = grid.stack().idxmin(), grid.stack().idxmax()
    xn, yn = _short(x), _short(y)
    headline = (
        f"{_cap(label)}: lowest at {xn} = {_tick(lo_x)}, {yn} = {_tick(lo_y)} ({_num(grid.loc[lo_y, lo_x])}); "
        f"highest at {xn} = {_tick(hi_x)}, {yn} = {_tick(hi_y)} ({_num(grid.loc[hi_y, hi_x])})"
    )
    sizes = _runs_phrase(n for n in counts.to_numpy().ravel() if n > 0)
    detail = f"Each cell: median of {sizes} under {names[0]} (n = runs in the cell)."
    fig = new_figure()
    top = _head(fig, headline, detail)
    ax = fig.add_subplot()
    values = grid.to_numpy(dtype=float)
    image = ax.imshow(values, cmap="viridis", origin="lower", aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        ink = "white" if image.norm(v) < 0.6 else "black"  # viridis is dark at the bottom
        text = "no run" if np.isnan(v) else f"{_num(v)}\n(n = {int(counts.iloc[i, j])})"
        ax.text(j, i, text, ha="center", va="center", fontsize=10, color=ink)
    ax.set_xticks(range(grid.shape[1]), [_tick(v) for v in grid.columns])
    ax.set_yticks(range(grid.shape[0]), [_tick(v) for v in grid.index])
    ax.set_xlabel(_param_label(x))
    ax.set_ylabel(_param_label(y))
    fig.colorbar(image, ax=ax, pad=0.02).set_label(f"{label} (median over seeds)")
    fig.subplots_adjust(left=0.12, right=0.97, top=top, bottom=0.13)
    source_line(fig, version, names, len(rows), f"sweep of {xn} × {yn}")
    return fig


# ----- files -------------------------------------------------------------------------------------
def save(fig: Figure, folder: str | Path, name: str) -> list[Path]:
    """Write `name.png` (for slides) and `name.pdf` (for print), then release the figure."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.png", folder / f"{name}.pdf"]
    for path in paths:
        fig.savefig(path, dpi=DPI)
    if fig.canvas.manager is not None:  # made with pyplot: drop it from pyplot's registry
        from matplotlib import pyplot as plt

        plt.close(fig)
    return paths


def multipage_pdf(items: Iterable[Figure | str | Path], path: str | Path) -> Path:
    """One PDF with a page per figure, to send a briefing as one file; image paths become image pages."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with PdfPages(path) as pdf:
        for item in items:
            pdf.savefig(item if isinstance(item, Figure) else _image_page(Path(item)))
    return path


def briefing_plan(
    runs: pd.DataFrame, daily: pd.DataFrame | None, baseline: str = "no_strike", version: str | None = None
) -> dict[str, Callable[[], Figure]]:
    """Every standard figure the data supports, by file name, as a function that draws it.

    Deciding which figures apply is cheap; drawing them is not, so a caller can draw them on
    several processes (`sim.analysis.collect`) or in one (`briefing_figures`).
    """
    ok = _ok(runs)
    version = version or _versions(ok)
    plan: dict[str, Callable[[], Figure]] = {}
    if daily is not None and len(daily):  # runs with outputs=summary have no daily table
        daily = daily[daily["run"].isin(ok["run"])]
        plan["comparison_homicides"] = partial(scenario_comparison, daily, version=version)
        if daily["day"].min() <= monthly()[0].first_day:  # the runs cover the record's months
            plan["record"] = partial(record_fit, daily, baseline, version=version)
    outcome = next((k for k in OUTCOME_KEYS if k in ok and ok[k].notna().any()), None)
    if outcome and "comparison_homicides" not in plan:  # summaries alone: the runs' spread instead of the daily bands
        plan["outcomes"] = partial(outcomes, ok, outcome, version=version)
    one_per_seed = not ok.duplicated(["scenario", *pair_keys(ok)]).any()  # pairs are ambiguous in a parameter sweep
    has_year = ok["homicides_d0_365"].notna().any()  # runs of a year or more: per-state and sweep values
    if baseline in set(ok["scenario"]) and one_per_seed:
        for s in _ordered(ok["scenario"]):
            if s != baseline:
                if daily is not None and len(daily):
                    plan[f"paired_homicides_{s}"] = partial(paired_difference, daily, baseline, scenarios=[s], version=version)
                if has_year:
                    plan[f"effect_map_{s}"] = partial(effect_map, ok, s, baseline, version=version)
    if daily is not None and len(daily):
        plan["groups_alive"] = partial(groups_over_time, daily, version=version)
    struck = _ordered(ok.loc[ok["roadblocks_48h"] > 0, "scenario"])
    if struck:
        s = "mencho_strike" if "mencho_strike" in struck else struck[0]
        plan[f"wave_{s}"] = partial(wave, ok, s, version=version)
    varying = [c for c in ok.columns if ("." in c or "/" in c) and ok[c].nunique() > 1]  # Hydra overrides
    if len(varying) == 2 and has_year:
        for s in _ordered(ok["scenario"]):
            plan[f"sweep_{s}"] = partial(sweep_heatmap, ok, *varying, scenario=s, version=version)
    return plan


def briefing_figures(
    runs: pd.DataFrame,
    daily: pd.DataFrame | None,
    folder: str | Path,
    baseline: str = "no_strike",
    book: str | None = "briefing",
    part: tuple[int, int] = (0, 1),
) -> list[Path]:
    """Draw and save the standard figures (PNG and PDF); with `book`, also one multi-page PDF of them.

    `part` = (i, n) draws every n-th figure from the i-th: one of n workers' share of them.
    """
    i, n = part
    figures = {name: draw() for name, draw in list(briefing_plan(runs, daily, baseline).items())[i::n]}
    if book:
        multipage_pdf(figures.values(), Path(folder) / f"{book}.pdf")
    return [save(fig, folder, name)[0] for name, fig in figures.items()]


# ----- helpers -----------------------------------------------------------------------------------
def _ok(runs: pd.DataFrame) -> pd.DataFrame:
    """Successful runs only: a failed run has no numbers."""
    return runs[runs["status"] == "ok"]


def _ordered(scenarios: Iterable[str]) -> list[str]:
    """Distinct scenarios, the known ones in their canonical order, then the others alphabetically."""
    present = set(pd.Series(scenarios).unique())  # unique first: the daily table has a row per day and run
    return [s for s in SCENARIO_COLOURS if s in present] + sorted(present - set(SCENARIO_COLOURS))


def _wide(daily: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One row per day, one column per run: the shape the bands are computed over."""
    rows = daily[daily["metric"] == metric]
    return rows.pivot(index="day", columns="run", values="value").sort_index()


def _wides(daily: pd.DataFrame, metric: str) -> dict[str, pd.DataFrame]:
    """`_wide` of each scenario, in the canonical order of scenarios."""
    rows = daily[daily["metric"] == metric]  # the metric first: a category, quick to match on a big table
    return {s: _wide(rows[rows["scenario"] == s], metric) for s in _ordered(rows["scenario"])}


def pair_keys(frame: pd.DataFrame) -> list[str]:
    """What pairs runs across scenarios: the seed, and the plausible world when there are worlds."""
    return ["world", "seed"] if "world" in frame and frame["world"].notna().any() else ["seed"]


def _case(frame: pd.DataFrame) -> pd.Series:
    """Each row's pairing key: its seed, or 'world/seed' in an ensemble over plausible worlds."""
    if pair_keys(frame) == ["seed"]:
        return frame["seed"]
    return frame["world"].astype(str) + "/" + frame["seed"].astype(str)


def _paired_by(frame: pd.DataFrame) -> str:
    return "paired by world and seed" if len(pair_keys(frame)) == 2 else "paired by seed"


def _by_seed(daily: pd.DataFrame, scenario: str, metric: str) -> pd.DataFrame:
    """One row per day, one column per seed (or world and seed) of a scenario, so runs pair up."""
    rows = daily[daily["metric"] == metric]  # the metric first: a category, quick to match on a big table
    rows = rows[rows["scenario"] == scenario]
    if rows.duplicated([*pair_keys(rows), "day"]).any():
        raise ValueError(f"{scenario} has several runs with one seed (a parameter sweep?): pass one run per seed")
    return rows.assign(case=_case(rows)).pivot(index="day", columns="case", values="value").sort_index()


def _pair(base: pd.DataFrame, other: pd.DataFrame, scenario: str, baseline: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The runs of a scenario and of the baseline on their common seeds and days."""
    seeds = base.columns.intersection(other.columns)
    if seeds.empty:
        raise ValueError(f"no seed of {scenario} is also a seed of {baseline}: nothing to pair")
    days = base.index.intersection(other.index)
    return other.loc[days, seeds], base.loc[days, seeds]


def _seed_rows(runs: pd.DataFrame, scenario: str, columns: list[str]) -> pd.DataFrame:
    """Summary values of a scenario's successful runs, one row per seed."""
    rows = _ok(runs)
    rows = rows[rows["scenario"] == scenario]
    if rows.duplicated(pair_keys(rows)).any():
        raise ValueError(f"{scenario} has several runs with one seed (a parameter sweep?): pass one run per seed")
    return rows.set_index(_case(rows))[columns].astype(float)


def _horizon(wide: pd.DataFrame) -> int:
    """Days after day 0 the titles summarise: the first year, or less if the runs are shorter."""
    return min(YEAR, int((wide.index >= 0).sum()))


def _first(wide: pd.DataFrame, level: bool, days: int) -> pd.Series:
    """Per run: the total over days 0 .. days-1 (counts) or the value on day days-1 (levels)."""
    return wide.loc[days - 1] if level else wide.loc[0 : days - 1].sum()


def _when(days: int, level: bool) -> str:
    if level:
        return "a year after 22 Feb 2026" if days == YEAR else f"{days} days after 22 Feb 2026"
    return "in the first year after 22 Feb 2026" if days == YEAR else f"in the first {days} days after 22 Feb 2026"


def _dates(days: Iterable[int]) -> pd.DatetimeIndex:
    return pd.Timestamp(DAY0) + pd.to_timedelta(np.asarray(list(days)), unit="D")


def _bands(
    ax: Axes, x: pd.DatetimeIndex, wide: pd.DataFrame, colour: str, label: str, zorder: float = 2.5
) -> None:
    """Median line with shaded 50% and 90% bands over runs: the spread of possible futures."""
    lo90, lo50, med, hi50, hi90 = _quantiles(wide.to_numpy(dtype=float))
    ax.fill_between(x, lo90, hi90, color=colour, alpha=0.12, lw=0, zorder=zorder - 1)
    ax.fill_between(x, lo50, hi50, color=colour, alpha=0.28, lw=0, zorder=zorder - 1)
    ax.plot(x, med, color=colour, lw=2, label=label, zorder=zorder)


def _quantiles(values: np.ndarray) -> np.ndarray:
    """QUANTILES over runs (columns) for each day (row), NaN-aware only where a row has a NaN.

    np.nanquantile works row by row in Python; complete rows (nearly all) go to np.quantile at once.
    """
    out = np.full((len(QUANTILES), len(values)), np.nan)
    missing = np.isnan(values)
    full = ~missing.any(axis=1)
    out[:, full] = np.quantile(values[full], QUANTILES, axis=1)
    partial = ~full & ~missing.all(axis=1)  # rows of NaN only (a rolling window not yet full) stay NaN
    if partial.any():
        out[:, partial] = np.nanquantile(values[partial], QUANTILES, axis=1)
    return out


def _legend(ax: Axes) -> None:
    """Scenario lines and one key to the bands, outside the plot so no data is hidden."""
    handles, _ = ax.get_legend_handles_labels()
    handles += [
        Patch(color="0.4", alpha=0.37, lw=0, label="50% of runs"),  # both fills overlap inside the 50% band
        Patch(color="0.4", alpha=0.12, lw=0, label="90% of runs"),
    ]
    ax.legend(handles=handles, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)


def _style(ax: Axes, dates: bool = False) -> None:
    ax.grid(alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    if dates:
        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def _head(fig: Figure, headline: str, detail: str) -> float:
    """The finding in bold with a reading note under it; returns the top of the room left for axes."""
    height = fig.get_figheight() * 72  # points
    head = textwrap.fill(headline, 92)
    fig.suptitle(head, x=0.01, y=0.975, ha="left", va="top", fontsize=12.5, fontweight="bold")
    y = 0.975 - (head.count("\n") + 1) * 12.5 * 1.3 / height - 0.01
    note = textwrap.fill(detail, 135)
    fig.text(0.01, y, note, ha="left", va="top", fontsize=9.5, color="0.25")
    return y - (note.count("\n") + 1) * 9.5 * 1.3 / height - 0.04


def _image_page(path: Path) -> Figure:
    """A page holding a saved PNG at its own size."""
    image = imread(path)
    fig = new_figure(image.shape[1] / DPI, image.shape[0] / DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.imshow(image)
    ax.axis("off")
    return fig


def _versions(runs: pd.DataFrame) -> str:
    """The model versions that made the runs (from their summaries), else this one."""
    found = runs["model_version"].dropna().unique() if "model_version" in runs else []
    return ", ".join(sorted(map(str, found))) or __version__


def _runs_phrase(sizes: Iterable[int]) -> str:
    """'3 runs' or '3-5 runs': how many runs each median is over."""
    sizes = [int(n) for n in sizes]
    lo, hi = min(sizes), max(sizes)
    return f"{lo} run{'s' if hi != 1 else ''}" if lo == hi else f"{lo}-{hi} runs"


def _short(column: str) -> str:
    """A Hydra override's parameter name: `params.capacity_investment` -> `capacity_investment`."""
    return column.rsplit(".", 1)[-1].rsplit("/", 1)[-1]


def _param_label(column: str) -> str:
    """The parameter name with its unit from the parameter table."""
    name = _short(column)
    unit = parameter_table()[name].unit if name in parameter_table() else ""
    return f"{name} ({unit})" if unit else name


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _num(v: float) -> str:
    """A number as a briefing reads it: 3.2 billion; 31,200; 27; 6.2; 0.85."""
    if np.isnan(v):
        return "n/a"
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(v) >= size:
            return f"{v / size:.3g} {word}"
    if abs(v) >= 1000:  # three significant figures: the runs do not support more
        return f"{float(f'{v:.3g}'):,.0f}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10 or float(v).is_integer():
        return f"{v:.0f}"
    return f"{v:.1f}" if abs(v) >= 1 else f"{v:.2g}"


def _signed(v: float) -> str:
    return "n/a" if np.isnan(v) else ("+" if v > 0 else "") + _num(v)


def _pct(v: float) -> str:
    """A signed percentage: +162%, +18%, -1.9%."""
    return "n/a" if np.isnan(v) else f"{v:+.0f}%" if abs(v) >= 10 else f"{v:+.1f}%"


def _about(v: float) -> str:
    """A rounded count for a headline: 'about 260', not 'about 257.5'."""
    return f"{round(v, -1):,.0f}" if v >= 100 else f"{v:.0f}"


def _tick(v: object) -> str:
    """A parameter value as a tick label: 0.1, 12, True, clear."""
    numeric = isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))
    return f"{v:g}" if numeric else str(v)


def _compare(pct: float, scenario: str, baseline: str) -> str:
    """'12% higher under X than under Y', in words a briefing reads aloud."""
    if np.isnan(pct):
        return f"not comparable between {scenario} and {baseline} ({baseline} is zero)"
    if abs(pct) < 0.5:
        return f"about the same under {scenario} as under {baseline}"
    return f"{abs(pct):.0f}% {'higher' if pct > 0 else 'lower'} under {scenario} than under {baseline}"
