"""How much of an ensemble's spread is what we do not know about the parameters, and how much is chance.

An ensemble over plausible worlds x seeds mixes two sources: worlds differ in their parameters,
and runs of one world differ by their random numbers. A one-way random-effects analysis of
variance separates them: the chance is the mean variance among a world's seeds, and the
parameters' part is the variance of the worlds' means less what chance alone leaves in a mean of
n seeds (Searle et al. 1992, ch. 3). With one seed per world the two cannot be told apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Split:
    parameters: float  # variance between worlds that chance does not explain
    chance: float  # variance among the seeds of one world
    worlds: int
    seeds: float  # seeds per world (mean)

    @property
    def parameter_share(self) -> float:
        total = self.parameters + self.chance
        return float(self.parameters / total) if total > 0 else float("nan")


def split(values: pd.Series, worlds: pd.Series) -> Split:
    """The variance of `values` split into parameters and chance, grouped by `worlds`."""
    frame = pd.DataFrame({"v": pd.to_numeric(values, errors="coerce").to_numpy(float), "w": worlds.to_numpy()}).dropna()
    groups = frame.groupby("w")["v"]
    sizes = groups.size()
    if len(sizes) < 2 or (sizes < 2).all():
        return Split(float("nan"), float("nan"), len(sizes), float(sizes.mean()) if len(sizes) else 0.0)
    within = float(groups.var(ddof=1).dropna().mean())
    n = float(sizes.mean())
    between = float(groups.mean().var(ddof=1)) - within / n
    return Split(max(between, 0.0), within, len(sizes), n)
