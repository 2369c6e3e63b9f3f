"""The worlds of the long record: parameter sets conditioned on every observed month before an origin.

The backtest's sampler (`smc`) run on to the origin (by default the day after the last observed
month): a prior population over the long fit's factors, filtered on the national months, the
states' complete years and the hidden-killings bound as they arrived (at the backtest's origins,
then at this one), then resampled to equal weights and moved on everything known until at least
`distinct` particles differ (`smc.rejuvenate`). Those particles, in a random order, are the worlds:
a world is the factors' values and the seed it was conditioned on; every other parameter keeps the
table's value. A month observed later re-weights and moves the saved population (`smc.advance`
from the last origin's), without a fit from scratch. With the backtest's folder the runs the
backtest made are reused (same prior, same stages).
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


def schedule(origin: dt.date) -> list[dt.date]:
    """The dates at which the months are taken in: the backtest's origins the model reaches before
    `origin`, then `origin` (a few years at a time keeps the tempering from collapsing)."""
    return [d for d in backtest.default_origins() if d < origin and conditioned.reachable(d)] + [origin]


def draw(
    particles: int,
    folder: Path,
    origin: dt.date = DEFAULT_ORIGIN,
    moves: int = 1,
    distinct: int = 50,
    rounds: int = 10,
    seed: int = 1,
    log: Callable[[str], None] = print,
    **options: Any,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The worlds (a row each, in a random order: `set`, `seed`, `hidden_excess` on that seed, and
    the factors' values) and what the conditioning took."""
    from sim.analysis.abc import from_unit
    from sim.analysis.calibration.long import factors

    chosen = factors()
    options.setdefault("progress", False)
    pop = smc.prior(chosen, particles, folder / "smc", **options)
    stages = []
    for date in schedule(origin):
        pop, info = smc.advance(pop, date, chosen, folder / "smc", moves=moves, log=log, **options)
        stages.append({"date": date.isoformat(), **info})
    effective = pop.effective()
    pop, accepted = smc.rejuvenate(pop, chosen, folder / "smc", distinct, rounds, seed=seed, log=log, **options)
    order = np.random.default_rng([seed, 2]).permutation(len(pop.unit))
    values = pd.DataFrame(from_unit(chosen, pop.unit[order]))
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
        "stages": stages,
        "effective": effective,
        "distinct": pop.distinct(),
        "rejuvenation": accepted,
    }
    return worlds, info


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

    whole = {"record": conditioned.RECORD, "origin": conditioned.FROM_DAY0}
    design = [{**p, **whole, "horizon_days": conditioned.day_of(smc.WHOLE_RECORD_END)} for p in parameters(worlds)]
    return ensemble(["mencho_strike"], seeds=seeds, points=design, measure=measure, folder=folder, **options).runs
