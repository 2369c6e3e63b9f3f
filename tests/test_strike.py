"""The strike of 22 February 2026: the wave, succession and fragmentation, unit by unit and as patterns.

Unit tests call the mechanisms on hand-built micro-worlds. Pattern tests run the `mencho_strike`
settings against `no_strike` on the same seeds (common random numbers); the issue's acceptance
uses 20 seeds, the default run uses 8 (the 20-seed versions are marked slow).
"""

import numpy as np
import pytest

from sim import CartelModel, simulate
from sim.analysis import seeds
from sim.analysis.ensembles import summaries
from sim.errors import ConfigError
from sim.world.geography import adjacency, border_distance
from sim.world.processes import retaliation, succession

STRIKE = {"strike_enabled": True}


# ----- units ---------------------------------------------------------------------------------
def test_roadblocks_grow_with_size_and_loyalty_and_stay_in_their_state():
    rng = np.random.default_rng(0)
    state = np.array([3, 7, 9])
    members = np.array([2000.0, 2000.0, 200.0])
    loyalty = np.array([1.0, 0.1, 1.0])
    counts = np.zeros(32)
    for _ in range(200):
        wave = retaliation.roadblocks(rng, state, members, loyalty, np.ones(32), 5.0, 1.0, 6.0, 0.1)
        assert set(wave.state) <= {3, 7, 9}
        assert (wave.set_hour < retaliation.WAVE_HOURS).all()
        counts += np.bincount(wave.state, minlength=32)
    assert counts[3] > 5 * counts[7]  # loyal beats disloyal at equal size
    assert counts[3] > 5 * counts[9]  # big beats small at equal loyalty


def test_roadblocks_clear_faster_where_more_troops_stand():
    rng = np.random.default_rng(1)
    density = np.ones(32)
    density[1] = 4.0
    wave = retaliation.roadblocks(rng, np.array([0, 1]), np.array([5e4, 5e4]), np.ones(2), density, 5.0, 1.0, 6.0, 0.05)
    assert wave.duration[wave.state == 1].mean() < 0.5 * wave.duration[wave.state == 0].mean()
    assert 0.0 <= wave.cleared_within(24.0) <= 1.0


def test_attacks_on_forces_fall_with_distance_from_the_raid():
    a = retaliation.attack_aggression(np.array([1.0, 1.0, 0.0]), np.array([0, 2, 0]), 100.0, 0.5)
    assert a.tolist() == [101.0, 26.0, 1.0]


def test_lieutenants_hold_contiguous_regions_around_their_strongholds():
    # Jalisco (13) and Tamaulipas (27) are the strongholds; Colima (5) borders Jalisco.
    state = np.array([13, 5, 27, 18])
    members = np.array([1000.0, 10.0, 900.0, 10.0])
    lt = succession.assign_lieutenants(state, members, 2, border_distance())
    assert lt[0] == lt[1] and lt[2] == lt[3] and lt[0] != lt[2]


def test_defectors_prefer_an_ally_then_the_strongest():
    m = np.array([[100.0], [50.0], [10.0], [80.0]])  # orgs 0 (family), 1, 2, 3 in one state
    hostility = np.array([0.0, 1.0, 0.1, 1.0])
    eligible = np.array([True, True, True, True])
    assert succession.defection_target(m, hostility, np.array([0]), 0, eligible) == 2
    hostility[2] = 1.0
    assert succession.defection_target(m, hostility, np.array([0]), 0, eligible) == 3
    assert succession.defection_target(m, hostility, np.array([0, 1, 2, 3]), 0, eligible) == -1


def test_rivals_enter_only_without_cohesion_and_only_from_next_door():
    m = np.zeros((3, 32))
    m[0, 13], m[1, 5], m[2, 27] = 100.0, 50.0, 50.0  # org 1 next door (Colima), org 2 far away
    weak = np.zeros(32, bool)
    weak[13] = True  # Jalisco, where the weakened org 0 stands
    kw = dict(adjacency=adjacency(), hostile=np.array([False, True, True]), eligible=np.ones(3, bool))
    rng = np.random.default_rng(2)
    assert succession.encroachers(rng, m, weak, rate=1.0, cohesion=1.0, **kw) == []
    assert succession.encroachers(rng, m, weak, rate=1.0, cohesion=0.0, **kw) == [(1, 13, 5)]


def test_bandwagon_realignment_follows_the_claimant_share():
    rng = np.random.default_rng(3)
    weak = succession.realign(rng, 10_000, 0.05, 0.2).mean()
    strong = succession.realign(rng, 10_000, 0.05, 0.8).mean()
    assert strong > 3 * weak


def test_a_raid_state_outside_mexico_is_a_clear_error():
    with pytest.raises(ConfigError, match="strike_state = 40 is not allowed"):
        CartelModel(strike_state=40, **STRIKE)


# ----- the event in the model -----------------------------------------------------------------
@pytest.fixture(scope="module")
def contested():
    m = CartelModel(seed=3, burn_in_days=365, horizon_days=40, **STRIKE)
    m.run()
    return m


def test_the_strike_removes_the_leader_and_splits_the_organisation(contested):
    cjng = contested.organisations[contested.cjng]
    assert cjng.removed_day == 0
    factions = [o for o in contested.organisations if o.parent is cjng]
    assert len(factions) >= 1  # lieutenants' factions contest the succession
    assert all(
        contested.relations.hostility[cjng.index, f.index] == contested.p["hostility_succession"] for f in factions
    )


