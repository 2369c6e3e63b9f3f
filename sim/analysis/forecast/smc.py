"""Worlds conditioned month by month: a sequential Monte Carlo sampler over parameter sets.

Importance weights over a fixed prior ensemble collapse onto one or two particles once a dozen
months are known (an effective sample size of 1 of 400 in the first backtest). So the population
is filtered as the months arrive, in the resample-move form of Chopin (2002, Biometrika 89: 539;
the "IBIS" sampler, also in the `particles` library, here written against `sim.ensemble`):

1. The prior: `particles` parameter sets over the factors' ranges (a Latin hypercube), each with a
   seed, simulated once through the whole record (`conditioned.RECORD`, to May 2026).
2. At each origin, in date order, the weights take in the likelihood of the months that became
   known since the last one (`conditioned.log_likelihood`, the observation model). The months before an
   origin are the same in a run through the whole record and in one through the record as known
   on the origin, so the whole-record run serves every origin's weights.
3. When the effective sample size falls below half the population, the particles are resampled
   (systematic) and each is moved `moves` times by a Metropolis-Hastings step whose target is the
   likelihood of the months known so far under the uniform prior: a Gaussian step in a random
   subset of about `MOVED` factors (scaled to the population's spread), a new seed, a new run;
   accepted with the likelihood ratio (the current particle keeps its own estimate: a
   pseudo-marginal chain). Steps outside the ranges are rejected. The step's scale adapts between
   moves toward an acceptance of 15-40%.

Nothing a month after an origin is used for that origin's population. Every run goes through
`sim.ensemble` into `folder` (resumable, one subfolder per batch).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis import seeds as seedlists
from sim.analysis.forecast import conditioned

MOVED = 4  # factors a move changes, on average
KERNEL = 2.0  # a move's first variance: this times the population's, per factor
ACCEPT = (0.15, 0.4)  # the next move's step (sd) halves below this acceptance and doubles above it
WHOLE_RECORD_END = dt.date(2026, 6, 1)  # runs for the weights cover every observed month


@dataclass
class Population:
    """Particles in the unit cube of the factors' ranges, their seeds, their whole-record months and weights."""

    unit: np.ndarray
    seeds: np.ndarray
    months: pd.DataFrame
    logw: np.ndarray
    known: pd.Period | None = None  # the weights take in every observed month before this one

    def effective(self) -> float:
        return conditioned.effective_size(self.logw - np.logaddexp.reduce(self.logw))


def loglik(months: pd.DataFrame, before: pd.Period) -> np.ndarray:
    """Each particle's log likelihood of the observed months before `before` (not normalised)."""
    origin = conditioned.Origin(before.start_time.date(), 1)
    return conditioned.log_likelihood(months, origin)


def whole_record(
    chosen: Sequence[Any], unit: np.ndarray, seeds: np.ndarray, folder: Path, **options: Any
) -> pd.DataFrame:
    """The particles' months through the whole record (the strike included), from `sim.ensemble`."""
    from sim.analysis.abc import from_unit
    from sim.analysis.ensembles import ensemble

    points = [
        {**p, "seed": int(s), "record": conditioned.RECORD, "horizon_days": conditioned.day_of(WHOLE_RECORD_END)}
        for p, s in zip(from_unit(chosen, unit), seeds)
    ]
    runs = ensemble(
        ["mencho_strike"],
        seeds=sorted({int(s) for s in seeds}),
        points=points,
        measure=conditioned.monthly_means,
        folder=folder,
        **options,
    ).runs
    months = conditioned.months_of(runs)
    months[runs.reset_index(drop=True).status != "ok"] = np.nan  # a failed run has no likelihood
    return months


def systematic(logw: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Indices drawn by systematic resampling (Kitagawa 1996): each particle kept about N w_i times."""
    w = np.exp(logw - np.logaddexp.reduce(logw))
    n = len(w)
    positions = (rng.random() + np.arange(n)) / n
    return np.minimum(np.searchsorted(np.cumsum(w), positions), n - 1)


def prior(chosen: Sequence[Any], particles: int, folder: Path, seed: int = 1, **options: Any) -> Population:
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(chosen), seed=seed).random(particles)
    pool = np.array(seedlists.calibration(len(seedlists.CALIBRATION)))
    seeds = pool[np.arange(particles) % len(pool)]
    months = whole_record(chosen, unit, seeds, folder / "prior", **options)
    return Population(unit, seeds, months, np.zeros(particles))


def advance(
    pop: Population,
    origin: dt.date,
    chosen: Sequence[Any],
    folder: Path,
    moves: int = 3,
    seed: int = 1,
    log: Callable[[str], None] = print,
    **options: Any,
) -> tuple[Population, dict[str, Any]]:
    """The population conditioned on every observed month before `origin` (after `pop.known`),
    and what it took: the effective sample size on arrival, and each move's acceptance rate."""
    month = pd.Period(origin, freq="M")
    before = loglik(pop.months, pop.known) if pop.known is not None else np.zeros(len(pop.unit))
    now = loglik(pop.months, month)
    pop = Population(pop.unit, pop.seeds, pop.months, pop.logw + np.nan_to_num(now - before, nan=-np.inf), month)
    if not np.isfinite(pop.logw).any():
        raise RuntimeError(f"no particle is compatible with what was observed before {origin}: raise the particles")
    info: dict[str, Any] = {"effective_on_arrival": round(pop.effective(), 1), "accepted": []}
    if pop.effective() >= len(pop.unit) / 2:
        return pop, info
    rng = np.random.default_rng([seed, month.ordinal])
    keep = systematic(pop.logw, rng)
    unit, seeds_, months = pop.unit[keep], pop.seeds[keep], pop.months.iloc[keep].reset_index(drop=True)
    current = loglik(months, month)
    pool = np.array(seedlists.calibration(len(seedlists.CALIBRATION)))
    scale = KERNEL
    for step in range(moves):
        sd = np.sqrt(scale * unit.var(axis=0)) + 1e-6
        moved = rng.random(unit.shape) < MOVED / unit.shape[1]
        proposal = np.where(moved, unit + sd * rng.standard_normal(unit.shape), unit)
        inside = ((proposal >= 0) & (proposal <= 1)).all(axis=1)
        new_seeds = rng.choice(pool, len(unit))
        tried = np.flatnonzero(inside)
        new_months = whole_record(
            chosen, proposal[tried], new_seeds[tried], folder / f"{origin.isoformat()}_move{step}", **options
        )
        ll = np.full(len(unit), -np.inf)
        ll[tried] = np.nan_to_num(loglik(new_months, month), nan=-np.inf)
        accept = np.log(rng.random(len(unit))) < ll - current
        accept &= inside
        rows = np.flatnonzero(accept)
        unit[rows], seeds_[rows], current[rows] = proposal[rows], new_seeds[rows], ll[rows]
        where = {t: i for i, t in enumerate(tried)}
        months.iloc[rows] = new_months.iloc[[where[r] for r in rows]].to_numpy()
        info["accepted"].append(round(float(accept.mean()), 3))
        scale *= 0.25 if accept.mean() < ACCEPT[0] else (4.0 if accept.mean() > ACCEPT[1] else 1.0)
        log(f"[smc] {origin}: move {step + 1} of {moves}, {accept.mean():.0%} accepted")
    return Population(unit, seeds_, months, np.zeros(len(unit)), month), info
