"""Identifiability of the fitted parameters: the calibration score across each one's range, the
others held at their fitted values (experiments/identifiability.py writes docs/identifiability.md).
Every run goes through `sim.ensemble` as a design point with its seed, scored in the worker."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis import abc
from sim.parameters import table

EDGE = 0.05  # a fitted value within this share of its range from an end is "at the edge"
FLAT = 0.1  # a profile whose median distance moves less than this over the range is "flat"


def profiles(names: list[str], n_values: int, seed_list: list[int], workers: int | None = None) -> pd.DataFrame:
    """Score of every (parameter, value, seed): `n_values` evenly over the range, plus the fitted value."""
    t = table()
    tasks = []
    for name in names:
        p = t[name]
        for v in sorted(set(np.linspace(p.low, p.high, n_values).tolist() + [float(p.default)])):
            tasks += [(name, float(v), s) for s in seed_list]
    # one calibration run per task through sim.ensemble (design points with their seeds, the score measured in the
    # worker)
    runs = abc.evaluate([{name: value, "seed": seed} for name, value, seed in tasks], processes=workers, memory_gb=None)
    failed = (runs["error"] != "").to_numpy()  # a value the model cannot take scores as infinitely implausible
    frame = pd.DataFrame(tasks, columns=["parameter", "value", "seed"])
    for key in ("score", "distance"):
        frame[key] = np.where(failed, np.inf, runs[key].to_numpy(float))
    return frame


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per parameter: fitted value, range, the best grid value, scores, and the two flags."""
    t = table()
    rows = []
    for name, g in frame.groupby("parameter", sort=False):
        med = g.groupby("value")["distance"].median()
        worst = g.groupby("value")["score"].median()
        p = t[name]
        span = p.high - p.low
        finite = med[np.isfinite(med)]
        rows.append(
            {
                "parameter": name,
                "fitted": p.default,
                "low": p.low,
                "high": p.high,
                "best": float(finite.idxmin()) if len(finite) else np.nan,
                "distance_fitted": float(med.loc[float(p.default)]),
                "distance_min": float(finite.min()) if len(finite) else np.inf,
                "distance_max": float(finite.max()) if len(finite) else np.inf,
                "plausible_share": float((worst <= 1.0).mean()),
                "at_edge": min(p.default - p.low, p.high - p.default) <= EDGE * span,
                "flat": (float(finite.max() - finite.min()) < FLAT) if len(finite) else False,
            }
        )
    return pd.DataFrame(rows)
