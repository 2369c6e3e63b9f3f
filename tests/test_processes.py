"""Unit tests of each daily process on hand-built micro-worlds: each fails if its mechanism is wrong."""

import numpy as np
import pytest

from sim import parameters
from sim.world.geography import geography
from sim.world.metrics import effective_groups, groups_alive, occupied
from sim.world.processes import commanders as core
from sim.world.processes import expansion, forces, market, recruitment, violence

P = parameters.defaults()


def test_revenue_adds_the_labour_share_of_trafficking_to_local_markets():
    geo = geography()
    rev = market.state_revenue(geo, P) * 365
    i_bc, i_ags = geo.abbr.index("BC"), geo.abbr.index("AGS")
    assert rev[i_ags] == pytest.approx(P["local_revenue_usd_pc"] * geo.population[i_ags])
    trafficking = P["border_revenue_usd"] + P["coast_revenue_usd"]
    expected_bc = P["local_revenue_usd_pc"] * geo.population[i_bc] + P["trafficking_labour_share"] * trafficking
    assert rev[i_bc] == pytest.approx(expected_bc)
    everything = market.state_revenue(geo, {**P, "trafficking_labour_share": 1.0}) * 365
    assert everything[i_bc] - rev[i_bc] == pytest.approx((1 - P["trafficking_labour_share"]) * trafficking)


def test_local_markets_follow_drug_use_by_the_exponent_and_keep_the_countrys_total_in_proportion():
    """At 0 every inhabitant pays the same; at 1 a state pays by its drug use against the country's,
    so Tamaulipas (10.3% in ENA 2008) pays over six times what Chiapas (1.7%) pays an inhabitant,
    and the country's local revenue is what it was; in between, the ratio is that to the power."""
    geo = geography()
    per_capita = {
        k: market.revenue_parts(geo, {**P, "local_drug_use_exponent": k})[0] / geo.population for k in (0, 0.5, 1)
    }
    assert np.allclose(per_capita[0], P["local_revenue_usd_pc"] / 365)
    tam, chps = geo.abbr.index("TAM"), geo.abbr.index("CHPS")
    assert per_capita[1][tam] / per_capita[1][chps] == pytest.approx(10.3 / 1.7)
    assert per_capita[0.5][tam] / per_capita[0.5][chps] == pytest.approx((10.3 / 1.7) ** 0.5)
    assert (per_capita[1] * geo.population).sum() == pytest.approx((per_capita[0] * geo.population).sum())


def test_income_is_shared_by_members():
    revenue = np.array([100.0, 50.0])
    org, state = np.array([0, 0, 1, 1]), np.array([0, 0, 0, 1])  # group 0 has two cells in state 0
    members = np.array([20.0, 10.0, 10.0, 0.0])
    by_org = np.array([[30.0, 0.0], [10.0, 0.0]])

    def income(e):
        share = market.shares(np.ones((2, 2)), by_org, occupied(by_org), e)
        return market.cell_income(revenue, share, by_org, org, state, members)

    assert income(1.0).tolist() == [50.0, 25.0, 25.0, 0.0]
    concave = income(0.5)
    assert concave[:3].sum() == pytest.approx(100.0)  # the whole market is still shared out
    assert concave[0] / members[0] == pytest.approx(concave[1] / members[1])  # cells of one group earn alike
    assert concave[2] / members[2] > concave[0] / members[0]  # the smaller group earns more per member


def test_recruitment_saturates_and_falls_with_capacity():
    members = np.array([100.0, 100.0, 100.0])
    income = np.array([1000.0, 500.0, 200.0])  # pays 10, 5 and 2 members at cost 100... per member
    r = recruitment.recruits(members, income * 100, 100.0, 0.01, np.zeros(3), 0.5)
    assert r[0] > r[1] > 0  # more room, more recruits
    full = recruitment.recruits(members, members * 100.0, 100.0, 0.01, np.zeros(3), 0.5)
    assert np.all(full == 0)  # income pays exactly the members it has: no growth
    weak = recruitment.recruits(members, income * 100, 100.0, 0.01, np.zeros(3), 0.5)
    strong = recruitment.recruits(members, income * 100, 100.0, 0.01, np.ones(3), 0.5)
    assert np.allclose(strong, 0.5 * weak)


def test_desertion_is_a_yearly_share():
    assert recruitment.desertion(np.array([365.0, 730.0]), 0.1).tolist() == pytest.approx([0.1, 0.2])


def test_arrests_follow_members_and_stick_with_capacity():
    """A fixed national tempo shared by size (Prieto-Curiel et al. 2023), held where courts hold."""
    members = np.array([100.0, 300.0, 100.0])
    arrested = forces.arrests(members, 10.0, np.array([1.0, 1.0, 0.5]))
    assert arrested.tolist() == pytest.approx([2.0, 6.0, 1.0])
    assert forces.arrests(members * 2, 10.0, np.ones(3)).sum() == pytest.approx(
        10.0
    )  # the tempo, not the size, sets the total


