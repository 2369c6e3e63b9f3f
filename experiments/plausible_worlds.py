"""Find the plausible worlds (ABC-SMC over every uncertain parameter) and ship them with the package.

    python -m experiments.plausible_worlds                  # 100 worlds; docs/plausible.md states the time it took
    python -m experiments.plausible_worlds --dask tcp://scheduler:8786   # the runs on a Dask cluster

Writes sim/data/plausible_sets.csv (the worlds `world=N`, `sim.ensemble(worlds=...)` and the
briefing use), docs/plausible.md and docs/figures/plausible.png. Every run is kept under
`--folder` (default `plausible/`), so an interrupted run resumes and a finished one re-renders the
page without simulating; delete the folder to start from scratch. Each invocation's wall time and the
runs it added are appended to the folder's `timing.json` (`sim.analysis.chunks.Stopwatch`): the page's
run times and rate are measured, never written in code. Candidates run on calibration
seeds; the confirmation re-runs every world on a test seed it was not chosen on.
"""

from __future__ import annotations

import argparse
import zlib
from pathlib import Path

import pandas as pd

from sim.analysis import abc
from sim.analysis import seeds as seedlists
from sim.analysis.chunks import Stopwatch, dask
from sim.analysis.factors import factors, narrowing
from sim.parameters import table as parameter_table

ROOT = Path(__file__).resolve().parents[1]
# Parameters that act only once a leader is removed or a campaign runs: no calibration target
# (the past, and the wave of the first 72 hours) can constrain them, so they are redrawn over
# their whole ranges at the end (abc.redraw), each world re-run to check it.
AFTER_STRIKE = tuple(
    p.name for p in parameter_table().values() if p.group in ("succession", "kingpin") and p.kind != "lever"
) + ("capture_retaliation_share", "capture_intel_core_share")
TABLE = ROOT / "sim" / "data" / "plausible_sets.csv"
DOC = ROOT / "docs" / "plausible.md"


def confirm(path: Path, folder: Path, seed: int, **options) -> pd.DataFrame:
    """Each world as written (and typed as sim.runs.plausible types it) run again on one test seed: does it
    still meet every target by another chance? And the fitted defaults on ten calibration seeds, for scale."""
    from sim.runs import plausible

    written = pd.read_csv(path).set_index("set")
    folder = folder / f"{zlib.crc32(path.read_bytes()):08x}"  # another table, other runs
    points = [{"seed": seed, **plausible.typed(row)} for _, row in written.iterrows()]
    points += [{"seed": s} for s in seedlists.calibration(10)]
    return abc.evaluate(points, folder, **options)


def draw(narrow: pd.DataFrame, path: Path, top: int = 25) -> None:
    from sim.analysis.style import OKABE_ITO, new_figure

    shown = narrow.head(top).iloc[::-1]
    fig = new_figure(10, 0.32 * len(shown) + 1.6)
    ax = fig.add_subplot()
    for i, r in enumerate(shown.itertuples()):
        span = r.high - r.low
        ax.barh(i, 1, color="0.9", height=0.6)
        ax.barh(i, (r.p95 - r.p05) / span, left=(r.p05 - r.low) / span, color=OKABE_ITO["blue"], height=0.6, alpha=0.8)
        ax.plot([(r.median - r.low) / span], [i], "|", color="black", ms=12, mew=2)
        ax.plot([(r.default - r.low) / span], [i], "D", color=OKABE_ITO["vermillion"], ms=5)
    ax.set_yticks(range(len(shown)), shown["parameter"])
    ax.set_xlim(0, 1)
    ax.set_xlabel("position in the parameter table's range (0 = low, 1 = high)")
    ax.set_title(
        f"The {top} parameters the calibration targets narrow most: plausible worlds' 5–95% (blue), median (tick),\n"
        "the fitted default (red diamond); grey: the full range sampled",
        loc="left",
        fontsize=10,
    )
    ax.spines[["top", "right"]].set_visible(False)
    fig.subplots_adjust(left=0.3, right=0.97, top=1 - 1.0 / fig.get_figheight(), bottom=0.6 / fig.get_figheight())
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)


def timing(folder: Path, total: int, lap: tuple[float, int]) -> str:
    """This invocation's wall time and runs, and the ABC's `total` runs from scratch at the rate measured over
    every invocation that ran runs into the folder (its timing.json), not a rate written in code."""
    seconds, ran = lap
    here = f"This page's invocation took {seconds / 60:.1f} min and simulated {ran:,} runs" + (
        f" ({ran / seconds:.2f} runs a second)" if ran else " (every run was already in the folder)"
    )
    spent, runs = Stopwatch.measured(folder, lap)
    if not runs:
        return f"{here}; no invocation that simulated runs saved its timing in the folder, so no rate is stated."
    rate = runs / spent
    return (
        f"{here}. Over the invocations that ran this folder's runs, {runs:,} runs took {spent / 60:.0f} min "
        f"({rate:.2f} runs a second on this machine), so the ABC's {total:,} runs take about {total / rate / 60:.0f} "
        "min from scratch."
    )


