"""Global sensitivity of the policy effects: Morris screening, then first-order indices; writes docs/sensitivity.md.

    python -m experiments.sensitivity                       # r = 20 Morris, N = 6000 second stage, 1 seed
    python -m experiments.sensitivity --trajectories 30 --n 3000 --seeds 2
    python -m experiments.sensitivity --folder sens_runs    # resumes: chunks already in the folder are not run again
    python -m experiments.sensitivity --dask tcp://scheduler:8786   # the chunks on a Dask cluster's workers

Every parameter with a range (kinds `uncertainty` and `calibrated`, docs/parameters.md) is
screened with Morris's elementary effects on three outputs (sim/analysis/sensitivity.py): mu*
normalised by each output's largest, with 95% intervals. The factors whose interval's low end
clears `--threshold` on some output (at most `--top`) pass to the second stage: a Latin hypercube
of `--n` points over them, and first-order indices with 95% bootstrap half-widths. Each design
point runs no_strike, mencho_strike, kingpin_campaign and state_capacity on the same test seeds
(common random numbers) over three years, through `sim.ensemble`. The runs are written in chunks
to `--folder` (default `sensitivity/`, not committed) as they finish, with each invocation's wall
time and runs in its `timing.json`: the page's run times are measured, never written in code.
"""

from __future__ import annotations

import argparse
import zlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim import __version__  # noqa: E402
from sim.analysis import seeds as seedlists  # noqa: E402
from sim.analysis import sensitivity as sa  # noqa: E402
from sim.analysis.chunks import Stopwatch, dask  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "sensitivity.md"
TARGET = 0.05  # the widest 95% half-width the page calls converged
MIN_TRAJECTORIES = 20  # fewer, and the page calls itself a trial


def _outputs(frame: pd.DataFrame, stage: str) -> dict[str, np.ndarray]:
    failed = frame[frame["error"].astype(str) != ""]
    if len(failed):
        first = failed.iloc[0]
        raise SystemExit(
            f"{len(failed)} of {len(frame)} {stage} points failed (first, row {first.name}: {first['error']}); "
            "the other chunks are kept"
        )
    return {k: frame[k].to_numpy(float) for k in sa.OUTPUTS}


