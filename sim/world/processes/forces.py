"""Security forces and the state: where the troops are, what they hold, arrests, and the fights
between forces and armed groups."""

from __future__ import annotations

import numpy as np

from sim.world.jit import compiled
from sim.world.processes.market import payroll_revenue
from sim.world.sampling import poisson_shared


def allocate_troops(
    population: np.ndarray, pool: float, fronts: list[tuple[np.ndarray, float]]
) -> tuple[np.ndarray, np.ndarray]:
    """Garrison and front troops per state.

    Each front is (weights over states, troops): its troops go where its weights are. What the
    fronts leave of the pool garrisons the states by population, so troops sent to a front are
    missing everywhere else.
    """
    front = np.zeros_like(population, dtype=float)
    for weights, troops in fronts:
        front += troops * weights / weights.sum() if weights.sum() > 0 else 0.0
    garrison = max(pool - front.sum(), 0.0) * population / population.sum()
    return garrison, front


@compiled
def held_share(holding_troops: np.ndarray, members: np.ndarray, troops_per_member: float) -> np.ndarray:
    """Share of each state the forces hold (0-1).

    Holding a place takes troops standing there: a state is fully held with `troops_per_member`
    holding troops per armed-group member, and in proportion below that, so that troops moved
    to a front leave ground unheld wherever they came from.
    """
    out = np.empty(members.shape[0])
    for s in range(members.shape[0]):
        need = troops_per_member * members[s]
        out[s] = min(max(holding_troops[s] / need, 0.0), 1.0) if need > 0 else 1.0
    return out


