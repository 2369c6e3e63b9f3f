"""Worlds conditioned month by month: a sequential Monte Carlo sampler over parameter sets.

Importance weights over a fixed prior ensemble collapse onto one or two particles once a dozen
months are known (an effective sample size of 1 of 400 in the first backtest). So the population
is filtered as the months arrive, in the resample-move form of Chopin (2002, Biometrika 89: 539;
the "IBIS" sampler, also in the `particles` library, here written against `sim.ensemble`):

1. The prior: `particles` parameter sets over the factors' ranges (a Latin hypercube), each with a
   seed, simulated once through the whole record (`conditioned.RECORD`, to May 2026).
2. At each origin, in date order, the weights take in the likelihood of the months that became
   known since the last one (`conditioned.log_likelihood`, the observation model), tempered: times
   a temperature raised from 0 to 1 in stages, each as far as keeps the effective sample size at
   half the population (adaptive tempering, Del Moral, Doucet & Jasra 2006). The months before an
   origin are the same in a run through the whole record and in one through the record as known
   on the origin, so the whole-record run serves every origin's weights.
3. After a stage that stops short of 1 (or ends below half), the particles are resampled
   (systematic) and each is moved `moves` times by a Metropolis-Hastings step whose target is the
   tempered likelihood of the months known so far under the uniform prior: a Gaussian step in
   every factor at once, its covariance the population's own (Chopin 2002 fits the proposal to the
   particles; scaled by 2.38^2 / factors, Roberts & Rosenthal 2001), so a step follows the ridges
   along which the months trade one factor against another; run on the particle's own seeds for
   most proposals (common random numbers, `propose`), on fresh ones for the rest; accepted with
   the likelihood ratio (the current particle keeps its own estimate: a pseudo-marginal chain).
   A proposal runs only to the stage's month (the months its likelihood weighs; with the bound as
   a hard cut, to the end of the strategy's year, `conditioned.Before`), and only an accepted one
   runs on through the whole record, which later origins weigh: the same chain as whole runs (the
   days before the stop are the same either way), for 38% fewer days simulated by the default
   backtest's moves (a two-stage, "delayed" acceptance, Christen & Fox 2005, with an exact first stage).
   Where the stop would leave less than `SCREEN_DAYS` of the record (the worlds, whose bound runs
   to the end of the strategy's year; the origins from mid-2025) a proposal runs whole at once.
   A step past a range's end is reflected back into it (`reflect`). The step's scale adapts
   toward an acceptance of 15-40%, carried from stage to stage and origin to origin (`adapted`).
   (Steps in about 4 of the 19 factors, drawn at random, each scaled to its own spread alone, were
   accepted 2-5% of the time once a few years were known.)

Nothing a month after an origin is used for that origin's population. Every run goes through
`sim.ensemble` into `folder` (resumable, one subfolder per batch).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis import seeds as seedlists
from sim.analysis.forecast import conditioned
from sim.runs.summary import HIDDEN_STRATEGY
from sim.world.calendar import date_of

OPTIMAL = 2.38**2  # a move's first covariance: this over the factors times the population's (Roberts & Rosenthal 2001)
MIN_STEP = 0.01  # a move's sd is at least this share of each factor's range: a collapsed population can spread
COMMON = 0.8  # share of a move's proposals run on the particle's own seeds (`propose`)
ACCEPT = (0.15, 0.4)  # the next move's step (its variance) halves below this acceptance and doubles above it
STEP_RANGE = (1 / 64, 4.0)  # the step's multiplier stays within these
MAX_STAGES = 50  # tempering stages an origin may take
WHOLE_RECORD_END = dt.date(2026, 6, 1)  # runs for the weights cover every observed month
# A move screens its proposals on runs stopped at the stage only when that leaves at least this many
# days unsimulated: a stop later than that saves less than the accepted proposals' second runs cost
SCREEN_DAYS = 365
DISTINCT = 0.001  # parameter sets closer than this share of every factor's range are one world


@dataclass
class Population:
    """Particles in the unit cube of the factors' ranges, their seeds, their whole-record months and weights."""

    unit: np.ndarray
    seeds: np.ndarray
    months: pd.DataFrame
    logw: np.ndarray
    known: pd.Period | None = None  # the weights take in every observed month before this one
    fixed: dict[str, float] = field(default_factory=dict)  # parameters every run takes that are not factors
    bound: bool = False  # the hidden-killings bound at every origin (`conditioned.log_likelihood`)
    replicates: int = 1  # seeds each particle's months are the mean over (`whole_record`), in its moves too
    step: float = 1.0  # the moves' step, times `OPTIMAL` / factors, as adapted so far (`_moves`)

    def effective(self) -> float:
        return conditioned.effective_size(self.logw - np.logaddexp.reduce(self.logw))

    def distinct(self, resolution: float = DISTINCT) -> int:
        """How many different parameter sets the particles hold: sets that differ by less than
        `resolution` of every factor's range count once (moves from a collapsed population once
        stepped by 1e-6, before `MIN_STEP`: copies, not worlds), and a seed alone makes no new world."""
        return distinct(self.unit, resolution)