def test_the_daily_table_carries_the_wave_and_fragmentation(contested):
    from sim.runs.summary import summarise

    ts = contested.daily.to_frame(contested.geo.codes)
    wave = ts[(ts.metric == "roadblocks") & (ts.state != "MX")]
    assert wave.value.sum() == summarise(contested)["roadblocks_48h"]
    assert wave[wave.day >= 2].value.sum() == 0
    for metric in ("groups_alive", "effective_groups", "cjng_loyal_share"):
        rows = ts[ts.metric == metric]
        assert set(rows.state) == {"MX"} and len(rows) > 0
    conc = ts[(ts.metric == "concentration") & (ts.day == 10)]
    assert len(conc) == 33 and conc.value.between(0, 1).all()


def test_no_strike_has_no_wave_and_keeps_cjng_whole():
    s = simulate(seed=3, burn_in_days=365, horizon_days=365).summary  # a year's horizon gives the day-365 metrics
    assert s["roadblocks_48h"] == 0 and s["leader_removed_day"] is None and s["succession_days"] is None
    assert s["cjng_loyal_share_d365"] > 0.95


def test_without_us_intelligence_the_removal_can_come_later():
    # an even chance per attempt: over 8 seeds both a day-0 hit and a miss are near certain (1 - 2 * 0.5**8)
    (runs,) = summaries(
        [{"horizon_days": 200, "us_intel_support": False, "hvt_success_prob": 0.5, **STRIKE}], seeds.test(8)
    )
    days = {r["leader_removed_day"] for r in runs}
    assert 0 in days and any(d is None or d > 0 for d in days)


# ----- patterns (acceptance of issue 3) -----------------------------------------------------------
def _pairs(seed_list):
    """(no_strike, mencho_strike, mencho_strike with an heir) per seed, a year's horizon, on two workers."""
    runs = summaries(
        [
            {"horizon_days": 365},
            {"horizon_days": 365, **STRIKE},
            {"horizon_days": 365, "heir_available": True, **STRIKE},
        ],
        seed_list,
    )
    return list(zip(*runs))


def _check_patterns(pairs, groups: bool = True):
    """The strike's patterns; `groups`: also that an heir leaves fewer groups a year on, a
    difference of about one group that the entrants' noise hides on 8 seeds (25.5 against 26
    there; 27 against 26 on 24 seeds)."""
    med = lambda i, k: np.median([p[i][k] for p in pairs])  # noqa: E731
    assert 200 <= med(1, "roadblocks_48h") <= 330
    assert 15 <= med(1, "roadblock_states_48h") <= 25
    assert med(1, "roadblocks_cleared_24h_share") >= 0.6
    assert 10 <= med(1, "guard_killed_jalisco_72h") <= 45
    assert 15 <= med(1, "gunmen_killed_72h") <= 60
    higher = np.mean([p[1]["effective_groups_d365"] > p[0]["effective_groups_d365"] for p in pairs])
    assert higher >= 0.7
    if groups:
        assert med(2, "groups_alive_d365") < med(1, "groups_alive_d365")


def test_strike_patterns_on_8_seeds():
    _check_patterns(_pairs(seeds.test(8)), groups=False)


@pytest.mark.slow
def test_strike_patterns_on_20_seeds():
    _check_patterns(_pairs(seeds.test(20)))


# ----- whether a removal raises or lowers violence is a result ------------------------------------
CALMING = {  # a capture avenged weakly, a leadership that organised much, a successor from prison who deters
    "strike_mode": "capture",
    "extradite_captured": False,
    "capture_retaliation_share": 0.2,
    "decapitation_core_loss": 0.3,
    "capture_intel_core_share": 0.3,
    "held_leader_authority": 1.0,
    "heir_claim_factor": 4.0,
}


def _strike_effect(params: dict, seed_list: list[int]) -> float:
    """Year-1 national homicides, strike minus no strike, mean over seeds (paired by seed)."""
    out = []
    for s in seed_list:
        total = []
        for strike in (False, True):
            m = CartelModel(seed=s, horizon_days=365, strike_enabled=strike, **params)
            m.run()
            total.append(m.daily.total("homicides", 0, 365))
        out.append(total[1] - total[0])
    return float(np.mean(out))


def test_a_strike_can_lower_homicides_through_the_modelled_processes():
    """Within the parameters' ranges, a world where the removal disorganises more than it provokes:
    the strike lowers year-1 homicides (about -580 on seeds 0-4); in the default world it raises
    them (about +780): neither is coded in."""
    assert _strike_effect(CALMING, list(range(5))) < 0
    assert _strike_effect({}, list(range(5))) > 0


def test_strike_and_counterfactual_share_their_burn_in_exactly():
    base = simulate(seed=4, burn_in_days=365, horizon_days=5).timeseries
    strike = simulate(seed=4, burn_in_days=365, horizon_days=5, **STRIKE).timeseries
    before = lambda ts: ts[ts.day < 0].reset_index(drop=True)  # noqa: E731
    assert before(base).equals(before(strike))
    assert not base[base.day >= 0].reset_index(drop=True).equals(strike[strike.day >= 0].reset_index(drop=True))
