"""Fit the world of 2014 to the long record (2015 - May 2026) and write the fit to sim/data/long_fit.csv.

The targets, the constraint and the search are in sim/analysis/calibration/long.py. Resumable:
the runs are kept in `--out` (default `long_fit/`, ignored by git). CMA-ES asks for its next
points from the scores of the last ones, so after a change to the score delete `--out`'s `cma/`
(the hypercube's runs stay valid: a point's score is computed from its runs).

    python -m experiments.calibrate_long                 # search, report, write sim/data/long_fit.csv
    python -m experiments.calibrate_long --dry-run       # search and report only
    python -m experiments.calibrate_long --rescore       # no search: re-run the shipped fit, rewrite its report
"""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path
from typing import Any

from sim import parameters
from sim.analysis import seeds as seedlists
from sim.analysis.calibration import long
from sim.analysis.calibration.report import write_section


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=200, help="Latin hypercube points (default 200)")
    ap.add_argument("--generations", type=int, default=40, help="CMA-ES generations after the hypercube (default 40)")
    ap.add_argument("--seeds", type=int, default=3, help="calibration seeds per point in the search (default 3)")
    ap.add_argument("--finalists", type=int, default=5, help=f"best points re-measured on {long.FINAL_SEEDS} seeds")
    ap.add_argument("--sigma", type=float, default=long.CMA_SIGMA, help="CMA-ES's first step, in units of a range")
    ap.add_argument(
        "--factors", default=None, help="comma-separated: only these move, the rest keep the current fit's values"
    )
    ap.add_argument("--out", type=Path, default=Path("long_fit"), help="folder of the runs (resumable)")
    ap.add_argument("--dry-run", action="store_true", help="report the fit without writing it")
    ap.add_argument(
        "--rescore",
        action="store_true",
        help=f"no search: the shipped fit on {long.FINAL_SEEDS} calibration seeds, its report rewritten",
    )
    args = ap.parse_args()
    if args.rescore:
        point = long.fitted()
        runs = long.run([point], seedlists.calibration(long.FINAL_SEEDS), args.out / "rescore", progress=False)
        _report(point, long.score(runs))
        return
    start = {**parameters.defaults(), **_current()}
    names = tuple(args.factors.split(",")) if args.factors else long.SEARCHED
    unknown = sorted(set(names) - set(long.SEARCHED))
    if unknown:
        ap.error(f"--factors: {', '.join(unknown)} not searched by the long fit; allowed: {', '.join(long.SEARCHED)}")
    point, sc = long.search(
        args.points, args.generations, args.seeds, args.finalists, args.out, start, args.sigma, names, progress=False
    )
    print("chosen:", long.describe(point, sc))
    if args.dry_run:
        print(long.by_year(sc).to_string())
    else:
        long.write(point, _data(long.FIT_FILE))
        _report(point, sc)


def _report(point: dict[str, float], sc: dict[str, Any]) -> None:
    """The fit's year table, its decade checks, docs/calibration.md §5 and the discrepancy it leaves."""
    years = long.by_year(sc)
    print(years.to_string())
    presence, sizes = long.decade_checks(point, seedlists.calibration(long.FINAL_SEEDS))
    print(presence.groupby("organisation")[["states", "data", "agree"]].median().to_string())
    print(sizes.median().to_string())
    long.write_discrepancy(sc, _data(long.DISCREPANCY_FILE))
    write_section("long", long.section(point, sc, years, presence, sizes))
    print(f"wrote sim/data/{long.DISCREPANCY_FILE} and docs/calibration.md (section long)")


def _data(name: str) -> Path:
    return Path(str(resources.files("sim.data").joinpath(name)))


def _current() -> dict[str, float]:
    try:
        return long.fitted()
    except FileNotFoundError:
        return {}


if __name__ == "__main__":
    main()