def distinct(unit: np.ndarray, resolution: float = DISTINCT) -> int:
    """How many different points of the unit cube the rows of `unit` are, at `resolution`."""
    return len(np.unique(np.round(unit / resolution), axis=0))


def loglik(months: pd.DataFrame, before: pd.Period, bound: bool = False) -> np.ndarray:
    """Each particle's log likelihood of the observed months before `before` (not normalised)."""
    origin = conditioned.Origin(before.start_time.date(), 1)
    return conditioned.log_likelihood(months, origin, bound)


def whole_record(
    chosen: Sequence[Any],
    unit: np.ndarray,
    seeds: np.ndarray,
    folder: Path,
    fixed: dict[str, float] | None = None,
    replicates: int = 1,
    stop: dt.date | None = None,
    **options: Any,
) -> pd.DataFrame:
    """The particles' months through the whole record (the strike included), from `sim.ensemble`;
    `fixed` are values of other parameters every run takes; with `stop`, the runs end there and give
    only what lies before it (`conditioned.Before`). With `replicates` > 1 each particle
    runs on its seed and the next ones in the calibration list (`replicate_seeds`) and its months,
    states' years and hidden killings are their means: the likelihood is then that of the model's
    mean over those seeds, whose seed noise is smaller (a failed run leaves its particle none)."""
    from sim.analysis.abc import from_unit
    from sim.analysis.ensembles import ensemble

    every = replicate_seeds(seeds, replicates)
    points = [
        {
            **(fixed or {}),
            **p,
            "seed": int(s),
            "record": conditioned.RECORD,
            "origin": conditioned.FROM_DAY0,
            "horizon_days": conditioned.day_of(WHOLE_RECORD_END),
        }
        for p, row in zip(from_unit(chosen, unit), every)
        for s in row
    ]
    runs = ensemble(
        ["mencho_strike"],
        seeds=sorted({int(s) for s in every.ravel()}),
        points=points,
        measure=conditioned.record_measures if stop is None else conditioned.Before(stop),
        folder=folder,
        **options,
    ).runs
    months = conditioned.measures_of(runs)
    months[runs.reset_index(drop=True).status != "ok"] = np.nan  # a failed run has no likelihood
    if replicates == 1:
        return months
    mean = months.to_numpy(dtype=float).reshape(len(unit), replicates, -1).mean(axis=1)  # nan if one failed
    return pd.DataFrame(mean, columns=months.columns)


def replicate_seeds(seeds: np.ndarray, replicates: int) -> np.ndarray:
    """Each particle's seed and the `replicates` - 1 after it in the calibration list (particles x
    replicates; the list wraps around)."""
    pool = seedlists.calibration(len(seedlists.CALIBRATION))
    return np.array([[pool[(pool.index(int(s)) + j) % len(pool)] for j in range(replicates)] for s in seeds])


