"""Forecasts scored against what happened: quantile forecasts, the weighted interval score, naive forecasters."""
