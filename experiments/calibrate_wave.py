"""Fit the retaliation wave of 22 February 2026 to the articles' figures, and write it back.

The targets and the fixed-point iteration are in sim/analysis/calibration/wave.py.

    python -m experiments.calibrate_wave            # fit, report, write conf + table + docs
    python -m experiments.calibrate_wave --dry-run  # fit and report only
"""

from __future__ import annotations

import argparse
from typing import Any

from sim.analysis import seeds
from sim.analysis.calibration.report import table, write_section
from sim.analysis.calibration.wave import REPORTED, TARGETS, calibrate
from sim.runs.paramfiles import write_parameter_defaults


def write_doc(values: dict[str, float], fit: dict[str, float], runs: list[dict[str, Any]], n_seeds: int) -> None:
    """Its section of docs/calibration.md: what was fitted, to what, and how close over the seeds."""
    rows = []
    for k in REPORTED:
        per_seed = sorted(r[k] for r in runs)
        target = f"{TARGETS[k]:g}" if k in TARGETS else "about 34 (check, not fitted)"
        rows.append([f"`{k}`", target, f"{fit[k]:.3g}", f"{per_seed[0]:.3g} – {per_seed[-1]:.3g}"])
    write_section(
        "wave",
        table(["parameter", "fitted value"], [[f"`{k}`", f"{v:.4g}"] for k, v in values.items()])
        + "\n\n"
        + table([f"quantity (median over {n_seeds} seeds)", "target", "fit", "range over seeds"], rows),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20, help="seeds per evaluation (default 20)")
    ap.add_argument("--dry-run", action="store_true", help="report the fit without writing it")
    args = ap.parse_args()
    values, fit, runs = calibrate(seeds.calibration(args.seeds))
    print("fitted:", ", ".join(f"{k} = {v:.4g}" for k, v in values.items()))
    print(
        "fit:", ", ".join(f"{k} {fit[k]:.3g}" + (f" (target {TARGETS[k]:g})" if k in TARGETS else "") for k in REPORTED)
    )
    if not args.dry_run:
        write_parameter_defaults({k: float(f"{v:.4g}") for k, v in values.items()})
        write_doc(values, fit, runs, args.seeds)
        print(
            "wrote sim/data/parameters.csv, conf/params/default.yaml, docs/parameters.md "
            "and its section of docs/calibration.md"
        )


if __name__ == "__main__":
    main()
