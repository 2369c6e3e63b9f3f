"""One rule for what each scenario is compared with: the summary, every figure, the state maps and
the explorer follow it, so that a reader sees one number and one sign for one comparison.

The strike (`mencho_strike`) is compared with the world without it (`no_strike`): what the strike
did, over the year from day 0. Every other scenario is a policy after the strike and is compared
with the status quo after the strike (`mencho_strike`): what the policy changes from now, over the
year from the origin (by default 1 Jun 2026, where the levers start). Where runs lack the status
quo, a policy is compared with `no_strike`, and the figure says so, as every figure names its baseline.
"""

from __future__ import annotations

from collections.abc import Iterable

COUNTERFACTUAL = "no_strike"  # no strike, the record's policy carried on
STATUS_QUO = "mencho_strike"  # the strike, then no new policy
STRIKE_YEAR = "homicides_d0_365"  # the strike's first year: from day 0, 22 Feb 2026
POLICY_YEAR = "homicides_o0_365"  # a policy's first year: from the origin, where its levers start


def first_year(baseline: str | None) -> str:
    """The first year a comparison with `baseline` reads: the strike's from day 0 (against no
    strike), a policy's from the origin (against the status quo), so that neither counts months
    before it acts."""
    return STRIKE_YEAR if baseline == COUNTERFACTUAL else POLICY_YEAR


def baseline_for(scenario: str, present: Iterable[str] | None = None) -> str | None:
    """The scenario `scenario` is compared with; with `present` (the scenarios the runs hold), the
    first of the rule's choices among them; None for the counterfactual itself, or where the runs hold
    no baseline for it."""
    if scenario == COUNTERFACTUAL:
        return None  # the world without the strike is what the strike is measured against
    choices = [COUNTERFACTUAL] if scenario == STATUS_QUO else [STATUS_QUO, COUNTERFACTUAL]
    available = None if present is None else set(present)
    for choice in choices:
        if available is None or choice in available:
            return choice
    return None
