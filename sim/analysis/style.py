"""The look every figure of the project shares, public for every module that draws one.

The Okabe-Ito palette and one colour per scenario, the scenarios' order, the median with its 50%
and 90% bands, the bold finding with a reading note over the axes, the source line under them,
numbers as a briefing reads them, the labels of metrics and summary keys, and saving as PNG and
PDF. Figures are drawn on their own Agg canvas, so they work headless and in parallel jobs.
"""

from __future__ import annotations

import textwrap
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.patches import Patch

from sim.runs.files import write_whole
from sim.world.calendar import DAY0
from sim.world.recorder import LEVELS, NATIONAL

# ----- colours and order -------------------------------------------------------------------------
# Okabe-Ito colours: distinguishable with the common forms of colour blindness.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
# One colour per scenario in every figure; the counterfactual is black so the others read against it.
SCENARIO_COLOURS = {
    "no_strike": OKABE_ITO["black"],
    "mencho_strike": OKABE_ITO["vermillion"],
    "kingpin_campaign": OKABE_ITO["reddish_purple"],
    "state_capacity": OKABE_ITO["bluish_green"],
    "second_front": OKABE_ITO["orange"],
    "hugs_not_bullets": OKABE_ITO["sky_blue"],
    "combined": OKABE_ITO["blue"],
}
_FALLBACK = [colour for name, colour in OKABE_ITO.items() if name != "black"]
# What a reader sees for each scenario (docs/policies.md); the code names stay in file names and tables' keys.
SCENARIO_NAMES = {
    "no_strike": "no strike",
    "mencho_strike": "status quo after the strike",
    "kingpin_campaign": "kingpin campaign",
    "state_capacity": "state capacity",
    "second_front": "second military front",
    "hugs_not_bullets": "hugs, not bullets",
    "combined": "combined measures",
}


def name(scenario: str) -> str:
    """The scenario's plain name; an analyst's own scenario or arm keeps its name."""
    return SCENARIO_NAMES.get(scenario, scenario)


def scenario_colour(scenario: str) -> str:
    """The scenario's colour; an unknown name gets a stable Okabe-Ito colour (it may repeat a known one)."""
    return SCENARIO_COLOURS.get(scenario) or _FALLBACK[zlib.crc32(scenario.encode()) % len(_FALLBACK)]


def ordered(scenarios: Iterable[str]) -> list[str]:
    """Distinct scenarios, the known ones in their canonical order, then the others alphabetically."""
    present = set(pd.Series(scenarios).unique())  # unique first: the daily table has a row per day and run
    return [s for s in SCENARIO_COLOURS if s in present] + sorted(present - set(SCENARIO_COLOURS))


# ----- what is shown and how it is labelled ------------------------------------------------------
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)  # the 90% band, the 50% band and the median
WINDOW = 30  # days in the rolling mean: daily counts are too noisy to read
YEAR = 365  # days in the "first year" the titles report
DPI = 150
LEVEL_METRICS = frozenset({*LEVELS, *NATIONAL, "members"})  # stocks: shown as they are, not summed
LABELS = {  # what a daily metric counts, with its unit
    "homicides": "homicides",
    "homicides_criminal": "homicides of armed-group members",
    "homicides_civilian": "civilian homicides",
    "homicides_forces": "security-force deaths",
    "homicides_background": "homicides outside armed groups",
    "homicides_hidden": "killings hidden as disappearances",
    "gunmen_killed": "gunmen killed by forces",
    "members": "armed-group members",
    "recruits": "recruits",
    "arrests": "arrests",
    "roadblocks": "roadblocks",
    "entries": "new armed groups",
    "flow": "trafficking flow (USD)",
    "concentration": "market concentration (Herfindahl, 0-1)",
    "groups_alive": "armed groups",
    "effective_groups": "effective number of armed groups",
    "cjng_loyal_share": "share of CJNG's day-0 cells still loyal",
    "held_states": "states held by forces (state-equivalents)",
    "leaders_removed": "leaders removed",
    "core_strength": "armed groups' core strength (0-1)",
}
KEY_LABELS = {  # what a summary key measures
    "homicides_d0_180": "homicides in the first 180 days",
    "homicides_baseline_annual": "homicides in the year before 22 Feb 2026",
    "homicides_d0_365": "first-year homicides after the strike",
    "homicides_o0_365": "first-year homicides from the origin",
    "homicides_d0_730": "homicides in the first two years",
    "homicides_last_365": "homicides in the final year",
    "homicides_sinaloa_d0_365": "first-year homicides in Sinaloa",
    "groups_alive_end": "armed groups at the end",
    "members_total_end": "armed-group members at the end",
    "flow_ratio_end": "trafficking flow at the end (ratio to before day 0)",
}


