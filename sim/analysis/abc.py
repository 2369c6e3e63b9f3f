"""Calibration as an ensemble: approximate Bayesian computation by sequential Monte Carlo (ABC-SMC).

One fitted parameter set hides what we do not know; the question is which sets the evidence
cannot rule out. A set is *plausible* when its run meets every calibration target within the
tolerance of docs/validation.md: its score (`sim.analysis.plausibility.score`, the largest
implausibility over the targets) is at most 1. Plain rejection over the full ranges accepts almost
nothing (19 targets, each met by about one prior draw in ten), so the tolerance is lowered in
generations (Toni et al. 2009; Beaumont et al. 2009):

1. Generation 0 runs a Latin hypercube over every factor's full range and keeps the `particles`
   best runs; its tolerance is the worst of them.
2. Each next generation's tolerance is the median score of the last population (never below 1).
   Its candidates are particles of the last population, drawn at random and moved by a Gaussian
   kernel (twice the population's variance, per factor, in the unit cube of the ranges) in a
   random subset of about `MOVED` factors, truncated to the ranges (the prior is uniform over
   them). Candidates run in batches until `particles` of them score within the tolerance.
3. Every particle weighs the same. ABC-SMC's importance weights (the prior over the proposal's
   density) would make the last population a posterior sample, but in dozens of dimensions they
   collapse onto two or three particles (an effective sample size of about 3 of 100 in a first attempt), and the next
   candidates then crowd around a few lucky runs. So the worlds are, as in history matching, a
   spread of parameter sets the targets cannot rule out, not a posterior distribution.

The final generation's tolerance is 1: every particle met every target on its run. Parameters no
target depends on (the succession's, the campaign's) stay spread over their whole ranges, which is
what carries their uncertainty into the ensembles. Every candidate runs once, on a calibration
seed taken in turn, so a particle near a tolerance's edge may have passed by chance: the spread of
the population includes that chance.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis import plausibility
from sim.analysis.ensembles import ensemble
from sim.analysis.factors import Factor, factors, point_params
from sim.analysis.mapping import each

QUANTILE = 0.5  # the next tolerance: this quantile of the last population's scores
MOVED = 8  # factors a candidate moves, on average: moving them all lands almost every candidate outside the tolerance


def measure(model: Any) -> dict[str, float]:
    """A finished candidate's calibration quantities and its score (in the ensemble's worker)."""
    measured = plausibility.quantities(model)
    return {**measured, "score": plausibility.score(measured), "distance": plausibility.distance(measured)}


def evaluate(points: list[dict[str, Any]], folder: Path | None = None, **options: Any) -> pd.DataFrame:
    """The candidates (parameters and a "seed" each) run on their seeds to the strike's first 72
    hours through `sim.ensemble`, in resumable chunks in `folder`: their quantities, scores and an
    `error` column (empty where the run finished), in order."""
    options.setdefault("progress", False)
    options.setdefault("memory_gb", 8.0)  # a candidate whose world grows without bound fails alone
    runs = ensemble(
        ["mencho_strike"],
        points=points,
        measure=measure,
        daily=False,
        folder=folder,
        horizon_days=plausibility.STRIKE_HORIZON,
        **options,
    ).runs
    frame = runs.reindex(columns=outputs()).astype(float)
    frame["error"] = runs["error"].where(runs["status"] != "ok", "").fillna("").astype(str)
    return frame.reset_index(drop=True)


def outputs() -> list[str]:
    return [t.key for t in plausibility.targets()] + ["score", "distance"]


def to_unit(chosen: Sequence[Factor], frame: pd.DataFrame) -> np.ndarray:
    """Parameter values as coordinates in the unit cube of the factors' ranges."""
    values = frame[[f.name for f in chosen]].to_numpy(float)
    return np.column_stack([f.unit(values[:, k]) for k, f in enumerate(chosen)]) if len(values) else values


def from_unit(chosen: Sequence[Factor], unit: np.ndarray) -> list[dict[str, Any]]:
    """Unit-cube rows as parameter sets (whole numbers rounded)."""
    values = np.column_stack([f.at(unit[:, k]) for k, f in enumerate(chosen)]) if len(unit) else unit
    return [point_params(chosen, row) for row in values]


@dataclass
class Population:
    """One generation's accepted particles: parameters in the unit cube, runs, tolerance."""

    generation: int
    tolerance: float
    unit: np.ndarray
    runs: pd.DataFrame  # the particles' seeds, parameters, measured quantities and scores
    simulated: int  # candidates run to find them

    def kernel_sd(self) -> np.ndarray:
        """Per factor: twice the population's variance, as a standard deviation (Beaumont et al. 2009)."""
        return np.sqrt(2.0 * self.unit.var(axis=0)) + 1e-6


