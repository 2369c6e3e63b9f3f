"""The model against every observed figure it is compared with: writes docs/validation.md.

    python -m experiments.validate              # 20 test seeds (sim/analysis/seeds.py), ~6 minutes
    python -m experiments.validate --seeds 40

Each target is marked **calibration fit** (a script in experiments/ fitted a parameter to it),
**check** (nothing was fitted to it) or **by construction** (it follows from a parameter's value
directly). National figures to the default origin (May 2026) are used, the months after the strike
as checks; later ones, and every state-level figure for 2025 or later, are reserved for
out-of-sample validation. The runs use
test seeds, which no calibration script ever uses. `tests/test_validation.py` asserts every
target on the same runs, that this page states what a fresh run on its seeds gives (the targets
always; the published findings' table in a slow test), and that the check reports a miss when a
parameter is set far outside its range.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from sim import __version__
from sim.analysis import literature, seeds, succession_grid
from sim.analysis.peers import compare
from sim.analysis.validation import (
    LONG_WORLDS,
    OF_THE_MEDIAN,
    STEADY_SEEDS,
    TARGETS,
    Target,
    headline,
    long_targets,
    measure,
    measure_long,
    misses,
)

DOC = Path(__file__).resolve().parent.parent / "docs" / "validation.md"
SUCCESSION_SEEDS = 50  # the succession's outcomes are a distribution: more seeds than the targets
GRID_SEEDS = 10  # per loyalty and point of the succession rule's grid (about half a minute on two cores)


def _fmt(x: float) -> str:
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}" if abs(x) < 10 else f"{x:.1f}"


def render_literature() -> str:
    rows = [
        f"| {r['id']} | {r['source']} | {r['design']} | {r['outcome']} | {r['window']} | {r['published_effect']} | "
        f"{r['model_measure']} | {r['direction']}; size: {r['size_rule']} |"
        for r in literature.literature()
    ]
    return f"""## Published findings on leader removal and cartel policy

The list below (sim/data/literature.csv) was committed before the model's succession,
removal modes, campaign, flow and wave were changed against it, so that it is not chosen by what
agrees; its last five rows were added later (issue 24), before the model was measured against
them. Each row names how the model's paired estimate is made and what counts as agreement in
direction and in size: a numeric size rule wherever a stored text gives the published number,
otherwise "direction only" with the reason. Published effects are for municipalities; the
model's unit is the state, so its local effects are diluted by the state's other municipalities.

Not checked, and why: Calderón et al.'s and Phillips's separate estimates for lieutenants and
mid-level leaders (the model has no lever that removes a lieutenant alone); Dickenson's finding
that an organisation's home state sees more violence than the state of the removal (CJNG's leader
was killed in its home state, Jalisco, so the two cannot be told apart); Trejo & Ley's account of
the cartel wars' onset by party alternation (the model has no parties).

| id | source | design | outcome | window | published effect | model's paired estimate | agreement |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}
"""


def _rows(targets: list[Target], measured: dict[str, np.ndarray]) -> list[str]:
    """A table row per target: the headline value with the 5th-95th percentile of single runs, and the verdict."""
    rows = []
    for t in targets:
        v = measured[t.key]
        per_run = v[:-1] if t.key.startswith(OF_THE_MEDIAN) else v
        lo, hi = np.nanpercentile(per_run, [5, 95])
        value = headline(t.key, v)
        status = "meets" if t.ok(value) else "**misses**"
        rows.append(
            f"| {t.what} | {t.observed} | {_fmt(value)} [{_fmt(lo)}–{_fmt(hi)}] | {t.criterion} | {status} | "
            f"{t.kind} | {t.source} |"
        )
    return rows


def render_long(measured: dict[str, np.ndarray], n_worlds: int) -> str:
    targets = long_targets()
    rows = _rows(targets, measured)
    missed = misses(measured, targets)
    return f"""## The long world at the default origin (the briefing's and the explorer's)

The world the briefing pack and the explorer run by default (`record=mexico_2015_2026`): the
organisations of 2014 through the record from January 2015 to the default origin (1 June 2026),
in its plausible worlds (sim/data/long_worlds.csv, docs/worlds.md). {n_worlds} runs: world *i* on
test seed *i* + 1 (worlds 0-{n_worlds - 1}, seeds {seeds.TEST.start}-{seeds.TEST.start + n_worlds - 1}),
so each row's spread is both what we do not know about the parameters and chance, as in the
briefing. *Model* as above: the median over runs with the 5th–95th percentile of single runs in
brackets; for a ranking or a share of months, that of the median over runs.

The worlds were conditioned on every national month to May 2026 (those after the strike
included), the states' years 2015–2024 and the hidden-killings bound: every such target is a
**calibration fit** here, whatever it is in the world of 2024. The other parameters keep the
values the world of 2024's calibrations chose (the wave's, the baseline's), so those targets stay
calibration fits, fitted in the other world and not refitted in this one; a target fitted there through
parameters that do not act here, or that the long fit set again without it, is a check here.

{len(targets) - len(missed)} of {len(targets)} targets met.

| target | observed | model | criterion | status | kind | source |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}

