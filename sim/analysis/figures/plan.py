"""Which standard figures the runs support, and drawing and saving them."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sim.analysis.baselines import COUNTERFACTUAL, baseline_for
from sim.analysis.figures.effects import effect_map, paired_difference
from sim.analysis.figures.over_time import groups_over_time, record_fit, scenario_comparison
from sim.analysis.figures.summaries import outcomes, sweep_heatmap, wave
from sim.analysis.figures.tables import pair_keys, successful, versions
from sim.analysis.style import multipage_pdf, ordered, save
from sim.world.observed import monthly

OUTCOME_KEYS = (
    "homicides_d0_365",
    "homicides_d0_180",
    "homicides_baseline_annual",
)  # the outcomes figure's key, first present


def briefing_plan(
    runs: pd.DataFrame, daily: pd.DataFrame | None, version: str | None = None
) -> dict[str, Callable[[], Figure]]:
    """Every standard figure the data supports, by file name, as a function that draws it; each
    scenario's paired figures against its baseline (`sim.analysis.baselines.baseline_for`).

    Deciding which figures apply is cheap; drawing them is not, so a caller can draw them on
    several processes (`sim.analysis.collect`) or in one (`briefing_figures`).
    """
    ok = successful(runs)
    version = version or versions(ok)
    plan: dict[str, Callable[[], Figure]] = {}
    if daily is not None and len(daily):  # runs with outputs=summary have no daily table
        daily = daily[daily["run"].isin(ok["run"])]
        plan["comparison_homicides"] = partial(scenario_comparison, daily, version=version)
        if daily["day"].min() <= monthly()[0].first_day:  # the runs cover the record's months
            plan["record"] = partial(record_fit, daily, COUNTERFACTUAL, version=version)  # the past, shared
    outcome = next((k for k in OUTCOME_KEYS if k in ok and ok[k].notna().any()), None)
    if outcome and "comparison_homicides" not in plan:  # summaries alone: the runs' spread instead of the daily bands
        plan["outcomes"] = partial(outcomes, ok, outcome, version=version)
    one_per_seed = not ok.duplicated(["scenario", *pair_keys(ok)]).any()  # pairs are ambiguous in a parameter sweep
    has_year = ok["homicides_d0_365"].notna().any()  # runs of a year or more: per-state and sweep values
    present = set(ok["scenario"])
    for s in ordered(ok["scenario"]) if one_per_seed else []:
        baseline = baseline_for(s, present)
        if baseline is None:
            continue
        if daily is not None and len(daily):
            plan[f"paired_homicides_{s}"] = partial(paired_difference, daily, baseline, scenarios=[s], version=version)
        if has_year:
            plan[f"effect_map_{s}"] = partial(effect_map, ok, s, baseline, version=version)
    if daily is not None and len(daily):
        plan["groups_alive"] = partial(groups_over_time, daily, version=version)
    struck = ordered(ok.loc[ok["roadblocks_48h"] > 0, "scenario"])
    if struck:
        s = "mencho_strike" if "mencho_strike" in struck else struck[0]
        plan[f"wave_{s}"] = partial(wave, ok, s, version=version)
    varying = [c for c in ok.columns if ("." in c or "/" in c) and ok[c].nunique() > 1]  # Hydra overrides
    if len(varying) == 2 and has_year:
        for s in ordered(ok["scenario"]):
            plan[f"sweep_{s}"] = partial(sweep_heatmap, ok, *varying, scenario=s, version=version)
    return plan


def briefing_figures(
    runs: pd.DataFrame,
    daily: pd.DataFrame | None,
    folder: str | Path,
    book: str | None = "briefing",
    part: tuple[int, int] = (0, 1),
) -> list[Path]:
    """Draw and save the standard figures (PNG and PDF); with `book`, also one multi-page PDF of them.

    `part` = (i, n) draws every n-th figure from the i-th: one of n workers' share of them.
    """
    i, n = part
    figures = {name: draw() for name, draw in list(briefing_plan(runs, daily).items())[i::n]}
    if book:
        multipage_pdf(figures.values(), Path(folder) / f"{book}.pdf")
    return [save(fig, folder, name)[0] for name, fig in figures.items()]
