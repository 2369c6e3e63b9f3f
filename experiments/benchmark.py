"""How fast the model runs, measured, printed, and compared between two commits side by side.

    python -m experiments.benchmark                          # every measurement, this tree
    python -m experiments.benchmark --compare 2cd1a87        # the same for this tree and a commit, alternating
    python -m experiments.benchmark --only day,run --compare 2cd1a87 --repeats 5
    python -m experiments.benchmark --only ensemble --ensemble-runs 10000   # 10,000 one-year runs through sim.ensemble
    python -m experiments.benchmark --sweep                  # the worker-pool check: a sweep on 1 worker and on all
    python -m experiments.benchmark --same-results ea905f4   # the speed work changed no number: 3 scenarios x 3 seeds

Measurements (`--only` picks some):
- `day`: ms per simulated day in-process, best of 5 runs of the steady world (record off, a
  two-year horizon), model construction and tables left out;
- `run`: a default run's seconds in-process (`simulate()`: build, days, summary, daily table),
  and `cli`: as a command (`python -m sim seed=N`, interpreter start-up included);
- `briefing`: the briefing pack's ensemble (`python -m experiments.briefing`), the whole command;
- `sweep`: a sweep of `--sweep-runs` distinct runs (`seed=range(1,N+1)`, a one-year horizon,
  summaries only where the tree has `outputs`), the whole command, as runs per second;
- `ensemble`: `--ensemble-runs` distinct one-year runs through `sim.ensemble` on all cores,
  summaries only (no daily tables, where the tree's `sim.ensemble` has `daily`), the whole
  command with its progress bar, as runs per second;
- `explorer`: on the explorer page in headless Chromium (experiments/browser.py), the seconds from
  pressing Run to the first figure, for the page's defaults (4 seeds x 1 year, both arms), each
  repeat on a freshly started page once its workers are warm. This tree only: it needs Chromium
  and the `dev` extra (Playwright).

Each measurement runs in a fresh interpreter of the tree it measures, so two trees are timed
alike; with `--compare` the two alternate, run by run, so that drifts in this machine's speed
(±30% is common) hit both, and the ratio is of the medians. The other commit is checked out into
a temporary git worktree and run with this environment's packages.
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
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
MEASUREMENTS = ("day", "run", "cli", "briefing", "sweep", "ensemble", "explorer")
ENSEMBLE = """
import inspect, sys
import sim
first, n = int(sys.argv[1]), int(sys.argv[2])
summaries_only = {"daily": False} if "daily" in inspect.signature(sim.ensemble).parameters else {}
result = sim.ensemble(["no_strike"], seeds=range(first, first + n), horizon_days=365, **summaries_only)
assert (result.runs["status"] == "ok").all()
"""

# Run inside a tree's own interpreter; prints one JSON number. Works for trees from before the
# record (sim.model, no `record` argument) and after it (sim.world.model).
IN_PROCESS = """
import inspect, json, os, sys, time
if os.path.exists("sim/world/model.py"):  # the tree's own layout (an editable install could lend another's)
    from sim.world.model import CartelModel
else:
    from sim.model import CartelModel
from sim import simulate  # sim.core before the run moved to sim/runs/, sim.runs.simulate after
what, seed = sys.argv[1], int(sys.argv[2])
steady = {"record": "none", "burn_in_days": 365} \
if "record" in inspect.signature(CartelModel.__init__).parameters else {"burn_in_days": 730}
warm = CartelModel(seed=0, horizon_days=10, **steady)
warm.run()  # imports, data tables, compiled code: not timed
simulate(seed=0, horizon_days=10)
if what == "day":
    best = float("inf")
    for s in range(seed, seed + 5):
        model = CartelModel(seed=s, horizon_days=730, **steady)
        steps = getattr(model, "end_day", model.horizon_days) - model.day  # end_day: the days a run covers
        t = time.perf_counter()
        model.run()
        best = min(best, (time.perf_counter() - t) / steps * 1e3)
    print(json.dumps(best))
else:
    t = time.perf_counter()
    simulate(seed=seed)
    print(json.dumps(time.perf_counter() - t))
"""


# Summaries and a hash of the daily table of 3 scenarios x 3 seeds, as JSON: what must not change
# when only the code's speed does.
RESULTS = """
import hashlib, json
import sim
try:
    from sim.runs.summary import dumps
except ImportError:  # a tree from before sim/runs/
    from sim.summary import dumps
