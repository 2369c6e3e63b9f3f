"""Where a headline reverses: in how many plausible worlds a policy's effect has the other sign,
and which parameters set those worlds apart.

A headline ("the strike adds violence", "capacity lowers it") is a finding only if the code does
not fix its sign. Over the plausible worlds (sim/runs/plausible.py) each policy's effect is paired
by world and seed (the arms of one world and seed share their past); a world *reverses* when the
effect has the sign opposite to the median over all cases on every seed it ran. The parameters
that tell reversing worlds from the others are ranked by the area under the ROC curve of each
parameter alone (0.5: no information; 1 or 0: it separates them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.analysis.robust import seed_values
from sim.analysis.style import OKABE_ITO, head, new_figure, num, signed, source_line, style_axes


@dataclass(frozen=True)
class Headline:
    """One policy effect: `policy` minus `status_quo` on `outcome`, paired by world and seed."""

    name: str
    policy: str
    status_quo: str
    outcome: str
    label: str


HEADLINES = (
    Headline("strike", "mencho_strike", "no_strike", "homicides_d0_365", "the strike, first-year homicides"),
    Headline("strike", "mencho_strike", "no_strike", "homicides_last_365", "the strike, third-year homicides"),
    Headline("campaign", "kingpin_campaign", "mencho_strike", "homicides_o0_365", "the campaign, first-year homicides"),
    Headline(
        "campaign", "kingpin_campaign", "mencho_strike", "homicides_last_365", "the campaign, third-year homicides"
    ),
    Headline("capacity", "state_capacity", "mencho_strike", "homicides_o0_365", "capacity, first-year homicides"),
    Headline("capacity", "state_capacity", "mencho_strike", "homicides_last_365", "capacity, third-year homicides"),
    Headline(
        "second front", "second_front", "mencho_strike", "homicides_o0_365", "the second front, first-year homicides"
    ),
    Headline(
        "second front",
        "second_front",
        "mencho_strike",
        "homicides_last_365",
        "the second front, third-year homicides",
    ),
)
SCENARIOS = ("no_strike", "mencho_strike", "kingpin_campaign", "state_capacity", "second_front")


def effects(runs: pd.DataFrame, headline: Headline) -> pd.Series:
    """The policy's effect per (world, seed): policy minus status quo, both runs ok."""
    values = seed_values(runs, headline.outcome, [headline.policy, headline.status_quo])
    return (values[headline.policy] - values[headline.status_quo]).rename(headline.label)


@dataclass(frozen=True)
class Reversal:
    """How one headline's sign holds over the worlds."""

    headline: Headline
    median: float  # median effect over every (world, seed) case
    q05: float
    q95: float
    worlds: int  # worlds with at least one paired seed
    reversed_every_seed: pd.Index  # worlds whose effect has the other sign on every seed
    reversed_on_mean: pd.Index  # worlds whose mean effect over seeds has the other sign
    seeds: int  # the most seeds a world ran

    @property
    def sign(self) -> int:
        return int(np.sign(self.median))

    @property
    def share_every_seed(self) -> float:
        return len(self.reversed_every_seed) / self.worlds if self.worlds else float("nan")

    @property
    def share_on_mean(self) -> float:
        return len(self.reversed_on_mean) / self.worlds if self.worlds else float("nan")


def reversal(runs: pd.DataFrame, headline: Headline) -> Reversal:
    """The headline's median effect and the worlds in which it reverses."""
    effect = effects(runs, headline)
    by_world = effect.groupby(level="world")
    sign = np.sign(effect.median())
    opposite = (-sign * effect) > 0 if sign != 0 else effect != 0
    every = opposite.groupby(level="world").all()
    mean = by_world.mean()
    on_mean = (-sign * mean) > 0 if sign != 0 else mean != 0
    return Reversal(
        headline=headline,
        median=float(effect.median()),
        q05=float(effect.quantile(0.05)),
        q95=float(effect.quantile(0.95)),
        worlds=int(by_world.ngroups),
        reversed_every_seed=every.index[every.to_numpy()],
        reversed_on_mean=on_mean.index[on_mean.to_numpy()],
        seeds=int(by_world.size().max()) if len(effect) else 0,
    )


