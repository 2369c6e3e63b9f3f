"""The backtest's fan charts: each origin's forecasts beside the months that followed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.analysis.forecast.scores import ALPHAS, LEVELS
from sim.world.observed import national_series

SHOWN = {"model": "#b2182b", "no_change": "#2166ac"}  # the fans drawn; the others are scored, not drawn


def _band(frame: pd.DataFrame, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    k = int(np.flatnonzero(np.isclose(ALPHAS, alpha))[0])
    return frame[f"q{LEVELS[k]:.3f}"].to_numpy(), frame[f"q{LEVELS[-1 - k]:.3f}"].to_numpy()


def fan_charts(forecasts: pd.DataFrame, path: Path) -> Path:
    """One panel per origin: the observed series (black), and for the model and no_change the
    median with the 50% and 90% intervals of the forecast from that origin."""
    forecasts = forecasts[forecasts.target == "national"]
    origins = sorted(forecasts.origin.unique())
    cols = min(3, len(origins))
    rows = int(np.ceil(len(origins) / cols))
    fig = Figure(figsize=(4.2 * cols, 2.9 * rows), layout="constrained")
    FigureCanvasAgg(fig)
    series = national_series().per_day
    for i, origin in enumerate(origins):
        ax = fig.add_subplot(rows, cols, i + 1)
        start = pd.Period(origin, freq="M")
        shown = series[(series.index >= start - 24) & (series.index < start + 12)]
        ax.plot(shown.index.to_timestamp(), shown.to_numpy(), color="black", lw=1.2, label="observed")
        for name, colour in SHOWN.items():
            frame = forecasts[(forecasts.origin == origin) & (forecasts.forecaster == name)]
            if frame.empty:
                continue
            x = pd.PeriodIndex(frame.month, freq="M").to_timestamp()
            for alpha, shade in ((0.1, 0.15), (0.5, 0.3)):
                low, high = _band(frame, alpha)
                ax.fill_between(x, low, high, color=colour, alpha=shade, lw=0)
            ax.plot(x, frame["q0.500"], color=colour, lw=1.2, label=name)
        ax.axvline(pd.Timestamp(origin), color="grey", lw=0.8, ls=":")
        ax.set_title(f"from {origin}", fontsize=9)
        ax.tick_params(labelsize=7)
        ax.set_ylabel("victims a day", fontsize=8)
        if i == 0:
            ax.legend(fontsize=7, frameon=False)
    fig.suptitle("Forecasts from past origins: median, 50% and 90% intervals", fontsize=10)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    return path
