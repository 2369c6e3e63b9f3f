"""Scenario discovery with PRIM: in which region of the unknowns does a policy backfire?

The question of the briefing: in which plausible worlds does a kingpin campaign raise third-year
homicides by more than 10% over the status quo? Each case is one world (`world`) and seed with both
scenarios run, labelled by whether the policy backfired there; PRIM (ema_workbench's, not our own)
peels the parameter space down to a box where backfires concentrate. A box is read by its
coverage (share of all backfires inside it), density (share of the cases inside that backfire)
and mass (share of all cases inside).
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim import __version__
from sim.analysis.robust import markdown_table, percent, seed_values
from sim.analysis.style import OKABE_ITO, head, new_figure, source_line, style_axes

CLAIM = "a kingpin campaign raises third-year homicides by more than 10% over the status quo"


@dataclass(frozen=True)
class Box:
    """One box of PRIM's peeling trajectory, with what an analyst reports about it."""

    limits: dict[str, tuple[float, float]]  # only the parameters PRIM restricted: (low, high)
    ranges: dict[str, tuple[float, float]]  # every parameter's range over the cases
    coverage: float  # share of all backfiring cases that lie inside (NaN when none backfires)
    density: float  # share of the cases inside that backfire
    mass: float  # share of all cases inside
    cases: int
    base_rate: float  # share of all cases that backfire
    min_coverage: float
    min_density: float
    note: str = ""  # why the box restricts nothing, when it does not
    trajectory: pd.DataFrame = field(
        default_factory=pd.DataFrame, compare=False, repr=False
    )  # coverage, density, mass, res_dim
    chosen: int = 0  # the box's row in `trajectory`
    nearest: Box | None = None  # when no box qualifies: the densest that holds enough of them, whatever its density


def relative_change(
    runs: pd.DataFrame,
    policy: str = "kingpin_campaign",
    status_quo: str = "mencho_strike",
    outcome: str = "homicides_last_365",
) -> pd.Series:
    """(policy - status quo) / status quo per (world, seed) with both runs ok and a positive status
    quo: the effect on the same world and chance, as a share the briefing can quote."""
    values = seed_values(runs, outcome, [policy, status_quo])
    values = values[values[status_quo] > 0]
    return ((values[policy] - values[status_quo]) / values[status_quo]).rename("relative_change")


def backfire(
    runs: pd.DataFrame,
    worlds: pd.DataFrame,
    policy: str = "kingpin_campaign",
    status_quo: str = "mencho_strike",
    outcome: str = "homicides_last_365",
    threshold: float = 0.10,
) -> tuple[pd.DataFrame, np.ndarray]:
    """PRIM's inputs: X, one row per (world, seed) case with that world's parameters (from `worlds`,
    indexed by world; only numeric columns that vary across the cases' worlds: a constant cannot
    explain anything), and y, whether the policy raised `outcome` by more than `threshold`.
    X's index matches `relative_change(...)`, for callers who report the size of the change."""
    change = relative_change(runs, policy, status_quo, outcome)
    change = change[change.index.get_level_values("world").isin(worlds.index)]
    x = worlds.select_dtypes(include=["number", "bool"]).reindex(change.index.get_level_values("world")).astype(float)
    x.index = change.index
    return x.loc[:, x.nunique() > 1], (change > threshold).to_numpy()


def find_box(
    x: pd.DataFrame, y: np.ndarray, threshold: float = 0.5, min_coverage: float = 0.5, max_restricted: int = 3
) -> Box:
    """The box on PRIM's peeling trajectory with the highest density among those with coverage >=
    `min_coverage`, density >= `threshold` and at most `max_restricted` parameters restricted
    (ties go to the earlier, larger box). With dozens of parameters and a few hundred cases, PRIM
    peels on and on, and a box restricting a dozen of them fits chance: a first attempt over the
    plausible worlds restricted 13 parameters at 90% density and held 45% on held-out worlds,
    against a base rate of 44%. A box of a few parameters is one an analyst can read and check.

    `threshold` is PRIM's density threshold; 0.5 asks for a region where the policy backfires more
    often than not, the least that answers "where does it backfire". With `min_coverage` 0.5 the
    region must also hold most of the backfires, so it is not a corner of a few cases. When no box
    qualifies, none smaller beats the whole space, none backfires or all do, the Box restricts
    nothing and `note` says why.
    """
    x, y = x.astype(float), np.asarray(y, dtype=bool)
    ranges = {c: (float(x[c].min()), float(x[c].max())) for c in x.columns}
    base = dict(
        ranges=ranges, cases=len(y), base_rate=float(y.mean()), min_coverage=min_coverage, min_density=threshold
    )
    if y.all() or not y.any():
        note = "every case backfires" if y.all() else "no case backfires"
        coverage, density = (1.0, 1.0) if y.all() else (math.nan, 0.0)
        row = pd.DataFrame([{"coverage": coverage, "density": density, "mass": 1.0, "res_dim": 0}])
        return Box({}, coverage=coverage, density=density, mass=1.0, note=note, trajectory=row, **base)
    trajectory, box_at = _peel(x, y, threshold, base)
    eligible = trajectory[
        (trajectory["coverage"] >= min_coverage)
        & (trajectory["density"] >= threshold)
        & (trajectory["res_dim"] <= max_restricted)
    ]
    if not eligible.empty:
        return box_at(int(eligible["density"].idxmax()))
    note = (
        f"no region of at most {max_restricted} parameters holds at least {percent(min_coverage)} of them "
        f"with a density of at least {percent(threshold)}"
    )
    # ema_workbench keeps a trajectory only when its last box meets the threshold: peel again with the base rate as one
    full, near_at = _peel(x, y, base["base_rate"], base)
    near = full[(full["coverage"] >= min_coverage) & full["res_dim"].between(1, max_restricted)]
    nearest = (
        near_at(int(near["density"].idxmax()), f"its density is below the {percent(threshold)} asked")
        if len(near)
        else None
    )
    return Box(
        {}, coverage=1.0, density=base["base_rate"], mass=1.0, note=note, trajectory=trajectory, nearest=nearest, **base
    )


