"""Time the default run (burn-in plus horizon) and print the figures.

    python -m experiments.benchmark [--repeats 5] [--strike]

`--strike` times the mencho_strike settings (removal on day 0, wave, succession) instead.

Imports (Mesa alone costs ~0.7 s) and interpreter start-up are excluded: users running sweeps
pay them once per worker, not once per run.
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--burn-in-days", type=int, default=730)
    ap.add_argument("--horizon-days", type=int, default=730)
    ap.add_argument("--strike", action="store_true", help="time the mencho_strike settings")
    args = ap.parse_args()
    params = {"strike_enabled": True} if args.strike else {}

    from sim.core import simulate
    from sim.model import CartelModel

    simulate(seed=0, burn_in_days=365, horizon_days=10)  # warm caches (data tables, imports)
    steps = args.burn_in_days + args.horizon_days
    full, step_only = [], []
    for seed in range(1, args.repeats + 1):
        t0 = time.perf_counter()
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
    print(f"{'mencho_strike' if args.strike else 'default'} run: {args.burn_in_days} burn-in + {args.horizon_days} horizon days = {steps} steps, {n_cells} cells, {model.n_orgs} organisations")
    print(f"whole run (build, steps, summary, daily table): median {med_full:.3f} s over {args.repeats} runs (min {min(full):.3f}, max {max(full):.3f})")
    print(f"steps only: median {med_steps:.3f} s = {steps / med_steps:,.0f} steps per second")
    print(f"seconds per simulated year (whole run): {med_full / years:.3f}")


if __name__ == "__main__":
    main()
