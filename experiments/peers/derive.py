"""Derived tables of the BACRIM 2020 network and the national trends, for the peer model.

    python -m experiments.peers.derive /path/to/bacrim2020

writes `groups.csv`, `pairs.csv` and `trends.csv` to sim/analysis/peers/data/ (what they are, and
why only they are shipped: sim/analysis/peers/derive.py and data/README.md there).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.analysis.peers.derive import DATA, write


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="folder with the four BACRIM 2020 / trends CSVs")
    parser.add_argument(
        "--out", type=Path, default=DATA, help="where to write the tables (default: sim/analysis/peers/data)"
    )
    args = parser.parse_args()
    for path in write(args.source, args.out):
        print(path)


if __name__ == "__main__":
    main()
