"""Income and market: what each state's territory yields and how many members it can pay."""

from __future__ import annotations

import numpy as np

from sim.geography import Geography


def state_revenue(geo: Geography, p: dict) -> np.ndarray:
    """Criminal revenue of each state in USD per day: local markets plus trafficking routes."""
    yearly = (
        p["local_revenue_usd_pc"] * geo.population
        + p["border_revenue_usd"] * geo.us_border
        + p["port_revenue_usd"] * geo.key_port
        + p["coast_revenue_usd"] * geo.coastal
    )
    return yearly / 365.0


def cell_income(
    revenue: np.ndarray,
    org_state_members: np.ndarray,
    advantage: np.ndarray,
    org: np.ndarray,
    state: np.ndarray,
    members: np.ndarray,
    share_exponent: float,
) -> np.ndarray:
    """Each cell's share of its state's revenue (USD per day), from a contest success function.

    An organisation's share of a state is (advantage x members there) to the power e over the sum
    of the same for every organisation present; its cells there split that share by members.
    `advantage` (organisations x states) is the strength per member of an established presence.
    With e < 1
    (diminishing returns to numbers, Hirshleifer 1989) a small group earns more per member than a
    large one, so challengers persist instead of every market drifting to a monopoly.
    `org_state_members` is (organisations x states).
    """
    weight = (advantage * org_state_members) ** share_exponent
    org_share = np.divide(weight, weight.sum(axis=0), out=np.zeros_like(weight), where=weight.sum(axis=0) > 0)
    held = org_state_members[org, state]
    within = np.divide(members, held, out=np.zeros_like(members), where=held > 0)
    return revenue[state] * org_share[org, state] * within