def when(days: int, level: bool) -> str:
    """The span a title reports: 'in the first year after 22 Feb 2026', 'a year after 22 Feb 2026'."""
    if level:
        return "a year after 22 Feb 2026" if days == YEAR else f"{days} days after 22 Feb 2026"
    return "in the first year after 22 Feb 2026" if days == YEAR else f"in the first {days} days after 22 Feb 2026"


def dates(days: Iterable[int]) -> pd.DatetimeIndex:
    """Model days as calendar dates (day 0 = 22 Feb 2026)."""
    return pd.Timestamp(DAY0) + pd.to_timedelta(np.asarray(list(days)), unit="D")


# ----- the figure and its parts ------------------------------------------------------------------
def new_figure(width: float = 10.0, height: float = 5.5) -> Figure:
    """A figure on its own Agg canvas: no pyplot state, so it is safe headless and in parallel jobs."""
    fig = Figure(figsize=(width, height), dpi=150)
    FigureCanvasAgg(fig)
    return fig


def mark_day0(ax: Axes, label: str) -> None:
    """A dashed line at day 0 with its date, so every time axis reads against 22 February 2026."""
    day0 = pd.Timestamp(DAY0)
    ax.axvline(day0, color="black", ls="--", lw=1)
    ax.text(
        day0,
        0.99,
        f"{label} ",
        transform=ax.get_xaxis_transform(),
        ha="right",
        va="top",
        fontsize=9,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
    )


def source_line(fig: Figure, version: str, scenarios: Sequence[str], runs: int, note: str = "") -> None:
    """A small grey line at the bottom: which scenarios, how many runs and which model drew the figure."""
    names = f"scenario{'s' if len(scenarios) > 1 else ''} {', '.join(scenarios)}"
    text = f"Source: cartel-sim v{version}; {names}; {runs} run{'s' if runs != 1 else ''}"
    fig.text(0.01, 0.012, f"{text}; {note}" if note else text, fontsize=8, color="0.3", ha="left", va="bottom")


def head(fig: Figure, headline: str, detail: str) -> float:
    """The finding in bold with a reading note under it; returns the top of the room left for axes."""
    height = fig.get_figheight() * 72  # points
    head = textwrap.fill(headline, 92)
    fig.suptitle(head, x=0.01, y=0.975, ha="left", va="top", fontsize=12.5, fontweight="bold")
    y = 0.975 - (head.count("\n") + 1) * 12.5 * 1.3 / height - 0.01
    note = textwrap.fill(detail, 135)
    fig.text(0.01, y, note, ha="left", va="top", fontsize=9.5, color="0.25")
    return y - (note.count("\n") + 1) * 9.5 * 1.3 / height - 0.04


