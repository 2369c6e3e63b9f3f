"""The worlds of the long record: parameter sets that meet the record's targets on the mean of 3 seeds.

ABC by rejection about the long fit (history matching's rule: a set is kept when it meets every
target within its tolerance, and every kept set weighs the same). Candidates are a Latin
hypercube over a box about the fit's values of its factors (`long.factors`, `WIDTH` of each
range either side, within the range: the prior restricted to the fit's neighbourhood); the fit's
values of the parameters the worlds do not condition (`long.SPREAD`) are fixed. Each candidate
runs through the whole record (the world of 2014, 2015 - May 2026 and the strike) on `REPLICATES`
calibration seeds (its own first seed, the next ones in the list after it) and is judged on their
mean (`judge`): the national months within 15% in at least 85% of the months, every year's
ranking of the states within `RANK_TOLERANCE` of its floor (0.7; 0.75 in 2024), the
hidden-killings bound. Batches run until `wanted` are kept or the batches run out.

Why not the backtest's sampler run on to the origin, as the first worlds were: a run's log
likelihood of 137 months varies with the seed by an sd of 5-6, so importance weights collapse (an
effective size of 1 of 150 about the fit) and the sampler's worlds drifted where the discrepancy's
persistence let an offset last for years (20-30% below the record in 2017-2021; docs/ODD.md,
section 8). A month observed later filters the worlds (`keep`: each re-run to the new month on its
own seeds, kept if it still meets every target), without a fit from scratch.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis import seeds as seedlists
from sim.analysis.forecast import smc

META = ("set", "seed", "hidden_excess")  # the table's columns that are not parameters
REPLICATES = 3  # seeds a candidate is judged on the mean of: its own and the next two in the list
WIDTH = 0.05  # the box's half-width about the fit, a share of each factor's range
BATCH = 150  # candidates a batch
MONTHS_WITHIN = 0.85  # the share of months within 15% a world needs (the target)
RANK_TOLERANCE = 0.05  # below each year's floor a world may rank the states: the mean of 3 seeds is noisy


def box(centre: np.ndarray, n: int, width: float, rng: np.random.Generator) -> np.ndarray:
    """n points (a Latin hypercube) of the unit cube within `width` of `centre` in every factor."""
    from sim.analysis.calibration.space import latin_hypercube

    low, high = np.clip(centre - width, 0, 1), np.clip(centre + width, 0, 1)
    return low + latin_hypercube(rng, n, len(centre)) * (high - low)


def judge(runs: pd.DataFrame, replicates: int = REPLICATES) -> pd.DataFrame:
    """Each point's targets on the mean over its runs (`point`, from `long.measure`): months within
    15%, each year's Spearman, hidden killings, and whether it meets every target (`kept`; a point
    with a failed run is not kept)."""
    from sim.analysis.calibration.long import rank_floor, score
    from sim.analysis.calibration.record import HIDDEN_BOUND

    rows = []
    for point, group in runs.groupby("point", sort=True):
        complete = len(group) == replicates and (group["status"] == "ok").all()
        mean = group.mean(numeric_only=True).to_frame().T.assign(status="ok")
        sc = score(mean) if complete else {"within": 0.0, "rho": {}, "hidden_excess": np.nan}
        ranked = all(r >= rank_floor(y) - RANK_TOLERANCE for y, r in sc["rho"].items())
        rows.append(
            {
                "point": point,
                "within": sc["within"],
                **{f"rho{y}": r for y, r in sc["rho"].items()},
                "hidden_excess": sc["hidden_excess"],
                "months_ok": sc["within"] >= MONTHS_WITHIN,
                "ranking_ok": complete and ranked,
                "bound_ok": bool(sc["hidden_excess"] <= HIDDEN_BOUND),
            }
        )
    judged = pd.DataFrame(rows)
    judged["kept"] = judged["months_ok"] & judged["ranking_ok"] & judged["bound_ok"]
    return judged


def draw(
    wanted: int,
    folder: Path,
    width: float = WIDTH,
    batch: int = BATCH,
    batches: int = 10,
    seed: int = 1,
    replicates: int = REPLICATES,
    log: Callable[[str], None] = print,
    **options: Any,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The worlds (a row each, in a random order: `set`, `seed` (the first of its seeds),
    `hidden_excess` (the mean over them), the factors' values and the fixed ones) and what the
    draw took. Each batch's runs are kept in `folder` (an interrupted draw resumes)."""
    from sim.analysis.abc import from_unit
    from sim.analysis.calibration import long

    chosen = long.factors()
    fit = long.fitted()
    fixed = {k: v for k, v in fit.items() if k in long.SPREAD}
    centre = np.array([f.unit(fit[f.name]) for f in chosen])
    pool = seedlists.calibration(len(seedlists.CALIBRATION))
    options.setdefault("progress", False)
    kept, judged_all = [], []
    for b in range(batches):
        unit = box(centre, batch, width, np.random.default_rng([seed, b]))
        first = np.array([pool[(b * batch + i) * replicates % len(pool)] for i in range(batch)])
        seeds = smc.replicate_seeds(first, replicates)
        points = [{**fixed, **p} for p in from_unit(chosen, unit)]
        runs = _run(points, seeds, folder / f"batch{b:02d}", **options)
        judged = judge(runs, replicates).assign(batch=b)
        judged_all.append(judged)
        for j in judged[judged["kept"]].itertuples():
            kept.append({"seed": int(first[j.point]), "hidden_excess": j.hidden_excess, **points[j.point]})
        log(f"[worlds] batch {b}: {int(judged['kept'].sum())} of {batch} kept, {len(kept)} in all")
        if len(kept) >= wanted:
            break
    order = np.random.default_rng([seed, 2]).permutation(len(kept))
    columns = ["seed", "hidden_excess", *[f.name for f in chosen], *fixed]
    worlds = pd.DataFrame([kept[i] for i in order], columns=columns)
    worlds.insert(0, "set", range(len(worlds)))
    every = pd.concat(judged_all, ignore_index=True)
    info = {
        "width": width,
        "replicates": replicates,
        "candidates": len(every),
        "batches": len(judged_all),
        "kept": len(worlds),
        **{k: int(every[k].sum()) for k in ("months_ok", "ranking_ok", "bound_ok")},
    }
    return worlds, info


