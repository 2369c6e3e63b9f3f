"""docs/worlds.md: how the long record's worlds were conditioned, and how they do on test seeds."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.calibration import long
from sim.analysis.calibration.record import HIDDEN_BOUND
from sim.analysis.calibration.report import table
from sim.analysis.factors import narrowing
from sim.analysis.forecast import conditioned, discrepancy, smc
from sim.analysis.forecast import worlds as worlds_module


def narrowing_rows(narrowed: pd.DataFrame) -> list[list[str]]:
    """The long fit's factors (`factors.narrowing` of the worlds), narrowest first: range, the worlds'
    5th-95th percentile and its share of the range."""
    return [
        [f"`{r.parameter}`", f"{r.low:.4g} - {r.high:.4g}", f"{r.p05:.4g} - {r.p95:.4g}", f"{r.share:.0%}"]
        for r in narrowed.itertuples()
    ]


def _loglik(months: pd.DataFrame) -> float:
    """The runs' median log likelihood of the whole record (the conditioning's, one run each)."""
    origin = conditioned.Origin(smc.WHOLE_RECORD_END, 1)
    return float(np.median(conditioned.log_likelihood(months, origin, bound=True)))


def _national(months: pd.DataFrame, persistence: float, innovation: float) -> float:
    """The runs' median log likelihood of the national months alone, under an AR(1) discrepancy."""
    before = pd.Period(smc.WHOLE_RECORD_END, freq="M")
    return float(np.median(conditioned.national_log_likelihood(months, before, persistence, innovation)))


def _beside_the_fit(ok: pd.DataFrame, reference: pd.DataFrame) -> str:
    """A line comparing the worlds with the long fit's point on the same seeds: fit and likelihood,
    and the national months' likelihood under the discrepancy the fit's point's own runs leave."""
    ref = reference[reference["status"] == "ok"]
    fit = long.score(ref)
    phi, innovation = fit["discrepancy"]["months"]
    constants = (discrepancy.PERSISTENCE, discrepancy.INNOVATION)
    worlds, point = conditioned.measures_of(ok), conditioned.measures_of(ref)
    return (
        f"- Beside them, the long fit's point (docs/calibration.md, section 5) on the same seeds: its median "
        f"within 15% in {fit['within']:.0%} of the months. The conditioning's log likelihood of "
        f"the record (a run's, median over runs): {_loglik(worlds):.0f} for the worlds, {_loglik(point):.0f} for the "
        f"fit's point; of the national months alone {_national(worlds, *constants):.0f} and "
        f"{_national(point, *constants):.0f} under the discrepancy's persistence of {constants[0]:g} a month, "
        f"{_national(worlds, phi, innovation):.0f} and {_national(point, phi, innovation):.0f} under the "
        f"{phi:.2f} (innovations {innovation:.3f}) the fit's point's own runs leave (docs/ODD.md, section 8).\n"
    )


