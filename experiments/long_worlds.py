"""Condition the long record's worlds on every observed month and ship them (sim/data/long_worlds.csv).

    python -m experiments.long_worlds                      # 150 particles, at least 50 distinct worlds

The sampler is sim/analysis/forecast/worlds.py (`draw`, then `confirm`: a world ships when its hidden
killings averaged over 3 calibration seeds hold the bound); docs/worlds.md says how the worlds were drawn and
how they do on test seeds. Every run is kept under `--folder` (default `long_worlds/`, ignored by
git): an interrupted run resumes, a finished one re-renders without simulating.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.analysis import seeds as seedlists
from sim.analysis.calibration import long
from sim.analysis.chunks import Stopwatch
from sim.analysis.forecast import worlds, worlds_page

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "sim" / "data" / "long_worlds.csv"
DOC = ROOT / "docs" / "worlds.md"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--particles", type=int, default=150, help="the population's size (default 150)")
    ap.add_argument("--moves", type=int, default=1, help="moves after each tempering stage (default 1)")
    ap.add_argument("--distinct", type=int, default=50, help="distinct worlds wanted (default 50)")
    ap.add_argument("--rounds", type=int, default=10, help="rejuvenation moves at most (default 10)")
    ap.add_argument(
        "--replicates",
        type=int,
        default=worlds.REPLICATES,
        help=f"seeds a particle's likelihood is the mean over, from the prior on (default {worlds.REPLICATES})",
    )
    ap.add_argument("--test-seeds", type=int, default=2, help="test seeds each world is re-run on (default 2)")
    ap.add_argument("--folder", type=Path, default=Path("long_worlds"), help="folder of the runs (resumable)")
    args = ap.parse_args()
    if args.replicates < 1:
        sys.exit(f"error: --replicates = {args.replicates} is not allowed: it must be at least 1")
    if not 1 <= args.distinct <= args.particles:
        allowed = f"it must be from 1 to {args.particles} (the particles)"
        sys.exit(f"error: --distinct = {args.distinct} is not allowed: {allowed}")
    with Stopwatch(args.folder) as watch:
        drawn, info = worlds.draw(
            args.particles,
            args.folder,
            moves=args.moves,
            distinct=args.distinct,
            rounds=args.rounds,
            replicates=args.replicates,
        )
        table = worlds.confirm(drawn, args.folder / "confirm", averaged=args.replicates, progress=False)
        info.update(confirmed=len(table), drawn=len(drawn), confirmed_distinct=worlds.distinct(table))
        if table.empty:
            sys.exit(f"error: no world held the hidden-killings bound on {worlds.REPLICATES} seeds; nothing shipped")
        seeds = seedlists.test(args.test_seeds)
        checks = worlds.resimulate(table, seeds, args.folder / "test", progress=False)
        fit_point = long.run([long.fitted()], seeds, args.folder / "fit_point", progress=False)
        timing = Stopwatch.measured(args.folder, watch.lap())
    page = worlds_page.render(table, info, checks, seeds, timing, reference=fit_point)
    if info["confirmed_distinct"] < args.distinct:  # too few worlds to ship: the diagnosis stays in the folder
        (args.folder / "worlds.md").write_text(page, encoding="utf-8")
        sys.exit(
            f"error: only {info['confirmed_distinct']} distinct worlds after {len(info['rejuvenation'])} moves and the "
            f"bound on {worlds.REPLICATES} seeds, {args.distinct} wanted; nothing shipped "
            f"(see {args.folder / 'worlds.md'}): raise --rounds or --particles"
        )
    table.to_csv(TABLE, index=False)  # full precision: a world is exactly what was conditioned
    DOC.write_text(page, encoding="utf-8")
    print(f"wrote {TABLE} ({len(table)} worlds, {info['confirmed_distinct']} distinct) and {DOC}")


if __name__ == "__main__":
    main()
