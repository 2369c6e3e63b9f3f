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


def cell_income(revenue: np.ndarray, state: np.ndarray, members: np.ndarray, state_members: np.ndarray) -> np.ndarray:
    """Each cell's share of its state's revenue, in proportion to its members (USD per day)."""
    total = state_members[state]
    return np.divide(revenue[state] * members, total, out=np.zeros_like(members), where=total > 0)