def perturb(population: Population, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` candidates: particles drawn at random, each moved by the kernel in a random subset of
    about `MOVED` factors (at least one), truncated to the unit cube factor by factor (a
    coordinate that leaves is drawn again: with dozens of factors, a candidate with every
    coordinate inside by chance alone would almost never come)."""
    sd = population.kernel_sd()
    centres = population.unit[rng.integers(len(population.unit), size=n)]
    k = centres.shape[1]
    moves = rng.random((n, k)) < min(1.0, MOVED / k)
    moves[np.arange(n), rng.integers(k, size=n)] = True
    out = centres + rng.normal(size=centres.shape) * sd * moves
    outside = (out < 0) | (out > 1)
    while outside.any():
        rows, cols = np.nonzero(outside)
        out[rows, cols] = centres[rows, cols] + rng.normal(size=len(rows)) * sd[cols]  # only moved ones can leave
        outside = (out < 0) | (out > 1)
    return out


def _points(chosen: Sequence[Factor], unit: np.ndarray, seeds: Sequence[int], start: int) -> list[dict[str, Any]]:
    return [{"seed": int(seeds[(start + i) % len(seeds)]), **p} for i, p in enumerate(from_unit(chosen, unit))]


def _batch(
    folder: Path, points: list[dict[str, Any]], fn: Callable[..., dict[str, float]] | None, **options: Any
) -> pd.DataFrame:
    """Run a batch (resumable: its design is saved with it, and finished chunks are read): model
    runs through `evaluate`, or a test problem's `fn(point)` through the same engine (`each`)."""
    folder.mkdir(parents=True, exist_ok=True)
    design = folder / "design.json"
    if design.exists():
        points = json.loads(design.read_text(encoding="utf-8"))
    else:
        design.write_text(json.dumps(points), encoding="utf-8")
    if fn is None:
        frame = evaluate(points, folder, **options)
    else:
        options.pop("memory_gb", None)
        rows = each(fn, points, folder=folder, errors="keep", **options)
        frame = pd.DataFrame([{"score": np.nan, **row} for row in rows])
        frame["error"] = frame["error"].fillna("") if "error" in frame else ""
    return pd.concat([pd.DataFrame(points), frame], axis=1)


def history(folder: Path) -> pd.DataFrame:
    """Every run of every generation kept under `folder`, with its generation and batch."""
    parts = []
    for design in sorted(folder.glob("gen_*/batch_*/design.json")):
        chunks = sorted(c for c in design.parent.glob("chunk_*.parquet") if not c.name.endswith(".daily.parquet"))
        points = pd.DataFrame(json.loads(design.read_text(encoding="utf-8")))
        frame = pd.concat([pd.read_parquet(c) for c in chunks], ignore_index=True) if chunks else pd.DataFrame()
        frame = frame.drop(columns=[c for c in ("run", "scenario", "world", "point", "seed", "status") if c in frame])
        if "error" in frame:
            frame["error"] = frame["error"].fillna("").astype(str)
        generation, batch = int(design.parent.parent.name[4:]), int(design.parent.name[6:])
        parts.append(pd.concat([points.iloc[: len(frame)], frame], axis=1).assign(generation=generation, batch=batch))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def run(
    folder: Path,
    seeds: Sequence[int],
    particles: int = 100,
    first: int = 1000,
    batch: int = 300,
    max_generations: int = 30,
    max_simulations: int = 20_000,
    seed: int = 1,
    progress: Callable[[str], None] = print,
    chosen: Sequence[Factor] | None = None,
    fn: Callable[[dict[str, Any]], dict[str, float]] | None = None,
    final: float = 1.0,
    **options: Any,
) -> list[Population]:
    """ABC-SMC down to a tolerance of `final` (1: every target met; larger only to try the
    machinery on a small budget); every batch of every generation is kept under `folder`
    (gen_NN/batch_MM/), so a re-run resumes where it stopped and draws the same candidates.
    `seeds` are the calibration seeds the candidates take in turn; `options` go to `sim.ensemble`
    (processes, executor, memory_gb, ...). `chosen` (default: every factor) and `fn` (default: a
    model run's score, `evaluate`) let the machinery be tested on a problem whose answer is known."""
    chosen = list(chosen) if chosen is not None else factors()
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(chosen), seed=seed).random(first)
    runs = _batch(folder / "gen_00" / "batch_00", _points(chosen, unit, seeds, 0), fn, **options)
    ok = runs["score"].notna().to_numpy()
    best = np.argsort(np.where(ok, runs["score"].to_numpy(float), np.inf))[:particles]
    population = Population(
        0, float(runs["score"].iloc[best].max()), unit[best], runs.iloc[best].reset_index(drop=True), first
    )
    populations, simulated = [population], first
    progress(
        f"[abc] generation 0: {first} runs from the full ranges; the best {len(best)} score at most "
        f"{population.tolerance:.2f}"
    )
    for generation in range(1, max_generations + 1):
        if population.tolerance <= final or simulated >= max_simulations:
            break
        tolerance = max(final, float(np.quantile(population.runs["score"], QUANTILE)))
        kept_unit, kept_runs, tried = [], [], 0
        rng = np.random.default_rng([seed, generation])
        while sum(len(k) for k in kept_unit) < particles and simulated < max_simulations:
            candidates = perturb(population, batch, rng)
            b = len(kept_runs)
            runs = _batch(
                folder / f"gen_{generation:02d}" / f"batch_{b:02d}",
                _points(chosen, candidates, seeds, simulated),
                fn,
                **options,
            )
            candidates = to_unit(chosen, runs)  # what ran (whole numbers rounded), also on a resumed run
            good = (runs["score"] <= tolerance).to_numpy()
            kept_unit.append(candidates[good])
            kept_runs.append(runs[good])
            tried += len(runs)
            simulated += len(runs)
            progress(
                f"[abc] generation {generation}: tolerance {tolerance:.2f}, {sum(len(k) for k in kept_unit)} of "
                f"{particles} particles after {tried} runs ({simulated} in all)"
            )
        unit = np.vstack(kept_unit)[:particles]
        frame = pd.concat(kept_runs, ignore_index=True).iloc[:particles].reset_index(drop=True)
        if len(frame) < particles:
            progress(f"[abc] stopped: the budget of {max_simulations} runs is spent in generation {generation}")
            break
        population = Population(generation, tolerance, unit, frame, tried)
        populations.append(population)
    return populations


def redraw(
    sets: pd.DataFrame, names: Sequence[str], folder: Path, rounds: int = 3, seed: int = 1, **options: Any
) -> tuple[pd.DataFrame, int]:
    """The worlds with `names` redrawn over their whole ranges (a Latin hypercube), each world run
    again on its seed and kept with its new values where it still meets every target; the worlds
    that missed one try again with new draws, `rounds` times in all.

    Resampling generation after generation makes the worlds descend from a few ancestors, so a
    parameter no target can see ends up narrower than its range for no reason but kinship; the
    parameters that act only after a leader is removed are such. Returns the table (scores of
    the runs that count) and how many worlds kept their old values."""
    from scipy.stats import qmc

    from sim.runs.plausible import typed

    chosen = [f for f in factors() if f.name in set(names)]
    out, todo = sets.copy(), np.arange(len(sets))
    for r in range(rounds):
        fresh = from_unit(chosen, qmc.LatinHypercube(d=len(chosen), seed=seed + r).random(len(todo)))
        points = [
            {"seed": int(row["seed"]), **typed(row), **new} for (_, row), new in zip(sets.iloc[todo].iterrows(), fresh)
        ]
        tag = zlib.crc32(json.dumps(points, sort_keys=True).encode())  # other worlds or names, other runs
        runs = _batch(folder / f"{tag:08x}", points, None, **options)
        ok = (runs["score"] <= 1.0).to_numpy()
        rows = out.index[todo[ok]]
        for column in [f.name for f in chosen] + ["score", "distance"]:
            out.loc[rows, column] = runs.loc[ok, column].to_numpy()
        todo = todo[~ok]
        if not len(todo):
            break
    return out, len(todo)


def plausible_sets(
    population: Population, shuffle_seed: int = 1, chosen: Sequence[Factor] | None = None
) -> pd.DataFrame:
    """The final population as a table of parameter sets (`set` 0, 1, ... in random order, so
    that the first k are a fair subsample) with the seed each ran on, its score and distance."""
    chosen = list(chosen) if chosen is not None else factors()
    frame = population.runs.iloc[np.random.default_rng(shuffle_seed).permutation(len(population.runs))]
    meta = [c for c in ("seed", "score", "distance") if c in frame]
    table = frame[[*meta, *[f.name for f in chosen]]].reset_index(drop=True)
    table.insert(0, "set", range(len(table)))
    return table
