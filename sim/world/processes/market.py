"""Income and market: what each state's territory yields and how many members it can pay."""

from __future__ import annotations

import numpy as np

from sim.world.geography import Geography
from sim.world.jit import compiled, power


def revenue_parts(geo: Geography, p: dict) -> tuple[np.ndarray, np.ndarray]:
    """Criminal revenue of each state in USD per day: (local markets, trafficking routes to the US).

    A local market pays `local_revenue_usd_pc` per inhabitant, times the state's drug use against
    the country's (ENA 2008) to the power `local_drug_use_exponent`: retail drugs are a local market's
    part that varies most between states (illegal use 1.7% in Chiapas, 10.3% in Tamaulipas)."""
    national_use = np.sum(geo.drug_use * geo.population) / np.sum(geo.population)
    local = p["local_revenue_usd_pc"] * geo.population * (geo.drug_use / national_use) ** p["local_drug_use_exponent"]
    trafficking = (
        p["border_revenue_usd"] * geo.us_border
        + p["port_revenue_usd"] * geo.key_port
        + p["coast_revenue_usd"] * geo.coastal
    )
    return local / 365.0, trafficking / 365.0


@compiled
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


@compiled
def entry_rates(
    state_members: np.ndarray, affordable: np.ndarray, capacity: np.ndarray, rate: float, capacity_cost: float
) -> np.ndarray:
    """Expected new groups entering each state today (the day draws a Poisson number of them).

    Entry follows the share of a state's market that no group serves (members below what its
    revenue pays): rate x unserved share / (1 + capacity_cost x capacity). New entrants "can't
    be stopped" (003_7701088713dda564.txt), but a capable state raises their cost.
    """
    out = np.empty(state_members.shape[0])
    for s in range(state_members.shape[0]):
        ratio = state_members[s] / affordable[s] if affordable[s] > 0 else 1.0
        unserved = min(max(1.0 - ratio, 0.0), 1.0)
        out[s] = rate * unserved / (1.0 + capacity_cost * capacity[s])
    return out


@compiled
def shares(
    advantage: np.ndarray, org_state_members: np.ndarray, occupied: np.ndarray, share_exponent: float
) -> np.ndarray:
    """Each organisation's share of each state's market (organisations x states), from a contest success function.

    An organisation's share of a state is (advantage x members there) to the power e over the sum
    of the same for every organisation present. `advantage` (organisations x states) is the
    strength per member of an established presence; `occupied` the pairs with members
    (`sim.world.metrics.occupied`). With e < 1 (diminishing returns to numbers, Hirshleifer 1989)
    a small group earns more per member than a large one, so challengers persist instead of
    every market drifting to a monopoly.
    """
    n_orgs, n_states = org_state_members.shape
    weight = np.zeros((n_orgs, n_states))
    total = np.zeros(n_states)
    for i in occupied:
        o, s = i // n_states, i % n_states
        weight[o, s] = power(advantage[o, s] * org_state_members[o, s], share_exponent)
        total[s] += weight[o, s]
    for i in occupied:
        o, s = i // n_states, i % n_states
        weight[o, s] /= total[s]
    return weight


@compiled
def cell_income(
    revenue: np.ndarray,
    org_share: np.ndarray,
    org_state_members: np.ndarray,
    org: np.ndarray,
    state: np.ndarray,
    members: np.ndarray,
) -> np.ndarray:
    """Each cell's income (USD per day): its organisation's share of its state's revenue, split
    among the organisation's cells there by members."""
    out = np.zeros(members.shape[0])
    for c in range(members.shape[0]):
        held = org_state_members[org[c], state[c]]
        if held > 0:
            out[c] = revenue[state[c]] * org_share[org[c], state[c]] * (members[c] / held)
    return out


@compiled
def home_pay(
    org_share: np.ndarray, trafficking: np.ndarray, labour_share: float, guard_share: float, home: np.ndarray
) -> np.ndarray:
    """What each organisation's leadership pays its armed wing at home (USD per day).

    The leadership keeps the part of its trafficking margins that does not pay the rank and file
    (1 - `labour_share`, Levitt & Venkatesh 2000) and spends `guard_share` of it on gunmen in its
    home base (`home`: a state index, or -1 for organisations without one). That pay is the
    organisation's own, not a market that other groups contest.
    """
    pay = np.zeros(home.shape[0])
    for o in range(home.shape[0]):
        if home[o] >= 0:
            take = 0.0
            for s in range(trafficking.shape[0]):
                take += org_share[o, s] * trafficking[s]
            pay[o] = guard_share * take * (1.0 - labour_share)
    return pay


