"""National daily series over time, one median with its bands per scenario: the scenarios compared,
the armed groups alive, and the model against the recorded months before 22 Feb 2026."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim import __version__
from sim.analysis.baselines import STATUS_QUO
from sim.analysis.figures.tables import first, horizon, month_means, scenario_wides
from sim.analysis.style import (
    LABELS,
    LEVEL_METRICS,
    WINDOW,
    bands,
    cap,
    dates,
    head,
    legend,
    mark_day0,
    name,
    new_figure,
    num,
    runs_phrase,
    scenario_colour,
    source_line,
    style_axes,
    when,
)
from sim.world.observed import after_strike, monthly


def scenario_comparison(
    daily: pd.DataFrame, metric: str = "homicides", window: int = WINDOW, version: str = __version__
) -> Figure:
    """National `metric` over time per scenario, to see when and how far the scenarios part.

    Counts are summed over a rolling `window` of days (a month by default: daily counts are too
    noisy to read); levels such as `groups_alive` are shown as they are.
    """
    level = metric in LEVEL_METRICS
    label = LABELS.get(metric, metric)
    wides = scenario_wides(daily, metric)
    days = min(horizon(w) for w in wides.values())
    fig = new_figure()
    ax = fig.add_subplot()
    for rank, (s, wide) in enumerate(wides.items()):
        shown = wide if level else wide.rolling(window, min_periods=window).sum()
        # the counterfactual first and on top: before day 0 the scenarios share its burn-in exactly
        bands(ax, dates(shown.index), shown, scenario_colour(s), name(s), zorder=3 - rank / len(wides))
    mark_day0(ax, "22 Feb 2026")
    medians = {s: first(w, level, days).median() for s, w in wides.items()}
    what = f"{cap(label)} {when(days, level)}"
    hi, lo = max(medians, key=medians.__getitem__), min(medians, key=medians.__getitem__)
    if len(medians) == 1:
        headline = f"{what}: {num(medians[hi])} under {name(hi)} (median of {wides[hi].shape[1]} runs)"
    elif abs(medians[hi] - medians[lo]) <= 0.01 * abs(medians[lo]):
        headline = f"{what}: about {num(medians[lo])} under all {len(medians)} scenarios (medians)"
    else:
        headline = (
            f"{what}: highest under {name(hi)} ({num(medians[hi])}), lowest under {name(lo)} ({num(medians[lo])})"
        )
    sizes = runs_phrase(w.shape[1] for w in wides.values())
    detail = f"Median of {sizes} per scenario. Line: median; shaded: 50% and 90% of runs"
    every = pd.concat(wides.values(), axis=1)
    if level:
        detail += "."
        before = every.loc[:-1].dropna(how="all")  # the last day before any strike, if the metric has one
        if len(before):
            eve = before.index.max()
            detail += f" On {dates([eve])[0]:%d %b %Y}: {num(before.loc[eve].median())} (median of all runs)."
    else:
        detail += f"; {window}-day rolling sums."
        ax.set_ylim(bottom=0)
    top = head(fig, headline, detail)
    ax.set_ylabel(f"{label}\n(Mexico, daily)" if level else f"{label} per {window} days\n(Mexico, rolling sum)")
    ax.set_xlabel("date")
    style_axes(ax, dates=True)
    legend(ax)
    fig.subplots_adjust(left=0.1, right=0.78, top=top, bottom=0.13)
    source_line(fig, version, list(wides), every.shape[1])
    return fig


def record_fit(daily: pd.DataFrame, baseline: str = "no_strike", version: str = __version__) -> Figure:
    """The model against the record: national victims a day, the observed months (SESNSP) over the
    model's median and bands from 2024 to day 0, then each scenario's horizon.

    Before day 0 every scenario shares its past with the baseline run of the same seed, so the past
    is drawn once, from the baseline's runs. Filled points are the months the record's parameters
    were fitted to, open points the months they were not (docs/validation.md), diamonds the months
    after the strike that the status quo's runs reach (checks).
    """
    wides = scenario_wides(daily, "homicides")
    past_of = baseline if baseline in wides else next(iter(wides))
    fig = new_figure()
    ax = fig.add_subplot()
    roll = lambda w: w.rolling(WINDOW, center=True, min_periods=WINDOW).mean()  # noqa: E731
    past = roll(wides[past_of]).loc[:-1]
    bands(ax, dates(past.index), past, "0.35", "model, before 22 Feb 2026", zorder=3)
    for rank, (s, wide) in enumerate(wides.items()):
        future = roll(wide).loc[0:]
        bands(ax, dates(future.index), future, scenario_colour(s), name(s), zorder=2.9 - rank / len(wides))
    months = [m for m in monthly() if m.first_day >= wides[past_of].index.min()]
    model = np.array([month_means(wides[past_of], m).median() for m in months])
    observed = np.array([m.per_day for m in months])
    mid = dates([(m.first_day + m.end_day - 1) / 2 for m in months])
    fitted = np.array([m.window == "fit" for m in months])
    for chosen, label, face in (
        (fitted, "observed, fitted month", "black"),
        (~fitted, "observed, not fitted", "white"),
    ):
        if chosen.any():
            ax.scatter(
                mid[chosen],
                observed[chosen],
                s=28,
                marker="o",
                facecolor=face,
                edgecolor="black",
                lw=1.2,
                zorder=5,
                label=label,
            )
    lived = wides.get(STATUS_QUO)  # the months after the strike, as the status quo lived them
    later = [m for m in after_strike() if lived is not None and m.end_day <= lived.index.max() + 1]
    if later:
        ax.scatter(
            dates([(m.first_day + m.end_day - 1) / 2 for m in later]),
            [m.per_day for m in later],
            s=30,
            marker="D",
            facecolor="white",
            edgecolor=scenario_colour(STATUS_QUO),
            lw=1.2,
            zorder=5,
            label="observed after the strike (RNID), not fitted",
        )
    mark_day0(ax, "22 Feb 2026")
    error = np.abs(model / observed - 1)
    headline = (
        f"Homicides fell with the record, as observed: {int((error <= 0.15).sum())} of {len(months)} months within "
        f"15%, median error {100 * np.median(error):.0f}%"
    )
    unfitted = error[~fitted]
    detail = (
        f"National victims a day ({WINDOW}-day centred mean), median and 50%/90% bands of {wides[past_of].shape[1]} "
        "runs; points: SESNSP monthly averages (record-2024-2026.md)."
        + (f" Months not fitted: median error {100 * np.median(unfitted):.0f}%." if len(unfitted) else "")
    )
    top = head(fig, headline, detail)
    ax.set_ylabel("homicides per day\n(Mexico, recorded victims)")
    ax.set_xlabel("date")
    ax.set_ylim(bottom=0)
    style_axes(ax, dates=True)
    legend(ax)
    fig.subplots_adjust(left=0.1, right=0.75, top=top, bottom=0.13)
    source_line(fig, version, list(wides), sum(w.shape[1] for w in wides.values()), "observed: SESNSP")
    return fig


def groups_over_time(daily: pd.DataFrame, version: str = __version__) -> Figure:
    """Armed groups alive per scenario over time: fragmentation is the strike's lasting effect."""
    return scenario_comparison(daily, metric="groups_alive", version=version)
