"""The split of an ensemble's spread into parameters and chance (sim/analysis/spread.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.spread import split


def test_the_split_recovers_known_variances():
    rng = np.random.default_rng(3)
    worlds = np.repeat(np.arange(400), 4)
    values = rng.normal(0, 2.0, 400)[worlds] + rng.normal(0, 1.0, len(worlds))  # parameters 4, chance 1
    s = split(pd.Series(values), pd.Series(worlds))
    assert s.parameters == pytest.approx(4.0, rel=0.15) and s.chance == pytest.approx(1.0, rel=0.1)
    assert s.parameter_share == pytest.approx(0.8, abs=0.04)


def test_no_parameter_share_when_worlds_do_not_differ():
    rng = np.random.default_rng(4)
    worlds = np.repeat(np.arange(200), 3)
    s = split(pd.Series(rng.normal(size=len(worlds))), pd.Series(worlds))
    assert s.parameter_share < 0.1


def test_one_seed_per_world_cannot_be_split():
    s = split(pd.Series([1.0, 2.0, 3.0]), pd.Series([0, 1, 2]))
    assert np.isnan(s.parameter_share)
