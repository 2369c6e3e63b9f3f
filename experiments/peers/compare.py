"""The peer model's policy experiments run on this model, side by side with the peer's numbers.

    python -m experiments.peers.compare                 # 20 test seeds, 5 years, 2 workers: about 30 s
    python -m experiments.peers.compare --seeds 40

The experiments, their windows and the report: sim/analysis/peers/compare.py.
"""

from __future__ import annotations

import argparse

from sim.analysis.peers.compare import HORIZON_DAYS, render, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--seeds", type=int, default=20, help="test seeds (sim/analysis/seeds.py)")
    parser.add_argument("--workers", type=int, help="processes (default: one per core, at most one per seed)")
    parser.add_argument("--horizon-days", type=int, default=HORIZON_DAYS)
    args = parser.parse_args()
    print(render(run(args.seeds, args.workers, args.horizon_days)), end="")


if __name__ == "__main__":
    main()
