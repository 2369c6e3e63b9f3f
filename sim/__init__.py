"""Agent-based model of cartel fragmentation in Mexico after the February 2026 CJNG strike."""

from sim.api import run
from sim.core import RunResult, simulate
from sim.model import CartelModel

__version__ = "0.1.0"
__all__ = ["CartelModel", "RunResult", "run", "simulate", "__version__"]
