"""The briefing's comparisons: which scenarios it runs and asks about, and each paired change
with its band and its share of worlds, written as the figures write them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.baselines import COUNTERFACTUAL, STATUS_QUO
from sim.analysis.figures import pair_keys
from sim.analysis.style import percent, signed

SCENARIOS = (
    "no_strike",
    "mencho_strike",
    "kingpin_campaign",
    "state_capacity",
    "second_front",
    "hugs_not_bullets",
    "combined",
)
POLICIES = ("kingpin_campaign", "state_capacity", "second_front", "hugs_not_bullets", "combined")
PAIR = ("kingpin_campaign", "state_capacity")  # the comparison the briefing is asked about


def band(values: pd.Series, digits: int = 0) -> str:
    """'median [5th-95th percentile]' of a column over runs (worlds and seeds)."""
    v = pd.to_numeric(values, errors="coerce").dropna().astype(float)
    if v.empty:
        return "n/a"
    q = np.percentile(v, [50, 5, 95])
    return f"{q[0]:,.{digits}f} [{q[1]:,.{digits}f}–{q[2]:,.{digits}f}]"


def paired(
    runs: pd.DataFrame, key: str, scenario: str, baseline: str = COUNTERFACTUAL, relative: bool = False
) -> pd.Series:
    """Differences of `key` between a scenario and the baseline, run by run (same world and seed);
    with `relative`, as a share of the baseline's value."""
    from sim.analysis.robust import seed_values

    if not {scenario, baseline} <= set(runs["scenario"]):
        return pd.Series(dtype=float)
    wide = seed_values(runs, key, [scenario, baseline])
    diff = wide[scenario] - wide[baseline]
    return diff / wide[baseline] if relative else diff


def lower_share(runs: pd.DataFrame, key: str, scenario: str, baseline: str) -> str:
    """In how many worlds (seeds averaged) the scenario gives less than the baseline."""
    d = paired(runs, key, scenario, baseline)
    if d.empty:
        return "n/a"
    per_world = d.groupby(level="world").mean() if "world" in d.index.names else d
    unit = "worlds" if "world" in d.index.names else "seeds"
    return f"{(per_world < 0).mean():.0%} of {len(per_world)} {unit}"


def effect(runs: pd.DataFrame, key: str, scenario: str, baseline: str) -> str:
    """'−1,234 [−3,000–+200] (−2.1%)': the paired change, absolute with its band, then relative."""
    d, r = paired(runs, key, scenario, baseline), paired(runs, key, scenario, baseline, relative=True)
    if d.empty:
        return "n/a"
    q = np.percentile(d, [50, 5, 95])  # written as the figures write them, so both read the same
    return f"{signed(q[0])} [{signed(q[1])} to {signed(q[2])}] ({percent(100 * r.median())})"


def level(runs: pd.DataFrame, key: str, scenario: str) -> pd.Series:
    ok = runs[(runs["status"] == "ok") & (runs["scenario"] == scenario)]
    return pd.to_numeric(ok.set_index(pair_keys(ok))[key], errors="coerce").dropna()


def policy_scenarios(runs: pd.DataFrame) -> list[str]:
    return [s for s in (STATUS_QUO, *POLICIES) if s in set(runs["scenario"])]