def systematic(logw: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Indices drawn by systematic resampling (Kitagawa 1996): each particle kept about N w_i times."""
    w = np.exp(logw - np.logaddexp.reduce(logw))
    n = len(w)
    positions = (rng.random() + np.arange(n)) / n
    return np.minimum(np.searchsorted(np.cumsum(w), positions), n - 1)


def prior(
    chosen: Sequence[Any],
    particles: int,
    folder: Path,
    seed: int = 1,
    fixed: dict[str, float] | None = None,
    bound: bool = False,
    replicates: int = 1,
    **options: Any,
) -> Population:
    """`particles` parameter sets over the factors' ranges (a Latin hypercube), each run on a
    calibration seed (and the `replicates` - 1 after it: its months are their mean); `fixed`,
    `bound` and `replicates` stay with the population (`Population`)."""
    from scipy.stats import qmc

    from sim.analysis.chunks import Stopwatch

    unit = qmc.LatinHypercube(d=len(chosen), seed=seed).random(particles)
    pool = np.array(seedlists.calibration(len(seedlists.CALIBRATION)))
    seeds = pool[np.arange(particles) % len(pool)]
    where = prior_folder(folder, replicates)
    with Stopwatch(where):  # its cost is one-off: a page states it apart
        months = whole_record(chosen, unit, seeds, where, fixed, replicates, **options)
    return Population(
        unit, seeds, months, np.zeros(particles), fixed=dict(fixed or {}), bound=bound, replicates=replicates
    )


def prior_folder(folder: Path, replicates: int = 1) -> Path:
    """Where `prior` puts its runs (and their `timing.json`) under `folder`."""
    return folder / ("prior" + (f"_r{replicates}" if replicates > 1 else ""))


def advance(
    pop: Population,
    origin: dt.date,
    chosen: Sequence[Any],
    folder: Path,
    moves: int = 1,
    seed: int = 1,
    log: Callable[[str], None] = print,
    **options: Any,
) -> tuple[Population, dict[str, Any]]:
    """The population conditioned on every observed month before `origin` (after `pop.known`),
    and what it took: the effective sample size on arrival, each move's acceptance rate and the
    tempering's stages.

    The new months are taken in by adaptive tempering (Del Moral, Doucet & Jasra 2006; Jasra et
    al. 2011): their log likelihood enters times a temperature raised from 0 to 1 in stages, each
    stage as far as keeps the effective sample size at half the population (bisection); after a
    stage that stops short of 1, or ends below half, the particles are resampled and moved
    `moves` times on the tempered likelihood. Many months arriving at once (the first origin's
    two years) then no longer collapse the population onto one particle."""
    month = pd.Period(origin, freq="M")
    unit, seeds_, months, logw = pop.unit, pop.seeds, pop.months, pop.logw
    base, increment = _split(months, pop.known, month, pop.bound)
    if not np.isfinite(logw + increment).any():
        raise RuntimeError(f"no particle is compatible with what was observed before {origin}: raise the particles")
    info: dict[str, Any] = {"effective_on_arrival": round(_effective(logw + increment), 1), "accepted": [], "stages": 0}
    rng = np.random.default_rng([seed, month.ordinal])
    half, temperature, stage, stride = len(unit) / 2, 0.0, 0, pop.step
    while True:
        step = _next_step(logw, increment, 1.0 - temperature, half)
        logw, temperature = logw + step * increment, temperature + step
        if temperature >= 1.0 and _effective(logw) >= half:
            break
        stage += 1
        if stage > MAX_STAGES:
            raise RuntimeError(f"the tempering to {origin} did not reach temperature 1 in {MAX_STAGES} stages")
        keep = systematic(logw, rng)
        unit, seeds_ = unit[keep].copy(), seeds_[keep].copy()
        months, base, increment = months.iloc[keep].reset_index(drop=True), base[keep], increment[keep]
        logw = np.zeros(len(unit))
        state = _Chain(unit, seeds_, months, base, increment, pop.fixed, pop.bound, pop.replicates, stride)
        split = (pop.known, month)
        chain = _moves(state, temperature, moves, chosen, split, rng, folder, f"{origin}_s{stage}", **options)
        for move, accepted in enumerate(chain):
            info["accepted"].append(accepted)
            log(
                f"[smc] {origin}: stage {stage} (temperature {temperature:.3f}), move {move + 1} of {moves}, "
                f"{accepted:.0%} accepted"
            )  # the moves changed unit, seeds_, months, base and increment in place
        stride = state.step
        if temperature >= 1.0:
            break
    info["stages"] = stage
    return Population(unit, seeds_, months, logw, month, pop.fixed, pop.bound, pop.replicates, stride), info


@dataclass
class _Chain:
    """The resampled particles a stage moves: where they are, their months and their two log
    likelihoods, and what the population's runs and likelihood take (`Population.fixed`, `.bound`)."""

    unit: np.ndarray
    seeds: np.ndarray
    months: pd.DataFrame
    base: np.ndarray
    increment: np.ndarray
    fixed: dict[str, float]
    bound: bool
    replicates: int = 1  # seeds each particle's likelihood is the mean over (`whole_record`)
    step: float = 1.0  # the step's multiplier (`Population.step`), adapted by each move


def _moves(
    state: _Chain,
    temperature: float,
    moves: int,
    chosen: Sequence[Any],
    split: tuple[pd.Period | None, pd.Period],
    rng: np.random.Generator,
    folder: Path,
    name: str,
    **options: Any,
):
    """`moves` Metropolis-Hastings moves of every particle on the tempered likelihood (base +
    temperature x increment), in place; yields each move's acceptance rate. The step's covariance
    is `state.step` x `OPTIMAL` / factors times the population's (`step_covariance`); each move
    adapts `state.step` toward `ACCEPT` (`adapted`)."""
    stop = screen_stop(split[1], state.bound)
    for move in range(moves):
        unit = state.unit
        proposal, new_seeds = propose(unit, state.seeds, state.step * OPTIMAL / unit.shape[1], rng)
        where_to = folder / (f"{name}_move{move}" if stop else f"{name}_move{move}_whole")
        screened = whole_record(chosen, proposal, new_seeds, where_to, state.fixed, state.replicates, stop, **options)
        new_base, new_increment = _split(screened, *split, state.bound)
        target = state.base + temperature * state.increment
        proposed = np.nan_to_num(new_base + temperature * new_increment, nan=-np.inf)
        accept = np.log(rng.random(len(unit))) < proposed - target
        rows = np.flatnonzero(accept)
        state.unit[rows], state.seeds[rows] = proposal[rows], new_seeds[rows]
        state.base[rows], state.increment[rows] = new_base[rows], new_increment[rows]
        if stop is None:
            state.months.iloc[rows] = screened[state.months.columns].to_numpy()[rows]
        elif len(rows):  # the accepted run on through the whole record, the same days up to `stop`
            kept = whole_record(
                chosen,
                proposal[rows],
                new_seeds[rows],
                folder / f"{name}_move{move}_kept",
                state.fixed,
                state.replicates,
                **options,
            )
            state.months.iloc[rows] = kept[state.months.columns].to_numpy()
        state.step = adapted(state.step, float(accept.mean()))
        yield round(float(accept.mean()), 3)


def screen_stop(month: pd.Period, bound: bool) -> dt.date | None:
    """Where a move's proposals stop before the accepted ones run on: the first day of `month` (the
    likelihood is of the months before it), with the bound as a hard cut at least the end of the
    strategy's year; None (whole runs at once) when that leaves under `SCREEN_DAYS` of the record."""
    stop = month.start_time.date()
    if bound:
        stop = max(stop, date_of(HIDDEN_STRATEGY[1]))
    return stop if (WHOLE_RECORD_END - stop).days >= SCREEN_DAYS else None


def adapted(step: float, accepted: float) -> float:
    """The next move's step multiplier: halved below `ACCEPT`, doubled above it, within `STEP_RANGE`.
    It is carried from stage to stage and origin to origin (a stage makes one move): steps the size
    of the population's spread were accepted 0-4% of the time from 2020 on in the first draw with
    common random numbers, where smaller steps on the particle's own seeds can still be taken."""
    factor = 0.5 if accepted < ACCEPT[0] else (2.0 if accepted > ACCEPT[1] else 1.0)
    return float(np.clip(step * factor, *STEP_RANGE))


def propose(
    unit: np.ndarray, seeds: np.ndarray, scale: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Each particle's proposal: a Gaussian step with `step_covariance`, reflected into the cube,
    and the seed to run it on, its own for a share `COMMON` of the particles (common random numbers)
    and one drawn afresh from the calibration list for the rest.

    On its own seed a proposal differs from the particle by its parameters alone: at the long fit's
    point, a step of 1% of each range changed the log likelihood of the months to 2026 by an sd of
    5.5 over 8 seeds on the same seed, and of 21.7 on a fresh one (5% steps: 8.5 against 23.6), so
    a good step is no longer lost in the seeds' noise. Each kind of proposal leaves the target on
    (parameters, seeds) unchanged: with the seed kept, the Metropolis-Hastings ratio is the
    likelihoods' alone; with a fresh seed drawn from its prior, too. Mixing the two at a fixed share
    keeps that (the seeds of the population still change; Deligiannidis, Doucet & Pitt 2018
    correlate a pseudo-marginal chain's randomness to the same end)."""
    root = np.linalg.cholesky(step_covariance(unit, scale))
    proposal = reflect(unit + rng.standard_normal(unit.shape) @ root.T)
    pool = np.array(seedlists.calibration(len(seedlists.CALIBRATION)))
    fresh = rng.choice(pool, len(unit))
    return proposal, np.where(rng.random(len(unit)) < COMMON, seeds, fresh)


def reflect(x: np.ndarray) -> np.ndarray:
    """`x` folded into the unit cube at its faces, as a mirror would: a Gaussian step so reflected is
    still symmetric (the chance of x to y equals that of y to x), so the Metropolis-Hastings ratio
    stays the likelihoods' alone; rejected at the faces instead, a step in all 19 factors from
    a spread population left the cube 9 times in 10."""
    folded = np.mod(x, 2.0)
    return np.where(folded > 1.0, 2.0 - folded, folded)


def step_covariance(unit: np.ndarray, scale: float) -> np.ndarray:
    """A move's covariance: `scale` times the particles' covariance, each factor's variance at
    least `MIN_STEP` squared (a population of copies still moves, and the matrix stays positive definite)."""
    cov = scale * np.atleast_2d(np.cov(unit, rowvar=False))
    floor = np.maximum(MIN_STEP**2 - np.diag(cov), 0.0)
    return cov + np.diag(floor + 1e-12)


def _split(
    months: pd.DataFrame, known: pd.Period | None, month: pd.Period, bound: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Each particle's log likelihood of the months before `known` (0 with none), and that of the
    months from `known` to before `month` (the new ones)."""
    base = loglik(months, known, bound) if known is not None else np.zeros(len(months))
    full = loglik(months, month, bound)
    with np.errstate(invalid="ignore"):  # -inf - -inf: a particle impossible on both counts stays impossible
        return base, np.nan_to_num(full - base, nan=-np.inf)


def _effective(logw: np.ndarray) -> float:
    if not np.isfinite(logw).any():
        return 0.0
    return conditioned.effective_size(logw - np.logaddexp.reduce(logw))


def _next_step(logw: np.ndarray, increment: np.ndarray, left: float, target: float) -> float:
    """The largest step of temperature, at most `left`, after which the effective sample size is
    still at least `target` (bisection); the whole `left` if that keeps it."""
    if _effective(logw + left * increment) >= target:
        return left
    low, high = 0.0, left
    for _ in range(40):
        mid = (low + high) / 2
        low, high = (mid, high) if _effective(logw + mid * increment) >= target else (low, mid)
    return max(low, min(left, 1e-6))
