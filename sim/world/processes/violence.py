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
    4*m_a*m_b/(m_a+m_b)^2 is 1 when the pair is matched and falls toward 0 under a monopoly, and
    a strong state divides the rate.
    """
    total = m_a + m_b
    safe = np.where(total > 0, total, 1.0)
    contact = np.divide(m_a * m_b, m_state, out=np.zeros_like(total), where=m_state > 0)
    evenness = (4.0 * m_a * m_b / safe**2) ** evenness_exponent
    return lethality * hostility * contact * evenness / (1.0 + capacity_damping * capacity)


def split_losses(rng: np.random.Generator, killed: np.ndarray, m_a: np.ndarray, m_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Share each clash's dead between the sides: the weaker side loses more (Lanchester-like)."""
    total = m_a + m_b
    share_a = np.divide(m_b, total, out=np.full_like(m_a, 0.5), where=total > 0)
    lost_a = rng.binomial(killed, share_a)
    return lost_a, killed - lost_a


def background_homicides(rng: np.random.Generator, population: np.ndarray, rate_per_100k_year: float) -> np.ndarray:
    """Homicides outside armed groups: one national per-capita rate, drawn per state."""
    return rng.poisson(population * rate_per_100k_year / 1e5 / 365.0)