def render(
    populations: list[abc.Population],
    sets: pd.DataFrame,
    narrow: pd.DataFrame,
    checks: pd.DataFrame,
    args,
    lap: tuple[float, int],
) -> str:
    gens = "\n".join(
        f"| {p.generation} | {p.tolerance:.2f} | {p.simulated:,} | {len(p.runs) / p.simulated:.1%} |"
        for p in populations
    )
    total = sum(p.simulated for p in populations)
    confirmed, fitted = checks.iloc[: len(sets)], checks.iloc[len(sets) :]
    reached = (
        ": every world met every target on its run"
        if populations[-1].tolerance <= 1
        else " (a trial: these sets are not plausible)"
    )
    again = confirmed["score"] <= 1.0
    runs = abc.history(args.folder)
    first = runs[runs["generation"] == 0]
    fmt = lambda v: f"{v:,.4g}"  # noqa: E731
    rows = "\n".join(
        f"| `{r.parameter}` | {fmt(r.low)}–{fmt(r.high)} | {fmt(r.min)}–{fmt(r.max)} | {fmt(r.p05)}–{fmt(r.p95)} | "
        f"{fmt(r.median)} | {fmt(r.default)} | {r.share:.0%} |"
        for r in narrow.itertuples()
    )
    return f"""# Plausible worlds: calibration as an ensemble

Made by `python -m experiments.plausible_worlds` ({len(sets)} worlds, {total:,} runs in all). It writes
`sim/data/plausible_sets.csv`, the world of 2024's worlds, which `world=N` on the command line,
`sim.ensemble(worlds=...)` and the briefing with `--record mexico_2024_2026` use (by default the briefing
runs the long record's, worlds.md).
Re-run it from scratch by deleting its folder (`{args.folder.name}/`). {timing(args.folder, total, lap)}

## The rule

A parameter set is **plausible** when its run meets every calibration target of docs/validation.md within the
tolerance stated there: the record's fitted months (Sep 2024 – Sep 2025, ±15% each), calendar 2024 (homicides,
members, security forces killed), the 2024 ranking of states, the Sinaloa war and the day-0 wave
(`sim/analysis/plausibility.py`). Each target's implausibility is its distance from the observed value in units of
its tolerance, and a set is kept when the largest is at most 1. These are **calibration fits**, not checks: the
out-of-sample checks of docs/validation.md are not used here.

## The procedure and its budget

Every factor with a range in the parameter table ({len(factors())} parameters of kinds `uncertainty` and
`calibrated`; levers and the record's settings stay out) is sampled. ABC-SMC (Toni et al. 2009; Beaumont et al.
2009; `sim/analysis/abc.py`): generation 0 is a Latin hypercube of {args.first:,} runs over the full ranges, of which
the best {args.particles} are the first population. Each next generation lowers the tolerance to the median score of
the last population (never below {args.final_tolerance:g}), moves particles drawn at random with a Gaussian kernel
(twice the population's variance per factor, truncated to the ranges) in a random subset of about {abc.MOVED} factors,
and runs candidates in batches of {args.batch} until {args.particles} meet it. Every particle weighs the same: \
importance weights, which would make the last
population a posterior sample, collapse in {len(factors())} dimensions onto a few particles (as a first attempt
found), so the worlds are a spread of sets the targets cannot rule out, as in history matching, not a posterior. \
The last generation's tolerance is {populations[-1].tolerance:.2f}{reached}. Candidates run on calibration seeds
{seedlists.CALIBRATION.start}–{seedlists.CALIBRATION.start + args.calibration_seeds - 1} in turn. \
What plain rejection over the full ranges would
give: of generation 0's {len(first):,} runs over the full ranges, {int((first["score"] <= 1).sum())} met
every target and {int((first["score"] <= 3).sum())} came within three tolerances (the best scored
{first["score"].min():.2f}; the median {first["score"].median():.1f}).

| generation | tolerance (largest implausibility) | runs | accepted |
|---|---|---|---|
{gens}

The runs are kept in chunks under `{args.folder.name}/gen_NN/batch_MM/`: an interrupted run resumes and draws the
same candidates. Every batch runs through `sim.ensemble`: on this machine's cores, or with `--dask ADDRESS` on a Dask
cluster's workers.

**Parameters no target can see.** Resampling generation after generation makes the worlds descend from a few
ancestors, so a parameter no target constrains ends up narrower than its range for no reason but kinship. The
{len(AFTER_STRIKE)} parameters that act only once a leader is removed or a campaign runs \
({", ".join(f"`{n}`" for n in AFTER_STRIKE)})
are therefore redrawn at the end over their whole ranges (a Latin hypercube, `abc.redraw`) and every world is run again
on its seed; a world that now misses a target (they change the wave's first 72 hours and the random draws after the
strike) tries new values, three times in all. {len(sets) - args.reverted} of {len(sets)} worlds meet every target
with new values and keep them; the other {args.reverted} keep their old values. \
The other parameters' spread below is what the targets allow *and* the
worlds' kinship: a narrow range is not proof that the targets pin a parameter down (docs/identifiability.md profiles
the fitted ones one at a time).

## The worlds

{len(sets)} worlds; scores {sets["score"].min():.2f}–{sets["score"].max():.2f} (median {sets["score"].median():.2f}),
RMS implausibility {sets["distance"].min():.2f}–{sets["distance"].max():.2f}. The ensembles treat every world alike.
The `set` numbers are in random order, so the first N worlds are a fair subsample.

**Confirmation by another chance.** Each world run once more on test seed {args.confirm_seed}, which no candidate
ran on: {again.mean():.0%} of them ({int(again.sum())} of {len(confirmed)}) meet every target again (median score
{confirmed["score"].median():.2f}). A world is plausible on its calibration run; that share is how much of that is
the world and how much the luck of one run. For scale, the fitted defaults meet every target on
{int((fitted["score"] <= 1).sum())} of {len(fitted)} calibration seeds.

## What the targets narrow, and what they leave open

Per parameter: the range sampled, the worlds' minimum–maximum and 5th–95th percentile, their median, the fitted
default and the share of the range the 5–95% spans (sorted, narrowest first). A share near 90% means the targets
do not constrain the parameter: its uncertainty passes whole into the ensembles (the succession's, the campaign's
and the policies' parameters act after day 0, which no calibration target sees).

![plausible worlds](figures/plausible.png)

| parameter | range sampled | worlds' min–max | worlds' 5–95% | median | default | share of range |
|---|---|---|---|---|---|---|
{rows}
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--particles", type=int, default=100, help="plausible worlds wanted (default 100)")
    ap.add_argument("--first", type=int, default=1000, help="generation 0: runs over the full ranges (default 1000)")
    ap.add_argument("--batch", type=int, default=300, help="candidates per batch (default 300)")
    ap.add_argument("--max-simulations", type=int, default=20_000, help="the budget of runs (default 20,000)")
    ap.add_argument("--max-generations", type=int, default=30, help="the budget of generations (default 30)")
    ap.add_argument(
        "--calibration-seeds", type=int, default=20, help="calibration seeds the candidates take in turn (default 20)"
    )
    ap.add_argument(
        "--confirm-seed", type=int, default=seedlists.test(100)[-1], help="the test seed of the confirmation runs"
    )
    ap.add_argument("--folder", type=Path, default=ROOT / "plausible", help="where the runs go (resumable)")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument(
        "--dask",
        metavar="ADDRESS",
        default=None,
        help="run on the Dask cluster at ADDRESS (a scheduler's address or its scheduler file)",
    )
    ap.add_argument(
        "--table", type=Path, default=TABLE, help="where the worlds are written (default: the package's table)"
    )
    ap.add_argument("--doc", type=Path, default=DOC, help="the page to write; its figure goes to figures/ beside it")
    ap.add_argument(
        "--final-tolerance",
        type=float,
        default=1.0,
        help="the last generation's tolerance (default 1: every target met; larger only to try the pipeline quickly)",
    )
    args = ap.parse_args()
    with Stopwatch(args.folder) as watch:
        launch = {"processes": args.workers, "executor": dask(args.dask) if args.dask else None}
        populations = abc.run(
            args.folder,
            seedlists.calibration(args.calibration_seeds),
            particles=args.particles,
            first=args.first,
            batch=args.batch,
            max_simulations=args.max_simulations,
            max_generations=args.max_generations,
            final=args.final_tolerance,
            progress=lambda line: print(line, flush=True),
            **launch,
        )
        final = populations[-1]
        if final.tolerance > args.final_tolerance:
            raise SystemExit(
                f"error: the budget ({args.max_simulations} runs, {args.max_generations} generations) "
                "ended at a tolerance of "
                f"{final.tolerance:.2f}; raise --max-simulations or --max-generations (the runs so far are kept)"
            )
        sets, reverted = abc.redraw(abc.plausible_sets(final), AFTER_STRIKE, args.folder / "redraw", **launch)
        args.reverted = reverted
        sets.to_csv(args.table, index=False)
        checks = confirm(args.table, args.folder / f"confirm_seed{args.confirm_seed}", args.confirm_seed, **launch)
        narrow = narrowing(sets)
        figure = args.doc.parent / "figures" / "plausible.png"
        draw(narrow, figure)
        args.doc.write_text(render(populations, sets, narrow, checks, args, watch.lap()), encoding="utf-8")

    print(f"wrote {args.table} ({len(sets)} worlds), {args.doc} and {figure} in {watch.seconds:.0f} s")


if __name__ == "__main__":
    main()
