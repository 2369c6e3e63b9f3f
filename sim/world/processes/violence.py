"""Clashes between armed groups that share a state, and the homicides outside armed groups."""

from __future__ import annotations

import numpy as np

from sim.world.calendar import DAY0
from sim.world.jit import compiled, power
from sim.world.processes.market import payroll_revenue
from sim.world.sampling import pick, poisson_shared


@compiled
def hostile_pairs(presence: np.ndarray, hostility: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (group a, group b, state) with a < b where two groups with hostility > 0 are both present.

    `presence` is a boolean (groups x states) matrix. Returned in a fixed order (state, then
    group indices) so that random draws line up across runs.
    """
    n_orgs, n_states = presence.shape
    here = np.empty(n_orgs, np.int64)  # the groups present in one state, in index order
    count = 0
    for s in range(n_states):
        n = 0
        for a in range(n_orgs):
            if presence[a, s]:
                here[n] = a
                n += 1
        for i in range(n):
            for j in range(i + 1, n):
                if hostility[here[i], here[j]] > 0:
                    count += 1
    pa, pb, ps = np.empty(count, np.int64), np.empty(count, np.int64), np.empty(count, np.int64)
    k = 0
    for s in range(n_states):
        n = 0
        for a in range(n_orgs):
            if presence[a, s]:
                here[n] = a
                n += 1
        for i in range(n):
            for j in range(i + 1, n):
                if hostility[here[i], here[j]] > 0:
                    pa[k], pb[k], ps[k] = here[i], here[j], s
                    k += 1
    return pa, pb, ps


@compiled
def clash_intensity(
    m_a: np.ndarray,
    m_b: np.ndarray,
    m_state: np.ndarray,
    v_a: np.ndarray,
    v_b: np.ndarray,
    hostility: np.ndarray,
    capacity: np.ndarray,
    lethality: float,
    evenness_exponent: float,
    capacity_damping: float,
) -> np.ndarray:
    """Expected members killed per day in each pair's clashes.

    Contact is mass action in a well-mixed state, m_a*m_b/m_state with m_state all armed members
    there: a member meets a rival of b in proportion to b's share of the state's gunmen, so a
    crowded market of many small groups is not n^2 times as deadly as a duel. Evenness
    4*m_a*m_b/(m_a+m_b)^2 is 1 when the pair is matched and falls toward 0 under a monopoly.
    The violence each side can organise, `v` (its core strength to `core_violence_exponent`),
    scales the rate by the members' mean of it, and a strong state divides it.
    """
    out = np.empty(m_a.shape[0])
    for k in range(m_a.shape[0]):
        ma, mb = m_a[k], m_b[k]
        total = ma + mb
        safe = total if total > 0 else 1.0
        contact = ma * mb / m_state[k] if m_state[k] > 0 else 0.0
        evenness = power(4.0 * ma * mb / (safe * safe), evenness_exponent)
        organised = (ma * v_a[k] + mb * v_b[k]) / safe
        out[k] = lethality * hostility[k] * contact * evenness * organised / (1.0 + capacity_damping * capacity[k])
    return out


@compiled
def stakes(local: np.ndarray, trafficking: np.ndarray, labour_share: float, exponent: float) -> np.ndarray:
    """How much a state's clashes are raised by what is at stake there: (criminal revenue per paid
    member in the state over the same for the country) ** `exponent`.

    A trafficking route is worth more than the gunmen it pays (most of a trafficking margin stays
    with the leadership, `market.payroll_revenue`), and groups fight harder for it: violence
    follows the routes (Dell 2015) and rose most where they run when cocaine grew scarce (Castillo,
    Mejía & Restrepo 2020). At `exponent` 0 every state's factor is 1.
    """
    paid = payroll_revenue(local, trafficking, labour_share)
    national = (local.sum() + trafficking.sum()) / paid.sum() if paid.sum() > 0 else 1.0
    out = np.ones(local.shape[0])
    for s in range(local.shape[0]):
        if paid[s] > 0:
            out[s] = power((local[s] + trafficking[s]) / paid[s] / national, exponent)
    return out


@compiled
def provoked(lam: np.ndarray, pair_s: np.ndarray, pressure: np.ndarray, provocation: float) -> np.ndarray:
    """Each pair's clash rate raised by the enforcement that bites in its state: times
    1 + `provocation` x pressure (pressure: `forces.enforcement_pressure`).

    Crackdowns weaken the incumbents and invite their rivals to take the territory (Dell 2015,
    Calderón et al. 2015), and enforcement is a catalyst of violence between criminal
    organisations (Osorio 2015). At `provocation` 0 the rates are unchanged.
    """
    out = np.empty(lam.shape[0])
    for k in range(lam.shape[0]):
        out[k] = lam[k] * (1.0 + provocation * pressure[pair_s[k]])
    return out


@compiled
def clash_deaths(
    rng: np.random.Generator, lam: np.ndarray, pair_s: np.ndarray, n_states: int, fire_a: np.ndarray, fire_b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The day's dead of each pair's clashes and each side's share: (killed, lost by a, lost by b).

    Each pair's dead are Poisson(`lam`), shared between the sides in proportion to the other
    side's firepower (members times core strength): the weaker side loses more (Lanchester-like).
    They are drawn as a state's total, Poisson(sum of its pairs' rates), each death falling on a
    pair in proportion to its rate and on a side by the split: the same distribution as a draw per
    pair and a binomial split (superposition and thinning of Poisson processes), with a draw per
    state and two per death instead of two per pair. `pair_s` must be in state order, as
    `hostile_pairs` gives it.
    """
    n = lam.shape[0]
    killed = np.zeros(n, np.int64)
    lost_a = np.zeros(n, np.int64)
    for k in range(1, n):
        if pair_s[k] < pair_s[k - 1]:
            raise ValueError("clash_deaths: the pairs must be in state order")
    start = 0
    while start < n:
        end, total = start, 0.0
        while end < n and pair_s[end] == pair_s[start]:
            total += lam[end]
            end += 1
        deaths = rng.poisson(total) if total > 0 else 0
        for _ in range(deaths):
            k = pick(rng, lam, start, end, total)
            killed[k] += 1
            fire = fire_a[k] + fire_b[k]
            if rng.random() < (fire_b[k] / fire if fire > 0 else 0.5):
                lost_a[k] += 1
        start = end
    return killed, lost_a, killed - lost_a


