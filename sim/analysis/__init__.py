"""The analysis: ensembles, sweeps and their collection, and the figures."""