def keep(worlds: pd.DataFrame, folder: Path, replicates: int = REPLICATES, **options: Any) -> pd.DataFrame:
    """The worlds that still meet every target when each is run again on its own seeds through every
    month observed now (a month observed later filters them: no fit from scratch), renumbered in
    their order."""
    seeds = smc.replicate_seeds(worlds["seed"].to_numpy(), replicates)
    judged = judge(_run(parameters(worlds), seeds, folder, **options), replicates)
    kept = worlds[judged["kept"].to_numpy()]
    return kept.assign(set=range(len(kept))).reset_index(drop=True)


def distinct(worlds: pd.DataFrame) -> int:
    """How many different parameter sets the worlds hold (`smc.distinct`'s resolution)."""
    from sim.analysis.calibration.long import factors

    return smc.distinct(np.column_stack([f.unit(worlds[f.name].to_numpy(dtype=float)) for f in factors()]))


def parameters(worlds: pd.DataFrame) -> list[dict[str, float]]:
    """Each world's parameter values, as `sim.ensemble(points=...)` takes them (with
    `record=mexico_2015_2026`: they were conditioned on the long record)."""
    return [{k: float(v) for k, v in row.items() if k not in META} for _, row in worlds.iterrows()]


def resimulate(worlds: pd.DataFrame, seeds: list[int], folder: Path, **options: Any) -> pd.DataFrame:
    """Every world on `seeds` (test seeds, none it was conditioned on) through the whole record:
    a row per world (`point`) and seed with the long fit's measures (months, states' years,
    `hidden_excess`, groups alive on 1 Jan 2024), which `long.score` reads."""
    from sim.analysis.calibration.long import run

    return run(parameters(worlds), seeds, folder, **options)


def _run(points: list[dict[str, float]], seeds: np.ndarray, folder: Path, **options: Any) -> pd.DataFrame:
    """Point i on the seeds of row i of `seeds` through the whole record (`long.run`), a row per run
    in point order (`point` numbers the points, not the runs)."""
    from sim.analysis.calibration.long import run

    design = [{**p, "seed": int(s)} for p, row in zip(points, seeds) for s in row]
    runs = run(design, sorted({int(s) for s in seeds.ravel()}), folder, **options).reset_index(drop=True)
    return runs.assign(point=runs["point"] // seeds.shape[1])  # the design's runs, replicates apart