def _peel(x: pd.DataFrame, y: np.ndarray, threshold: float, base: dict) -> tuple[pd.DataFrame, Callable[..., Box]]:
    """One PRIM run: its peeling trajectory, and a function making the Box at a row of it."""
    with _quiet():
        from ema_workbench.analysis.prim import Prim

        prim = Prim(x, y.astype(int), threshold=threshold)
        peeled = prim.find_box()
    trajectory = peeled.peeling_trajectory[["coverage", "density", "mass", "res_dim"]].astype(float)

    def box_at(i: int, note: str = "") -> Box:
        lims, init = peeled.box_lims[i], prim.box_init
        limits = {c: (float(lims.at[0, c]), float(lims.at[1, c])) for c in x.columns if not lims[c].equals(init[c])}
        r = trajectory.loc[i]
        note = note or ("" if limits else "no smaller region concentrates them further")
        return Box(
            limits,
            coverage=float(r["coverage"]),
            density=float(r["density"]),
            mass=float(r["mass"]),
            note=note,
            trajectory=trajectory,
            chosen=i,
            **base,
        )

    return trajectory, box_at


def holds(box: Box, x: pd.DataFrame, y: np.ndarray) -> tuple[float, float, float]:
    """The box's coverage, density and mass on other cases (e.g. worlds it was not found on):
    a box that fitted chance loses its density there."""
    inside = np.ones(len(x), bool)
    for name, (low, high) in box.limits.items():
        inside &= (x[name] >= low).to_numpy() & (x[name] <= high).to_numpy()
    y = np.asarray(y, dtype=bool)
    coverage = float((inside & y).sum() / y.sum()) if y.any() else math.nan
    density = float(y[inside].mean()) if inside.any() else math.nan
    return coverage, density, float(inside.mean())


@contextmanager
def _quiet() -> Iterator[None]:
    """ema_workbench warns on import (ipyparallel, altair), trips pandas deprecations and logs each
    step at INFO: its own business, not the analyst's. Only its warnings and logs are muted."""
    logger = logging.getLogger("EMA")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module=r"ema_workbench(\.|$)")
            yield
    finally:
        logger.setLevel(level)


# ----- words, table and figure -------------------------------------------------------------------
def sentence(box: Box, claim: str = CLAIM) -> str:
    """One sentence for the briefing: how often the claim holds, where it holds most, how much."""
    if not box.limits:
        return (
            f"{_overall(box, claim)}; {box.note}." if box.note and 0 < box.base_rate < 1 else f"{_overall(box, claim)}."
        )
    *rest, last = [_where(name, box) for name in box.limits]
    where = f"{', '.join(rest)} and {last}" if rest else last
    return (
        f"{_overall(box, claim)}; where {where}, it does so in {percent(box.density)} of cases (density), "
        f"and that region holds {percent(box.coverage)} of all such cases (coverage)."
    )


def markdown(box: Box) -> str:
    """The box's limits, parameter by parameter ('–': not restricted on that side), then its numbers."""
    rows = []
    for name, (low, high) in box.limits.items():
        lo, hi = box.ranges[name]
        rows.append(
            [
                name,
                "–" if low <= lo else _value(low, hi - lo),
                "–" if high >= hi else _value(high, hi - lo),
                f"{_value(lo, hi - lo)} to {_value(hi, hi - lo)}",
            ]
        )
    limits = markdown_table(
        ["parameter", "low", "high", "range across the sets"], rows or [["(none)", "–", "–", box.note]]
    )
    stats = markdown_table(
        ["coverage", "density", "mass", "base rate", "cases"],
        [[percent(box.coverage), percent(box.density), percent(box.mass), percent(box.base_rate), str(box.cases)]],
    )
    if box.nearest is None:
        return f"{limits}\n\n{stats}"
    near = box.nearest
    return (
        f"{limits}\n\n{stats}\n\n**The nearest region**: the densest box on PRIM's trajectory, of few enough "
        f"parameters, that still holds at least {percent(box.min_coverage)} of them; {near.note}, so it shows where to "
        f"look, not a finding.\n\n{markdown(near)}"
    )


