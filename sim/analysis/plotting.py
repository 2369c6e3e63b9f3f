"""Figures of one run, drawn on the Agg backend so they work headless and in parallel jobs.

The pieces every figure of the project shares (the Okabe-Ito palette, a pyplot-free figure, the
day-0 marker and the source line) are in `sim.analysis.style`; they are also importable from here.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from sim.analysis.style import OKABE_ITO, WINDOW, mark_day0, new_figure, source_line

__all__ = ["CATEGORIES", "OKABE_ITO", "WINDOW", "homicides", "mark_day0", "new_figure", "source_line"]

CATEGORIES = {  # metric suffix -> (legend label, colour)
    "criminal": ("criminal", OKABE_ITO["vermillion"]),
    "civilian": ("civilian (+ background)", OKABE_ITO["blue"]),
    "forces": ("forces", OKABE_ITO["bluish_green"]),
    "background": ("background (no group)", OKABE_ITO["reddish_purple"]),
    "hidden": ("hidden (disappeared)", OKABE_ITO["orange"]),
}


def homicides(timeseries: pd.DataFrame, scenario: str, seed: int, version: str) -> Figure:
    """National daily homicides by victim category, 30-day rolling means, strike day marked."""
    national = timeseries[timeseries["state"] == "MX"]
    fig = new_figure(9, 5)
    ax = fig.add_subplot()
    for category, (label, colour) in CATEGORIES.items():
        rows = national[national["metric"] == f"homicides_{category}"]
        series = rows.set_index("date")["value"].sort_index().rolling(WINDOW, min_periods=WINDOW).mean()
        ax.plot(series.index, series.to_numpy(), color=colour, lw=1.6, label=label)
    mark_day0(ax, "22 Feb 2026 strike")
    ax.set_title(f"Mexico: homicides per day by victim category ({WINDOW}-day rolling mean)", loc="left")
    ax.set_ylabel("homicides per day")
    ax.margins(y=0.1)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(title="victims", frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.subplots_adjust(left=0.08, right=0.74, top=0.9, bottom=0.15)
    source_line(fig, version, [scenario], 1, f"seed {seed}")
    return fig
