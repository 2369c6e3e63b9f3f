"""Fit eight global parameters to the ranking of states by homicides in 2024, and write them back.

The targets, constraints and search are in sim/analysis/calibration/ranking.py. Then re-fit the
national scale, the record and the wave, in this order:

    python -m experiments.calibrate_ranking            # search, report, write conf + table + docs
    python -m experiments.calibrate_baseline
    python -m experiments.calibrate_record
    python -m experiments.calibrate_wave
"""

from __future__ import annotations

import argparse
import os

from sim.analysis import seeds
from sim.analysis.calibration.ranking import FINAL_SEEDS, FITTED, describe, search, with_cost
from sim.analysis.calibration.report import table, write_section
from sim.runs.paramfiles import write_parameter_defaults


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=150, help="random points to try (default 150)")
    ap.add_argument("--seeds", type=int, default=3, help="seeds per point in the search (default 3)")
    ap.add_argument("--finalists", type=int, default=8, help="best points re-measured on 10 seeds (default 8)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--dry-run", action="store_true", help="report the fit without writing it")
    args = ap.parse_args()
    point, sc, finalists = search(args.points, args.seeds, args.finalists, args.workers)
    print("chosen:", describe(point, sc))
    if not args.dry_run:
        values = {k: float(f"{v:.3g}") for k, v in with_cost(point).items()}
        write_parameter_defaults(values)
        rows = [
            [
                *(f"{p[k]:.3g}" for k in FITTED),
                *(f"{s[c]:.3f}" for c in ("counts_2024", "rates_2024", "counts_2023")),
                f"{s['war']:.2f}",
                "**chosen**" if p is point else "",
            ]
            for p, s in finalists
        ]
        write_section(
            "ranking",
            f"Search of {args.points} points on {args.seeds} seeds; the finalists on {FINAL_SEEDS} seeds "
            f"(calibration seeds from {seeds.CALIBRATION.start}):\n\n"
            + table(
                [f"`{k}`" for k in FITTED]
                + ["counts 2024", "rates 2024", "counts 2023 (check)", "Sinaloa war ratio", ""],
                rows,
            ),
        )
        print(
            "wrote sim/data/parameters.csv, conf/params/default.yaml, docs/parameters.md; "
            "now run experiments.calibrate_baseline, experiments.calibrate_record, then experiments.calibrate_wave"
        )


if __name__ == "__main__":
    main()
