"""Join a sweep folder's runs into one table of runs, one daily table and the standard figures.

Runs both as the end of `python -m sim -m ...` (through `sim.analysis.sweep.SweepCallback`) and as a
command on any sweep folder, e.g. after a cluster sweep or one in which a job crashed:

    python -m sim.analysis.collect multirun/2026-11-23_10-00-00 [--no-figures]

Every run folder holds a status.json (ok or failed with the error line); failed runs are listed
in `failures.csv` and kept as rows of `runs.csv` without results, so nothing is lost.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sim.analysis.pool import LauncherPool

# pandas is imported inside the functions: a sweep's parent process that leaves the collection
# to the launcher's workers never needs it (~0.3 s).
if TYPE_CHECKING:
    import pandas as pd

RUNS = "runs.csv"
DAILY = "daily.parquet"
FAILURES = "failures.csv"
FIGURES = "figures"
NON_OVERRIDE_KEYS = ("scenario", "seed")  # columns of their own in runs.csv
DAILY_COLUMNS = [
    "run",
    "scenario",
    "world",
    "seed",
    "day",
    "date",
    "metric",
    "value",
]  # world: a plausible world, or null


@dataclass
class SweepResult:
    """What a collected sweep holds: counts, failures and the files written."""

    folder: Path
    ok: int = 0
    failed: list[dict] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.ok + len(self.failed)


def run_folders(sweep_dir: Path) -> list[Path]:
    """Folders of the sweep's runs (each has a status.json), in a stable order."""
    return sorted(p.parent for p in sweep_dir.rglob("status.json") if p.parent != sweep_dir)


def _override_columns(overrides: list[str]) -> dict[str, str]:
    """Override values by key (e.g. params.capacity_investment), leaving out scenario and seed."""
    out = {}
    for item in overrides:
        key, _, value = item.lstrip("+~").partition("=")
        if key not in NON_OVERRIDE_KEYS and not key.startswith("hydra"):
            out[key] = value
    return out


def national_daily(
    timeseries: pd.DataFrame, run: str, scenario: str, seed: int, world: int | None = None
) -> pd.DataFrame:
    """A run's national rows of its daily table, tagged with the run, in the combined table's columns."""
    national = timeseries[timeseries["state"] == "MX"].drop(columns="state")
    return national.assign(run=run, scenario=scenario, world=world, seed=seed)[DAILY_COLUMNS]


def _run_row(folder: Path, sweep_dir: Path) -> tuple[dict, pd.DataFrame | None]:
    import pandas as pd

    status = json.loads((folder / "status.json").read_text(encoding="utf-8"))
    run = folder.relative_to(sweep_dir).as_posix()
    row = {
        "run": run,
        "scenario": status.get("scenario"),
        "seed": status.get("seed"),
        "status": status["status"],
        "error": status.get("error"),
    }
    row.update(_override_columns(status.get("overrides", [])))
    daily = None
    if status["status"] == "ok" and (folder / "summary.json").exists():
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        row.update({k: v for k, v in summary.items() if k not in row})
        if (folder / "timeseries.parquet").exists():  # not with outputs=summary
            national = pd.read_parquet(folder / "timeseries.parquet", filters=[("state", "==", "MX")])
            daily = national_daily(national, run, row["scenario"], row["seed"], summary.get("world"))
    return row, daily


def _numeric(runs: pd.DataFrame) -> pd.DataFrame:
    """Columns whose every value is a number (override values arrive as text) as numbers."""
    import pandas as pd

    for col in runs.columns.difference(["run", "scenario", "status", "error"]):
        converted = pd.to_numeric(runs[col], errors="coerce")
        if converted.notna().sum() == runs[col].notna().sum():
            runs[col] = converted
    return runs


def collect(sweep_dir: str | Path, figures: bool = True, pool: LauncherPool | None = None) -> SweepResult:
    """Write runs.csv, daily.parquet, failures.csv and the figures into the sweep folder.

    With a `pool` (the joblib launcher's workers) it runs on the workers in one share each: every
    share reads the runs, the first writes the tables, and each draws its share of the figures.
    """
    sweep_dir = Path(sweep_dir)
    shares = pool.workers if pool and figures else 1
    tasks = [(sweep_dir, figures, i, shares) for i in range(shares)]
    first, *others = pool.map(collect_share, tasks) if pool else [collect_share(*args) for args in tasks]
    first.files += [path for share in others for path in share.files]
    return first


def collect_share(sweep_dir: Path, figures: bool, share: int, shares: int) -> SweepResult:
    """Share `share` of `shares` of the collection: the tables if it is the first, and every
    `shares`-th figure. Each share reads the runs itself, so that all of them start at once."""
    result, runs, daily = read_runs(sweep_dir)
    if share == 0:
        result.files += write_tables(sweep_dir, result, runs, daily)
    if figures and result.ok:
        from sim.analysis import figures as fig  # matplotlib only when figures are wanted

        result.files += fig.briefing_figures(runs, daily, sweep_dir / FIGURES, book=None, part=(share, shares))
    return result


def read_runs(sweep_dir: Path) -> tuple[SweepResult, pd.DataFrame, pd.DataFrame | None]:
    """The sweep's counts and failures, its table of runs and its national daily table (None
    when no run succeeded), from the run folders."""
    import pandas as pd

    result = SweepResult(sweep_dir)
    rows, dailies = [], []
    for folder in run_folders(sweep_dir):
        row, daily = _run_row(folder, sweep_dir)
        rows.append(row)
        if daily is not None:
            dailies.append(daily)
        if row["status"] == "ok":
            result.ok += 1
        else:
            result.failed.append({k: row.get(k) for k in ("run", "scenario", "seed", "error")})
    runs = _numeric(pd.DataFrame(rows))
    return result, runs, pd.concat(dailies, ignore_index=True) if dailies else None


def write_tables(sweep_dir: Path, result: SweepResult, runs: pd.DataFrame, daily: pd.DataFrame | None) -> list[Path]:
    """runs.csv, failures.csv and (if any run succeeded) daily.parquet: the files written."""
    import pandas as pd

    from sim.runs.files import write_csv, write_parquet

    write_csv(runs, sweep_dir / RUNS)
    write_csv(pd.DataFrame(result.failed, columns=["run", "scenario", "seed", "error"]), sweep_dir / FAILURES)
    if daily is None:
        return [sweep_dir / RUNS, sweep_dir / FAILURES]
    write_parquet(daily, sweep_dir / DAILY)
    return [sweep_dir / RUNS, sweep_dir / FAILURES, sweep_dir / DAILY]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sweep_dir", type=Path)
    ap.add_argument("--no-figures", action="store_true")
    args = ap.parse_args()
    if not args.sweep_dir.is_dir():
        print(f"error: {args.sweep_dir} is not a folder", file=sys.stderr)
        sys.exit(2)
    result = collect(args.sweep_dir, figures=not args.no_figures)
    print(f"{result.ok} of {result.total} runs ok; wrote {', '.join(p.name for p in result.files)} in {result.folder}")
    for f in result.failed:
        print(f"failed: {f['run']}: {f['error']}", file=sys.stderr)
    if result.failed:
        sys.exit(2)


if __name__ == "__main__":
    main()