def test_the_core_falls_with_targeted_arrests_and_rebuilds_as_it_trains_itself():
    q = np.array([1.0, 0.5])
    after = core.after_arrests(q, np.array([0.001, 0.001]), 0.1, 10.0)
    assert after.tolist() == pytest.approx([0.99, 0.495])  # core lost at targeting x the members' arrest rate
    assert core.after_arrests(np.array([1.0]), np.array([0.01]), 0.1, 100.0)[0] == pytest.approx(
        0.9
    )  # at most all arrested are core
    assert core.rebuilt(np.array([0.0, 0.5, 1.0]), 36.5).tolist() == pytest.approx(
        [0.0, 0.525, 1.0]
    )  # the core trains the core
    steady = core.steady(np.array([0.0001]), 0.1, 5.0, 0.73)[0]
    assert steady == pytest.approx(1 - 0.1825 / 0.73, rel=1e-3)  # T q < 1/share: the core loses T x the arrest rate
    assert core.rebuilt(core.after_arrests(np.array([steady]), np.array([0.0001]), 0.1, 5.0), 0.73)[0] == pytest.approx(
        steady, abs=1e-12
    )
    saturated = core.steady(np.array([0.0001]), 0.1, 40.0, 2.0)[0]  # every arrested member is core: 0.365 = 2 q (1 - q)
    assert saturated == pytest.approx(
        0.5 * (1 + np.sqrt(1 - 4 * 0.365 / 2.0)), rel=3e-3
    )  # the daily steps, not the continuous limit
    assert core.steady(np.array([0.01]), 0.1, 10.0, 0.73)[0] == pytest.approx(
        0.001
    )  # arrests outpace promotion: the core erodes


def test_a_depleted_core_makes_fewer_clashes_and_the_stronger_side_wins():
    full = _clash(500, 500)
    half = violence.clash_intensity(
        *(np.array([x]) for x in (500.0, 500.0, 1000.0, 0.25, 0.25, 1.0, 0.0)), 0.01, 1.0, 1.0
    )[0]
    assert half == pytest.approx(full / 4)
    rng = np.random.default_rng(4)
    _, lost_a, lost_b = violence.clash_deaths(
        rng, np.full(2000, 10.0), np.arange(2000), 2000, np.full(2000, 500.0 * 1.0), np.full(2000, 500.0 * 0.25)
    )
    assert lost_b.mean() > 3.5 * lost_a.mean()  # the side with its core in place kills more


def test_killings_are_hidden_where_arrests_bite():
    share = violence.hidden_share(np.array([0.0, 0.02, 0.06]), 5.0)
    assert share[0] == 0.0 and 0 < share[1] < share[2] < 1
    assert share[2] == pytest.approx(1 - np.exp(-0.3))


def test_the_market_steady_state_follows_advantage_and_home_guards():
    present = np.array([[True, True], [True, False], [True, True]])
    adv = np.array([[2.0, 1.0], [1.0, 1.0], [1.0, 1.0]])
    x = market.equilibrium_shares(adv, present, 0.5)  # exponent 1: shares proportional to advantage
    assert x[:, 0].tolist() == pytest.approx([0.5, 0.25, 0.25]) and x[1, 1] == 0.0
    m = market.steady_members(
        adv, present, np.array([100.0, 100.0]), np.array([0.0, 0.0, 30.0]), np.array([-1, -1, 1]), 0.5
    )
    assert m[:, 0].tolist() == pytest.approx([50.0, 25.0, 25.0])  # no home there
    assert m[:, 1].sum() == pytest.approx(130.0) and m[2, 1] > 30 + 50  # guards on top, and they win share
    pay = market.home_pay(np.array([[0.5], [0.5]]), np.array([100.0]), 0.2, 0.5, np.array([0, -1]))
    assert pay.tolist() == pytest.approx([20.0, 0.0])  # half of the leadership's 80% of its 50


def test_unpaid_members_move_to_cells_with_room_in_their_state():
    state = np.array([0, 0, 1, 1])
    members = np.array([300.0, 100.0, 300.0, 100.0])
    affordable = np.array([200.0, 150.0, 200.0, 110.0])  # state 0 has room for all who leave, state 1 not
    leaving, joining = recruitment.switch_employers(state, members, affordable, 0.5, 2)
    assert leaving.tolist() == [50.0, 0.0, 50.0, 0.0]
    assert joining.tolist() == [0.0, 50.0, 0.0, 10.0]  # 40 in state 1 find no paymaster and drop out


