"""Figures of one run, drawn on the Agg backend so they work headless and in parallel jobs.

Also the pieces every figure of the project shares (`sim.analysis.figures` builds on them): the Okabe-Ito
palette, a pyplot-free figure, the day-0 marker and the source line.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.world.calendar import DAY0

# Okabe-Ito colours: distinguishable with the common forms of colour blindness.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
CATEGORIES = {  # metric suffix -> (legend label, colour)
    "criminal": ("criminal", OKABE_ITO["vermillion"]),
    "civilian": ("civilian (+ background)", OKABE_ITO["blue"]),
    "forces": ("forces", OKABE_ITO["bluish_green"]),
    "background": ("background (no group)", OKABE_ITO["reddish_purple"]),
    "hidden": ("hidden (disappeared)", OKABE_ITO["orange"]),
}
WINDOW = 30  # days in the rolling mean: daily counts are too noisy to read


def new_figure(width: float = 10.0, height: float = 5.5) -> Figure:
    """A figure on its own Agg canvas: no pyplot state, so it is safe headless and in parallel jobs."""
    fig = Figure(figsize=(width, height), dpi=150)
    FigureCanvasAgg(fig)
    return fig


def mark_day0(ax: Axes, label: str) -> None:
    """A dashed line at day 0 with its date, so every time axis reads against 22 February 2026."""
    day0 = pd.Timestamp(DAY0)
    ax.axvline(day0, color="black", ls="--", lw=1)
    ax.text(
        day0, 0.99, f"{label} ", transform=ax.get_xaxis_transform(), ha="right", va="top", fontsize=9,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
    )


def source_line(fig: Figure, version: str, scenarios: Sequence[str], runs: int, note: str = "") -> None:
    """A small grey line at the bottom: which scenarios, how many runs and which model drew the figure."""
    names = f"scenario{'s' if len(scenarios) > 1 else ''} {', '.join(scenarios)}"
    text = f"Source: cartel-sim v{version}; {names}; {runs} run{'s' if runs != 1 else ''}"
    fig.text(0.01, 0.012, f"{text}; {note}" if note else text, fontsize=8, color="0.3", ha="left", va="bottom")


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
