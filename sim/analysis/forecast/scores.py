"""Quantile forecasts and their scores: the weighted interval score and interval coverage.

A forecast is a set of quantiles at `LEVELS`, the 23 of the US COVID-19 Forecast Hub (median and
the central 98, 95, 90, 80, ..., 10% intervals), so every forecaster, the model's ensemble or a
naive one, is scored the same way. The weighted interval score (WIS) is that of Bracher, Ray,
Gneiting and Reich (2021, PLoS Comput Biol 17: e1008618, eq. 2), with weights w0 = 1/2 and
w_k = alpha_k / 2, which makes it approximate the CRPS: lower is better, in the target's units.
"""

from __future__ import annotations

import numpy as np

ALPHAS = np.array([0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])  # central intervals of 1 - alpha
LEVELS = np.concatenate([ALPHAS / 2, [0.5], (1 - ALPHAS / 2)[::-1]])  # 23 quantile levels, ascending
MEDIAN = len(ALPHAS)  # index of the median in LEVELS


def interval_score(obs: np.ndarray, lower: np.ndarray, upper: np.ndarray, alpha: float) -> np.ndarray:
    """The interval score of a central (1 - alpha) interval: its width plus 2/alpha times the miss."""
    return (upper - lower) + 2 / alpha * (np.maximum(lower - obs, 0) + np.maximum(obs - upper, 0))


def wis(obs: np.ndarray | float, quantiles: np.ndarray) -> np.ndarray:
    """WIS of forecasts given as quantiles at LEVELS (last axis, length 23) for observations `obs`."""
    q = np.asarray(quantiles, dtype=float)
    y = np.asarray(obs, dtype=float)
    if q.shape[-1] != len(LEVELS):
        raise ValueError(f"a forecast needs {len(LEVELS)} quantiles (scores.LEVELS), got {q.shape[-1]}")
    total = 0.5 * np.abs(y - q[..., MEDIAN])
    for k, alpha in enumerate(ALPHAS):
        total = total + alpha / 2 * interval_score(y, q[..., k], q[..., -1 - k], alpha)
    return total / (len(ALPHAS) + 0.5)


def covered(obs: np.ndarray | float, quantiles: np.ndarray, alpha: float) -> np.ndarray:
    """Whether each observation lies within the central (1 - alpha) interval of its forecast."""
    k = int(np.flatnonzero(np.isclose(ALPHAS, alpha))[0])
    q = np.asarray(quantiles, dtype=float)
    y = np.asarray(obs, dtype=float)
    return (q[..., k] <= y) & (y <= q[..., -1 - k])


def from_samples(samples: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Quantiles at LEVELS of a (weighted) sample on the last axis-less 1-D array: the model's
    ensemble as a forecast. Weighted quantiles interpolate the weighted empirical distribution."""
    x = np.asarray(samples, dtype=float)
    if weights is None:
        return np.quantile(x, LEVELS)
    w = np.asarray(weights, dtype=float)
    x, w = x[w > 0], w[w > 0]  # a weightless sample is no part of the distribution
    order = np.argsort(x)
    x, w = x[order], w[order]
    cum = np.cumsum(w) - w / 2  # midpoints, as np.quantile's "hazen" rule: symmetric in the sample
    cum /= w.sum()
    return np.interp(LEVELS, cum, x)
