"""The explorer: a local web page (Solara) where an analyst sets the levers and sees the consequences.

`python -m sim.explorer` serves it (or `solara run sim.explorer`). Solara looks for `Page` here (named
`Explorer` in its module, or Solara would also route to that module as a second page).
"""

from sim.explorer.page import Explorer as Page

__all__ = ["Page"]
