"""`python -m sim [overrides]`: check the overrides in one line each, then run the Hydra app.

python -m sim scenario=no_strike seed=2 params.troop_pool=150000
python -m sim -m seed=1,2,3          # a sweep; see conf/config.yaml for where files go
"""

from __future__ import annotations

import sys

from hydra._internal.utils import get_args_parser  # the parser @hydra.main uses: same flags

from sim.errors import ConfigError
from sim.runs.config import check_overrides


def main() -> None:
    args, _ = get_args_parser().parse_known_args(sys.argv[1:])
    if not (args.help or args.hydra_help or args.shell_completion):
        try:
            check_overrides(args.overrides, multirun=args.multirun)
        except ConfigError as err:
            print(f"error: {err}", file=sys.stderr)
            sys.exit(2)
    from sim.analysis import sweep  # after the checks: a typo should not wait for the model to import
    from sim.runs import app

    if not any(o.lstrip("+~").startswith("hydra.mode") for o in args.overrides):
        skip_mode_probe()

    try:
        app.main()
    except KeyboardInterrupt:  # Ctrl-C: one line on what is kept, not a traceback
        folder = sweep.LAST.get("folder")
        kept = (
            f"; the finished runs are kept in {folder}: the same command with hydra.sweep.dir={folder} resumes"
            if folder
            else ""
        )
        print(f"interrupted{kept}", file=sys.stderr)
        sys.exit(130)
    result = sweep.LAST.get("result")
    if result is not None and result.failed:  # only in a sweep: a single run has exited already
        print(
            f"error: {len(result.failed)} of {result.total} runs failed; see {result.folder / 'failures.csv'}",
            file=sys.stderr,
        )
        sys.exit(2)


def skip_mode_probe() -> None:
    """Hydra 1.3 composes the whole config once only to read `hydra.mode` (a third of a second, an
    eighth of a run) and then again to run; conf/ never sets it, so without an override the probe
    returns None, which makes `-m` decide, as it would. Private API (`Hydra.get_mode`), hence the
    pin hydra-core<1.4; tests/test_cli.py checks the probe's answer on conf/ is still None."""
    from hydra._internal.hydra import Hydra

    Hydra.get_mode = lambda self, config_name, overrides: None


if __name__ == "__main__":
    main()
