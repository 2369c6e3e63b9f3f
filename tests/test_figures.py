"""Briefing figures: drawn from a small real ensemble, saved, non-blank, titled with a number,
one colour per scenario across figures, and the sweep heatmap on a fabricated 2 x 2 sweep."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import matplotlib.image
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from sim import simulate
from sim.analysis import figures, style
from sim.analysis.baselines import baseline_for

SEEDS = (1, 2, 3)
SCENARIOS = {
    "no_strike": {},
    "mencho_strike": {"strike_enabled": True},
    "state_capacity": {"strike_enabled": True, "capacity_investment": 0.1},
}


@pytest.fixture(scope="module")
def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """`runs` and `daily` as the sweep collector writes them, from 9 short real runs and one failed run."""
    runs, daily = [], []
    for scenario, params in SCENARIOS.items():
        for seed in SEEDS:
            result = simulate(seed=seed, burn_in_days=365, horizon_days=365, **params)
            run = f"{scenario}/seed{seed}"
            ident = {"run": run, "scenario": scenario, "seed": seed}
            runs.append({**ident, "status": "ok", "error": None, "model_version": "0.1.0", **result.summary})
            national = result.timeseries[result.timeseries["state"] == "MX"].drop(columns="state")
            daily.append(national.assign(**ident)[["run", "scenario", "seed", "day", "date", "metric", "value"]])
    failed = {"run": "mencho_strike/seed9", "scenario": "mencho_strike", "seed": 9, "status": "failed", "error": "boom"}
    runs.append(failed)  # its summary is NaN: every figure must ignore it
    return pd.DataFrame(runs), pd.concat(daily, ignore_index=True)


def assert_readable(fig: Figure, tmp_path: Path, name: str) -> None:
    """Saved as PNG and PDF, not blank, with a title that states a number."""
    png, pdf = figures.save(fig, tmp_path, name)
    assert png.suffix == ".png" and pdf.stat().st_size > 5_000
    assert matplotlib.image.imread(png)[..., :3].std() > 0.05
    assert re.search(r"\d", fig.get_suptitle()), fig.get_suptitle()
    assert "cartel-sim v0.1.0" in " ".join(t.get_text() for t in fig.texts)


def line_colours(fig: Figure) -> dict[str, str]:
    """Scenario -> colour of its median line, labelled with the scenario's plain name (paired lines
    'name − baseline's name')."""
    by_name = {style.name(s): s for s in style.SCENARIO_NAMES}
    labels = {line.get_label().split(" − ")[0]: to_hex(line.get_color()) for line in fig.axes[0].get_lines()}
    return {by_name.get(label, label): colour for label, colour in labels.items()}


def test_the_model_against_the_record(tables, tmp_path):
    fig = figures.record_fit(tables[1])
    assert_readable(fig, tmp_path, "record")
    assert re.search(r"\d+ of 15 months within 15%", fig.get_suptitle())
    points = {
        c.get_label(): len(c.get_offsets())
        for c in fig.axes[0].collections
        if c.get_offsets().shape[0] > 1 and c.get_label().startswith("observed")
    }
    after = points.pop("observed after the strike (RNID), not fitted")
    assert sum(points.values()) == 15  # every observed month of the record, fitted or not
    assert after == 3  # and the status quo's Mar - May 2026, which the runs reach at the default origin


def test_scenario_comparison(tables, tmp_path):
    fig = figures.scenario_comparison(tables[1])
    assert_readable(fig, tmp_path, "comparison")
    assert "first year" in fig.get_suptitle()
    assert set(line_colours(fig)) >= set(SCENARIOS)


def test_paired_difference_uses_the_scenario_colours(tables, tmp_path):
    daily = tables[1]
    fig = figures.paired_difference(daily)
    assert_readable(fig, tmp_path, "paired")
    paired, compared = line_colours(fig), line_colours(figures.scenario_comparison(daily))
    for scenario in ("mencho_strike", "state_capacity"):
        assert paired[scenario] == compared[scenario] == figures.SCENARIO_COLOURS[scenario].lower()
    assert "median of 3 paired runs" in fig.get_suptitle()


