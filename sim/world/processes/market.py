"""Income and market: what each state's territory yields and how many members it can pay."""

from __future__ import annotations

import numpy as np

from sim.world.geography import Geography


def revenue_parts(geo: Geography, p: dict) -> tuple[np.ndarray, np.ndarray]:
    """Criminal revenue of each state in USD per day: (local markets, trafficking routes to the US)."""
    local = p["local_revenue_usd_pc"] * geo.population
    trafficking = p["border_revenue_usd"] * geo.us_border + p["port_revenue_usd"] * geo.key_port + p["coast_revenue_usd"] * geo.coastal
    return local / 365.0, trafficking / 365.0


def payroll_revenue(local: np.ndarray, trafficking: np.ndarray, labour_share: float) -> np.ndarray:
    """The part of a state's criminal revenue that pays members (USD per day).

    Local markets (extortion, retail drugs, fuel theft) are labour-intensive and pay members in
    full; of a trafficking margin only `labour_share` goes to the rank and file, the rest stays
    with the leadership (Levitt & Venkatesh 2000). So a border crossing makes a state rich but
    does not fill it with gunmen.
    """
    return local + labour_share * trafficking


def state_revenue(geo: Geography, p: dict) -> np.ndarray:
    """Revenue of each state that pays members (USD per day), before any government action."""
    local, trafficking = revenue_parts(geo, p)
    return payroll_revenue(local, trafficking, p["trafficking_labour_share"])


def entrants(
    rng: np.random.Generator,
    state_members: np.ndarray,
    affordable: np.ndarray,
    capacity: np.ndarray,
    rate: float,
    capacity_cost: float,
) -> np.ndarray:
    """New groups entering each state today.

    Entry follows the share of a state's market that no group serves (members below what its
    revenue pays): Poisson(rate x unserved share / (1 + capacity_cost x capacity)). New
    entrants "can't be stopped" (003_7701088713dda564.txt), but a capable state raises their cost.
    """
    unserved = np.clip(1.0 - np.divide(state_members, affordable, out=np.ones_like(state_members), where=affordable > 0), 0.0, 1.0)
    return rng.poisson(rate * unserved / (1.0 + capacity_cost * capacity))


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
    With e < 1 (diminishing returns to numbers, Hirshleifer 1989) a small group earns more per
    member than a large one, so challengers persist instead of every market drifting to a
    monopoly. `org_state_members` is (organisations x states).
    """
    weight = (advantage * org_state_members) ** share_exponent
    org_share = np.divide(weight, weight.sum(axis=0), out=np.zeros_like(weight), where=weight.sum(axis=0) > 0)
    held = org_state_members[org, state]
    within = np.divide(members, held, out=np.zeros_like(members), where=held > 0)
    return revenue[state] * org_share[org, state] * within