def test_hostile_pairs_only_within_a_state_and_skip_allies():
    presence = np.array([[1, 1], [1, 0], [1, 1]], dtype=bool)  # 3 groups, 2 states
    hostility = np.array([[0, 1, 0], [1, 0, 2], [0, 2, 0]], dtype=float)  # 0 and 2 allied
    a, b, s = violence.hostile_pairs(presence, hostility)
    assert list(zip(a, b, s)) == [(0, 1, 0), (1, 2, 0)]


def _clash(m_a: float, m_b: float, m_state: float | None = None, capacity: float = 0.0) -> float:
    one = lambda x: np.array([float(x)])  # noqa: E731
    total = m_a + m_b if m_state is None else m_state
    return violence.clash_intensity(
        one(m_a), one(m_b), one(total), one(1.0), one(1.0), one(1.0), one(capacity), 0.01, 1.0, 1.0
    )[0]


def test_clashes_peak_when_evenly_matched_and_fade_under_monopoly():
    even, uneven, monopoly = _clash(500, 500), _clash(900, 100), _clash(999, 1)
    assert even > uneven > monopoly > 0
    assert monopoly < 0.01 * even
    assert _clash(500, 500, capacity=1.0) == pytest.approx(even / 2)


def test_a_crowded_market_is_not_n_squared_times_as_deadly():
    """Mass action in a well-mixed state: eight equal groups kill at most twice what two do."""
    duel = _clash(500, 500)
    eight = 28 * _clash(125, 125, m_state=1000)  # every pair of eight groups of 125
    assert duel < eight < 2 * duel
    assert _clash(500, 500, m_state=2000) == pytest.approx(duel / 2)  # others in the state dilute contact


def test_weaker_side_loses_more():
    rng = np.random.default_rng(0)
    killed, lost_a, lost_b = violence.clash_deaths(
        rng, np.full(2000, 10.0), np.arange(2000), 2000, np.full(2000, 900.0), np.full(2000, 100.0)
    )
    assert (lost_a + lost_b == killed).all()
    assert lost_b.mean() == pytest.approx(9.0, abs=0.2)


def test_clash_deaths_are_poisson_per_pair_though_drawn_per_state():
    """A state's total drawn once and shared by rate gives each pair Poisson(its rate): its mean
    and variance both equal the rate, and pairs in other states are independent of it."""
    lam = np.array([0.2, 1.0, 3.0, 0.5, 0.0, 2.0])
    states = np.array([0, 0, 0, 1, 1, 3])
    rng = np.random.default_rng(7)
    draws = np.array([violence.clash_deaths(rng, lam, states, 4, np.ones(6), np.ones(6))[0] for _ in range(20000)])
    assert draws.mean(axis=0) == pytest.approx(lam, abs=0.04)
    assert draws.var(axis=0) == pytest.approx(lam, abs=0.08)
    assert abs(np.corrcoef(draws[:, 1], draws[:, 2])[0, 1]) < 0.03  # thinning a Poisson total leaves pairs independent
    with pytest.raises(ValueError, match="state order"):
        violence.clash_deaths(rng, lam, states[::-1].copy(), 4, np.ones(6), np.ones(6))


def test_background_homicides_follow_one_national_rate():
    rng = np.random.default_rng(1)
    pop = np.array([1e6, 4e6])
    draws = np.array([violence.background_homicides(rng, pop, 10.0) for _ in range(3650)]).sum(0) / 10
    assert draws == pytest.approx([100.0, 400.0], rel=0.05)


def test_the_season_peaks_on_its_day_and_averages_one_over_a_year():
    peak = 196  # 15 July: day 0 (22 Feb 2026) is day 53 of its year, so 15 July 2026 is day 143
    assert violence.season(143, 0.05, peak) == pytest.approx(1.05)
    assert violence.season(143 + 183, 0.05, peak) == pytest.approx(0.95, abs=1e-3)
    four_years = [violence.season(d, 0.05, peak) for d in range(-800, -800 + 365 * 4 + 1)]
    assert np.mean(four_years) == pytest.approx(1.0, abs=1e-4)
    assert violence.season(143, 0.0, peak) == 1.0  # no season: exactly the day without it


def test_troops_front_then_garrison_by_population():
    pop = np.array([1.0, 3.0, 6.0])
    garrison, front = forces.allocate_troops(pop, 1000.0, [(np.array([1.0, 0, 0]), 400.0)])
    assert (garrison + front).sum() == pytest.approx(1000.0)
    assert (garrison + front).tolist() == pytest.approx([460.0, 180.0, 360.0])
    # a second front takes its troops from the garrisons: every other state has fewer
    g2, f2 = forces.allocate_troops(pop, 1000.0, [(np.array([1.0, 0, 0]), 400.0), (np.array([0, 1.0, 1.0]), 300.0)])
    assert (g2 + f2).sum() == pytest.approx(1000.0) and (g2 < garrison).all()


