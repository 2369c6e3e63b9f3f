"""Briefing figures of an ensemble of runs: what security analysts put on a slide.

Every figure shows the median and the 50% and 90% bands over seeds, never a single run: one run
is one draw of many possible futures. Each scenario keeps one Okabe-Ito colour in every figure,
each title states the finding computed from the data, and a source line says what is shown.

Inputs follow the sweep collector's contract: `runs` has one row per run (`run`, `scenario`,
`seed`, `status`, `error`, Hydra override columns such as `params.capacity_investment`, and every
key of the run's summary.json); `daily` has the national daily rows (`run`, `scenario`, `seed`,
`day`, `date`, `metric`, `value`; day 0 = 22 Feb 2026).

The figures live in `over_time` (national series per scenario, the record), `effects` (paired
differences, the map per state) and `summaries` (outcomes, the day-0 wave, a sweep's heatmap);
`plan` chooses and draws the standard set; `tables` shapes the collector's tables. Their shared
look is `sim.analysis.style`. The names below are this package's API, as they were when it was
one module.
"""

from sim.analysis.figures.effects import effect_map, paired_difference
from sim.analysis.figures.over_time import groups_over_time, record_fit, scenario_comparison
from sim.analysis.figures.plan import OUTCOME_KEYS, briefing_figures, briefing_plan
from sim.analysis.figures.summaries import outcomes, sweep_heatmap, wave
from sim.analysis.figures.tables import pair_keys
from sim.analysis.style import (
    DPI,
    KEY_LABELS,
    LABELS,
    LEVEL_METRICS,
    OKABE_ITO,
    QUANTILES,
    SCENARIO_COLOURS,
    WINDOW,
    YEAR,
    multipage_pdf,
    save,
    scenario_colour,
)

__all__ = [
    "DPI",
    "KEY_LABELS",
    "LABELS",
    "LEVEL_METRICS",
    "OKABE_ITO",
    "OUTCOME_KEYS",
    "QUANTILES",
    "SCENARIO_COLOURS",
    "WINDOW",
    "YEAR",
    "briefing_figures",
    "briefing_plan",
    "effect_map",
    "groups_over_time",
    "multipage_pdf",
    "outcomes",
    "pair_keys",
    "paired_difference",
    "record_fit",
    "save",
    "scenario_colour",
    "scenario_comparison",
    "sweep_heatmap",
    "wave",
]