def test_effect_map(tables, tmp_path):
    fig = figures.effect_map(tables[0], "mencho_strike")
    assert_readable(fig, tmp_path, "effect_map")
    assert re.search(r"in \d+ of \d+ states", fig.get_suptitle())
    assert any(t.get_text() == "JAL" for t in fig.axes[0].texts)


def test_groups_over_time(tables, tmp_path):
    fig = figures.groups_over_time(tables[1])
    assert_readable(fig, tmp_path, "groups")
    assert "armed groups" in fig.get_suptitle().lower()


def test_wave(tables, tmp_path):
    fig = figures.wave(tables[0])
    assert_readable(fig, tmp_path, "wave")
    assert re.match(r"About [\d,]+ roadblocks in \d+ states within 48 hours", fig.get_suptitle())


def test_sweep_heatmap_on_a_2x2_sweep(tables, tmp_path):
    runs = tables[0]
    sweep = runs[(runs["scenario"] == "mencho_strike") & (runs["status"] == "ok")]
    cells = [(x, y) for x in (0.0, 0.2) for y in (6.0, 12.0)]
    sweep = pd.concat(
        [sweep.assign(**{"params.capacity_investment": x, "params.campaign_ops_per_year": y}) for x, y in cells],
        ignore_index=True,
    )
    sweep["homicides_d0_365"] *= 1 + sweep["params.capacity_investment"]  # cells must differ
    fig = figures.sweep_heatmap(sweep, "params.capacity_investment", "params.campaign_ops_per_year")
    assert_readable(fig, tmp_path, "sweep")
    assert "lowest at capacity_investment = 0" in fig.get_suptitle()
    assert len([t for t in fig.axes[0].texts if "n = 3" in t.get_text()]) == 4
    assert "share of the gap per year" in fig.axes[0].get_xlabel()
    with pytest.raises(ValueError, match="one scenario"):
        figures.sweep_heatmap(runs, "seed", "seed")


def test_unknown_scenario_gets_a_stable_okabe_ito_colour():
    colour = figures.scenario_colour("my_mix")
    assert colour == figures.scenario_colour("my_mix")
    assert colour in figures.OKABE_ITO.values()
    assert figures.scenario_colour("no_strike") == figures.OKABE_ITO["black"]


def test_briefing_writes_every_supported_figure_and_one_pdf(tables, tmp_path):
    runs, daily = tables
    pngs = figures.briefing_figures(runs, daily, tmp_path)
    names = {p.stem for p in pngs}
    assert names == {
        "comparison_homicides",
        "record",
        "paired_homicides_mencho_strike",
        "paired_homicides_state_capacity",
        "effect_map_mencho_strike",
        "effect_map_state_capacity",
        "groups_alive",
        "wave_mencho_strike",
    }
    assert all(p.exists() and p.with_suffix(".pdf").exists() for p in pngs)
    book = (tmp_path / "briefing.pdf").read_bytes()
    assert f"/Count {len(pngs)}".encode() in book  # one page per figure
    assert figures.multipage_pdf(pngs[:2], tmp_path / "from_pngs.pdf").stat().st_size > 10_000


def test_scenarios_without_their_baseline_get_no_paired_figures(tables, tmp_path):
    runs, daily = tables
    alone = runs[runs["scenario"] == "state_capacity"], daily[daily["scenario"] == "state_capacity"]
    pngs = figures.briefing_figures(*alone, tmp_path, book=None)
    assert {p.stem for p in pngs} == {"comparison_homicides", "record", "groups_alive", "wave_state_capacity"}


def test_each_scenario_is_compared_with_its_baseline_by_one_rule():
    assert baseline_for("mencho_strike") == "no_strike"  # what the strike did
    assert baseline_for("state_capacity") == "mencho_strike"  # a policy, from the strike on
    assert baseline_for("state_capacity", {"state_capacity", "no_strike"}) == "no_strike"  # the status quo absent
    assert baseline_for("no_strike") is None and baseline_for("state_capacity", {"state_capacity"}) is None


def test_quantile_bands_match_nanquantile():
    rng = np.random.default_rng(0)
    values = rng.normal(size=(300, 9))
    values[:30] = np.nan  # a rolling window not yet full
    values[40:45, 2] = np.nan  # a run missing a few days
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanquantile(values, figures.QUANTILES, axis=1)
    assert np.allclose(style.quantiles(values), expected, equal_nan=True)