{_long_notes(missed)}
"""


def _long_notes(missed: list[Target]) -> str:
    """Why the long world misses what it misses (the ODD's section 8 says it at length)."""
    if not missed:
        return "Every target met."
    reasons = {
        "spearman_counts_2024": "2024's ranking: Sinaloa's war (below) is missing, and the wars of Guanajuato, "
        "Morelos and Chihuahua are not in the record's mechanisms (docs/ODD.md, section 8); the worlds were held "
        "to 0.70 for 2024, not the 0.75 asked",
        "homicides_sinaloa_war_ratio": "Sinaloa's war after El Mayo's removal: the world of 2014 sizes the Sinaloa "
        "Cartel's factions by their markets, and Chapo's comes out far the smaller (the long fit on test seed 1: "
        "518 members in Sinaloa against Los Mayos' 8,358 on 1 Jan 2015), but balancing them does not bring the "
        "war back, nor do the world of 2024's parameter values: the cause lies in what the decade does to the "
        "world of 2014 and is not yet found (docs/ODD.md, section 8). The long fit and the worlds' rule see "
        "Sinaloa's calendar years only, not the war's months",
    }
    lines = [f"- {t.what}: {reasons.get(t.key, 'not yet diagnosed')}." for t in missed]
    return "Misses, and why:\n" + "\n".join(lines)


def render(measured: dict[str, np.ndarray], n_seeds: int, mechanisms: str = "", long_world: str = "") -> str:
    """The page: the world of 2024's targets and their notes, `long_world` (`render_long`), the published
    findings, then `mechanisms` (the findings' table, the succession, the peer model)."""
    rows = _rows(TARGETS, measured)
    met = sum(t.ok(headline(t.key, measured[t.key])) for t in TARGETS)
    return f"""# Validation

GENERATED by `python -m experiments.validate` (cartel-sim {__version__}); edit the script, not this page.

The model against every observed figure it is compared with. First the world of 2024
(`record=mexico_2024_2026`, the default of `python -m sim`: the organisations of 2024 through the
record from July 2024) at its fitted values, then the long world the briefing and the explorer run
(below: "The long world at the default origin").

The world of 2024, over {n_seeds} test seeds (seeds
{seeds.TEST.start}-{seeds.TEST.start + n_seeds - 1}; the steady-world rows over {STEADY_SEEDS}). \
No calibration script uses these seeds:
they draw theirs from {seeds.CALIBRATION.start} on (sim/analysis/seeds.py). *Model* is the median over seeds with the
5th–95th percentile in brackets; for a ranking, the Spearman of the median state counts, with
the range of the single seeds' Spearman in brackets.

*Kind*: **calibration fit**, a script in `experiments/` chose a parameter to meet it, so meeting
it shows the fit worked, not that the model is right; **check**, nothing was fitted to it;
**by construction**, it follows directly from a parameter's value. The runs go to the default
origin (1 June 2026): the national months from the strike to it (March - May 2026, released with
the data split of 31 May 2026) are checks on `mencho_strike`. National figures after May 2026,
and every state-level figure for 2025 or later, are not here: they are reserved for
out-of-sample validation.

{met} of {len(TARGETS)} targets met.

| target | observed | model | criterion | status | kind | source |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Notes:
- The record's months are national victims a day (SESNSP), the model's recorded homicides
  (killings hidden as disappearances are not in them). The fit window (Sep 2024 - Sep 2025) is
  fitted by `experiments/calibrate_record.py` (three parameters: `core_targeting`,
  `core_rebuild_rate`, `concealment`); the check window (Oct 2025 - 21 Feb 2026) and calendar
  2025 are not.
- The population-only benchmark: ranking the states by population alone scores 0.70 on counts
  against 2024 (Spearman), so the model's ranking adds to what population explains by the
  difference.
- The day-0 wave's geography: the median roadblocks by state rank-correlate with CJNG's median
  members by state at {measured["wave_rho"][0]:.2f} (Spearman) and with population at
  {measured["wave_rho"][1]:.2f}: roadblocks come from CJNG's cells, in proportion to their size and
  loyalty.
- `tests/test_validation.py` asserts every row of this table on the same seeds, and that this page
  states what a fresh run on its seeds gives (a stale page fails).

{long_world}
{render_literature()}
{mechanisms}"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20, help="test seeds (default 20)")
    ap.add_argument(
        "--worlds", type=int, default=LONG_WORLDS, help=f"the long world's runs, a world each (default {LONG_WORLDS})"
    )
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    measured = measure(args.seeds, args.workers)
    measured_long = measure_long(args.worlds, args.workers)
    test = seeds.test(args.seeds)
    findings = literature.measure(test, args.workers)
    outcomes = literature.succession_outcomes(seeds.test(max(args.seeds, SUCCESSION_SEEDS)), args.workers)
    grid = succession_grid.render(succession_grid.measure(seeds.test(GRID_SEEDS), args.workers))
    peer = compare.run(args.seeds, args.workers)
    DOC.write_text(
        render(
            measured,
            args.seeds,
            literature.render(findings, outcomes, args.seeds, grid) + "\n" + compare.render(peer),
            render_long(measured_long, args.worlds),
        ),
        encoding="utf-8",
    )
    for fid, (direction, size) in literature.agreement(findings).items():
        print(
            f"{fid}: direction {'agrees' if direction else 'disagrees'}"
            + ("" if size is None else f", size {'agrees' if size else 'differs'}")
        )
    missed = misses(measured)
    print(f"wrote {DOC}: {len(TARGETS) - len(missed)} of {len(TARGETS)} targets met")
    for t in missed:
        print(f"misses: {t.what}: {headline(t.key, measured[t.key]):.4g} ({t.criterion})")
    missed_long = misses(measured_long, long_targets())
    print(f"the long world: {len(long_targets()) - len(missed_long)} of {len(long_targets())} targets met")
    for t in missed_long:
        print(f"misses: {t.what}: {headline(t.key, measured_long[t.key]):.4g} ({t.criterion})")


if __name__ == "__main__":
    main()
