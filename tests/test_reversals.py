"""Reversals of a headline's sign over worlds (sim/analysis/reversals.py), on hand-built runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis import reversals

CAPACITY = next(h for h in reversals.HEADLINES if h.name == "capacity" and h.outcome == "homicides_last_365")


def _runs(effect: dict[tuple[int, int], float]) -> pd.DataFrame:
    """Runs of the status quo (1,000 homicides) and the capacity arm (1,000 + effect) per (world, seed)."""
    rows = []
    for (world, seed), e in effect.items():
        rows.append({"scenario": "mencho_strike", "world": world, "seed": seed, "status": "ok", CAPACITY.outcome: 1000})
        rows.append(
            {"scenario": "state_capacity", "world": world, "seed": seed, "status": "ok", CAPACITY.outcome: 1000 + e}
        )
    return pd.DataFrame(rows)


def test_a_world_reverses_only_when_every_seed_has_the_other_sign() -> None:
    effect = {(w, s): -100.0 for w in range(6) for s in (1, 2)}
    effect[(4, 1)], effect[(4, 2)] = 50.0, 20.0  # world 4 reverses on both seeds
    effect[(5, 1)], effect[(5, 2)] = 300.0, -100.0  # world 5 only on its mean
    r = reversals.reversal(_runs(effect), CAPACITY)
    assert r.median == -100.0 and r.sign == -1
    assert list(r.reversed_every_seed) == [4]
    assert list(r.reversed_on_mean) == [4, 5]
    assert r.worlds == 6 and r.seeds == 2
    assert r.share_every_seed == pytest.approx(1 / 6)


def test_a_failed_run_leaves_its_pair_out() -> None:
    runs = _runs({(0, 1): -5.0, (0, 2): 7.0, (1, 1): -5.0})
    runs.loc[(runs["world"] == 0) & (runs["seed"] == 2) & (runs["scenario"] == "state_capacity"), "status"] = "failed"
    r = reversals.reversal(runs, CAPACITY)
    assert r.worlds == 2 and list(r.reversed_every_seed) == []


def test_the_parameter_that_decides_the_sign_ranks_first() -> None:
    rng = np.random.default_rng(3)
    worlds = pd.DataFrame({"provocation": rng.uniform(0, 1, 40), "noise": rng.uniform(0, 1, 40)})
    flagged = worlds.index[worlds["provocation"] > 0.7]
    apart = reversals.distinguishing(worlds, flagged)
    assert apart.loc[0, "parameter"] == "provocation" and apart.loc[0, "auc"] == pytest.approx(1.0)
    assert apart.loc[0, "median_reversed"] > apart.loc[0, "median_other"]
    assert reversals.distinguishing(worlds, flagged[:2]).empty  # too few to say


def test_auc_is_a_half_without_information_and_zero_when_reversed() -> None:
    values = pd.Series([1.0, 2.0, 3.0, 4.0])
    assert reversals.auc(values, pd.Series([True, False, False, True])) == pytest.approx(0.5)
    assert reversals.auc(values, pd.Series([True, True, False, False])) == pytest.approx(0.0)


def test_the_parameter_that_pushes_toward_the_other_sign_ranks_first() -> None:
    rng = np.random.default_rng(4)
    worlds = pd.DataFrame({"provocation": rng.uniform(0, 1, 50), "noise": rng.uniform(0, 1, 50)})
    effect = -1000 + 800 * worlds["provocation"] + rng.normal(0, 20, 50)  # negative, nearer 0 with provocation
    toward = reversals.toward_reversal(worlds, effect, sign=-1)
    assert toward.loc[0, "parameter"] == "provocation" and toward.loc[0, "rho"] > 0.9
