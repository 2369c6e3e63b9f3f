"""Whether a script started a local worker pool from its top level, outside a main guard.

The default pool starts its workers with "spawn" (the one start method that behaves alike on
every OS and the one Mesa sets): each worker imports the script that started it, so a script
that calls `sim.ensemble` at its top level would start it again in every worker, and every run
would come back failed (BrokenProcessPool) under pages of tracebacks. Found before the pool starts,
it is one line that says what to do. Notebooks and `python -c` have no script to re-import and
are fine; Dask and MPI executors keep their own rules.
"""

from __future__ import annotations

import ast
import inspect
import sys
from pathlib import Path
from types import FrameType

from sim.errors import ConfigError

ADVICE = (
    "sim.ensemble was called from the top level of {script}: its worker processes re-run that script, "
    'so put the script\'s code under `if __name__ == "__main__":` (or pass processes=1 to run in this process)'
)


def check_main_guard() -> None:
    """ConfigError if the running script's top-level statement now executing is not inside
    `if __name__ == "__main__":` (the pool's workers would run it again)."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    frame = _top_level_frame(main)
    if path is None or frame is None or not str(path).endswith(".py"):
        return
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return  # cannot tell: let the pool start
    line = frame.f_lineno
    for statement in tree.body:
        if statement.lineno <= line <= (statement.end_lineno or statement.lineno):
            if not _is_main_guard(statement):
                raise ConfigError(ADVICE.format(script=path))
            return


def _top_level_frame(main: object) -> FrameType | None:
    """The frame running the main module's own top-level code, if it is on the stack."""
    frame = inspect.currentframe()
    namespace = getattr(main, "__dict__", None)
    while frame is not None:
        if frame.f_code.co_name == "<module>" and frame.f_globals is namespace:
            return frame
        frame = frame.f_back
    return None


def _is_main_guard(statement: ast.stmt) -> bool:
    """`if __name__ == "__main__":` (either way round)."""
    if not isinstance(statement, ast.If) or not isinstance(statement.test, ast.Compare):
        return False
    test = statement.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s.id for s in sides if isinstance(s, ast.Name)]
    strings = [s.value for s in sides if isinstance(s, ast.Constant)]
    return names == ["__name__"] and strings == ["__main__"]
