"""Poisson counts per state drawn as one national total (sim/world/sampling.py): each state's
count is Poisson with its own rate, independent of the others, as a draw per state would be."""

from __future__ import annotations

import numpy as np
import pytest

from sim.world.sampling import poisson_shared


def test_each_state_gets_a_poisson_count_at_its_rate_independent_of_the_others():
    lam = np.array([0.05, 0.0, 1.5, 4.0, 0.3])
    rng = np.random.default_rng(11)
    draws = np.array([poisson_shared(rng, lam) for _ in range(40000)])
    assert draws.mean(axis=0) == pytest.approx(lam, abs=0.03)
    assert draws.var(axis=0) == pytest.approx(lam, abs=0.08)
    assert (draws[:, 1] == 0).all()
    assert abs(np.corrcoef(draws[:, 2], draws[:, 3])[0, 1]) < 0.02


def test_no_rate_no_draw():
    rng, twin = np.random.default_rng(3), np.random.default_rng(3)
    assert poisson_shared(rng, np.zeros(4)).tolist() == [0, 0, 0, 0]
    assert rng.random() == twin.random()  # the stream did not move
