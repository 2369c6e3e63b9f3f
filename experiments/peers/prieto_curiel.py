"""The cartel-recruitment model of Prieto-Curiel, Campedelli & Hope (2023), re-implemented.

    python -m experiments.peers.prieto_curiel           # the checklist against expected and published numbers
    python -m experiments.peers.prieto_curiel --refit   # also refit the five parameters (L-BFGS-B)
    python -m experiments.peers.prieto_curiel --poisson 7   # a Poisson initial condition, seeded

The model and its checklist: sim/analysis/peers/prieto_curiel.py.
"""

from __future__ import annotations

import argparse

import numpy as np

from sim.analysis.peers.prieto_curiel import refit, report, reproduce


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--poisson", type=int, metavar="SEED", help="Poisson initial condition drawn with this seed")
    parser.add_argument("--refit", action="store_true", help="also refit the five parameters (a few seconds)")
    args = parser.parse_args()
    rng = None if args.poisson is None else np.random.default_rng(args.poisson)
    print(report(reproduce(rng=rng)))
    if args.refit:
        fitted, value = refit()
        print(
            "\nRefit (scaled):",
            np.round(fitted.scaled(), 4),
            f"SSE {value:,.0f}",
            "; expected (2.5275, 110, 1.5493, 0.04, 115), SSE 37,964",
        )


if __name__ == "__main__":
    main()
