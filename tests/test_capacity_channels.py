"""The channels through which enforcement and state presence raise violence, beside those that
lower it: crackdown provocation (`violence.provoked`), confrontation with the state
(`forces.confronting`) and displacement next door (`forces.displaced`), all driven by the
enforcement pressure of `forces.enforcement_pressure`. Each is tested on hand-built arrays and
vanishes at 0; then two worlds show that the sign of state capacity's effect on homicides is a
result of the parameters, not of the code."""

import numpy as np
import pytest

from sim.world.geography import N_STATES, adjacency, border_lists
from sim.world.metrics import occupied
from sim.world.model import CartelModel
from sim.world.processes import forces, violence


def test_pressure_is_the_excess_arrest_risk_relative_to_the_steady_worlds():
    excess = np.array([0.0, 0.02, 0.04, 0.01])
    risk0 = np.array([0.02, 0.02, 0.02, 0.0])  # no members in the steady world: no pressure
    assert forces.enforcement_pressure(excess, risk0).tolist() == [0.0, 1.0, 2.0, 0.0]


def test_crackdowns_provoke_clashes_in_their_state_and_not_at_zero():
    lam = np.array([1.0, 2.0, 3.0])
    pair_s = np.array([0, 0, 1])
    pressure = np.array([2.0, 0.0])
    assert violence.provoked(lam, pair_s, pressure, 0.5).tolist() == [2.0, 4.0, 3.0]
    assert violence.provoked(lam, pair_s, pressure, 0.0).tolist() == lam.tolist()


def test_pressure_makes_groups_fight_the_forces_and_not_at_zero():
    armed = np.array([100.0, 100.0])
    pressure = np.array([1.0, 0.0])
    assert forces.confronting(armed, pressure, 0.5).tolist() == [150.0, 100.0]
    assert forces.confronting(armed, pressure, 0.0).tolist() == armed.tolist()
    rng = np.random.default_rng(0)
    dead, _ = forces.force_clashes(rng, forces.confronting(armed, pressure, 1.0), np.ones(2), 365.0 * 0.1, 1.0)
    assert dead[0] > 0  # more encounters where the pressure is


def _line():
    """Three states in a line, 0 - 1 - 2: an organisation with cells in 0 (two), 1 and 2, and a
    second organisation only in 0."""
    start, to = np.array([0, 1, 3, 4]), np.array([1, 0, 2, 1])
    members = np.array([60.0, 40.0, 50.0, 30.0, 80.0])
    org = np.array([0, 0, 0, 0, 1])
    state = np.array([0, 0, 1, 2, 0])
    by_org_state = np.array([[100.0, 50.0, 30.0], [80.0, 0.0, 0.0]])
    return members, org, state, by_org_state, start, to


def test_pressure_pushes_members_next_door_where_it_is_lower():
    members, org, state, m, start, to = _line()
    pressure = np.array([2.0, 0.5, 0.5])
    leaving, joining = forces.displaced(members, org, state, m, occupied(m), pressure, start, to, 0.365)
    # organisation 0 in state 0: 0.365 / 365 x (2 - 0.5) of its 100 members, all to state 1 (its only neighbour)
    assert leaving[:2].sum() == pytest.approx(0.0015 * 100)
    assert leaving[0] / leaving[1] == pytest.approx(60 / 40)  # cells lose by members
    assert joining[2] == pytest.approx(0.0015 * 100)
    assert leaving[2:].sum() == 0 and joining[3] == 0  # states 1 and 2 have equal pressure: nobody moves
    assert leaving[4] == 0 and joining[4] == 0  # organisation 1 has no cells next door to move to
    assert leaving.sum() == pytest.approx(joining.sum())  # members move, none are made or lost


def test_nobody_moves_at_zero_or_under_even_pressure():
    members, org, state, m, start, to = _line()
    for pressure, rate in ((np.array([2.0, 0.5, 0.5]), 0.0), (np.full(3, 1.5), 0.3), (np.zeros(3), 0.3)):
        leaving, joining = forces.displaced(members, org, state, m, occupied(m), pressure, start, to, rate)
        assert not leaving.any() and not joining.any()


def test_members_move_to_several_neighbours_by_their_organisations_members_there():
    members, org, state, m, start, to = _line()
    pressure = np.array([0.0, 3.0, 1.0])  # state 1 pushes out to 0 (gap 3) and 2 (gap 2)
    leaving, joining = forces.displaced(members, org, state, m, occupied(m), pressure, start, to, 0.365)
    to_0, to_2 = 0.001 * 3 * 50 * 100 / 130, 0.001 * 2 * 50 * 30 / 130
    assert leaving[2] == pytest.approx(to_0 + to_2)
    assert joining[:2].sum() == pytest.approx(to_0) and joining[3] == pytest.approx(to_2)


def test_border_lists_are_the_land_borders():
    start, to = border_lists()
    for s in range(N_STATES):
        assert to[start[s] : start[s + 1]].tolist() == np.flatnonzero(adjacency()[s]).tolist()


# Two worlds within the parameters' ranges. In the first, capacity only works through arrests that
# stick (the damping channels off) and enforcement provokes clashes, fights with the forces and
# displacement (the raising channels at the top of their ranges); in the second, the reverse.
RAISING = {
    "capacity_violence_damping": 0.0,
    "capacity_recruit_damping": 0.0,
    "entry_capacity_cost": 0.0,
    "crackdown_provocation": 0.5,
    "state_confrontation": 1.0,
    "displacement_rate": 0.3,
}
LOWERING = {
    "capacity_violence_damping": 2.0,
    "capacity_recruit_damping": 0.8,
    "entry_capacity_cost": 20.0,
    "crackdown_provocation": 0.0,
    "state_confrontation": 0.0,
    "displacement_rate": 0.0,
}


def _capacity_effect(world: dict, seeds=(1, 2, 3)) -> float:
    """Year-1 national homicides with capacity investment (0.3 a year) over none, mean over seeds."""
    ratios = []
    for seed in seeds:
        homicides = []
        for investment in (0.0, 0.3):
            model = CartelModel(seed=seed, horizon_days=365, capacity_investment=investment, **world)
            model.run()
            homicides.append(model.daily.total("homicides", 0, 365))
        ratios.append(homicides[1] / homicides[0])
    return float(np.mean(ratios))


def test_capacity_raises_homicides_where_enforcement_provokes_and_capacity_does_not_damp():
    assert _capacity_effect(RAISING) > 1.03


def test_capacity_lowers_homicides_where_it_damps_and_enforcement_does_not_provoke():
    assert _capacity_effect(LOWERING) < 0.97


def test_runs_with_the_raising_channels_are_reproducible():
    runs = []
    for _ in range(2):
        model = CartelModel(seed=5, burn_in_days=30, horizon_days=60, capacity_investment=0.3, **RAISING)
        model.run()
        runs.append(model.daily.values.copy())
    assert np.array_equal(runs[0], runs[1])