def _figure(morris: dict[str, pd.DataFrame], first: dict[str, pd.DataFrame], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(2, len(sa.OUTPUTS), figsize=(5 * len(sa.OUTPUTS), 9))
    for col, key in enumerate(sa.OUTPUTS):
        m = sa.normalised(morris[key]).sort_values("mu_star").tail(12)
        err = np.vstack([m["mu_star"] - m["low"], m["high"] - m["mu_star"]])
        axes[0, col].barh(m.index, m["mu_star"], xerr=err, color="0.5")
        axes[0, col].set_title(f"Morris normalised mu*: {key}", fontsize=9)
        s = first[key].sort_values("S1")
        axes[1, col].barh(s.index, s["S1"], xerr=s["S1_conf"], color="0.3")
        axes[1, col].tick_params(axis="y", labelsize=8)
        axes[1, col].set_title(f"first-order S1 ± 95%: {key}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds < 5400 else f"{seconds / 3600:.1f} h"


def _failures(args: argparse.Namespace) -> str:
    if not args.failed:
        return ""
    lines = "\n".join(f"- design row {row}: {error}" for row, error in args.failed)
    return f"""Morris points that failed; their {args.dropped} trajectories are left out of the Morris indices.
Their parameter values are in `design.csv` of the run's Morris folder, to find which values the
model cannot take:

{lines}

"""


def timing(args: argparse.Namespace, runs: int, k: int, n_top: int, lap: tuple[float, int]) -> str:
    """The paragraph on run time: this invocation's, measured, and the design's from scratch at the rate
    measured over the invocations that ran its runs (the folder's timing.json)."""
    seconds, ran = lap
    here = (
        f"this invocation took {_minutes(seconds)} of wall time and simulated {ran:,} runs "
        f"({ran / seconds:.2f} runs a second on {args.cores} cores)"
        if ran
        else f"this invocation simulated no runs (every chunk was in the folder) and took {_minutes(seconds)}"
    )
    total_s, total_runs = Stopwatch.measured(args.folder, lap)
    if not total_runs:
        return f"{here.capitalize()}; no invocation's timing is saved in the folder, so no rate is stated."
    rate = total_runs / total_s
    sobol = 1024 * (n_top + 2) * args.seeds * len(sa.SCENARIOS)
    return (
        f"{here.capitalize()}. Over every invocation that ran runs into this folder (its `timing.json`), "
        f"{total_runs:,} runs took {_minutes(total_s)}: {rate:.2f} runs a second, so this design's {runs:,} runs "
        f"take about {_minutes(runs / rate)} from scratch on this machine. For comparison, at that rate Sobol's "
        f"Saltelli design with totals at N = 1024 on the same {n_top} factors ({sobol:,} runs) would take "
        f"{_minutes(sobol / rate)}."
    )


def render(
    args: argparse.Namespace,
    k: int,
    morris: dict[str, pd.DataFrame],
    first: dict[str, pd.DataFrame],
    sums: dict[str, tuple[float, float]],
    top: list[sa.Factor],
    separated: bool,
    sizes: tuple[int, int],
    lap: tuple[float, int],
    spread: dict[str, tuple[float, float]],
) -> str:
    runs = (sizes[0] + sizes[1]) * args.seeds * len(sa.SCENARIOS)
    rule = (
        f"A factor passes when, on some output, the low end of its normalised mu*'s 95% interval is at least "
        f"{args.threshold:g}; at most {args.top} pass, those with the largest normalised mu* on any output. "
        + (
            f"{len(top)} passed."
            if separated
            else f"No factor's interval cleared {args.threshold:g}, so the {len(top)} with the largest normalised "
            "mu* go on: the screen did not separate them, and the second stage is all that ranks them."
        )
    )
    few = (
        f" (**a trial**: fewer than the {MIN_TRAJECTORIES} trajectories a screen needs; not for quoting)"
        if args.trajectories < MIN_TRAJECTORIES
        else ""
    )
    widest = max(float(df["S1_conf"].max()) for df in first.values())
    needed = int(np.ceil(args.n * (widest / TARGET) ** 2))
    converged = (
        f"Every half-width below is at most {TARGET:g} (the widest {widest:.3f})."
        if widest <= TARGET
        else f"**Not converged**: the widest half-width is {widest:.3f}, above the {TARGET:g} aimed at (each one "
        f"above is marked ⚠); half-widths shrink as 1 / sqrt(N), so N ≈ {needed:,} would bring the widest within it."
    )
    parts = [
        f"""# Global sensitivity

GENERATED by `python -m experiments.sensitivity --trajectories {args.trajectories} --n {args.n} --batch {args.batch} \
--seeds {args.seeds} --top {args.top} --threshold {args.threshold:g}`
(cartel-sim {__version__}); edit the script, not this page.

What moves the three effects an analyst quotes, over the plausible ranges of the {k} parameters
with a range (kinds `uncertainty` and `calibrated` in [parameters.md](parameters.md)):

{chr(10).join(f"- `{key}`: {what}" for key, what in sa.OUTPUTS.items())}

{_failures(args)}Each design point runs the four scenarios on the same {args.seeds} test seed(s) (common random
numbers: one past per seed, branched at day 0, and every point on the same seeds) over
{args.horizon_days} days, and the outputs are their means over the seeds.

**Stage 1, Morris screening** of all {k} factors: {args.trajectories} trajectories, 4 levels,
{sizes[0]:,} points{few}. For each output, mu* (the mean absolute elementary effect) is divided by the
output's largest mu*, and so is its 95% interval (SALib's bootstrap mu*_conf either side) and
sigma. {rule}

**Stage 2, first-order indices** of the {len(top)} factors that passed: Latin hypercubes of
{args.batch:,} points each (their own seeds; a uniform sample together), N = {args.n:,} points in all over their
ranges (the other factors at their defaults, so the indices share
out only what these move), and for each factor S1, the share of the output's variance its value
alone explains, by SALib's given-data estimator (the equal-frequency partition of
`SALib.analyze.delta`, Plischke 2013; each corrected for the chance spread of its class means, as an
adjusted R²), written `value ± half-width` of its 95% bootstrap interval
({args.resamples} resamples). {converged} The correction can leave an index that is zero slightly
below zero: read it as zero within its interval. Why not Sobol's Saltelli design: it gives total
indices too, but needs N (k + 2) points for one N (its cost is below), where the given-data
estimator needs N points in all and works on any sample. What S1 leaves out (one minus their sum) is the variance from
interactions between factors and the seed noise the {args.seeds} seed(s) leave in the output.

**Cost**: {sizes[0]:,} + {sizes[1]:,} points x {args.seeds} seed(s) x 4 scenarios = {runs:,} runs. \
{timing(args, runs, k, len(top), lap)} The runs go through `sim.ensemble` in chunks kept in the folder,
so an interrupted invocation resumes; `--dask ADDRESS` sends them to a Dask cluster's workers, with
the same numbers.

![Morris normalised mu* and first-order indices](figures/sensitivity.png)
"""
    ]
    passed = {f.name for f in top}
    for key in sa.OUTPUTS:
        m = sa.normalised(morris[key]).join(morris[key]["mu_star"].rename("raw"))
        m = m.sort_values("mu_star", ascending=False)
        s = first[key].sort_values("S1", ascending=False)
        lo, hi = spread[key]
        total, half = sums[key]
        rows = "\n".join(
            f"| `{n}`{' (passed)' if n in passed else ''} | {r.mu_star:.2f} [{r.low:.2f}, {r.high:.2f}] | "
            f"{r.sigma:.2f} | {_fmt(r.raw)} |"
            for n, r in m.head(12).iterrows()
        )
        srows = "\n".join(
            f"| `{n}` | {r.S1:.3f} ± {r.S1_conf:.3f}{f' ⚠ wider than {TARGET:g}' if r.S1_conf > TARGET else ''} |"
            for n, r in s.iterrows()
        )
        if total > 1:
            about = (
                f"The sum exceeds 1, which true first-order indices of independent factors cannot: the excess is "
                f"estimation error (its 95% interval, {total - half:.2f} to {total + half:.2f}, "
                f"{'includes' if total - half <= 1 else 'does not include'} 1): the errors of the {len(top)} "
                "estimates add up, and heavy tails in the output make the class means noisier than the correction "
                "for their chance spread assumes."
            )
        else:
            about = (
                f"95% interval {max(total - half, 0):.2f} to {total + half:.2f}; the other {1 - total:.2f} of the "
                "variance is interactions, seed noise and the estimates' error."
            )
        parts.append(f"""## `{key}`

Over the second stage's design it ranges {_fmt(lo)} to {_fmt(hi)} (5th to 95th percentile of the points).

Morris, the 12 largest of {k} (normalised mu* with its 95% interval; normalised sigma; mu* in the output's units):

| parameter | mu* / max mu* [low, high] | sigma / max mu* | mu* |
|---|---|---|---|
{rows}

First-order indices of the {len(top)} factors that passed (N = {args.n:,}): their sum is {total:.2f}. {about}

| parameter | S1 ± 95% |
|---|---|
{srows}
""")
    return "\n".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--trajectories", type=int, default=MIN_TRAJECTORIES, help=f"Morris trajectories (default {MIN_TRAJECTORIES})"
    )
    ap.add_argument("--n", type=int, default=6000, help="second stage: Latin hypercube points in all (default 6000)")
    ap.add_argument(
        "--batch", type=int, default=1500, help="second stage: points per Latin hypercube, each its own seed (1500)"
    )
    ap.add_argument("--seeds", type=int, default=1, help="test seeds per design point (default 1)")
    ap.add_argument("--top", type=int, default=10, help="at most this many factors pass the screen (default 10)")
    ap.add_argument(
        "--threshold",
        type=float,
        default=0.1,
        help="a factor passes when its normalised mu*'s 95%% interval's low end clears this on some output (0.1)",
    )
    ap.add_argument("--resamples", type=int, default=500, help="bootstrap resamples for the intervals (default 500)")
    ap.add_argument("--folder", type=Path, default=ROOT / "sensitivity", help="where the chunks go (resumable)")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument(
        "--dask",
        metavar="ADDRESS",
        default=None,
        help="run on the Dask cluster at ADDRESS (a scheduler's address or its scheduler file)",
    )
    ap.add_argument("--doc", type=Path, default=DOC, help="the page to write; its figure goes to figures/ beside it")
    ap.add_argument(
        "--only", nargs="+", default=None, help="screen only these parameters (default: every one with a range)"
    )
    ap.add_argument(
        "--horizon-days", type=int, default=sa.HORIZON_DAYS, help=f"days from day 0 (default {sa.HORIZON_DAYS})"
    )
    args = ap.parse_args()
    import os

    args.cores = args.workers or os.cpu_count()
    with Stopwatch(args.folder) as watch:
        seeds = seedlists.test(args.seeds)
        chosen = [f for f in sa.factors() if not args.only or f.name in args.only]
        design = sa.morris_design(chosen, args.trajectories)
        points = [sa.point_params(chosen, row) for row in design]
        launch = {
            "processes": args.workers,
            "executor": dask(args.dask) if args.dask else None,
            "horizon_days": args.horizon_days,
            "memory_gb": 8.0,
        }
        variant = (
            ""
            if not args.only and args.horizon_days == sa.HORIZON_DAYS
            else f"_{zlib.crc32(f'{args.only}{args.horizon_days}'.encode()):08x}"
        )
        morris_dir = args.folder / f"morris_r{args.trajectories}_s{args.seeds}{variant}"  # another design, other chunks
        frame = sa.run_design(points, morris_dir, seeds, progress=True, **launch)
        failed = frame[frame["error"] != ""]
        for row, error in failed["error"].items():
            print(f"morris point {row} failed: {error}; its trajectory is left out", flush=True)
        morris = {}
        for key in sa.OUTPUTS:
            kept_design, kept_y, dropped = sa.complete_trajectories(design, frame[key].to_numpy(float), len(chosen))
            morris[key] = sa.morris_indices(chosen, kept_design, kept_y)
        args.dropped = dropped
        args.failed = [(row, error) for row, error in failed["error"].items()]
        pd.DataFrame(points).to_csv(morris_dir / "design.csv", index_label="row")
        top, separated = sa.screen(morris, chosen, args.threshold, args.top)
        print("passed: " + ", ".join(f.name for f in top), flush=True)
        # the passed set names its folders: another set, other chunks; each batch of the hypercube its own folder,
        # so a larger --n runs only the batches it adds
        tag = zlib.crc32(",".join(f.name for f in top).encode())
        lpoints, frames = [], []
        for b, ldesign in enumerate(sa.lhs_batches(top, args.n, args.batch)):
            points_b = [sa.point_params(top, row) for row in ldesign]
            name = f"lhs_n{len(points_b)}_s{args.seeds}_{tag:08x}{variant}" + (f"_b{b}" if b else "")
            frames.append(sa.run_design(points_b, args.folder / name, seeds, progress=True, **launch))
            lpoints += points_b
        lframe = pd.concat(frames, ignore_index=True)
        x = np.array([[p[f.name] for f in top] for p in lpoints], float)  # as run: whole numbers rounded
        ly = _outputs(lframe, "second-stage")
        first, sums = {}, {}
        for key in sa.OUTPUTS:
            first[key], sums[key] = sa.first_order(top, x, ly[key], resamples=args.resamples)
        spread = {key: tuple(np.percentile(ly[key], [5, 95])) for key in sa.OUTPUTS}
        figure = args.doc.parent / "figures" / "sensitivity.png"
        _figure(morris, first, figure)
        page = render(
            args, len(chosen), morris, first, sums, top, separated, (len(points), len(lpoints)), watch.lap(), spread
        )
        args.doc.write_text(page, encoding="utf-8")
    print(f"wrote {args.doc} and {figure} in {watch.seconds:.0f} s ({watch.runs} runs simulated)")


if __name__ == "__main__":
    main()