out = {}
for scenario in ("no_strike", "mencho_strike", "second_front"):
    for seed in (1, 2, 3):
        r = sim.run(scenario, seed=seed, horizon_days=400)
        out[f"{scenario}/seed{seed}"] = \
[dumps(r.summary), hashlib.sha256(r.timeseries.to_csv(index=False).encode()).hexdigest()]
print(json.dumps(out))
"""


def _env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree)}


def _in_process(tree: Path, what: str, seed: int) -> float:
    out = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, what, str(seed)],
        cwd=tree,
        env=_env(tree),
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def _command(tree: Path, args: list[str]) -> float:
    """Seconds of a whole command run in the tree."""
    t = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=tree, env=_env(tree), check=True, capture_output=True, text=True)
    return time.perf_counter() - t


def _has_outputs(tree: Path) -> bool:
    return "outputs:" in (tree / "conf" / "config.yaml").read_text(encoding="utf-8")


def measurement(what: str, sweep_runs: int, ensemble_runs: int = 500) -> Callable[[Path, int], float]:
    """The function that times `what` in a tree for one seed (or repeat)."""

    def cli(tree: Path, seed: int) -> float:
        with tempfile.TemporaryDirectory() as out:
            return _command(tree, ["-m", "sim", f"seed={seed}", f"hydra.run.dir={out}"])

    def briefing(tree: Path, seed: int) -> float:
        with tempfile.TemporaryDirectory() as out:
            return _command(tree, ["-m", "experiments.briefing", "--out", out])

    def sweep(tree: Path, seed: int) -> float:
        with tempfile.TemporaryDirectory() as out:
            extra = ["outputs=summary"] if _has_outputs(tree) else []
            seconds = _command(
                tree,
                [
                    "-m",
                    "sim",
                    "-m",
                    f"seed=range({seed},{seed + sweep_runs})",
                    "horizon_days=365",
                    *extra,
                    f"hydra.sweep.dir={out}",
                ],
            )
            return sweep_runs / seconds

    def ensemble(tree: Path, seed: int) -> float:
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", ENSEMBLE, str(seed * 100_000), str(ensemble_runs)],
            cwd=tree,
            env=_env(tree),
            check=True,
            text=True,
            stdout=subprocess.DEVNULL,
        )  # the progress bar shows on stderr
        return ensemble_runs / (time.perf_counter() - t)

    def explorer(tree: Path, seed: int) -> float:  # this tree only: `run` never times it in another
        from sim.explorer import browser

        with browser.served() as url, browser.page_at(url) as page:
            return browser.run(page)

    return {
        "explorer": explorer,
        "day": lambda tree, seed: _in_process(tree, "day", seed),
        "run": lambda tree, seed: _in_process(tree, "run", seed),
        "cli": cli,
        "briefing": briefing,
        "sweep": sweep,
        "ensemble": ensemble,
    }[what]


UNITS = {
    "day": "ms per simulated day (best of 5)",
    "run": "s, a default run in-process",
    "cli": "s, a default run as a command",
    "briefing": "s, the briefing pack (its defaults: 7 scenarios x 50 plausible worlds x 2 seeds, 3 years)",
    "sweep": "runs per second",
    "ensemble": "runs per second through sim.ensemble (one-year runs, summaries only)",
    "explorer": "s from Run to the first figure on the explorer page (4 seeds x 1 year)",
}


def run(
    whats: list[str], repeats: int, sweep_runs: int, other: Path | None, label: str, ensemble_runs: int = 500
) -> None:
    for what in whats:
        time_it = measurement(what, sweep_runs, ensemble_runs)
        ours, theirs = [], []
        for i in range(repeats):  # alternate the trees, run by run
            seed = 1 + 10 * i
            ours.append(time_it(HERE, seed))
            if other is not None and what != "explorer":
                theirs.append(time_it(other, seed))
            pair = f", {label} {theirs[-1]:.4g}" if theirs else ""
            print(f"  {what} #{i + 1}: this tree {ours[-1]:.4g}{pair}", flush=True)
        line = f"{what}: this tree {statistics.median(ours):.4g}"
        if theirs:
            a, b = statistics.median(ours), statistics.median(theirs)
            faster = b / a if what not in ("sweep", "ensemble") else a / b  # for runs per second, more is faster
            line += f", {label} {b:.4g}; this tree {faster:.2f}x as fast (ratio of medians of {repeats})"
        print(f"{line}  [{UNITS[what]}]", flush=True)


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


def pool_check(runs: int, repeats: int) -> None:
    """A sweep of `runs` runs on one joblib worker and on all cores, alternating, with the
    machine's own speed-up on plain loops beside each pair (on a shared machine it moves)."""
    cores = os.cpu_count() or 1
    pairs, machine = [], []
    with multiprocessing.Pool(cores) as pool:
        for _ in range(repeats):
            machine.append(machine_speed_up(pool, cores))
            times = []
            for n_jobs in (1, -1):
                with tempfile.TemporaryDirectory() as out:
                    times.append(
                        _command(
                            HERE,
                            [
                                "-m",
                                "sim",
                                "-m",
                                f"seed=range(1,{runs + 1})",
                                "horizon_days=365",
                                "outputs=summary",
                                f"hydra.launcher.n_jobs={n_jobs}",
                                f"hydra.sweep.dir={out}",
                            ],
                        )
                    )
            pairs.append(times)
            print(
                f"  1 worker {times[0]:.1f} s, {cores} workers {times[1]:.1f} s: {times[0] / times[1]:.2f}x "
                f"(machine: {machine[-1]:.2f}x)"
            )
    one, many = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
    print(
        f"sweep of {runs} runs: 1 worker {one:.1f} s, {cores} workers {many:.1f} s, speed-up {one / many:.2f}x; "
        f"the machine's own {statistics.median(machine):.2f}x"
    )


