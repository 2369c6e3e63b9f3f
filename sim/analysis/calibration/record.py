"""The record fit: three mechanism parameters against the national monthly series.

The decline of homicides from September 2024 comes from mechanisms (docs/ODD.md): arrests at the
record's tempo take members and, `core_targeting` times as often as chance, the cells' core
(commanders and trained gunmen), which cells rebuild at `core_rebuild_rate` a year; clashes scale
with the core's strength; and where arrests bite, a share of the killings is hidden as
disappearances (`concealment`). Those three are fitted here, nothing else, and nothing per month
or per state.

Targets: the median national victims per day in each observed month of the fit window,
September 2024 to September 2025 (sim/data/observed_national.csv, `window` = fit). The months of
the check window (October 2025 to 21 February 2026) and calendar 2025 are never seen. Score: the
mean squared log error over the fit months. Constraint: the excess of hidden killings under the
strategy (`homicides_hidden_excess_per_day`, Oct 2024 - Sep 2025 against Jan - Jun 2024) at most
14 a day, the record's excess of registered disappearances over their 2019-2024 average.

Each candidate's violence is put on the 2024 level first, as the national scale fit (baseline.py)
does afterwards: its clash deaths (and their civilians and hidden dead) are scaled so that
calendar 2024 totals 30,046, so that the fit is of the decline, not of the level.

Procedure: a seeded Latin hypercube of `--points` points over the table's ranges (targeting and
rebuild on a log scale), then `--local` points in a shrinking box around the best, each on
`--seeds` calibration seeds; the best `--finalists` on 10 seeds; the command writes the best of those back.
Run after experiments.calibrate_ranking and calibrate_baseline, then re-run calibrate_baseline
(the strategy's first three months are in 2024) and calibrate_wave:

    python -m experiments.calibrate_record            # search, report, write conf + table + docs
    python -m experiments.calibrate_record --dry-run  # search and report only
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim import parameters
from sim.analysis import seeds
from sim.analysis.calibration.space import from_unit, latin_hypercube, to_unit
from sim.analysis.mapping import each
from sim.runs.summary import HIDDEN_BEFORE, HIDDEN_STRATEGY
from sim.world.calendar import year_days
from sim.world.model import CartelModel
from sim.world.observed import monthly

FITTED = ("core_targeting", "core_rebuild_rate", "concealment")
LOG_SCALE = ("core_targeting", "core_rebuild_rate")
HOMICIDES_2024 = 30046.0  # SESNSP 2024 victims (mexico-states.md [H1])
HIDDEN_BOUND = 14.0  # registered disappearances a day above their 2019-2024 average (record-2024-2026.md section 3)
WITHIN = 0.15  # the acceptance band of a month
FINAL_SEEDS = 10


def _parts(values: dict[str, Any], seed: int) -> dict[str, np.ndarray]:
    """Per day, for 2024 and every observed month: homicides that scale with clash lethality and
    those that do not (background, forces, gunmen killed by forces), and hidden killings."""
    model = CartelModel(seed=seed, horizon_days=0, **values)
    model.run()
    rec = model.daily
    windows = [year_days(2024), HIDDEN_BEFORE, HIDDEN_STRATEGY] + [(m.first_day, m.end_day) for m in monthly()]
    fixed = np.array(
        [
            sum(rec.mean(k, a, b) for k in ("homicides_background", "homicides_forces", "gunmen_killed"))
            for a, b in windows
        ]
    )
    total = np.array([rec.mean("homicides", a, b) for a, b in windows])
    hidden = np.array([rec.mean("homicides_hidden", a, b) for a, b in windows])
    return {"fixed": fixed, "clash": total - fixed, "hidden": hidden}


def evaluate(parts: list[dict[str, np.ndarray]]) -> dict[str, Any]:
    """Score one point from its runs: months on the 2024 level, the fit error and the constraint."""
    months = list(monthly())
    preds, excess = [], []
    for run in parts:
        days_2024 = year_days(2024)[1] - year_days(2024)[0]
        scale = (HOMICIDES_2024 / days_2024 - run["fixed"][0]) / max(run["clash"][0], 1e-9)
        preds.append(run["fixed"][3:] + scale * run["clash"][3:])
        excess.append(scale * (run["hidden"][2] - run["hidden"][1]))
    pred = np.median(preds, axis=0)
    obs = np.array([m.per_day for m in months])
    fit = np.array([m.window == "fit" for m in months])
    err = np.log(pred / obs)
    hidden_excess = float(np.median(excess))
    score = float(np.mean(err[fit] ** 2)) + (1.0 if hidden_excess > HIDDEN_BOUND else 0.0)
    return {
        "score": score,
        "fit_within": int((np.abs(pred[fit] / obs[fit] - 1) <= WITHIN).sum()),
        "check_within": int((np.abs(pred[~fit] / obs[~fit] - 1) <= WITHIN).sum()),
        "hidden_excess": hidden_excess,
        "months": dict(zip((m.month for m in months), pred.round(1).tolist())),
    }


def _parts_of(task: tuple[dict[str, Any], int]) -> dict[str, np.ndarray]:
    return _parts(*task)


def measure(points: list[dict[str, float]], seed_list: list[int], workers: int) -> list[dict[str, Any]]:
    parts = each(_parts_of, [(p, s) for p in points for s in seed_list], processes=workers)
    n = len(seed_list)
    return [evaluate(parts[i * n : (i + 1) * n]) for i in range(len(points))]


def search(
    n_points: int, n_local: int, n_seeds: int, finalists: int, workers: int
) -> tuple[dict[str, float], dict[str, Any]]:
    rng = np.random.default_rng(2025)
    units = list(latin_hypercube(rng, n_points, len(FITTED)))
    current = [to_unit(k, parameters.defaults()[k], LOG_SCALE) for k in FITTED]
    units.insert(0, np.array(current))  # the current values compete too
    point = lambda u: {k: from_unit(k, x, LOG_SCALE) for k, x in zip(FITTED, u)}  # noqa: E731
    scored = list(zip(units, measure([point(u) for u in units], seeds.calibration(n_seeds), workers)))
    for width in (0.15, 0.07):  # two rounds of local search around the best so far
        best = min(scored, key=lambda s: s[1]["score"])[0]
        local = [best + rng.uniform(-width, width, len(FITTED)) for _ in range(n_local // 2)]
        scored += list(zip(local, measure([point(u) for u in local], seeds.calibration(n_seeds), workers)))
    top = sorted(scored, key=lambda s: s[1]["score"])[:finalists]
    final = measure([point(u) for u, _ in top], seeds.calibration(FINAL_SEEDS), workers)
    for (u, _), sc in zip(top, final):
        print(describe(point(u), sc))
    j = min(range(len(final)), key=lambda i: final[i]["score"])
    return point(top[j][0]), final[j]


def describe(point: dict[str, float], sc: dict[str, Any]) -> str:
    values = " ".join(f"{k}={v:.3g}" for k, v in point.items())
    return (
        f"{values}: msle {sc['score']:.4f}, fit months within 15%: {sc['fit_within']}/10, "
        f"hidden excess {sc['hidden_excess']:.1f}/day"
    )
