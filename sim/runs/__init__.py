"""The run: configuration and its checks, one simulation from Python or the command line, and
what a run leaves (summary, daily table, status).

`simulate` is the Hydra-free entry point, `api.run` (`sim.run`) composes the command line's
config first, `app` is the Hydra job behind `python -m sim`, `plausible` the plausible worlds a
run can take its values from, `pasts` the shared past that runs differing only in levers branch
from. It reads the world (sim/world/) and never the analysis.
"""