@compiled
def hidden_share(arrest_risk: np.ndarray, concealment: float) -> np.ndarray:
    """Share of armed groups' killings hidden as disappearances in each state.

    Where arrests bite harder than they did in the steady world (`arrest_risk`: the excess of
    members arrested per member and year), killers who leave a body risk an investigation: no
    body, no homicide case. A share 1 - exp(-concealment x risk) of the killings is never
    recorded as homicide (record-2024-2026.md section 3: registered disappearances rose while
    homicides fell). The steady world's own disappearances are part of its calibrated level.
    """
    return 1.0 - np.exp(-concealment * arrest_risk)


YEAR_DAYS = 365.2425
DAY0_OF_YEAR = DAY0.timetuple().tm_yday  # day 0 (22 Feb 2026) is the 53rd day of its year


@compiled
def season(day: int, amplitude: float, peak_day: float) -> float:
    """The season's factor on the day's violence: 1 + amplitude x cos(2 pi (day of year - peak) /
    year). Hotter months bring more killings, by drug-trafficking organisations and others alike
    (Baysan et al. 2019, Mexico by state and month); the factor's mean over a year is 1."""
    return 1.0 + amplitude * np.cos(2.0 * np.pi * (day + DAY0_OF_YEAR - peak_day) / YEAR_DAYS)


@compiled
def background_homicides(rng: np.random.Generator, population: np.ndarray, rate_per_100k_year: float) -> np.ndarray:
    """Homicides outside armed groups: one national per-capita rate, drawn per state."""
    return poisson_shared(rng, population * (rate_per_100k_year / 1e5 / 365.0))