def auc(values: pd.Series, flag: pd.Series) -> float:
    """Area under the ROC curve of `values` for telling flagged worlds from the others (ties half):
    the chance that a flagged world's value exceeds an unflagged one's."""
    ranks = values.rank()
    n1, n0 = int(flag.sum()), int((~flag).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    return float((ranks[flag].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def distinguishing(worlds: pd.DataFrame, flagged: pd.Index, top: int = 3, minimum: int = 3) -> pd.DataFrame:
    """The `top` parameters whose values best tell the `flagged` worlds from the others (by |AUC - 0.5|),
    with their medians in each group; empty when fewer than `minimum` worlds are flagged or unflagged."""
    x = worlds.select_dtypes(include=["number", "bool"]).astype(float)
    x = x.loc[:, x.nunique() > 1]
    flag = pd.Series(x.index.isin(flagged), index=x.index)
    if flag.sum() < minimum or (~flag).sum() < minimum:
        return pd.DataFrame(columns=["parameter", "auc", "median_reversed", "median_other"])
    rows = [
        {
            "parameter": name,
            "auc": auc(x[name], flag),
            "median_reversed": float(x.loc[flag, name].median()),
            "median_other": float(x.loc[~flag, name].median()),
        }
        for name in x.columns
    ]
    table = pd.DataFrame(rows)
    order = (table["auc"] - 0.5).abs().sort_values(ascending=False).index
    return table.loc[order].head(top).reset_index(drop=True)


def toward_reversal(worlds: pd.DataFrame, effect: pd.Series, sign: int, top: int = 3) -> pd.DataFrame:
    """The `top` parameters whose values go with an effect nearer the other sign: Spearman's rank
    correlation over the worlds between each parameter and the world's mean effect times -`sign`
    (positive: higher values push the effect toward reversing)."""
    x = worlds.select_dtypes(include=["number", "bool"]).astype(float)
    x = x.loc[:, x.nunique() > 1].reindex(effect.index)
    toward = (-sign * effect).rank()
    rho = x.rank().corrwith(toward).dropna()
    order = rho.abs().sort_values(ascending=False).index[:top]
    return pd.DataFrame({"parameter": order, "rho": rho[order].to_numpy()})


def table(
    reversals: list[Reversal], worlds: pd.DataFrame, groups: Mapping[str, str], means: Mapping[str, pd.Series]
) -> str:
    """A markdown table: each headline's median effect, the share of worlds that reverse and the
    parameters (with their group in the parameter table: the channel) that set them apart; where too
    few reverse to compare, the parameters that push a world's effect toward the other sign
    (`means`: each headline's mean effect per world, by label)."""
    lines = [
        "| effect | median (5th–95th) | reverses on every seed | reverses on the mean "
        "| what sets the reversing worlds apart (AUC) |",
        "|---|---|---|---|---|",
    ]
    for r in reversals:
        apart = distinguishing(worlds, r.reversed_on_mean)
        reasons = "; ".join(
            f"`{row.parameter}` ({groups.get(row.parameter, '?')}) {num(row.median_reversed)} vs "
            f"{num(row.median_other)} ({row.auc:.2f})"
            for row in apart.itertuples()
        )
        if not reasons:
            toward = toward_reversal(worlds, means[r.headline.label], r.sign)
            reasons = "too few reverse to compare; toward the other sign with (Spearman ρ): " + ", ".join(
                f"`{row.parameter}` ({groups.get(row.parameter, '?')}) {row.rho:+.2f}" for row in toward.itertuples()
            )
        lines.append(
            f"| {r.headline.label} | {signed(r.median)} ({signed(r.q05)} to {signed(r.q95)}) | "
            f"{len(r.reversed_every_seed)} of {r.worlds} ({r.share_every_seed:.0%}) | "
            f"{len(r.reversed_on_mean)} of {r.worlds} ({r.share_on_mean:.0%}) | {reasons} |"
        )
    return "\n".join(lines)


def figure(runs: pd.DataFrame, reversals: list[Reversal], version: str) -> Figure:
    """Each headline's effect per world (mean over its seeds), reversing worlds marked."""
    fig = new_figure(10.0, 1.2 + 0.55 * len(reversals))
    flipping = sum(1 for r in reversals if len(r.reversed_every_seed))
    worlds = max((r.worlds for r in reversals), default=0)
    top = head(
        fig,
        f"{flipping} of {len(reversals)} policy effects reverse their sign on every seed in at least one of "
        f"{worlds} plausible worlds",
        "Each dot is one plausible world's effect (policy minus status quo, mean over its seeds, paired by seed). "
        "Orange: the effect has the other sign than the median on every seed.",
    )
    ax = fig.add_axes((0.33, 0.16, 0.64, top - 0.18))
    for i, r in enumerate(reversals):
        mean = effects(runs, r.headline).groupby(level="world").mean()
        flagged = mean.index.isin(r.reversed_every_seed)
        jitter = np.random.default_rng(i).uniform(-0.18, 0.18, len(mean))
        ax.scatter(mean[~flagged], i + jitter[~flagged], s=9, color=OKABE_ITO["blue"], alpha=0.6, lw=0)
        ax.scatter(mean[flagged], i + jitter[flagged], s=12, color=OKABE_ITO["orange"], lw=0)
    ax.axvline(0, color="black", lw=1)
    ax.set_yticks(range(len(reversals)), [r.headline.label for r in reversals], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("effect on homicides (policy minus status quo, per year)")
    style_axes(ax)
    runs_ok = int((runs["status"] == "ok").sum())
    source_line(fig, version, list(SCENARIOS), runs_ok, "paired by world and seed")
    return fig
