"""Fit the three national scale parameters to calendar 2024, and write them back.

The targets and the fixed-point iteration are in sim/analysis/calibration/baseline.py.

    python -m experiments.calibrate_baseline            # fit, report, write conf + table + docs
    python -m experiments.calibrate_baseline --dry-run  # fit and report only
"""

from __future__ import annotations

import argparse

from sim import parameters
from sim.analysis import seeds
from sim.analysis.calibration.baseline import FORCES_TARGET, HOMICIDES_TARGET, calibrate
from sim.analysis.calibration.report import table, write_section
from sim.runs.paramfiles import write_parameter_defaults


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=6, help="seeds per evaluation (default 6)")
    ap.add_argument("--dry-run", action="store_true", help="report the fit without writing it")
    args = ap.parse_args()
    values, fit = calibrate(seeds.calibration(args.seeds))
    print("fitted:", ", ".join(f"{k} = {v:.4g}" for k, v in values.items()))
    print(
        f"fit: members {fit['members']:.0f} (target {parameters.defaults()['members_total']:.0f}), "
        f"homicides {fit['homicides']:.0f} (target {HOMICIDES_TARGET:.0f}), "
        f"forces {fit['forces']:.0f} (target {FORCES_TARGET:.0f}), "
        f"recruits/week {fit['recruits_weekly']:.0f} (literature 350-370, not fitted)"
    )
    if not args.dry_run:
        write_parameter_defaults({k: float(f"{v:.4g}") for k, v in values.items()})
        rows = [
            ["members on 1 Jan 2024", f"{parameters.defaults()['members_total']:,.0f}", f"{fit['members']:,.0f}"],
            ["national homicides, 2024", f"{HOMICIDES_TARGET:,.0f}", f"{fit['homicides']:,.0f}"],
            ["security-force deaths, 2024", f"{FORCES_TARGET:,.0f}", f"{fit['forces']:,.0f}"],
            ["recruits a week, 2024 (not fitted)", "350-370", f"{fit['recruits_weekly']:,.0f}"],
        ]
        write_section(
            "baseline",
            table(["parameter", "fitted value"], [[f"`{k}`", f"{v:.4g}"] for k, v in values.items()])
            + "\n\n"
            + table([f"quantity (median over {args.seeds} seeds)", "target", "fit"], rows),
        )
        print("wrote sim/data/parameters.csv, conf/params/default.yaml, docs/parameters.md")


if __name__ == "__main__":
    main()
