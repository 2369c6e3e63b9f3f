"""docs/calibration.md: each calibration script rewrites its own section with what it fitted.

The page's prose is hand-written; between the markers `<!-- BEGIN name -->` and
`<!-- END name -->` a script puts its latest result, so a refit updates the page and nothing else.
"""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parents[3] / "docs" / "calibration.md"


def write_section(name: str, text: str) -> None:
    """Replace the section `name` of docs/calibration.md with `text`."""
    page = DOC.read_text(encoding="utf-8")
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    if begin not in page or end not in page:
        raise ValueError(f"{DOC} has no section {name}: add the markers {begin} and {end}")
    head, rest = page.split(begin, 1)
    _, tail = rest.split(end, 1)
    DOC.write_text(f"{head}{begin}\n{text.strip()}\n{end}{tail}", encoding="utf-8")


def table(header: list[str], rows: list[list[str]]) -> str:
    """A markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])
