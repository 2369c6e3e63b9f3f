"""The model's discrepancy from the record: a persistent error, not independent months.

A world that runs 10% high in one month runs about as high in the next: the long fit's residuals
(log observed minus log simulated victims a day) have a lag-1 autocorrelation of about 0.9. Treating
each month's miss as independent (as the first backtest did) counts one persistent offset as many
independent misses, so the weights collapse onto a few particles, and a forecast ignores what the
last months said about the world's offset. Here the discrepancy is an AR(1) process in the logs
(Kennedy & O'Hagan 2001 model a simulator's discrepancy as a stochastic process; an AR(1) is its
simplest form in time):

    r_t = PERSISTENCE * r_{t-1} + e_t,  e_t ~ N(0, INNOVATION**2 + obs_t**2)

with `obs_t` the series' own relative error of month t. The first month's residual has the
process's stationary variance. This is the conditioning's likelihood. A forecast of a state's
next year shifts it by STATE_PERSISTENCE**h times its last residual (`ahead`). A national
forecast does not let the offset decay toward the model, which runs 10-30% off for years at a
time: it takes each particle's level from its last ANCHOR_MONTHS residuals and lets it wander as
the population's mean residual did in the CHANGE_WINDOW months before the origin (`changes`).

PERSISTENCE and INNOVATION are `estimate` on the residuals of the long fit's runs over every
observed month, Jan 2015 - May 2026 (the calibration fit's data): `calibration.long.score` gives them
on the shipped fit's ten calibration seeds, `experiments.calibrate_long` writes them to
sim/data/long_discrepancy.csv (`--rescore` re-runs the shipped fit for them alone) and
docs/calibration.md §5 shows them. The estimate is noisy: the fit's five finalists, near one
another, left 0.77 - 0.90 a month. A state's share of the killings misses far more, and as
persistently: the residuals of each state's victims in each year 2015-2024 have an sd of about 0.8
and persist at about 0.92 a year (`STATE_PERSISTENCE`, `STATE_INNOVATION`): the model ranks the
states roughly right (Spearman about 0.7), but a state it gets 50% low it gets low every year. The
backtest's origins use them as they use the mechanisms, which were also designed knowing the whole
record (docs/forecast.md says so).
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

ANCHOR_MONTHS = 3  # a forecast's offset: the mean residual of the last 3 known months (one run's month is noisy)
CHANGE_WINDOW = 36  # months whose changes spread a forecast (as no_change's intervals)


def fitted() -> pd.DataFrame:
    """The long fit's AR(1) constants, a row per series (`months`, `states`): sim/data/long_discrepancy.csv."""
    with resources.files("sim.data").joinpath("long_discrepancy.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh).set_index("series")


_FITTED = fitted()
PERSISTENCE = float(_FITTED.at["months", "persistence"])  # the national residuals' lag-1 autocorrelation a month
INNOVATION = float(_FITTED.at["months", "innovation"])  # sd of a month's new discrepancy, in logs
STATE_PERSISTENCE = float(_FITTED.at["states", "persistence"])  # a state's yearly residuals 2015-2024, lag-1
STATE_INNOVATION = float(_FITTED.at["states", "innovation"])  # sd of a state year's new discrepancy, in logs


def estimate(residuals: np.ndarray) -> tuple[float, float]:
    """AR(1) coefficient (least squares, pooled over rows) and innovation sd of residual series
    (rows: particles or runs; columns: consecutive months)."""
    r = np.asarray(residuals, dtype=float)
    before, after = r[:, :-1].ravel(), r[:, 1:].ravel()
    if not before @ before > 0:
        return float("nan"), 0.0  # no discrepancy at all: nothing persists
    phi = float(before @ after / (before @ before))
    return phi, float(np.std(after - phi * before))


def log_likelihood(
    residuals: np.ndarray, obs_error: np.ndarray, persistence: float = PERSISTENCE, innovation: float = INNOVATION
) -> np.ndarray:
    """Each row's log likelihood (up to a constant) of its residuals over consecutive steps
    (months, or years with the state constants) under the AR(1) discrepancy; `obs_error` is each
    step's relative error of the series."""
    r = np.asarray(residuals, dtype=float)
    obs = np.asarray(obs_error, dtype=float)
    if r.shape[1] == 0:
        return np.zeros(len(r))
    var = innovation**2 + obs**2
    var0 = innovation**2 / (1 - persistence**2) + obs[0] ** 2
    innovations = r[:, 1:] - persistence * r[:, :-1]
    ll = -0.5 * (r[:, 0] ** 2 / var0 + np.log(var0))
    ll = ll - 0.5 * ((innovations**2 / var[1:]) + np.log(var[1:])).sum(axis=1)
    ll[~np.isfinite(ll)] = -np.inf
    return ll


def ahead(
    last: np.ndarray, h: int, persistence: float = PERSISTENCE, innovation: float = INNOVATION
) -> tuple[np.ndarray, float]:
    """The discrepancy h steps (months, or years with the state constants) after the last observed
    one: its expected value for each last residual and its sd (the innovations to come)."""
    spread = innovation * np.sqrt(sum(persistence ** (2 * k) for k in range(h)))
    return persistence**h * np.asarray(last, dtype=float), float(spread)


def changes(mean_residuals: np.ndarray, h: int, anchor: int = ANCHOR_MONTHS, window: int = CHANGE_WINDOW) -> np.ndarray:
    """How the population's (weighted) mean residual moved h months after an anchor (the mean of
    `anchor` consecutive months), over the last `window` months before the origin, each change taken
    both ways: the random walk a forecast's discrepancy follows, drawn from the record known on the
    origin as the `no_change` forecaster draws its intervals from the series' own changes."""
    r = np.asarray(mean_residuals, dtype=float)[-window:]
    anchored = np.convolve(r, np.ones(anchor) / anchor, mode="valid")  # anchored[i]: months i .. i + anchor - 1
    moved = r[anchor - 1 + h :] - anchored[: len(r) - anchor + 1 - h]
    moved = moved[np.isfinite(moved)]
    if len(moved) < 2:
        raise ValueError(f"a forecast {h} months ahead needs more than {anchor + h} known months, got {len(r)}")
    return np.concatenate([moved, -moved])
