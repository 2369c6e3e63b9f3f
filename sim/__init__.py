"""Agent-based model of cartel fragmentation in Mexico after the February 2026 CJNG strike.

The public names load on first use (PEP 562), so that `import sim.runs.app` in a sweep's parent
process does not pay for Mesa and the model.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"
_PUBLIC = {
    "Arm": "sim.analysis.ensembles",
    "CartelModel": "sim.world.model",
    "EnsembleResult": "sim.analysis.ensembles",
    "RunResult": "sim.runs.simulate",
    "ensemble": "sim.analysis.ensembles",
    "run": "sim.runs.api",
    "simulate": "sim.runs.simulate",
}
__all__ = [*_PUBLIC, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