def same_results(other: Path, label: str) -> None:
    """Summaries and daily tables of 3 scenarios x 3 seeds in this tree and another, compared byte for byte."""
    ours, theirs = (
        json.loads(
            subprocess.run(
                [sys.executable, "-c", RESULTS], cwd=tree, env=_env(tree), check=True, capture_output=True, text=True
            ).stdout.splitlines()[-1]
        )
        for tree in (HERE, other)
    )
    for run_name, (summary, daily) in ours.items():
        other_summary, other_daily = theirs[run_name]
        print(
            f"  {run_name}: summary.json {'same' if summary == other_summary else 'DIFFERENT'}, "
            f"daily table {'same' if daily == other_daily else 'DIFFERENT'}"
        )
    same = sum(ours[k] == theirs[k] for k in ours)
    print(f"same results as {label}: {same} of {len(ours)} runs (summary.json and daily table byte for byte)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default=",".join(MEASUREMENTS), help=f"comma-separated, of {', '.join(MEASUREMENTS)}")
    ap.add_argument("--compare", metavar="COMMIT", help="time the same in COMMIT, alternating with this tree")
    ap.add_argument("--repeats", type=int, default=3, help="runs of each measurement per tree (default 3; medians)")
    ap.add_argument("--sweep-runs", type=int, default=1000, help="runs of the `sweep` measurement (default 1000)")
    ap.add_argument(
        "--ensemble-runs",
        type=int,
        default=500,
        help="runs of the `ensemble` measurement (default 500; the target: 10,000 in 15 min on 2 cores)",
    )
    ap.add_argument(
        "--sweep", action="store_true", help="instead: a sweep on 1 worker and on all cores (the worker-pool check)"
    )
    ap.add_argument(
        "--same-results", metavar="COMMIT", help="instead: compare 3 scenarios x 3 seeds with COMMIT, byte for byte"
    )
    args = ap.parse_args()
    if args.sweep:
        pool_check(min(args.sweep_runs, 200), args.repeats)
        return
    whats = [w.strip() for w in args.only.split(",") if w.strip()]
    unknown = set(whats) - set(MEASUREMENTS)
    if unknown:
        print(
            f"error: unknown measurement {', '.join(sorted(unknown))}; choose from {', '.join(MEASUREMENTS)}",
            file=sys.stderr,
        )
        sys.exit(2)
    if not (args.compare or args.same_results):
        run(whats, args.repeats, args.sweep_runs, None, "", args.ensemble_runs)
        return
    commit = args.same_results or args.compare
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(other), commit], cwd=HERE, check=True, capture_output=True
        )
        try:
            if args.same_results:
                same_results(other, commit)
            else:
                run(whats, args.repeats, args.sweep_runs, other, commit, args.ensemble_runs)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(other)], cwd=HERE, check=True, capture_output=True
            )


if __name__ == "__main__":
    main()
