"""Backtest: the model's forecasts from past origins against naive forecasters. Writes scores.csv.

    python -m experiments.backtest                                   # every default origin; docs/forecast.md
    python -m experiments.backtest --origins 2024-07-01,2025-07-01 --particles 40 --out /tmp/bt

Each origin knows only the months and the record's events before it (sim/analysis/forecast/).
`--out DIR` gets `scores.csv` (origin, target, horizon, forecaster, wis, cov50, cov90),
`forecasts.csv` (the quantiles), `conditioning.csv` and the runs (`smc/` for the conditioning,
`runs/<origin>/` for the forecasts; resumable: a second call runs only what is missing). Without
`--out` the results go to `backtest/` and the page `docs/forecast.md` with its fan charts is
written; with it, the page goes into DIR instead, so a trial run never rewrites the checkout's docs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _origins(text: str | None) -> list[dt.date]:
    from sim.analysis.forecast.backtest import default_origins

    if not text:
        return default_origins()
    try:
        return [dt.date.fromisoformat(part.strip()) for part in text.split(",")]
    except ValueError as err:
        sys.exit(f"error: --origins takes dates YYYY-MM-DD separated by commas ({err})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--origins", default=None, help="dates YYYY-MM-DD, comma-separated (default: the issue's 20)")
    ap.add_argument("--particles", type=int, default=100, help="parameter sets in the population (default 100)")
    ap.add_argument("--out", type=Path, default=None, help="results here; the checkout's docs are left alone")
    ap.add_argument("--moves", type=int, default=1, help="move steps each time the population is resampled (default 1)")
    ap.add_argument(
        "--seed", type=int, default=1, help="the sampler's seed: another draw of the same backtest (default 1)"
    )
    ap.add_argument(
        "--replicates",
        type=int,
        default=3,
        help="seeds a particle's likelihood is the mean over, in the prior and every move (default 3)",
    )
    ap.add_argument("--processes", type=int, default=None)
    args = ap.parse_args()
    if args.particles < 1:
        sys.exit(f"error: --particles = {args.particles} is not allowed: it must be at least 1")
    if args.replicates < 1:
        sys.exit(f"error: --replicates = {args.replicates} is not allowed: it must be at least 1")
    origins = _origins(args.origins)
    out = args.out or ROOT / "backtest"
    out.mkdir(parents=True, exist_ok=True)
    from sim.analysis.chunks import Stopwatch
    from sim.analysis.figures.forecasts import fan_charts
    from sim.analysis.forecast import backtest, page, smc

    started = time.time()
    scores, forecasts, conditioning = backtest.run(
        origins,
        args.particles,
        out,
        moves=args.moves,
        seed=args.seed,
        replicates=args.replicates,
        processes=args.processes,
    )
    seconds, ran = Stopwatch.measured(out)  # every invocation's runs once the prior existed (`backtest.run`)
    prior = Stopwatch.measured(smc.prior_folder(out / "smc", args.replicates))
    scores.to_csv(out / "scores.csv", index=False)
    forecasts.to_csv(out / "forecasts.csv", index=False)
    conditioning.to_csv(out / "conditioning.csv", index=False)
    doc = out / "forecast.md" if args.out else DOCS / "forecast.md"
    figure = fan_charts(forecasts, doc.parent / "figures" / "forecast.png")
    text = page.render(
        scores,
        conditioning,
        args.particles,
        figure.relative_to(doc.parent),
        seconds,
        ran,
        args.replicates,
        args.seed,
        prior,
    )
    doc.write_text(text, encoding="utf-8")
    print(f"{len(scores)} scores from {len(origins)} origins in {time.time() - started:.0f} s: {out / 'scores.csv'}")
    print(f"page: {doc}")


if __name__ == "__main__":
    main()
