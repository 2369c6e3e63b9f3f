"""The uncertain parameters as factors with their ranges, which the sensitivity analysis and the
calibration ensemble (ABC-SMC) sample."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.parameters import table

INTEGER_DOMAINS = ("int_nonneg", "int_positive")


@dataclass(frozen=True)
class Factor:
    """An uncertain parameter: its range, whether it takes whole numbers, and whether its unit
    interval maps to the range on a log scale (a range spanning orders of magnitude)."""

    name: str
    low: float
    high: float
    integer: bool
    log: bool = False

    def at(self, u: np.ndarray) -> np.ndarray:
        """The values at positions `u` (0 to 1) of the range."""
        if self.log:
            return np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))
        return self.low + u * (self.high - self.low)

    def unit(self, value: np.ndarray) -> np.ndarray:
        """The positions (0 to 1 inside the range) of `value`: the inverse of `at`."""
        if self.log:
            return (np.log(value) - np.log(self.low)) / (np.log(self.high) - np.log(self.low))
        return (value - self.low) / (self.high - self.low)


def factors() -> list[Factor]:
    """Every parameter with a range that is not a policy lever or set by the record."""
    return [
        Factor(p.name, float(p.low), float(p.high), p.domain in INTEGER_DOMAINS)
        for p in table().values()
        if p.kind in ("uncertainty", "calibrated") and p.low is not None and p.high is not None and p.low < p.high
    ]


def point_params(chosen: Sequence[Factor], row: Sequence[float]) -> dict[str, Any]:
    """One design row as model parameters (whole numbers rounded)."""
    return {f.name: (int(round(x)) if f.integer else float(x)) for f, x in zip(chosen, row)}


def narrowing(sets: pd.DataFrame, chosen: Sequence[Factor] | None = None) -> pd.DataFrame:
    """Per factor (`factors()` by default): its full range, the sets' 5th-95th percentile, median,
    extremes and the table's default, and what share of the range the 5th-95th spans, narrowest first."""
    rows = []
    defaults = {p.name: p.default for p in table().values()}
    for f in factors() if chosen is None else chosen:
        v = sets[f.name].astype(float)
        lo, hi = np.percentile(v, [5, 95])
        rows.append(
            {
                "parameter": f.name,
                "low": f.low,
                "high": f.high,
                "p05": lo,
                "median": v.median(),
                "p95": hi,
                "min": v.min(),
                "max": v.max(),
                "default": defaults[f.name],
                "share": (hi - lo) / (f.high - f.low),
            }
        )
    return pd.DataFrame(rows).sort_values("share").reset_index(drop=True)