def figure(
    box: Box,
    claim: str = CLAIM,
    scenarios: Sequence[str] = ("kingpin_campaign", "mencho_strike"),
    version: str = __version__,
) -> Figure:
    """Left: the box on each restricted parameter's range (0 = lowest, 1 = highest across the sets),
    as ema_workbench's show_box draws it; right: the peeling trajectory with the chosen box."""
    fig = new_figure(12, 5.5)
    headline = _overall(box, claim) + (
        f"; {percent(box.density)} inside the box, which holds {percent(box.coverage)} of them" if box.limits else ""
    )
    detail = (
        "Left: the box's limits (colour) on each restricted parameter's range over the plausible worlds (grey). "
        f"Right: PRIM's peeling trajectory, one point per box; ringed: the chosen box, the densest holding at least "
        f"{percent(box.min_coverage)} of the backfires (coverage) "
        f"with a density of at least {percent(box.min_density)}."
    )
    top = head(fig, headline, detail)
    left, right = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    drawn = box if box.limits or box.nearest is None else box.nearest  # no box: the nearest region, marked as such
    for row, (name, (low, high)) in enumerate(drawn.limits.items()):
        lo, hi = box.ranges[name]
        a, b = (low - lo) / (hi - lo), (high - lo) / (hi - lo)
        left.barh(row, 1, color="0.88", height=0.5)
        left.barh(row, b - a, left=a, color=OKABE_ITO["vermillion"], height=0.5, alpha=0.8)
        for v, at, ha in ((low, a, "right"), (high, b, "left")):
            if lo < v < hi:  # a restricted side: its limit in the parameter's units
                left.text(at, row - 0.3, _value(v, hi - lo), ha=ha, va="bottom", fontsize=8)
        left.text(-0.02, row, _value(lo, hi - lo), ha="right", va="center", fontsize=8, color="0.35")
        left.text(1.02, row, _value(hi, hi - lo), ha="left", va="center", fontsize=8, color="0.35")
    if drawn.limits:
        left.set_yticks(range(len(drawn.limits)), list(drawn.limits))
        left.set_ylim(len(drawn.limits) - 0.5, -0.7)
        left.set_xlim(-0.2, 1.2)
        left.set_xticks([0, 0.5, 1])
        left.set_xlabel("position in the parameter's range (0 = lowest, 1 = highest)")
        left.spines[["top", "right"]].set_visible(False)
        if drawn is not box:
            left.set_title(f"no box; the nearest region ({percent(drawn.density)} dense, {drawn.note})", fontsize=9)
    else:
        left.text(0.5, 0.5, f"no box: {box.note}", ha="center", va="center", transform=left.transAxes)
        left.axis("off")
    t = drawn.trajectory
    right.plot(t["coverage"], t["density"], color=OKABE_ITO["blue"], lw=1, marker="o", ms=3.5)
    right.scatter(
        [t["coverage"].iloc[drawn.chosen]],
        [t["density"].iloc[drawn.chosen]],
        s=160,
        facecolor="none",
        edgecolor=OKABE_ITO["vermillion"],
        lw=2,
        zorder=3,
        label="chosen box" if drawn is box else "nearest region",
    )
    right.axhline(box.base_rate, color="0.4", ls="--", lw=1, label=f"base rate ({percent(box.base_rate)})")
    right.set_xlabel("coverage: share of all backfires inside the box")
    right.set_ylabel("density: share of cases inside that backfire")
    right.set_xlim(0, 1.05)
    right.set_ylim(0, 1.05)
    right.legend(frameon=False, loc="lower left", fontsize=9)
    style_axes(right)
    fig.subplots_adjust(left=0.2, right=0.97, top=top, bottom=0.14, wspace=0.35)  # room for long parameter names
    source_line(fig, version, list(scenarios), 2 * box.cases, f"{box.cases} paired cases (world, seed)")
    return fig


def _overall(box: Box, claim: str) -> str:
    """'A kingpin campaign raises ... in 23% of 400 plausible worlds and seeds'."""
    share = {0.0: "none", 1.0: "every one"}.get(box.base_rate, percent(box.base_rate))
    return f"{claim[:1].upper() + claim[1:]} in {share} of {box.cases} plausible worlds and seeds"


def _where(name: str, box: Box) -> str:
    """'a is above 0.70', 'b below 0.40' or 'c between 0.2 and 0.6': the restricted sides only."""
    (low, high), (lo, hi) = box.limits[name], box.ranges[name]
    if low > lo and high < hi:
        return f"{name} is between {_value(low, hi - lo)} and {_value(high, hi - lo)}"
    return f"{name} is above {_value(low, hi - lo)}" if low > lo else f"{name} is below {_value(high, hi - lo)}"


def _value(v: float, span: float) -> str:
    """A limit to a hundredth of its parameter's range or finer: 0.71, 4.2, 1,250."""
    decimals = max(0, 2 - round(math.log10(span))) if span > 0 else 2
    return f"{v:,.{decimals}f}"
