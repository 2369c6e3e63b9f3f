"""The worlds of the long record: parameter sets conditioned on every observed month before an origin.

The backtest's sampler (`smc`) run on to the origin (by default the day after the last observed
month): a prior population over the long fit's factors, filtered on the national months and the
states' complete years as they arrived (at the backtest's January origins, a year at a time, then
at this one), then resampled to equal weights and moved on everything known until at least `distinct` particles
differ (`smc.rejuvenate`). From the prior on, a particle's likelihood is that of its mean over
`REPLICATES` calibration seeds, in every stage and move, as in the backtest (one seed's is too noisy
for the moves to mix: 31 distinct sets after 9 moves in the second draw, a move accepted 0-3% of
the time; the shipped worlds were drawn before this, on one seed a particle until the
rejuvenation, which re-ran them on 3). The worlds know the whole record, so the hidden-killings
bound holds from the first stage, a hard cut (the backtest's populations learn it only once the
strategy's year is over, as a probit the tempering takes in: applied late as a hard cut, it left one
particle of 150 in the first draw). The
long fit's values of the parameters it fits and the worlds do not condition (`long.SPREAD`) are
fixed. Those particles, in a random order, are the worlds: a world is the factors' values, the
fixed values and the seed it was conditioned on (the first of its seeds). `confirm` keeps those
whose hidden killings, averaged over `REPLICATES` seeds, hold the bound (running the seeds the
draw did not). A month observed later re-weights and moves the saved population (`smc.advance`
from the last origin's), without a fit from scratch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.forecast import backtest, conditioned, smc
from sim.world.calendar import DEFAULT_ORIGIN

META = ("set", "seed", "hidden_excess")  # the table's columns that are not parameters
REPLICATES = 3  # seeds a world's hidden killings are averaged over before it ships: its own and two more


def schedule(origin: dt.date) -> list[dt.date]:
    """The dates at which the months are taken in: the backtest's January origins the model reaches
    before `origin`, then `origin`. A year at a time keeps the tempering from collapsing (adaptive
    tempering takes as many stages as a year's months need), and each stage's move is the draw's
    cost (particles x replicates whole runs): the half-yearly origins took 25 moves in the second draw."""
    known = [d for d in backtest.default_origins() if d < origin and d.month == 1 and conditioned.reachable(d)]
    return known + [origin]


def draw(
    particles: int,
    folder: Path,
    origin: dt.date = DEFAULT_ORIGIN,
    moves: int = 1,
    distinct: int = 50,
    rounds: int = 10,
    seed: int = 1,
    replicates: int = REPLICATES,
    log: Callable[[str], None] = print,
    **options: Any,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The worlds (a row each, in a random order: `set`, `seed`, `hidden_excess` (the mean over
    the `replicates` seeds from `seed` every stage's likelihood takes), the factors' values and
    the fixed ones) and what the conditioning took."""
    from sim.analysis.abc import from_unit
    from sim.analysis.calibration import long

    chosen = long.factors()
    fixed = {k: v for k, v in long.fitted().items() if k in long.SPREAD}
    options.setdefault("progress", False)
    pop = smc.prior(chosen, particles, folder / "smc", fixed=fixed, bound=True, replicates=replicates, **options)
    stages = []
    for date in schedule(origin):
        pop, info = smc.advance(pop, date, chosen, folder / "smc", moves=moves, log=log, **options)
        stages.append({"date": date.isoformat(), **info})
    effective = pop.effective()
    pop, accepted = smc.rejuvenate(
        pop, chosen, folder / "smc", distinct, rounds, seed=seed, replicates=replicates, log=log, **options
    )
    order = np.random.default_rng([seed, 2]).permutation(len(pop.unit))
    values = pd.DataFrame(from_unit(chosen, pop.unit[order])).assign(**fixed)
    worlds = pd.concat(
        [
            pd.DataFrame(
                {
                    "set": range(len(order)),
                    "seed": pop.seeds[order].astype(int),
                    "hidden_excess": pop.months["hidden_excess"].to_numpy()[order],
                }
            ),
            values,
        ],
        axis=1,
    )
    info = {
        "particles": particles,
        "wanted": distinct,
        "replicates": replicates,
        "stages": stages,
        "effective": effective,
        "distinct": pop.distinct(),
        "rejuvenation": accepted,
    }
    return worlds, info


def distinct(worlds: pd.DataFrame) -> int:
    """How many different parameter sets the worlds hold (`smc.Population.distinct`'s resolution)."""
    from sim.analysis.calibration.long import factors

    return smc.distinct(np.column_stack([f.unit(worlds[f.name].to_numpy(dtype=float)) for f in factors()]))


def confirm(
    worlds: pd.DataFrame, folder: Path, replicates: int = REPLICATES, averaged: int = 1, **options: Any
) -> pd.DataFrame:
    """The worlds whose hidden killings, averaged over their own seed and the next calibration
    seeds (`smc.replicate_seeds`) to `replicates` in all, hold the record's bound, renumbered in
    their order; `hidden_excess` becomes that mean. `averaged`: how many of those seeds the table's
    `hidden_excess` is the mean of already (`draw`'s `replicates`); only the others are run. A world
    that held the bound on the seed it was conditioned on may have held it by luck (the first
    draw's set: 13.5 a day on its seed, 16.9 on others)."""
    from sim.analysis.calibration.record import HIDDEN_BOUND
    from sim.analysis.ensembles import ensemble

    total = max(replicates, averaged)
    done = worlds["hidden_excess"].to_numpy(dtype=float) * averaged
    more = smc.replicate_seeds(worlds["seed"].to_numpy(), total)[:, averaged:]
    if more.shape[1]:
        design = [{**p, "seed": int(s)} for p, seeds in zip(_whole_record(worlds), more) for s in seeds]
        runs = ensemble(
            ["mencho_strike"],
            seeds=sorted({d["seed"] for d in design}),
            points=design,
            measure=conditioned.record_measures,
            folder=folder,
            **options,
        ).runs.reset_index(drop=True)
        extra = runs["hidden_excess"].where(runs["status"] == "ok").to_numpy(dtype=float)
        done = done + extra.reshape(len(worlds), -1).sum(axis=1)
    mean = done / total
    kept = worlds.assign(hidden_excess=mean)[mean <= HIDDEN_BOUND]  # a failed run (nan) keeps a world out
    return kept.assign(set=range(len(kept))).reset_index(drop=True)


def parameters(worlds: pd.DataFrame) -> list[dict[str, float]]:
    """Each world's parameter values, as `sim.ensemble(points=...)` takes them (with
    `record=mexico_2015_2026`: they were conditioned on the long record)."""
    return [{k: float(v) for k, v in row.items() if k not in META} for _, row in worlds.iterrows()]


def resimulate(worlds: pd.DataFrame, seeds: list[int], folder: Path, **options: Any) -> pd.DataFrame:
    """Every world on `seeds` (test seeds, none it was conditioned on) through the whole record:
    a row per world (`point`) and seed with the long fit's measures (months, states' years,
    `hidden_excess`, groups alive on 1 Jan 2024), which `long.score` reads."""
    from sim.analysis.calibration.long import measure
    from sim.analysis.ensembles import ensemble

    design = _whole_record(worlds)
    return ensemble(["mencho_strike"], seeds=seeds, points=design, measure=measure, folder=folder, **options).runs


def _whole_record(worlds: pd.DataFrame) -> list[dict[str, Any]]:
    """Each world's design point through the whole record, as the sampler ran it (`smc.whole_record`)."""
    whole = {"record": conditioned.RECORD, "origin": conditioned.FROM_DAY0}
    return [{**p, **whole, "horizon_days": conditioned.day_of(smc.WHOLE_RECORD_END)} for p in parameters(worlds)]
