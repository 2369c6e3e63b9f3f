"""`python -m sim.explorer [--port 8765] [--host localhost] [--no-open]`: serve the explorer page.

It is `solara run sim.explorer --production` with the project's defaults; stop it with Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m sim.explorer", description="Serve the explorer page on this machine."
    )
    parser.add_argument("--port", type=int, default=8765, help="port to serve on (0: any free port; default 8765)")
    parser.add_argument(
        "--host", default="localhost", help="address to listen on (default localhost: this machine only)"
    )
    parser.add_argument("--no-open", action="store_true", help="do not open a browser")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port {args.port} is not allowed: it must be from 0 to 65535")
    from solara.__main__ import cli

    options = ["run", "sim.explorer", "--production", "--port", str(args.port), "--host", args.host]
    cli.main([*options, "--no-open" if args.no_open else "--open"], prog_name="solara")


if __name__ == "__main__":
    sys.exit(main())
