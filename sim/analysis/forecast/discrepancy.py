"""The model's discrepancy from the record: a persistent error, not independent months.

A world that runs 10% high in one month runs about as high in the next: the long fit's residuals
(log observed minus log simulated victims a day) have a lag-1 autocorrelation of 0.92. Treating
each month's miss as independent (as the first backtest did) counts one persistent offset as many
independent misses, so the weights collapse onto a few particles, and a forecast ignores what the
last months said about the world's offset. Here the discrepancy is an AR(1) process in the logs
(Kennedy & O'Hagan 2001 model a simulator's discrepancy as a stochastic process; an AR(1) is its
simplest form in time):

    r_t = PERSISTENCE * r_{t-1} + e_t,  e_t ~ N(0, INNOVATION**2 + obs_t**2)

with `obs_t` the series' own relative error of month t. The first month's residual has the
process's stationary variance. A forecast h months ahead shifts the particle's simulated month by
PERSISTENCE**h times its last residual and widens it by the innovations to come: the offset
decays toward the model at a half-life of about 8 months.

PERSISTENCE and INNOVATION are `estimate` on the residuals of the long fit's 50 finalists over
every observed month, Jan 2015 - May 2026 (the calibration fit's data; docs/calibration.md §5):
0.923 and 0.061. The backtest's origins use them as they use the mechanisms, which were also
designed knowing the whole record (docs/forecast.md says so).
"""

from __future__ import annotations

import numpy as np

PERSISTENCE = 0.92  # the residuals' lag-1 autocorrelation a month (estimate() on the long fit: 0.923)
INNOVATION = 0.06  # sd of a month's new discrepancy, in logs (estimate() on the long fit: 0.061)


def estimate(residuals: np.ndarray) -> tuple[float, float]:
    """AR(1) coefficient (least squares, pooled over rows) and innovation sd of residual series
    (rows: particles or runs; columns: consecutive months)."""
    r = np.asarray(residuals, dtype=float)
    before, after = r[:, :-1].ravel(), r[:, 1:].ravel()
    phi = float(before @ after / (before @ before))
    return phi, float(np.std(after - phi * before))


def log_likelihood(residuals: np.ndarray, obs_error: np.ndarray) -> np.ndarray:
    """Each row's log likelihood (up to a constant) of its residuals over consecutive months
    under the AR(1) discrepancy; `obs_error` is each month's relative error of the series."""
    r = np.asarray(residuals, dtype=float)
    obs = np.asarray(obs_error, dtype=float)
    if r.shape[1] == 0:
        return np.zeros(len(r))
    var = INNOVATION**2 + obs**2
    var0 = INNOVATION**2 / (1 - PERSISTENCE**2) + obs[0] ** 2
    innovations = r[:, 1:] - PERSISTENCE * r[:, :-1]
    ll = -0.5 * (r[:, 0] ** 2 / var0 + np.log(var0))
    ll = ll - 0.5 * ((innovations**2 / var[1:]) + np.log(var[1:])).sum(axis=1)
    ll[~np.isfinite(ll)] = -np.inf
    return ll


def ahead(last: np.ndarray, h: int) -> tuple[np.ndarray, float]:
    """The discrepancy h months after the last observed one: its expected value for each last
    residual and its sd (the innovations to come)."""
    spread = INNOVATION * np.sqrt(sum(PERSISTENCE ** (2 * k) for k in range(h)))
    return PERSISTENCE**h * np.asarray(last, dtype=float), float(spread)
