"""The parts of Mesa the model is built from, imported without the rest of Mesa's package.

`import mesa` runs mesa/__init__.py, which also imports mesa.experimental (SciPy's spatial
module), the batch runner (tqdm) and the legacy spaces: about 0.25 s of a 2 s command, and none
of it used by a run. So, unless `mesa` is imported already, the package is registered with its
`__init__` not yet run, the modules below are imported from it, and the `__init__` runs in full
on the first name anyone asks of `mesa` (PEP 562), so `import mesa; mesa.batch_run` still works.
This leans on Mesa's package layout (mesa/__init__.py only imports and names; true of 3.3 - 3.5;
mesa is pinned below 4), with public importlib calls only; tests/test_mesa_parts.py checks both.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def _register_unrun(name: str) -> None:
    """Put package `name` in sys.modules with its __path__ but its __init__ not yet run."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:  # not installed: the imports below say so
        return
    package: ModuleType = importlib.util.module_from_spec(spec)

    def run_init(attribute: str) -> object:
        del package.__getattr__  # once: the real __init__ defines every name
        spec.loader.exec_module(package)
        return getattr(package, attribute)

    package.__getattr__ = run_init  # type: ignore[method-assign]
    sys.modules[name] = package


if "mesa" not in sys.modules:
    _register_unrun("mesa")

from mesa.agent import Agent  # noqa: E402
from mesa.datacollection import DataCollector  # noqa: E402
from mesa.discrete_space import Cell, FixedAgent, Network  # noqa: E402
from mesa.model import Model  # noqa: E402

__all__ = ["Agent", "Cell", "DataCollector", "FixedAgent", "Model", "Network"]
