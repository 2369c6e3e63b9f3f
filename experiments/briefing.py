"""The briefing pack: the main scenarios over plausible worlds x seeds, their figures, a PDF and a summary.

    python -m experiments.briefing                    # 7 scenarios x 50 worlds x 2 seeds, 3 years
    python -m experiments.briefing --worlds 60 --seeds 4 --out my_briefing
    python -m experiments.briefing --worlds 0 --seeds 20   # the long fit only: chance alone
    python -m experiments.briefing --record mexico_2024_2026 --out briefing_2024   # from the world of 2024

Writes into the folder (default `briefing/`): `figures/*.png|pdf`, `briefing.pdf` (every figure,
one per page), `summary.md` (headlines, key numbers, where the spread comes from, the robust
comparison and the scenario discovery), `robust.csv` (every pair of policies on every outcome:
the share of worlds the first does better), `runs.csv` (one row per run) and `daily.parquet`
(national daily rows). Until the pack is whole, `runs/` keeps the runs chunk by chunk as they
finish: interrupted (Ctrl-C), the same command resumes where it stopped. Every scenario runs in
the same plausible worlds with the same test seeds: by default the long record's (the world of 2014
through the decade to the origin, conditioned on every observed month: sim/data/long_worlds.csv,
docs/worlds.md), or with `--record mexico_2024_2026` the world of 2024's (sim/data/plausible_sets.csv),
so differences
are paired by world and seed (common random numbers); ranges cover both what we do not know about
the parameters and chance. Each policy is compared with the status quo after the strike, the
strike with no strike (sim/analysis/baselines.py), in the summary and the figures alike.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from sim.analysis.briefing.comparisons import SCENARIOS, policy_scenarios
from sim.analysis.briefing.sections import (
    bottom_line,
    discovery_section,
    distance_from_record,
    robust_section,
    robust_table,
)
from sim.analysis.briefing.summary import summary_markdown
from sim.world.record import LONG

WORLDS, SEEDS, HORIZON = 50, 2, 1095  # the defaults: about 9 minutes on 2 cores (the pasts from 2015 are most of it)
RUNS_FOLDER = "runs"  # in the pack's folder until it is whole: the runs, chunk by chunk, so an interrupted pack resumes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--worlds",
        type=int,
        default=WORLDS,
        help=(
            f"plausible worlds, the first N of the record's (sim/data/long_worlds.csv; with the record of 2024 "
            f"sim/data/plausible_sets.csv) (default {WORLDS}; 0: the record's fit only)"
        ),
    )
    ap.add_argument("--seeds", type=int, default=SEEDS, help=f"test seeds per world and scenario (default {SEEDS})")
    ap.add_argument(
        "--horizon-days", type=int, default=HORIZON, help=f"days from the origin (default {HORIZON}: three years)"
    )
    ap.add_argument(
        "--origin",
        default=None,
        help="the date the policies start and the horizon counts from (default: 2026-06-01, the day after the last "
        "observed month; 2026-02-22 is the strike's day)",
    )
    ap.add_argument(
        "--record",
        default=LONG,
        help=f"the past the worlds live through before the origin (default {LONG}: the world of 2014 through the "
        "decade, its fit and worlds; mexico_2024_2026: the world of 2024 through July 2024 - February 2026)",
    )
    ap.add_argument("--out", type=Path, default=Path("briefing"))
    ap.add_argument("--processes", type=int, default=None, help="worker processes (default: all cores)")
    ap.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    args = ap.parse_args()

    from sim.errors import ConfigError

    try:
        make(args)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:  # Ctrl-C: one line on what is kept, not a traceback
        print(
            f"interrupted; the finished runs are kept in {args.out / RUNS_FOLDER}: the same command resumes",
            file=sys.stderr,
        )
        sys.exit(130)


def make(args: argparse.Namespace) -> None:
    """The pack for the command line's arguments: every input and the output folder are checked
    before the first run; the runs are kept in `RUNS_FOLDER` as they finish."""
    import sim
    from sim.analysis import discovery, figures, robust
    from sim.analysis import seeds as seedlists
    from sim.analysis.document import write_pdf
    from sim.errors import ConfigError
    from sim.runs import plausible
    from sim.runs.config import check_scenario, check_setting
    from sim.runs.files import writable, write_csv, write_parquet, write_text
    from sim.world.calendar import DEFAULT_ORIGIN, FIRST_DAY, check_days, check_origin

    start, out = time.time(), args.out
    record = check_setting("record", args.record)
    world_of = plausible.kind(record)
    if not 0 <= args.worlds <= plausible.count(world_of) or args.seeds < 1:
        raise ConfigError(
            f"--worlds {args.worlds} --seeds {args.seeds} is not allowed: worlds must be from 0 to "
            f"{plausible.count(world_of)} (the plausible worlds in sim/data/{plausible.FILES[world_of]}) and seeds "
            "at least 1"
        )
    check_days("--horizon-days", args.horizon_days)
    origin = DEFAULT_ORIGIN if args.origin is None else check_origin(args.origin)
    for name in args.scenarios:
        check_scenario(name)
    writable(out / "figures")
    result = sim.ensemble(
        args.scenarios,
        seeds=seedlists.test(args.seeds),
        worlds=range(args.worlds) if args.worlds else None,
        processes=args.processes,
        horizon_days=args.horizon_days,
        origin=origin.isoformat(),
        folder=out / RUNS_FOLDER,
        record=record,
    )
    daily = result.daily[result.daily["day"] >= FIRST_DAY]  # from 2024, as the figures show it, whatever the record
    write_csv(result.runs, out / "runs.csv")
    write_parquet(daily, out / "daily.parquet")
    ok = result.runs[result.runs["status"] == "ok"]
    pngs = figures.briefing_figures(ok, daily, out / "figures", book=None)
    extra = robust_section(ok)
    if extra:
        write_csv(robust_table(ok), out / "robust.csv")
        pngs += figures.save(
            robust.figure(ok, "homicides_last_365", policy_scenarios(ok), version=sim.__version__),
            out / "figures",
            "robust",
        )[:1]
    found, box = discovery_section(ok, world_of)
    if box is not None:
        pngs += figures.save(discovery.figure(box, version=sim.__version__), out / "figures", "discovery")[:1]
    opening = bottom_line(ok, args.horizon_days, origin) + distance_from_record(daily, origin)
    summary = summary_markdown(
        result.runs,
        args.worlds,
        args.seeds,
        args.horizon_days,
        sim.__version__,
        extra + found,
        opening,
        origin,
        world_of,
    )
    write_text(out / "summary.md", summary)
    write_pdf(summary, pngs, out / "briefing.pdf", title="Briefing")  # text, tables, then every figure
    shutil.rmtree(out / RUNS_FOLDER)  # the pack is whole: runs.csv and daily.parquet hold the same rows
    print(
        f"briefing pack in {out}: {len(pngs)} figures, briefing.pdf, summary.md "
        f"({len(ok)} runs, {time.time() - start:.0f} s)"
    )
    if len(result.failed):
        print(f"error: {len(result.failed)} runs failed; see {out / 'runs.csv'}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