def test_a_state_is_held_in_proportion_to_troops_per_gunman():
    held = forces.held_share(np.array([100.0, 100.0, 100.0]), np.array([50.0, 200.0, 0.0]), 1.0)
    assert held.tolist() == [1.0, 0.5, 1.0]


def test_forces_win_but_take_losses():
    rng = np.random.default_rng(2)
    dead_f, dead_g = forces.force_clashes(rng, np.full(5000, 10000.0), np.full(5000, 10.0), 0.01, 1.2)
    assert dead_f.sum() > 0
    assert dead_g.sum() / dead_f.sum() == pytest.approx(1.2, rel=0.05)


def test_capacity_follows_rule_of_law():
    rol = np.array([0.3, 0.4, 0.5])
    assert forces.state_capacity(rol, 0.5, 0.0).tolist() == [0.5, 0.5, 0.5]
    cap = forces.state_capacity(rol, 0.5, 2.0)
    assert cap[0] < cap[1] < cap[2] and cap.max() <= 1.0


def test_fragmentation_metrics():
    members = np.array([1000.0, 1000.0, 10.0, 5000.0])
    local = np.array([False, False, False, True])
    assert groups_alive(members, local) == 2
    assert effective_groups(members, local) == pytest.approx(1 / (2 * (1000 / 2010) ** 2 + (10 / 2010) ** 2))


def test_two_organisations_at_home_in_one_state_keep_both_their_guards():
    """Los Chapitos and Los Mayos share Sinaloa as home: the state holds its market's members plus
    both armed wings (the second's guards once replaced the first's)."""
    adv = np.ones((3, 2))
    present = np.ones((3, 2), dtype=bool)
    m = market.steady_members(
        adv, present, np.array([100.0, 100.0]), np.array([20.0, 30.0, 0.0]), np.array([1, 1, -1]), 0.5
    )
    assert m[:, 1].sum() == pytest.approx(150.0, rel=1e-4) and m.sum() == pytest.approx(250.0, rel=1e-4)


def test_core_in_place_over_members_is_the_mean_strength():
    q = np.array([1.0, 0.5, 0.2, 0.9])
    members = np.array([100.0, 300.0, 50.0, 0.0])
    group = np.array([0, 0, 2, 2])
    held = core.core_in_place(q, members, group, 3)
    weight = np.bincount(group, weights=members, minlength=3)
    assert held.tolist() == pytest.approx([250.0, 0.0, 10.0])
    assert (held[[0, 2]] / weight[[0, 2]]).tolist() == pytest.approx(
        core.mean_strength(q, members, group, 3)[[0, 2]].tolist()
    )


def test_expansion_enters_only_absent_neighbouring_states_and_the_larger_faster():
    # three states in a line (0-1-2); a large cartel in 0, a small one in 2, a local gang in 1
    adjacency = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float)
    members = np.array([[900.0, 0, 0], [0, 0, 100.0], [0, 50.0, 0]])
    eligible = np.array([True, True, False])
    rng = np.random.default_rng(7)
    entered = [expansion.entries(rng, members, adjacency, eligible, 0.2) for _ in range(2000)]
    flat = [e for month in entered for e in month]
    assert {(o, s, src) for o, s, src in flat} == {(0, 1, 0), (1, 1, 2)}  # next door only, never the gang
    large, small = (sum(o == k for o, _, _ in flat) for k in (0, 1))
    assert large / 2000 == pytest.approx(0.2 * 900 / 500, abs=0.03) and small / 2000 == pytest.approx(0.04, abs=0.015)
    assert expansion.entries(rng, members, adjacency, eligible, 0.0) == []


def test_stakes_raise_clashes_where_trafficking_outweighs_the_gunmen_it_pays():
    local = np.array([10.0, 10.0, 0.0])
    trafficking = np.array([0.0, 30.0, 0.0])
    assert (violence.stakes(local, trafficking, 0.2, 0.0) == 1.0).all()  # off: every state alike
    at_one = violence.stakes(local, trafficking, 0.2, 1.0)
    national = 50.0 / 26.0  # revenue over paid revenue (10 + 10 + 0.2 x 30), the country
    assert at_one[0] == pytest.approx(1.0 / national)  # local markets only: below the country
    assert at_one[1] == pytest.approx(40.0 / 16.0 / national)  # a route: above
    assert at_one[2] == 1.0  # no revenue: no stakes to weigh
    assert violence.stakes(local, trafficking, 0.2, 2.0)[1] > at_one[1] > 1.0
