"""Figures of one run, drawn on the Agg backend so they work headless and in parallel jobs."""

from __future__ import annotations

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.recorder import DAY0

# Okabe-Ito colours: distinguishable with the common forms of colour blindness.
CATEGORIES = {
    "criminal": "#D55E00",  # vermillion
    "civilian": "#0072B2",  # blue
    "forces": "#009E73",  # bluish green
    "background": "#CC79A7",  # reddish purple
}
WINDOW = 30  # days in the rolling mean: daily counts are too noisy to read


def homicides(timeseries: pd.DataFrame, scenario: str, seed: int, version: str) -> Figure:
    """National daily homicides by victim category, 30-day rolling means, strike day marked."""
    national = timeseries[timeseries["state"] == "MX"]
    fig = Figure(figsize=(9, 5), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for category, colour in CATEGORIES.items():
        rows = national[national["metric"] == f"homicides_{category}"]
        series = rows.set_index("date")["value"].sort_index().rolling(WINDOW, min_periods=WINDOW).mean()
        ax.plot(series.index, series.to_numpy(), color=colour, lw=1.6, label=category)
    strike = pd.Timestamp(DAY0)
    ax.axvline(strike, color="black", ls="--", lw=1)
    ax.text(
        strike, 0.99, "22 Feb 2026 strike ", transform=ax.get_xaxis_transform(), ha="right", va="top", fontsize=9,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
    )
    ax.set_title(f"Mexico: homicides per day by victim category ({WINDOW}-day rolling mean)", loc="left")
    ax.set_ylabel("homicides per day")
    ax.margins(y=0.1)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(title="victims", frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.subplots_adjust(left=0.08, right=0.83, top=0.9, bottom=0.15)
    source = f"Source: cartel-sim v{version}, scenario {scenario}, seed {seed}, 1 run"
    fig.text(0.01, 0.015, source, fontsize=8, color="0.3")
    return fig
