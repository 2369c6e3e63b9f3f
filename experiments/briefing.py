"""The briefing pack: the default ensemble of the main scenarios, its figures, a PDF and a summary.

    python -m experiments.briefing                    # 7 scenarios x 20 seeds, 2-year horizon
    python -m experiments.briefing --seeds 40 --out my_briefing --horizon-days 1095

Writes into the folder (default `briefing/`): `figures/*.png|pdf`, `briefing.pdf` (every figure,
one per page), `summary.md` (key numbers with their ranges over seeds), `runs.csv` (one row per
run) and `daily.parquet` (national daily rows). Every scenario uses the same seeds, so
differences from `no_strike` are paired (common random numbers).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

SCENARIOS = ("no_strike", "mencho_strike", "kingpin_campaign", "state_capacity", "second_front", "hugs_not_bullets", "combined")
BASELINE = "no_strike"


def _range(values: pd.Series, digits: int = 0) -> str:
    """'median [5th-95th percentile]' of a column over seeds."""
    v = values.dropna().astype(float)
    if v.empty:
        return "n/a"
    q = np.percentile(v, [50, 5, 95])
    fmt = (lambda x: f"{x:,.{digits}f}") if digits else (lambda x: f"{x:,.0f}")
    return f"{fmt(q[0])} [{fmt(q[1])}–{fmt(q[2])}]"


def paired(runs: pd.DataFrame, key: str, scenario: str) -> pd.Series:
    """Differences of `key` between a scenario and the baseline, seed by seed."""
    wide = runs.pivot_table(index="seed", columns="scenario", values=key)
    if scenario not in wide or BASELINE not in wide:
        return pd.Series(dtype=float)
    return wide[scenario] - wide[BASELINE]


def summary_markdown(runs: pd.DataFrame, seeds: int, horizon: int, version: str) -> str:
    ok = runs[runs["status"] == "ok"]
    lines = [
        "# Briefing: after the strike on the CJNG leader (22 February 2026)",
        "",
        f"cartel-sim {version}; generated {dt.date.today().isoformat()}; {len(ok)} runs ({seeds} seeds per scenario, "
        f"the same seeds in every scenario); horizon {horizon} days from 22 Feb 2026. Numbers are the median over "
        "seeds with the 5th–95th percentile in brackets: the spread of outcomes the model gives, not a forecast interval.",
        "",
        "## Key numbers",
        "",
        "| scenario | homicides, first year | change vs no strike (paired) | groups alive, day 365 | effective groups, day 365 | trafficking flow at the end (vs before) | states held (mean) | leaders removed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for scenario, g in ok.groupby("scenario", sort=False):
        diff = paired(ok, "homicides_d0_365", scenario) if scenario != BASELINE else pd.Series(dtype=float)
        lines.append(
            f"| `{scenario}` | {_range(g['homicides_d0_365'])} | {_range(diff) if len(diff) else '—'} | "
            f"{_range(g['groups_alive_d365'])} | {_range(g['effective_groups_d365'], 1)} | {_range(g['flow_ratio_end'], 2)} | "
            f"{_range(g['state_held_states_mean'], 1)} | {_range(g['leaders_removed'])} |"
        )
    past = ok[ok["scenario"] == BASELINE] if BASELINE in set(ok["scenario"]) else ok
    if len(past) and "homicides_record_monthly_error" in past:
        lines += [
            "",
            "## The past the scenarios share (the record, July 2024 - 21 February 2026)",
            "",
            f"- National homicides: {_range(past['homicides_2024'])} in 2024 (SESNSP: 30,046), {_range(past['homicides_2025'])} "
            "in 2025 (SESNSP, preliminary: about 23,240; not fitted).",
            f"- Against the 15 observed months from September 2024 (86.9 victims a day) to February 2026 (48.8): median error "
            f"{_range(100 * past['homicides_record_monthly_error'], 1)}% (figure `record`; docs/validation.md).",
            f"- Killings hidden as disappearances under the strategy: {_range(past['homicides_hidden_excess_per_day'], 1)} a day "
            "more than before it (registered disappearances rose by about 14 a day).",
        ]
    strike = ok[ok["scenario"] == "mencho_strike"]
    if len(strike):
        consolidated = strike["succession_days"].notna().mean()
        lines += [
            "",
            "## The day-0 wave and the succession (`mencho_strike`)",
            "",
            f"- Roadblocks in the first 48 hours: {_range(strike['roadblocks_48h'])}, in {_range(strike['roadblock_states_48h'])} states "
            "(articles: more than 250 in 20 states).",
            f"- Share cleared within 24 hours of being set: {_range(strike['roadblocks_cleared_24h_share'], 2)} (articles: most by Monday morning).",
            f"- National Guard killed in Jalisco in 72 hours: {_range(strike['guard_killed_jalisco_72h'])} (articles: 25); "
            f"gunmen killed by forces: {_range(strike['gunmen_killed_72h'])} (articles: about 34).",
            f"- A successor consolidated within the horizon in {consolidated:.0%} of runs, after {_range(strike['succession_days'])} days; "
            f"CJNG cells still loyal a year later: {_range(strike['cjng_loyal_share_d365'], 2)}.",
        ]
    failed = runs[runs["status"] != "ok"]
    if len(failed):
        lines += ["", f"**{len(failed)} runs failed**: see runs.csv (status, error)."]
    lines += [
        "",
        "## How to read this",
        "",
        "The model and its assumptions: docs/ODD.md; each policy lever and what it cannot represent: docs/policies.md; "
        "every parameter with its source: docs/parameters.md. The day-0 wave is calibrated to the articles "
        "(docs/calibration.md); the months after it are results of the model's mechanisms, not inputs.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20, help="seeds per scenario (default 20)")
    ap.add_argument("--horizon-days", type=int, default=730)
    ap.add_argument("--out", type=Path, default=Path("briefing"))
    ap.add_argument("--processes", type=int, default=None, help="worker processes (default: all cores)")
    ap.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    args = ap.parse_args()

    import sim
    from sim.analysis import figures
    from sim.errors import ConfigError

    start = time.time()
    try:
        result = sim.ensemble(args.scenarios, seeds=range(1, args.seeds + 1), processes=args.processes, horizon_days=args.horizon_days)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    result.runs.to_csv(out / "runs.csv", index=False)
    result.daily.to_parquet(out / "daily.parquet", index=False)
    ok = result.runs[result.runs["status"] == "ok"]
    pngs = figures.briefing_figures(ok, result.daily, out / "figures", baseline=BASELINE)
    (out / "figures" / "briefing.pdf").replace(out / "briefing.pdf")  # the whole pack, one figure a page
    (out / "summary.md").write_text(summary_markdown(result.runs, args.seeds, args.horizon_days, sim.__version__), encoding="utf-8")
    print(f"briefing pack in {out}: {len(pngs)} figures, briefing.pdf, summary.md ({len(ok)} runs, {time.time() - start:.0f} s)")
    if len(result.failed):
        print(f"error: {len(result.failed)} runs failed; see {out / 'runs.csv'}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
