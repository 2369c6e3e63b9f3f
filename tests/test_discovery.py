"""Scenario discovery (sim/analysis/discovery.py): ema_workbench's PRIM finds a box planted in
synthetic data, the edge cases give a clear Box, and the cases are built from runs and worlds."""

from __future__ import annotations

import io

import matplotlib.image
import numpy as np
import pandas as pd
import pytest

from sim.analysis import discovery


@pytest.fixture(scope="module")
def planted() -> tuple[pd.DataFrame, np.ndarray]:
    """400 cases, 5 uniform parameters; backfire where a > 0.7 and b < 0.4, 3% of labels flipped."""
    rng = np.random.default_rng(7)
    x = pd.DataFrame(rng.uniform(size=(400, 5)), columns=["a", "b", "c", "d", "e"])
    y = ((x["a"] > 0.7) & (x["b"] < 0.4)).to_numpy()
    flip = rng.uniform(size=len(y)) < 0.03
    return x, y ^ flip


@pytest.fixture(scope="module")
def box(planted) -> discovery.Box:
    return discovery.find_box(*planted)


def test_prim_finds_the_planted_box(box, planted):
    assert {"a", "b"} <= set(box.limits)
    (a_low, a_high), (b_low, b_high) = box.limits["a"], box.limits["b"]
    assert a_low == pytest.approx(0.7, abs=0.1) and a_high == box.ranges["a"][1]
    assert b_high == pytest.approx(0.4, abs=0.1) and b_low == box.ranges["b"][0]
    for name in set(box.limits) - {"a", "b"}:  # an irrelevant parameter is at most trimmed at an edge
        low, high = box.limits[name]
        assert high - low >= 0.9 * (box.ranges[name][1] - box.ranges[name][0])
    assert box.coverage >= 0.7 and box.density >= 0.7 and box.cases == 400
    assert box.base_rate == pytest.approx(planted[1].mean())
    assert box.mass == pytest.approx(box.base_rate * box.coverage / box.density)
    chosen = box.trajectory.iloc[box.chosen]
    t = box.trajectory
    eligible = t[(t["coverage"] >= 0.5) & (t["density"] >= 0.5) & (t["res_dim"] <= 3)]
    assert chosen["density"] == eligible["density"].max() and chosen["coverage"] == box.coverage


def test_without_backfires_or_with_only_backfires_the_box_restricts_nothing(planted):
    x, _ = planted
    none = discovery.find_box(x, np.zeros(len(x), dtype=bool))
    assert none.limits == {} and none.base_rate == 0 and none.note == "no case backfires"
    assert "in none of 400 plausible worlds and seeds" in discovery.sentence(none)
    every = discovery.find_box(x, np.ones(len(x), dtype=bool))
    assert every.limits == {} and every.base_rate == 1 and every.density == 1 and every.note == "every case backfires"
    # backfires scattered at random: no region holds half of them with a density of 50%
    rare = discovery.find_box(x, np.random.default_rng(3).uniform(size=len(x)) < 0.1)
    assert rare.limits == {} and rare.note.startswith("no region of at most 3 parameters holds at least 50%")
    assert discovery.sentence(rare).endswith(f"; {rare.note}.")


def test_backfire_builds_one_case_per_world_and_seed():
    rows = []
    for s in (1, 2, 3):
        for seed in (1, 2):
            base = 100.0 * s
            rows.append(
                {"scenario": "mencho_strike", "world": s, "seed": seed, "status": "ok", "homicides_last_365": base}
            )
            rise = {1: 0.05, 2: 0.25, 3: 0.10}[s] + (0.2 if seed == 2 else 0)  # exactly 10% does not count
            rows.append(
                {
                    "scenario": "kingpin_campaign",
                    "world": s,
                    "seed": seed,
                    "status": "ok",
                    "homicides_last_365": base * (1 + rise),
                }
            )
    rows.append(
        {"scenario": "kingpin_campaign", "world": 4, "seed": 1, "status": "ok", "homicides_last_365": 500.0}
    )  # no status quo
    runs = pd.DataFrame(rows)
    runs.loc[(runs["world"] == 3) & (runs["seed"] == 2) & (runs["scenario"] == "kingpin_campaign"), "status"] = "failed"
    worlds = pd.DataFrame({"p": [0.1, 0.2, 0.3, 0.4], "fixed": 1.0, "label": list("wxyz")}, index=[1, 2, 3, 4])
    x, y = discovery.backfire(runs, worlds)
    assert list(x.columns) == ["p"]  # a constant and a label explain nothing
    assert list(x.index) == [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1)]
    assert x["p"].tolist() == [0.1, 0.1, 0.2, 0.2, 0.3]
    assert y.tolist() == [False, True, True, True, False]
    change = discovery.relative_change(runs)
    assert change.loc[(1, 2)] == pytest.approx(0.25) and list(change.index) == list(x.index)


def test_the_sentence_and_table_name_the_box(box):
    text = discovery.sentence(box)
    assert text.startswith("A kingpin campaign raises third-year homicides by more than 10% over the status quo in ")
    assert "a is above 0." in text and "b is below 0." in text
    for share in (box.base_rate, box.density, box.coverage):
        assert f"{100 * share:.0f}%" in text
    table = discovery.markdown(box)
    assert f"| a | {box.limits['a'][0]:.2f} | – |" in table and f"| b | – | {box.limits['b'][1]:.2f} |" in table
    assert f"| {100 * box.coverage:.0f}% | {100 * box.density:.0f}% | {100 * box.mass:.0f}% |" in table


def test_the_figure_renders(box):
    fig = discovery.figure(box, version="test")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    image = matplotlib.image.imread(io.BytesIO(buffer.getvalue()))
    assert image[..., :3].std() > 0.05
    assert fig._suptitle.get_text().replace("\n", " ").startswith("A kingpin campaign raises")


def test_a_box_restricts_at_most_the_parameters_allowed(planted):
    x, y = planted
    assert len(discovery.find_box(x, y, max_restricted=1).limits) <= 1
    assert len(discovery.find_box(x, y).limits) <= 3


def test_with_no_box_the_nearest_region_is_reported_as_such():
    """A real but weak region (45% backfire in it, 5% outside) meets the coverage asked but not the
    density: no box, and the nearest region restricts the planted parameter, labelled below the density."""
    rng = np.random.default_rng(11)
    x = pd.DataFrame(rng.uniform(size=(600, 4)), columns=["a", "b", "c", "d"])
    y = rng.uniform(size=len(x)) < np.where(x["a"] > 0.5, 0.45, 0.05)
    box = discovery.find_box(x, y)
    assert box.limits == {} and box.nearest is not None
    near = box.nearest
    assert "a" in near.limits and 0.3 < near.limits["a"][0] < 0.7
    assert box.base_rate + 0.1 < near.density < box.min_density and near.coverage >= box.min_coverage
    text = discovery.markdown(box)
    assert "**The nearest region**" in text and "its density is below the 50% asked" in text and "| a |" in text
    assert discovery.figure(box).axes[0].get_title().startswith("no box; the nearest region")