@compiled
def hold(
    holding_troops: np.ndarray,
    members: np.ndarray,
    troops_per_member: float,
    interdiction: float,
    local: np.ndarray,
    trafficking: np.ndarray,
    labour_share: float,
    kept: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ground the forces hold and what it leaves the groups, per state: (held share, revenue
    that pays members, trafficking the routes can carry). Held ground interdicts `interdiction` of
    its trafficking; disruption leaves `kept` of everything."""
    held = held_share(holding_troops, members, troops_per_member)
    open_route = 1.0 - interdiction * held
    return held, kept * payroll_revenue(local, trafficking * open_route, labour_share), kept * trafficking * open_route


def state_capacity(rule_of_law: np.ndarray, national_level: float, exponent: float) -> np.ndarray:
    """Capacity per state: the national level scaled by the state's rule-of-law index relative to the mean.

    exponent 0 gives every state the national level; larger values spread states further apart.
    """
    return np.clip(national_level * (rule_of_law / rule_of_law.mean()) ** exponent, 0.0, 1.0)


@compiled
def built_capacity(capacity: np.ndarray, investment: float, corruption: float) -> np.ndarray:
    """Capacity after a day of building: it closes `investment` of its gap to 1 a year and loses
    `corruption` of itself a year."""
    out = np.empty(capacity.shape[0])
    for s in range(capacity.shape[0]):
        c = capacity[s]
        out[s] = min(max(c + (investment * (1.0 - c) - corruption * c) / 365.0, 0.0), 1.0)
    return out


def troop_density(troops: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Troops per 1,000 inhabitants."""
    return troops / population * 1000.0


@compiled
def enforcement_pressure(excess_risk: np.ndarray, risk0: np.ndarray) -> np.ndarray:
    """How hard enforcement bites in each state: the excess of today's arrest risk over the steady
    world's (`excess_risk`, members arrested per member-year above `risk0`) relative to the steady
    world's, so 0 in the steady world and 2 where arrests that stick have tripled.

    Arrests stick with capacity, so capacity built from day 0 raises it as a higher arrest tempo
    does. It drives the channels through which enforcement raises violence: `violence.provoked`,
    `confronting` and `displaced`.
    """
    out = np.zeros(excess_risk.shape[0])
    for s in range(excess_risk.shape[0]):
        if risk0[s] > 0:
            out[s] = excess_risk[s] / risk0[s]
    return out


@compiled
def confronting(armed_members: np.ndarray, pressure: np.ndarray, confrontation: float) -> np.ndarray:
    """Armed members of each state who fight the forces, counted as the encounters they make:
    times 1 + `confrontation` x pressure.

    Unconditional repression (pressure whatever a group's own violence) gives groups reason to fight
    the state rather than evade it (Lessing 2015, 2017: crackdowns not conditioned on violence drove
    cartel-state conflict in Mexico). At `confrontation` 0 the members are unchanged.
    """
    return armed_members * (1.0 + confrontation * pressure)


@compiled
def displaced(
    members: np.ndarray,
    org: np.ndarray,
    state: np.ndarray,
    org_state_members: np.ndarray,
    occupied: np.ndarray,
    pressure: np.ndarray,
    border_start: np.ndarray,
    border_to: np.ndarray,
    rate: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Members pushed by enforcement into neighbouring states today: (leaving each cell, joining
    each cell).

    Each day an organisation moves `rate` / 365 x (pressure here - pressure there) of its members in
    a state to each neighbouring state (land borders: `border_to[border_start[s]:border_start[s+1]]`)
    where the pressure is lower and it already has cells, shared among those states by its members
    there, and among its cells by members (`occupied`: the pairs with members,
    `sim.world.metrics.occupied`). They add to its contact and contests next door (the
    balloon effect: Dell 2015, crackdowns divert trafficking and violence to other routes; Osorio
    2015, violence spreads to neighbouring areas). Deterministic; at `rate` 0 nobody moves.
    """
    n = members.shape[0]
    leaving = np.zeros(n)
    joining = np.zeros(n)
    if rate == 0.0 or not (pressure > 0.0).any():  # nobody is pushed: most days of a quiet world
        return leaving, joining
    n_orgs, n_states = org_state_members.shape
    out = np.zeros((n_orgs, n_states))
    into = np.zeros((n_orgs, n_states))
    for k in occupied:
        o, s = k // n_states, k % n_states
        here = org_state_members[o, s]
        if here <= 0.0 or pressure[s] <= 0.0:
            continue
        next_door = 0.0
        for i in range(border_start[s], border_start[s + 1]):
            next_door += org_state_members[o, border_to[i]]
        if next_door <= 0.0:
            continue
        for i in range(border_start[s], border_start[s + 1]):
            t = border_to[i]
            gap = pressure[s] - pressure[t]
            if gap > 0.0 and org_state_members[o, t] > 0.0:
                moved = min(rate / 365.0 * gap, 1.0) * here * org_state_members[o, t] / next_door
                out[o, s] += moved
                into[o, t] += moved
    for c in range(n):
        held = org_state_members[org[c], state[c]]
        if held > 0.0:
            leaving[c] = out[org[c], state[c]] * members[c] / held
            joining[c] = into[org[c], state[c]] * members[c] / held
    return leaving, joining


@compiled
def force_clashes(
    rng: np.random.Generator,
    armed_members: np.ndarray,
    density: np.ndarray,
    attack_rate: float,
    gunmen_per_force_killed: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Security-force and gunmen deaths per state today.

    Encounters scale with the members willing to fight times the troops per 1,000 inhabitants;
    forces win (they kill more than they lose) but take losses.
    """
    lam = attack_rate / 365.0 * armed_members * density
    return poisson_shared(rng, lam), poisson_shared(rng, gunmen_per_force_killed * lam)


@compiled
def arrests(members: np.ndarray, per_day: float, capacity: np.ndarray) -> np.ndarray:
    """Members of each cell arrested today who stay in prison.

    The day's arrests of armed-group members (`per_day`, nationally) are made by investigation
    (police, prosecutors, intelligence), not by where soldiers stand: they fall on cells in
    proportion to members, a fixed national tempo shared by size as incapacitation in
    Prieto-Curiel et al. (2023), and stick with the state's capacity (courts and prisons that
    hold them; `capacity` per cell). Troops act through holding ground and through encounters.
    """
    total = members.sum()
    out = np.zeros(members.shape[0])
    if total > 0:
        for c in range(members.shape[0]):
            out[c] = min(per_day * members[c] / total * capacity[c], members[c])
    return out
