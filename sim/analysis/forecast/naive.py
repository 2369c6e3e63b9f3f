"""The forecasters the model must beat, on a monthly series known up to the origin.

Each takes the months before the origin (oldest first, values a day) and returns quantiles at
`scores.LEVELS` for horizons 1..h (horizon 1 is the origin's own month), in the series' units:

- `no_change`: the last month carried forward, as its median; its intervals are the empirical
  h-month changes (as ratios) within the 36 months before the origin, each taken both ways (the
  COVID-19 Forecast Hub's baseline), so a past trend widens them without moving the median.
- `trend`: a straight line through the logarithms of the last 12 months, with the prediction
  interval of ordinary least squares (Student's t).
- `stat`: an ARIMA model of the logarithms of the whole past, its order chosen by AIC among a few
  (statsmodels' SARIMAX), with its Gaussian prediction intervals.

Logarithms keep every forecast positive and make changes proportional, as counts of killings move.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
from scipy import stats

from sim.analysis.forecast.scores import LEVELS

NO_CHANGE_WINDOW = 36  # months whose h-month changes give no_change's intervals
TREND_WINDOW = 12  # months the trend is fitted to
ARIMA_ORDERS = ((0, 1, 1), (1, 1, 0), (1, 1, 1), (2, 1, 0), (1, 0, 0), (2, 0, 0))


def no_change(past: np.ndarray, horizons: int) -> np.ndarray:
    y = np.log(np.asarray(past, dtype=float))
    window = y[-NO_CHANGE_WINDOW:]
    out = np.empty((horizons, len(LEVELS)))
    for h in range(1, horizons + 1):
        changes = window[h:] - window[:-h]
        if len(changes) < 2:
            raise ValueError(f"no_change needs more than {h + 1} months before the origin, got {len(window)}")
        out[h - 1] = np.exp(y[-1] + np.quantile(np.concatenate([changes, -changes]), LEVELS))
    return out


def trend(past: np.ndarray, horizons: int) -> np.ndarray:
    y = np.log(np.asarray(past, dtype=float))[-TREND_WINDOW:]
    n = len(y)
    if n < 4:
        raise ValueError(f"trend needs at least 4 months before the origin, got {n}")
    t = np.arange(n, dtype=float)
    slope, intercept = np.polyfit(t, y, 1)
    resid = y - (intercept + slope * t)
    s = np.sqrt(resid @ resid / (n - 2))
    sxx = ((t - t.mean()) ** 2).sum()
    ahead = n - 1 + np.arange(1, horizons + 1, dtype=float)
    se = s * np.sqrt(1 + 1 / n + (ahead - t.mean()) ** 2 / sxx)
    z = stats.t.ppf(LEVELS, n - 2)
    return np.exp(intercept + slope * ahead[:, None] + se[:, None] * z[None, :])


def stat(past: np.ndarray, horizons: int) -> np.ndarray:
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    y = np.log(np.asarray(past, dtype=float))
    if len(y) < 24:
        raise ValueError(f"stat needs at least 24 months before the origin, got {len(y)}")
    best = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter of the candidates AIC rejects anyway
        for order in ARIMA_ORDERS:
            fit = SARIMAX(y, order=order, trend="c" if order[1] == 0 else "n").fit(disp=False)
            if best is None or fit.aic < best.aic:
                best = fit
    assert best is not None
    forecast = best.get_forecast(horizons)
    mean, se = np.asarray(forecast.predicted_mean), np.sqrt(np.asarray(forecast.var_pred_mean))
    return np.exp(mean[:, None] + se[:, None] * stats.norm.ppf(LEVELS)[None, :])


FORECASTERS: dict[str, Callable[[np.ndarray, int], np.ndarray]] = {
    "no_change": no_change,
    "trend": trend,
    "stat": stat,
}