def style_axes(ax: Axes, dates: bool = False) -> None:
    """A light grid, no top and right spines, and concise date ticks on a time axis."""
    ax.grid(alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    if dates:
        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def quantiles(values: np.ndarray) -> np.ndarray:
    """QUANTILES over runs (columns) for each day (row), NaN-aware only where a row has a NaN.

    np.nanquantile works row by row in Python; complete rows (nearly all) go to np.quantile at once.
    """
    out = np.full((len(QUANTILES), len(values)), np.nan)
    missing = np.isnan(values)
    full = ~missing.any(axis=1)
    out[:, full] = np.quantile(values[full], QUANTILES, axis=1)
    partial = ~full & ~missing.all(axis=1)  # rows of NaN only (a rolling window not yet full) stay NaN
    if partial.any():
        out[:, partial] = np.nanquantile(values[partial], QUANTILES, axis=1)
    return out


def bands(ax: Axes, x: pd.DatetimeIndex, wide: pd.DataFrame, colour: str, label: str, zorder: float = 2.5) -> None:
    """Median line with shaded 50% and 90% bands over runs: the spread of possible futures."""
    lo90, lo50, med, hi50, hi90 = quantiles(wide.to_numpy(dtype=float))
    ax.fill_between(x, lo90, hi90, color=colour, alpha=0.12, lw=0, zorder=zorder - 1)
    ax.fill_between(x, lo50, hi50, color=colour, alpha=0.28, lw=0, zorder=zorder - 1)
    ax.plot(x, med, color=colour, lw=2, label=label, zorder=zorder)


def legend(ax: Axes) -> None:
    """Scenario lines and one key to the bands, outside the plot so no data is hidden."""
    handles, _ = ax.get_legend_handles_labels()
    handles += [
        Patch(color="0.4", alpha=0.37, lw=0, label="50% of runs"),  # both fills overlap inside the 50% band
        Patch(color="0.4", alpha=0.12, lw=0, label="90% of runs"),
    ]
    ax.legend(handles=handles, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)


# ----- numbers as a briefing reads them ----------------------------------------------------------
def num(v: float) -> str:
    """A number as a briefing reads it: 3.2 billion; 31,200; 27; 6.2; 0.85."""
    if np.isnan(v):
        return "n/a"
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(v) >= size:
            return f"{v / size:.3g} {word}"
    if abs(v) >= 1000:  # three significant figures: the runs do not support more
        return f"{float(f'{v:.3g}'):,.0f}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10 or float(v).is_integer():
        return f"{v:.0f}"
    return f"{v:.1f}" if abs(v) >= 1 else f"{v:.2g}"


def signed(v: float) -> str:
    """`num` with its sign: +1,200; -35; 0."""
    return "n/a" if np.isnan(v) else ("+" if v > 0 else "") + num(v)


def percent(v: float) -> str:
    """A signed percentage: +162%, +18%, -1.9%."""
    return "n/a" if np.isnan(v) else f"{v:+.0f}%" if abs(v) >= 10 else f"{v:+.1f}%"


def about(v: float) -> str:
    """A rounded count for a headline: 'about 260', not 'about 257.5'."""
    return f"{round(v, -1):,.0f}" if v >= 100 else f"{v:.0f}"


def tick(v: object) -> str:
    """A parameter value as a tick label: 0.1, 12, True, clear."""
    numeric = isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))
    return f"{v:g}" if numeric else str(v)


def runs_phrase(sizes: Iterable[int]) -> str:
    """'3 runs' or '3-5 runs': how many runs each median is over."""
    sizes = [int(n) for n in sizes]
    lo, hi = min(sizes), max(sizes)
    return f"{lo} run{'s' if hi != 1 else ''}" if lo == hi else f"{lo}-{hi} runs"


def cap(text: str) -> str:
    """The text with its first letter capitalised, the rest as it is."""
    return text[:1].upper() + text[1:]


# ----- files -------------------------------------------------------------------------------------
def save(fig: Figure, folder: str | Path, name: str) -> list[Path]:
    """Write `name.png` (for slides) and `name.pdf` (for print), then release the figure."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.png", folder / f"{name}.pdf"]
    for path in paths:
        write_whole(path, lambda tmp, path=path: fig.savefig(tmp, dpi=DPI, format=path.suffix[1:]))
    if fig.canvas.manager is not None:  # made with pyplot: drop it from pyplot's registry
        from matplotlib import pyplot as plt

        plt.close(fig)
    return paths


def multipage_pdf(items: Iterable[Figure | str | Path], path: str | Path) -> Path:
    """One PDF with a page per figure, to send a briefing as one file; image paths become image pages."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)

    def write(tmp: Path) -> None:
        with PdfPages(tmp) as pdf:
            for item in items:
                pdf.savefig(item if isinstance(item, Figure) else _image_page(Path(item)))

    return write_whole(path, write)


def _image_page(path: Path) -> Figure:
    """A page holding a saved PNG at its own size."""
    image = imread(path)
    fig = new_figure(image.shape[1] / DPI, image.shape[0] / DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.imshow(image)
    ax.axis("off")
    return fig
