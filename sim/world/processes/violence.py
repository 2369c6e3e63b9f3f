"""Clashes between armed groups that share a state, and the homicides outside armed groups."""

from __future__ import annotations

import numpy as np


def hostile_pairs(presence: np.ndarray, hostility: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (group a, group b, state) with a < b where two groups with hostility > 0 are both present.

    `presence` is a boolean (groups x states) matrix. Returned in a fixed order (state, then
    group indices) so that random draws line up across runs.
    """
    a_parts, b_parts, s_parts = [], [], []
    for s in range(presence.shape[1]):
        here = np.flatnonzero(presence[:, s])
        i, j = np.nonzero(np.triu(hostility[np.ix_(here, here)] > 0, k=1))
        a_parts.append(here[i])
        b_parts.append(here[j])
        s_parts.append(np.full(len(i), s))
    as_int = lambda parts: np.concatenate(parts).astype(np.int64)  # noqa: E731
    return as_int(a_parts), as_int(b_parts), as_int(s_parts)


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
    total = m_a + m_b
    safe = np.where(total > 0, total, 1.0)
    contact = np.divide(m_a * m_b, m_state, out=np.zeros_like(total), where=m_state > 0)
    evenness = (4.0 * m_a * m_b / safe**2) ** evenness_exponent
    organised = (m_a * v_a + m_b * v_b) / safe
    return lethality * hostility * contact * evenness * organised / (1.0 + capacity_damping * capacity)


def split_losses(rng: np.random.Generator, killed: np.ndarray, fire_a: np.ndarray, fire_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Share each clash's dead between the sides in proportion to the other side's firepower
    (members times core strength): the weaker side loses more (Lanchester-like)."""
    total = fire_a + fire_b
    share_a = np.divide(fire_b, total, out=np.full_like(fire_a, 0.5), where=total > 0)
    lost_a = rng.binomial(killed, share_a)
    return lost_a, killed - lost_a


def hidden_share(arrest_risk: np.ndarray, concealment: float) -> np.ndarray:
    """Share of armed groups' killings hidden as disappearances in each state.

    Where arrests bite harder than they did in the steady world (`arrest_risk`: the excess of
    members arrested per member and year), killers who leave a body risk an investigation: no
    body, no homicide case. A share 1 - exp(-concealment x risk) of the killings is never
    recorded as homicide (record-2024-2026.md section 3: registered disappearances rose while
    homicides fell). The steady world's own disappearances are part of its calibrated level.
    """
    return 1.0 - np.exp(-concealment * arrest_risk)


def background_homicides(rng: np.random.Generator, population: np.ndarray, rate_per_100k_year: float) -> np.ndarray:
    """Homicides outside armed groups: one national per-capita rate, drawn per state."""
    return rng.poisson(population * rate_per_100k_year / 1e5 / 365.0)