def render(
    worlds: pd.DataFrame,
    info: dict[str, Any],
    checks: pd.DataFrame,
    test_seeds: list[int],
    timing: tuple[float, int],
    reference: pd.DataFrame | None = None,
) -> str:
    """The page, from the worlds, what drawing them took, and their runs on `test_seeds`;
    `reference`: the long fit's point on the same seeds (`long.run`), beside them."""
    ok = checks[checks["status"] == "ok"]
    sc = long.score(ok)
    years = long.by_year(sc)
    hidden = ok.groupby("point")["hidden_excess"].mean()
    rows = [
        [y, f"{r.observed:.1f}", f"{r.model:.1f}", f"{int(r.months_within)}/{int(r.months)}"]
        + ["" if np.isnan(r.spearman) else f"{r.spearman:.2f}"]
        for y, r in years.iterrows()
    ]
    seconds, runs = timing
    n, replicates, width = len(worlds), int(info["replicates"]), float(info["width"])
    narrowed = narrowing(worlds, long.factors())
    filling = int((narrowed["share"] >= 0.8 * 2 * width).sum())  # 5th-95th over 80% of the box (uniform: 90%)
    floors = ", ".join(
        f"{floor - worlds_module.RANK_TOLERANCE:.2f} in {label}"
        for label, floor in (("2015-2023", long.rank_floor(2015)), ("2024", long.rank_floor(2024)))
    )
    return (
        "# The worlds of the long record\n\n"
        "Made by `python -m experiments.long_worlds` (sim/analysis/forecast/worlds.py); every number here comes "
        "from its runs. **Status:** these worlds are shipped in `sim/data/long_worlds.csv`, conditioned on "
        "every observed month to May 2026 and on the states' years 2015-2024, and a run of the long record runs "
        'them: `python -m sim record=mexico_2015_2026 world=N`, `sim.run(..., record="mexico_2015_2026", '
        'world=N)` and `sim.ensemble(..., worlds=range(50), record="mexico_2015_2026")` (sim/runs/plausible.py). '
        "They are the worlds the briefing pack and the explorer run by default, and the validation page's "
        "long-world section (docs/validation.md); a single `python -m sim` run still defaults to the world of "
        "2024 and its plausible worlds (sim/data/plausible_sets.csv, docs/plausible.md).\n\n"
        "## How they were drawn\n\n"
        "ABC by rejection about the long fit (docs/calibration.md, section 5), with history matching's rule: "
        "a parameter set is a world when it meets every target of the record within its tolerance, and every "
        f"world weighs the same. Candidates: Latin hypercubes of {int(info['candidates'] / info['batches'])} over "
        f"a box about the fit's values of its {len(long.FACTORS)} factors ({width:g} of each range either side, "
        "within the range: the prior, uniform over the ranges, restricted to the fit's neighbourhood); the "
        f"{len(long.SPREAD)} parameters the fit sets where violence falls between states keep its values. Each "
        "candidate runs through the long record (the world of 2014, the record of 2015 - May 2026 and the strike) "
        f"on {replicates} calibration seeds (its own and the next ones in the list) and is judged on their mean: "
        f"the national months within 15% in at least {worlds_module.MONTHS_WITHIN:.0%} of the months (the "
        "issue's target), each year's Spearman of the states' victims at least its floor less "
        f"{worlds_module.RANK_TOLERANCE:g} for the mean of {replicates} seeds' noise ({floors}), and hidden "
        f"killings under the 2024 strategy at most the record's bound of {HIDDEN_BOUND:g} a day. Of "
        f"{int(info['candidates'])} candidates in {int(info['batches'])} batches, {int(info['months_ok'])} met the "
        f"months, {int(info['ranking_ok'])} the ranking, {int(info['bound_ok'])} the bound and "
        f"**{int(info['kept'])} all three**. Why not the backtest's sampler run on to the origin, as the "
        "worlds were first drawn: a run's log likelihood of the 137 months varies with the seed by an sd of 5-6, "
        "so importance weights about the fit collapsed (an effective size of 1 of 150), and the sampler's worlds "
        "drifted where the discrepancy's persistence let an offset last for years (20-30% below the record in "
        "2017-2021; docs/ODD.md, section 8). "
        f"The {n} worlds are the kept sets in a random order (the first N are a sample); a world is its factors' "
        "values, the fixed values and the first of the seeds it was judged on. A month observed later filters "
        "them (`worlds.keep`: each re-run to that month on its own seeds, kept if it still meets every target), "
        "without a fit from scratch.\n\n"
        "To run them (each world's runs share their past up to the origin with every scenario):\n\n"
        "```python\n"
        "import sim\n\n"
        'result = sim.ensemble(["mencho_strike", "kingpin_campaign"], worlds=range(20), seeds=[1, 2], '
        'record="mexico_2015_2026")\n'
        "```\n\n"
        f"Run time: {seconds / 60:.0f} min for {runs:,} runs on this machine's 2 cores (every invocation's "
        "time is kept in the folder's timing.json).\n\n"
        "## The worlds on test seeds\n\n"
        f"Each world run again on test seeds {', '.join(map(str, test_seeds))} (none of them conditioned on). "
        "These are **calibration fits**, not checks: every month and state year below was conditioned on.\n\n"
        f"- Hidden killings under the 2024 strategy above the months before it, each world's mean over the test "
        f"seeds: median {hidden.median():.1f} a day, largest {hidden.max():.1f}; worlds above the record's bound "
        f"of {HIDDEN_BOUND:g}: {int((hidden > HIDDEN_BOUND).sum())} of {n}.\n"
        f"- The ensemble's median ({n} worlds x {len(test_seeds)} seeds) within 15% of the observed in "
        f"{sc['within']:.0%} of the months from January 2015 to May 2026 (the issue asks 85%).\n"
        f"- Named groups alive on 1 January 2024: {sc['groups']:.0f} (about {long.GROUPS_2023} counted in 2023).\n"
        + (_beside_the_fit(ok, reference) if reference is not None else "")
        + "\n"
        + table(["year", "observed (victims a day)", "worlds' median", "months within 15%", "Spearman of states"], rows)
        + "\n\n## What the record pins down\n\n"
        "Each factor's range in the parameter table and the worlds' 5th-95th percentile, narrowest first. The box "
        f"spans {2 * width:.0%} of a range: {filling} of the {len(long.FACTORS)} factors' worlds "
        f"span at least {0.8 * 2 * width:.0%} of theirs, so for those the box, not the record, bounds the spread, "
        "and the worlds understate how little the record pins them down:\n\n"
        + table(["factor", "range", "worlds (5th-95th)", "share of the range"], narrowing_rows(narrowed))
        + "\n"
    )