@compiled
def guard_income(
    pay: np.ndarray,
    home: np.ndarray,
    org_state_members: np.ndarray,
    org: np.ndarray,
    state: np.ndarray,
    members: np.ndarray,
) -> np.ndarray:
    """Each cell's share of its organisation's home pay: the cells in the home state, by members."""
    out = np.zeros(members.shape[0])
    for c in range(members.shape[0]):
        held = org_state_members[org[c], state[c]]
        if home[org[c]] == state[c] and held > 0:
            out[c] = pay[org[c]] * members[c] / held
    return out


def equilibrium_shares(advantage: np.ndarray, present: np.ndarray, share_exponent: float) -> np.ndarray:
    """Each organisation's share of each state's members in the market's steady state (organisations x states).

    With `cell_income`'s contest function and recruitment up to what income pays, a group's
    members settle where its income pays exactly them: m_o = R (a_o m_o)^e / sum (a m)^e / cost.
    Solving for the shares gives x_o proportional to a_o^(e / (1 - e)) among the groups present.
    Clashes and arrests move the steady state a little from this; the burn-in settles them.
    """
    k = share_exponent / (1.0 - share_exponent)
    w = np.where(present, np.maximum(advantage, 0.0) ** k, 0.0)
    total = w.sum(axis=0)
    return np.divide(w, total, out=np.zeros_like(w), where=total > 0)


def steady_members(
    advantage: np.ndarray,
    present: np.ndarray,
    capacity: np.ndarray,
    guard: np.ndarray,
    home: np.ndarray,
    share_exponent: float,
) -> np.ndarray:
    """Members of each organisation in each state in the steady state (organisations x states).

    Each state's market pays `capacity` members, shared as `equilibrium_shares` gives; an
    organisation's home base also holds the `guard` members its leadership pays (per
    organisation). Guards count in the home market's contest too, so home states are solved by
    a damped fixed-point iteration.
    """
    m = equilibrium_shares(advantage, present, share_exponent) * capacity
    for s in np.unique(home[home >= 0]):  # a state can be home to several (Los Chapitos and Los Mayos)
        extra = np.where(home == s, guard, 0.0)
        col = m[:, s] + extra
        for _ in range(500):
            weight = np.where(present[:, s], (advantage[:, s] * col) ** share_exponent, 0.0)
            new = capacity[s] * weight / weight.sum() + extra
            if np.abs(new - col).max() < 1e-6 * capacity[s]:
                break
            col = 0.5 * col + 0.5 * new
        m[:, s] = col
    return m


def network_share(kind: str, parent: float, p: dict) -> float:
    """How much of a trafficking network (suppliers, brokers, buyers in the US) an organisation has.

    The cartels with a reach beyond one state have theirs in full; a faction or splinter keeps
    `splinter_network_share` of its parent's; local groups and new entrants have
    `local_network_share`: they live off local markets (extortion, retail, kidnapping), as the
    splinters of the Arellano Félix organisation did (Jones 2013).
    """
    if kind in ("national", "regional"):
        return 1.0
    if kind in ("faction", "splinter"):
        return parent * p["splinter_network_share"]
    return p["local_network_share"]


@compiled
def trafficking_flow(
    value: np.ndarray, org_state_members: np.ndarray, occupied: np.ndarray, moves: np.ndarray, spare: float
) -> np.ndarray:
    """Trafficking value moved to the US through each state (USD a day).

    `value` is what each state's crossings, ports and coast can carry (after interdiction and
    disruption); the organisations there (`occupied`: the pairs with members) move it in
    proportion to their members times `moves` (network times cohesion, per organisation). What a
    state's groups cannot move is diverted to other routes, up to `spare` times what those
    already carry (Dell 2015: crackdowns divert trafficking rather than stop it).
    """
    n_states = org_state_members.shape[1]
    total = np.zeros(n_states)
    moved = np.zeros(n_states)
    for i in occupied:
        o, s = i // n_states, i % n_states
        x = org_state_members[o, s]
        total[s] += x
        moved[s] += moves[o] * x
    carried = np.zeros(n_states)
    room = np.zeros(n_states)
    unmoved = 0.0
    for s in range(n_states):
        carried[s] = value[s] * (moved[s] / total[s]) if total[s] > 0 else 0.0
        unmoved += value[s] - carried[s]
        room[s] = spare * carried[s]
    room_total = room.sum()
    diverted = min(unmoved, room_total)
    if room_total > 0:
        for s in range(n_states):
            carried[s] += diverted * room[s] / room_total
    return carried
