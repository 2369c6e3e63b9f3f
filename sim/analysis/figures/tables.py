"""The sweep collector's tables in the shapes the figures draw: successful runs, one column per
run or per paired seed, and the span of days the titles summarise."""

from __future__ import annotations

import pandas as pd

from sim import __version__
from sim.analysis.style import YEAR, ordered
from sim.world.observed import Month


def successful(runs: pd.DataFrame) -> pd.DataFrame:
    """Successful runs only: a failed run has no numbers."""
    return runs[runs["status"] == "ok"]


def versions(runs: pd.DataFrame) -> str:
    """The model versions that made the runs (from their summaries), else this one."""
    found = runs["model_version"].dropna().unique() if "model_version" in runs else []
    return ", ".join(sorted(map(str, found))) or __version__


def _wide(daily: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One row per day, one column per run: the shape the bands are computed over."""
    rows = daily[daily["metric"] == metric]
    return rows.pivot(index="day", columns="run", values="value").sort_index()


def scenario_wides(daily: pd.DataFrame, metric: str) -> dict[str, pd.DataFrame]:
    """For each scenario, in the canonical order of scenarios: one row per day, one column per run."""
    rows = daily[daily["metric"] == metric]  # the metric first: a category, quick to match on a big table
    return {s: _wide(rows[rows["scenario"] == s], metric) for s in ordered(rows["scenario"])}


def month_means(wide: pd.DataFrame, month: Month) -> pd.Series:
    """Each run's mean over the days of an observed month (a wide table: a row per day, a column per run)."""
    return wide.loc[month.first_day : month.end_day - 1].mean()


def pair_keys(frame: pd.DataFrame) -> list[str]:
    """What pairs runs across scenarios: the seed, and the plausible world when there are worlds."""
    return ["world", "seed"] if "world" in frame and frame["world"].notna().any() else ["seed"]


def _case(frame: pd.DataFrame) -> pd.Series:
    """Each row's pairing key: its seed, or 'world/seed' in an ensemble over plausible worlds."""
    if pair_keys(frame) == ["seed"]:
        return frame["seed"]
    return frame["world"].astype(str) + "/" + frame["seed"].astype(str)


def paired_by(frame: pd.DataFrame) -> str:
    """The source line's note on how runs pair up."""
    return "paired by world and seed" if len(pair_keys(frame)) == 2 else "paired by seed"


def by_seed(daily: pd.DataFrame, scenario: str, metric: str) -> pd.DataFrame:
    """One row per day, one column per seed (or world and seed) of a scenario, so runs pair up."""
    rows = daily[daily["metric"] == metric]  # the metric first: a category, quick to match on a big table
    rows = rows[rows["scenario"] == scenario]
    if rows.duplicated([*pair_keys(rows), "day"]).any():
        raise ValueError(f"{scenario} has several runs with one seed (a parameter sweep?): pass one run per seed")
    return rows.assign(case=_case(rows)).pivot(index="day", columns="case", values="value").sort_index()


def pair(base: pd.DataFrame, other: pd.DataFrame, scenario: str, baseline: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The runs of a scenario and of the baseline on their common seeds and days."""
    seeds = base.columns.intersection(other.columns)
    if seeds.empty:
        raise ValueError(f"no seed of {scenario} is also a seed of {baseline}: nothing to pair")
    days = base.index.intersection(other.index)
    return other.loc[days, seeds], base.loc[days, seeds]


def seed_rows(runs: pd.DataFrame, scenario: str, columns: list[str]) -> pd.DataFrame:
    """Summary values of a scenario's successful runs, one row per seed."""
    rows = successful(runs)
    rows = rows[rows["scenario"] == scenario]
    if rows.duplicated(pair_keys(rows)).any():
        raise ValueError(f"{scenario} has several runs with one seed (a parameter sweep?): pass one run per seed")
    return rows.set_index(_case(rows))[columns].astype(float)


def horizon(wide: pd.DataFrame) -> int:
    """Days after day 0 the titles summarise: the first year, or less if the runs are shorter."""
    return min(YEAR, int((wide.index >= 0).sum()))


def first(wide: pd.DataFrame, level: bool, days: int) -> pd.Series:
    """Per run: the total over days 0 .. days-1 (counts) or the value on day days-1 (levels)."""
    return wide.loc[days - 1] if level else wide.loc[0 : days - 1].sum()
