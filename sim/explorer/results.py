"""The explorer's runs, key numbers and figures, with no page in sight: what the page shows is what
these functions return, so a test (or a notebook) gets the same numbers without a browser.

Both arms run through `sim.ensemble`, the API behind the briefing, on the same seeds and worlds:
the scenario with the analyst's levers, and the baseline as configured. A seed and setting
therefore give the numbers `python -m sim scenario=... params.NAME=... seed=N` gives.
"""

from __future__ import annotations

import io
from concurrent.futures import Executor
from functools import partial
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.analysis import figures
from sim.analysis.baselines import first_year
from sim.analysis.ensembles import Arm, EnsembleResult, ensemble
from sim.analysis.robust import seed_values
from sim.analysis.style import KEY_LABELS
from sim.explorer.choices import Choice
from sim.world.calendar import DEFAULT_ORIGIN

OUTCOMES = {  # summary key -> label, in the table's order after the first year's; lower is better for each
    "homicides_last_365": "final-year homicides",
    "groups_alive_end": "armed groups at the end",
    "flow_ratio_end": "trafficking flow at the end (ratio to before day 0)",
    "roadblocks_48h": "roadblocks in the first 48 hours",
}


def run(
    choice: Choice,
    executor: Executor | None = None,
    progress: Callable[[int, int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    pasts: Path | None = None,
) -> EnsembleResult:
    """Both arms of `choice` in one ensemble, paired by world and seed: the baseline as configured
    and the scenario with the levers, named `choice.arm`. Where the two differ only in levers they
    share each seed's past, simulated once, or read from `pasts` where an earlier Run saved it. One
    seed a chunk: the page's bar moves with every seed."""
    arms = [choice.baseline, Arm(choice.arm, choice.scenario, dict(choice.levers))]
    return ensemble(
        arms,
        executor=executor,
        progress=progress or False,
        cancel=cancel,
        chunk_size=1,
        pasts=pasts,
        **choice.ensemble_args(),
    )


def outcomes(baseline: str) -> dict[str, str]:
    """The table's outcomes against `baseline`: first the comparison's first year (`baselines.first_year`:
    the strike's from day 0 against no strike, else from the origin), then `OUTCOMES`."""
    year = first_year(baseline)
    return {year: KEY_LABELS[year], **OUTCOMES}


def key_numbers(runs: pd.DataFrame, arm: str, baseline: str, years: int = 1) -> pd.DataFrame:
    """Per outcome the runs have: each arm's median and 5-95% range, the paired difference (arm -
    baseline, same world and seed) and the share of pairs in which the arm is lower. The final year
    is shown only for runs of more than one `years` (else it is the first year again)."""
    rows = []
    for key, label in outcomes(baseline).items():
        if key not in runs or (key == "homicides_last_365" and years < 2):
            continue
        pairs = seed_values(runs, key, [baseline, arm])
        if pairs.empty:
            continue
        diff = pairs[arm] - pairs[baseline]
        rows.append(
            {
                "outcome": label,
                "baseline": _spread(pairs[baseline]),
                "scenario": _spread(pairs[arm]),
                "difference": _spread(diff, signed=True),
                "lower under the scenario": f"{(diff < 0).mean():.0%} of {len(diff)} pairs",
            }
        )
    return pd.DataFrame(rows, columns=["outcome", "baseline", "scenario", "difference", "lower under the scenario"])


def _spread(values: pd.Series, signed: bool = False) -> str:
    """Median [5th to 95th percentile]; a difference with its sign. Three significant figures below
    100 (sim.analysis.style.num's rounding would show a flow ratio of 1.01 to 1.05 as 1.0 to 1.1)."""
    lo, med, hi = np.percentile(values.astype(float), [5, 50, 95])
    return f"{_num(med, signed)} [{_num(lo, signed)} to {_num(hi, signed)}]"


def _num(v: float, signed: bool = False) -> str:
    text = f"{v:+,.0f}" if abs(v) >= 100 else f"{v:+.3g}"
    return text if signed and v != 0 else text.lstrip("+")


def figure_plan(result: EnsembleResult, choice: Choice) -> dict[str, tuple[str, Callable[[], Figure]]]:
    """The page's figures in the order they appear, by file name: (title, a function that draws it).
    Each is one of the briefing's standard figures (sim/analysis/figures/) on these runs."""
    ok = result.runs[result.runs["status"] == "ok"]
    daily = result.daily[result.daily["run"].isin(ok["run"])] if len(result.daily) else result.daily
    arms = set(ok["scenario"])
    both = {choice.arm, choice.baseline} <= arms
    plan: dict[str, tuple[str, Callable[[], Figure]]] = {}
    if len(daily):
        plan["homicides"] = (
            "National homicides against the baseline and the record",
            partial(figures.record_fit, daily, choice.baseline),
        )
        if both:
            plan["paired"] = (
                "Paired difference",
                partial(figures.paired_difference, daily, choice.baseline, scenarios=[choice.arm]),
            )
    if both and ok[first_year(choice.baseline)].notna().any():
        plan["effect_map"] = ("Effect per state", partial(figures.effect_map, ok, choice.arm, choice.baseline))
    if len(daily):
        plan["groups_alive"] = ("Armed groups alive", partial(figures.groups_over_time, daily))
    struck = [
        s
        for s in (choice.arm, choice.baseline)
        if "roadblocks_48h" in ok and (ok.loc[ok["scenario"] == s, "roadblocks_48h"] > 0).any()
    ]
    if struck:
        plan["wave"] = ("The day-0 wave", partial(figures.wave, ok, struck[0]))
    return plan


def image(fig: Figure, fmt: str) -> bytes:
    """The figure as PNG or PDF bytes, at the briefing's resolution."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=figures.DPI)
    return buffer.getvalue()


def table_bytes(frame: pd.DataFrame) -> bytes:
    """A table as CSV bytes, for a download."""
    return frame.to_csv(index=False).encode()


def failures(runs: pd.DataFrame) -> list[dict[str, Any]]:
    """The runs that did not finish: their name, status and error line."""
    bad = runs[runs["status"] != "ok"]
    return bad[["run", "status", "error"]].to_dict("records")


def commands(choice: Choice) -> list[str]:
    """The command-line sweeps that run the same two arms (`python -m sim -m ...`)."""
    common = [f"'seed=range(1,{choice.seeds + 1})'", f"horizon_days={365 * choice.years}", f"record={choice.record}"]
    if choice.worlds:
        common.insert(0, f"'world=range(0,{choice.worlds})'")
    levers = [f"params.{name}={_cli(value)}" for name, value in choice.levers.items()]
    return [
        " ".join(["python -m sim -m", f"scenario={scenario}", *common, *extra])
        for scenario, extra in ((choice.scenario, levers), (choice.baseline, []))
    ]


def _cli(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def describe(choice: Choice) -> str:
    """One paragraph saying what ran, for the page and for a reader of a downloaded table."""
    where = f"plausible worlds 0-{choice.worlds - 1}" if choice.worlds else "the record's fit"
    levers = ", ".join(f"{name} = {_cli(value)}" for name, value in choice.levers.items()) or "none"
    scenario, base = commands(choice)
    return (
        f"{choice.runs:,} runs: test seeds 1-{choice.seeds}, {where}, {choice.years} year(s) from the origin, "
        f"{DEFAULT_ORIGIN:%d %b %Y} (the strike: 22 Feb 2026). "
        f"Levers: {levers}. Median [5th to 95th percentile] over paired runs. "
        f"The same runs from the command line: `{scenario}` and `{base}`."
    )
