"""Time the default run (burn-in, record and horizon) and print the figures.

    python -m experiments.benchmark [--repeats 5] [--strike]
    python -m experiments.benchmark --compare 2cd1a87   # the default run here beside another commit's
    python -m experiments.benchmark --sweep 8      # a Hydra sweep of 8 runs: 1 worker vs all cores

`--compare COMMIT` checks the commit out into a temporary git worktree and times each tree's own
default run (`simulate()` with every default) in a fresh process each, alternating between the
two trees so that drifts in machine speed hit both alike; it prints both medians and their ratio.

`--strike` times the mencho_strike settings (removal on day 0, wave, succession) instead.
`--sweep N` times `python -m sim -m seed=1..N` with the joblib launcher on one worker and on
all cores (interpreter start-up included: it is what a user waits for). Beside each pair it
measures what the machine itself gives at that moment: how much faster all cores run a plain
Python loop each than one core runs them in turn (on a shared virtual machine this moves).

Imports (Mesa alone costs ~0.7 s) and interpreter start-up are excluded: users running sweeps
pay them once per worker, not once per run.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import multiprocessing.pool
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def time_sweep(runs: int, n_jobs: int) -> tuple[float, float]:
    """Seconds for a Hydra sweep of `runs` default runs on `n_jobs` joblib workers.

    Returns (whole command, from the sweep's start to the last run's status file): the second
    leaves out interpreter start-up and the final collection, which no launcher can speed up.
    """
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "sim", "-m", f"seed=range(1,{runs + 1})", f"hydra.launcher.n_jobs={n_jobs}", f"hydra.sweep.dir={out}"]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=out)
        whole = time.perf_counter() - t0
        started = json.loads((Path(out) / "sweep.json").read_text())["started"]
        last = max(p.stat().st_mtime for p in Path(out).rglob("status.json"))
        return whole, last - started


TIMING = """
import sys, time
from sim.core import simulate
simulate(seed=0, horizon_days=10)  # imports and data tables, not timed
t = time.perf_counter()
simulate(seed=int(sys.argv[1]))
print(time.perf_counter() - t)
"""


def time_default_run(tree: Path, seed: int) -> float:
    """Seconds of one default run of the code in `tree`, in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", TIMING, str(seed)], cwd=tree, env=env, check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def compare(commit: str, repeats: int) -> None:
    """Time this tree's default run beside `commit`'s, alternating, and print medians and their ratio."""
    here = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(other), commit], cwd=here, check=True, capture_output=True)
        try:
            pairs = []
            for seed in range(1, repeats + 1):
                pairs.append((time_default_run(here, seed), time_default_run(other, seed)))
                print(f"  seed {seed}: this tree {pairs[-1][0]:.2f} s, {commit} {pairs[-1][1]:.2f} s")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=here, check=True, capture_output=True)
    ours, theirs = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
    print(f"default run, medians of {repeats}: this tree {ours:.2f} s, {commit} {theirs:.2f} s; ratio {ours / theirs:.2f} "
          "(each tree's own default: burn-in, record where it has one, and horizon)")


def _spin(n: int) -> None:
    total = 0
    for i in range(n):
        total += i
    assert total >= 0


def machine_speed_up(pool: multiprocessing.pool.Pool, workers: int, n: int = 10_000_000) -> float:
    """How much faster the pool's workers run one loop each at once than one worker runs them in turn."""
    t0 = time.perf_counter()
    pool.apply(_spin, (n,))
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    pool.map(_spin, [n] * workers)
    return workers * one / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--burn-in-days", type=int, default=365)
    ap.add_argument("--horizon-days", type=int, default=730)
    ap.add_argument("--strike", action="store_true", help="time the mencho_strike settings")
    ap.add_argument("--sweep", type=int, metavar="N", help="time a sweep of N runs on 1 worker and on all cores")
    ap.add_argument("--compare", metavar="COMMIT", help="time the default run here beside COMMIT's")
    args = ap.parse_args()
    if args.compare:
        compare(args.compare, args.repeats)
        return
    if args.sweep:
        cores = os.cpu_count()
        pairs, machine = [], []
        with multiprocessing.Pool(cores) as pool:
            # Alternate the two settings so that drifts in machine speed hit both alike.
            for _ in range(args.repeats):
                machine.append(machine_speed_up(pool, cores))
                pairs.append((time_sweep(args.sweep, 1), time_sweep(args.sweep, -1)))
                (one, _), (many, _) = pairs[-1]
                print(f"  1 worker {one:.1f} s, {cores} workers {many:.1f} s: {one / many:.2f}x (machine: {machine[-1]:.2f}x)")
        for label, i in (("whole command", 0), ("from the sweep's start to its last run", 1)):
            one = statistics.median(p[0][i] for p in pairs)
            many = statistics.median(p[1][i] for p in pairs)
            print(f"sweep of {args.sweep} default runs, {label}: 1 worker {one:.1f} s, {cores} workers {many:.1f} s "
                  f"(medians of {args.repeats}), speed-up {one / many:.2f}x")
        print(f"the machine's own speed-up on {cores} cores (plain loops): median {statistics.median(machine):.2f}x, "
              f"range {min(machine):.2f}-{max(machine):.2f}x")
        return
    params = {"strike_enabled": True} if args.strike else {}

    from sim.core import simulate
    from sim.world.calendar import FIRST_DAY
    from sim.world.model import CartelModel

    simulate(seed=0, burn_in_days=365, horizon_days=10)  # warm caches (data tables, imports)
    steps = args.burn_in_days - FIRST_DAY + args.horizon_days
    full, step_only = [], []
    for seed in range(1, args.repeats + 1):
        model = CartelModel(seed=seed, burn_in_days=args.burn_in_days, horizon_days=args.horizon_days, **params)
        t1 = time.perf_counter()
        model.run()
        t2 = time.perf_counter()
        full_run = simulate(seed=seed, burn_in_days=args.burn_in_days, horizon_days=args.horizon_days, **params)
        t3 = time.perf_counter()
        assert full_run.summary  # the timed call did real work
        step_only.append(t2 - t1)
        full.append(t3 - t2)
    years = steps / 365.0
    med_full, med_steps = statistics.median(full), statistics.median(step_only)
    n_cells = len(model.cells)
    print(f"{'mencho_strike' if args.strike else 'default'} run: {args.burn_in_days} burn-in + {-FIRST_DAY} from 1 Jan 2024 to day 0 + "
          f"{args.horizon_days} horizon days = {steps} steps, {n_cells} cells, {model.n_orgs} organisations")
    print(f"whole run (build, steps, summary, daily table): median {med_full:.3f} s over {args.repeats} runs (min {min(full):.3f}, max {max(full):.3f})")
    print(f"steps only: median {med_steps:.3f} s = {steps / med_steps:,.0f} steps per second")
    print(f"seconds per simulated year (whole run): {med_full / years:.3f}")


if __name__ == "__main__":
    main()
