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


if __name__ == "__main__":
    main()
