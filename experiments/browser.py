"""The README's picture of the explorer, re-made from the page itself in headless Chromium.

The driver (Chromium, the served page, its fields and the Run button) is sim/explorer/browser.py.
"""

from __future__ import annotations

from sim.explorer.browser import choose, fill, page_at, run, served


def main() -> None:
    """`python -m experiments.browser --screenshot docs/figures/explorer.png`: the README's picture,
    re-made from the page itself (the campaign with a third of recruitment prevented, 4 seeds)."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__.splitlines()[0])
    parser.add_argument("--screenshot", required=True, help="PNG file to write")
    args = parser.parse_args()
    with served() as url, page_at(url, height=1150) as page:
        choose(page, "lever 1", "recruitment_reduction")
        fill(page, "recruitment_reduction", 0.3)
        seconds = run(page)
        page.screenshot(path=args.screenshot)
    print(f"wrote {args.screenshot}; first figure {seconds:.1f} s after Run")


if __name__ == "__main__":
    main()
