"""Fit the record's three mechanism parameters to the national monthly series, and write them back.

The targets, the constraint and the search are in sim/analysis/calibration/record.py. Run after
experiments.calibrate_ranking and calibrate_baseline, then re-run calibrate_baseline (the
strategy's first three months are in 2024) and calibrate_wave:

    python -m experiments.calibrate_record            # search, report, write conf + table + docs
    python -m experiments.calibrate_record --dry-run  # search and report only
"""

from __future__ import annotations

import argparse
import os

from sim.analysis.calibration.record import FINAL_SEEDS, HIDDEN_BOUND, describe, search
from sim.analysis.calibration.report import table, write_section
from sim.runs.paramfiles import write_parameter_defaults
from sim.world.observed import monthly


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=40, help="Latin hypercube points (default 40)")
    ap.add_argument("--local", type=int, default=24, help="points of the local search (default 24)")
    ap.add_argument("--seeds", type=int, default=4, help="seeds per point in the search (default 4)")
    ap.add_argument("--finalists", type=int, default=4, help="best points re-measured on 10 seeds (default 4)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--dry-run", action="store_true", help="report the fit without writing it")
    args = ap.parse_args()
    point, sc = search(args.points, args.local, args.seeds, args.finalists, args.workers)
    print("chosen:", describe(point, sc))
    print(
        "months (model on the 2024 level, observed):",
        ", ".join(f"{m.month} {sc['months'][m.month]} ({m.per_day})" for m in monthly()),
    )
    if not args.dry_run:
        write_parameter_defaults({k: float(f"{v:.3g}") for k, v in point.items()})
        rows = [[m.month, m.window, f"{m.per_day:g}", f"{sc['months'][m.month]:.1f}"] for m in monthly()]
        write_section(
            "record",
            table(["parameter", "fitted value"], [[f"`{k}`", f"{v:.3g}"] for k, v in point.items()])
            + f"\n\nHidden killings under the strategy: {sc['hidden_excess']:.1f} a day above the steady world's "
            f"(bound {HIDDEN_BOUND:g}). "
            f"Months on the 2024 level, median over {FINAL_SEEDS} calibration seeds "
            "(the check months shown, not fitted):\n\n"
            + table(["month", "window", "observed (victims a day)", "model"], rows),
        )
        print(
            "wrote sim/data/parameters.csv, conf/params/default.yaml, docs/parameters.md; "
            "now re-run experiments.calibrate_baseline, then experiments.calibrate_wave"
        )


if __name__ == "__main__":
    main()
