"""Recruitment with saturation, and the steady loss of members to arrests and desertion."""

from __future__ import annotations

import numpy as np


def recruits(
    members: np.ndarray,
    income: np.ndarray,
    member_cost: float,
    rate_max: float,
    capacity: np.ndarray,
    capacity_damping: float,
) -> np.ndarray:
    """New members per cell today.

    A cell recruits while its income pays more members than it has: the rate falls linearly to
    zero as members approach income / member_cost (saturation), and state capacity (legal
    alternatives) cuts it further.
    """
    affordable = income / member_cost
    room = np.clip(1.0 - np.divide(members, affordable, out=np.ones_like(members), where=affordable > 0), 0.0, 1.0)
    return rate_max * members * room * (1.0 - capacity_damping * capacity)


def attrition(
    members: np.ndarray,
    desertion_rate: float,
    arrest_rate: float,
    capacity: np.ndarray,
    troop_density_ratio: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Members lost per cell today to desertion and to arrests that stick.

    Arrests grow with state capacity (arrests that stick) and with troop density relative to
    the national mean (raids). Rates are per year.
    """
    deserted = members * desertion_rate / 365.0
    arrested = members * arrest_rate / 365.0 * capacity * troop_density_ratio
    return deserted, arrested
