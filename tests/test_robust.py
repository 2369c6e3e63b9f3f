"""Robust comparison over plausible worlds (sim/analysis/robust.py), on synthetic runs whose truth
is known: A beats B in exactly 30 of 40 worlds, C is always worst, D ties B everywhere."""

from __future__ import annotations

import io

import matplotlib.image
import numpy as np
import pandas as pd
import pytest

from sim.analysis import robust

WORLDS, SEEDS = 40, (1, 2)


def _runs() -> pd.DataFrame:
    rows = []
    for w in range(WORLDS):
        base = 20_000 + 500 * w
        truth = {"A": base - 1000 if w < 30 else base + 1000, "B": base, "C": base + 5000, "D": base}
        for seed in SEEDS:
            for scenario, value in truth.items():
                v = value + 300 * seed  # common random numbers: a seed moves every scenario alike
                rows.append(
                    {"scenario": scenario, "world": w, "seed": seed, "status": "ok", **{o: v for o in robust.OUTCOMES}}
                )
    runs = pd.DataFrame(rows)
    extra = [
        # a failed run with a number that would flip world 35 if it were read
        {"scenario": "A", "world": 35, "seed": 3, "status": "failed", **{o: -1e9 for o in robust.OUTCOMES}},
        # world 40 lacks scenario A, world 41 has no number under A: both are dropped where A is compared
        *({"scenario": s, "world": 40, "seed": 1, "status": "ok", **{o: 1.0 for o in robust.OUTCOMES}} for s in "BCD"),
        *(
            {
                "scenario": s,
                "world": 41,
                "seed": 1,
                "status": "ok",
                **{o: np.nan if s == "A" else 1.0 for o in robust.OUTCOMES},
            }
            for s in "ABCD"
        ),
    ]
    return pd.concat([runs, pd.DataFrame(extra)], ignore_index=True)


@pytest.fixture(scope="module")
def runs() -> pd.DataFrame:
    return _runs()


def test_world_values_average_paired_seeds_and_drop_incomplete_worlds(runs):
    values = robust.world_values(runs, "homicides_last_365")
    assert list(values.columns) == ["A", "B", "C", "D"] and len(values) == WORLDS  # worlds 40 and 41 dropped
    assert values.loc[35, "A"] == 20_000 + 500 * 35 + 1000 + 450  # mean of seeds 1 and 2; the failed run ignored
    assert len(robust.world_values(runs, "homicides_last_365", ["B", "C"])) == WORLDS + 2  # A not compared: kept
    # a seed that failed under one scenario leaves the world, but only with its other seed in every scenario
    broken = runs.copy()
    broken.loc[(broken["world"] == 0) & (broken["seed"] == 1) & (broken["scenario"] == "B"), "status"] = "failed"
    assert robust.world_values(broken, "homicides_last_365").loc[0].tolist() == [19_600, 20_600, 25_600, 20_600]


def test_win_shares_count_worlds_and_ties_count_half(runs):
    shares = robust.win_shares(runs, "homicides_last_365")
    assert shares.loc["A", "B"] == 0.75 and shares.loc["B", "A"] == 0.25
    assert shares.loc["A", "C"] == 1.0 and shares.loc["C", "A"] == 0.0
    assert shares.loc["B", "D"] == 0.5 and shares.loc["D", "B"] == 0.5
    assert np.isnan(np.diag(shares.to_numpy())).all()
    assert list(robust.win_shares(runs, "homicides_last_365", ["C", "A"]).index) == ["C", "A"]


def test_regret_is_zero_for_the_best_and_summarised_per_scenario(runs):
    r = robust.regret(runs, "homicides_last_365")
    assert (r.min(axis=1) == 0).all()
    assert (r.loc[:29, "A"] == 0).all() and (r.loc[30:, "A"] == 1000).all()
    summary = robust.regret_summary(runs, ["homicides_last_365", "groups_alive_end"]).set_index(["outcome", "scenario"])
    s = summary.loc["homicides_last_365"]
    # B and D tie as best in the 10 worlds A loses: each gets half of them
    assert s["best_share"].to_dict() == {"A": 0.75, "B": 0.125, "C": 0.0, "D": 0.125}
    assert s.loc["A", "regret_median"] == 0 and s.loc["A", "regret_max"] == 1000
    assert s.loc["C", "regret_median"] == 6000 and s.loc["C", "regret_p90"] == 6000 and s.loc["C", "regret_max"] == 6000
    assert (s["worlds"] == WORLDS).all() and len(summary) == 8


def test_pair_table_gives_wins_and_the_spread_of_paired_differences(runs):
    pair = robust.pair_table(runs, "A", "B")
    row = pair.loc["homicides_last_365"]
    assert row["a_wins"] == 0.75 and row["b_wins"] == 0.25 and row["worlds"] == WORLDS
    assert row["diff_median"] == -1000 and row["diff_p05"] == -1000 and row["diff_p95"] == 1000
    assert list(pair.index) == list(robust.OUTCOMES)
    tie = robust.pair_table(runs, "B", "D", ["groups_alive_end"]).iloc[0]
    assert tie["a_wins"] == 0 and tie["b_wins"] == 0 and tie["worlds"] == WORLDS + 2


def test_markdown_reads_as_a_briefing(runs):
    wins = robust.wins_markdown(robust.win_shares(runs, "homicides_last_365"))
    assert "| A | – | 75% | 100% | 75% |" in wins
    summary = robust.summary_markdown(robust.regret_summary(runs, ["homicides_last_365"]))
    assert "| final-year homicides | C | 0% | 6,000 | 6,000 | 6,000 | 40 |" in summary
    pair = robust.pair_markdown(robust.pair_table(runs, "A", "B", ["homicides_last_365"]), "A", "B")
    assert "| final-year homicides | 75% | 25% | -1,000 (-1,000 to +1,000) | 40 |" in pair


def test_a_win_on_a_negligible_difference_reads_as_a_tie():
    """72% of worlds 'won' on a median difference of 0.0008 of a flow ratio near 1 is no finding."""
    rows = [
        {"scenario": s, "world": w, "seed": 1, "status": "ok", "flow_ratio_end": 1.0 + (w % 4 != 0) * d * 0.0008}
        for w in range(50)
        for s, d in (("A", -1), ("B", 0))
    ]
    pair = robust.pair_table(pd.DataFrame(rows), "A", "B", ["flow_ratio_end"])
    text = robust.pair_markdown(pair, "A", "B")
    assert pair.iloc[0]["a_wins"] == 0.74 and "under 1% of the outcome: as good as a tie" in text
    big = robust.pair_markdown(robust.pair_table(_runs(), "A", "B", ["homicides_last_365"]), "A", "B")
    assert "as good as a tie" not in big


def test_the_figure_renders_with_its_headline(runs):
    fig = robust.figure(runs, "homicides_last_365", version="test")
    assert (
        "A is best in 75% of 40 plausible worlds and beats the second best, B, in 75%"
        in fig._suptitle.get_text().replace("\n", " ")
    )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    image = matplotlib.image.imread(io.BytesIO(buffer.getvalue()))
    assert image.shape[0] > 500 and image[..., :3].std() > 0.05  # drawn, not blank
