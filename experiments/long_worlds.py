"""Draw the long record's worlds and ship them (sim/data/long_worlds.csv, docs/worlds.md).

    python -m experiments.long_worlds                      # batches of 150 candidates until 60 are kept

The rule and the draw are sim/analysis/forecast/worlds.py (`draw`: candidates about the long fit,
each kept when the mean of its 3 calibration seeds meets every target of the record); the kept
worlds are then run on test seeds, beside the long fit's point, for docs/worlds.md. Every run is
kept under `--folder` (default `long_worlds/`, ignored by git): an interrupted run resumes, a
finished one re-renders without simulating.
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
SHIPPED = 50  # the fewest worlds the issue asks for


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wanted", type=int, default=60, help="worlds to keep before the draw stops (default 60)")
    ap.add_argument("--batch", type=int, default=worlds.BATCH, help=f"candidates a batch (default {worlds.BATCH})")
    ap.add_argument("--batches", type=int, default=10, help="batches at most (default 10)")
    ap.add_argument(
        "--width",
        type=float,
        default=worlds.WIDTH,
        help=f"the box's half-width in ranges (default {worlds.WIDTH})",
    )
    ap.add_argument("--test-seeds", type=int, default=2, help="test seeds each world is re-run on (default 2)")
    ap.add_argument("--folder", type=Path, default=Path("long_worlds"), help="folder of the runs (resumable)")
    args = ap.parse_args()
    if not 0 < args.width <= 0.5:
        sys.exit(f"error: --width = {args.width} is not allowed: it must be above 0 and at most 0.5")
    for name, least in (("wanted", SHIPPED), ("batch", 1), ("batches", 1)):
        if getattr(args, name) < least:
            sys.exit(f"error: --{name} = {getattr(args, name)} is not allowed: it must be at least {least}")
    with Stopwatch(args.folder) as watch:
        table, info = worlds.draw(args.wanted, args.folder, args.width, args.batch, args.batches)
        if len(table) < SHIPPED:
            sys.exit(
                f"error: {len(table)} of {info['candidates']} candidates met every target, {SHIPPED} needed; "
                "nothing shipped: raise --batches"
            )
        seeds = seedlists.test(args.test_seeds)
        checks = worlds.resimulate(table, seeds, args.folder / "test", progress=False)
        fit_point = long.run([long.fitted()], seeds, args.folder / "fit_point", progress=False)
        timing = Stopwatch.measured(args.folder, watch.lap())
    DOC.write_text(worlds_page.render(table, info, checks, seeds, timing, reference=fit_point), encoding="utf-8")
    table.to_csv(TABLE, index=False)  # full precision: a world is exactly what was conditioned
    print(f"wrote {TABLE} ({len(table)} worlds) and {DOC}")


if __name__ == "__main__":
    main()
