"""The calibration score (sim/analysis/plausibility.py) and the identifiability profiles
(sim/analysis/identifiability.py): the rule accepts the fitted world and rejects a bad one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import parameters
from sim.analysis import identifiability, plausibility, seeds


def test_implausibility_is_the_distance_in_tolerances_on_the_side_that_counts():
    both = plausibility.Target("x", 100.0, 10.0)
    below = plausibility.Target("x", 0.8, 0.05, "below")
    assert both.implausibility(85.0) == pytest.approx(1.5) and both.implausibility(110.0) == pytest.approx(1.0)
    assert below.implausibility(0.9) == 0.0 and below.implausibility(0.75) == pytest.approx(1.0)


def test_the_rule_accepts_the_fitted_world_and_rejects_a_deliberately_bad_one():
    """On a test seed: the calibration scripts fitted the defaults on seeds from 101 on, so accepting the fitted
    world on one of them would show only that the fit worked on its own draws."""
    seed = seeds.test(1)[0]
    assert plausibility.score(plausibility.measure(seed)) <= 1.0
    bad = plausibility.measure(seed, clash_lethality=0.005)  # more than twice the fitted lethality
    worst = plausibility.implausibility(bad)
    assert plausibility.score(bad) > 1.0 and worst["homicides_2024"] > 1.0


def test_a_missing_quantity_counts_as_infinitely_implausible():
    measured = {t.key: t.observed for t in plausibility.targets()}
    assert plausibility.score(measured) == 0.0
    measured["roadblocks_48h"] = np.nan
    assert plausibility.score(measured) == np.inf


def test_no_test_draws_a_calibration_seed():
    """Tests assert values on test seeds only (sim/analysis/seeds.py): no test file asks for calibration seeds, except
    the one test of the seed lists themselves, and the seeds the shipped worlds were drawn on are all calibration seeds
    (so a test must not run a world on its own seed)."""
    from pathlib import Path

    from sim.runs import plausible

    here = Path(__file__).resolve().parent
    needle = "seeds." + "calibration("  # split, so that this file does not find itself
    users = sorted(p.name for p in here.glob("test_*.py") if needle in p.read_text(encoding="utf-8"))
    assert users == ["test_calibration.py"], users
    assert set(plausible.table()["seed"]) <= set(seeds.CALIBRATION)


def test_profiles_flag_a_fitted_value_at_its_range_edge_and_a_flat_profile():
    fitted = {
        name: float(parameters.defaults()[name]) for name in ("capacity_index_exponent", "hostility_local")
    }  # the table's
    frame = pd.DataFrame(
        {
            "parameter": ["capacity_index_exponent"] * 3 + ["hostility_local"] * 3,
            "value": [0.0, 3.0, fitted["capacity_index_exponent"], 0.1, fitted["hostility_local"], 1.0],
            "seed": [101] * 6,
            "score": [5.0, 2.0, 0.5, 0.6, 0.5, 0.55],
            "distance": [3.0, 1.2, 0.3, 0.35, 0.3, 0.32],
        }
    )
    t = identifiability.summary(frame).set_index("parameter")
    assert (
        not t.loc["capacity_index_exponent", "flat"]
        and t.loc["capacity_index_exponent", "best"] == fitted["capacity_index_exponent"]
    )
    assert t.loc["hostility_local", "flat"] and t.loc["hostility_local", "plausible_share"] == 1.0


def test_a_profile_runs_the_grid_and_the_fitted_value_on_each_seed():
    frame = identifiability.profiles(["hostility_war"], 2, seeds.test(1), workers=1)  # the mechanics, on a test seed
    assert (
        len(frame) == 3 and np.isfinite(frame["score"]).all() and (frame["distance"] <= frame["score"]).all()
    )  # low, high, fitted
