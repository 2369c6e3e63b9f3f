"""The baseline world against observed figures (each target with its source).

Ten seeds of the default baseline: national homicides (SESNSP 2024: 30,046 victims), the ranking
of states by homicides (counts and rates per 100,000), the share made by armed groups, and the
literature's size and recruitment of the cartels (Prieto-Curiel, Campedelli & Hope 2023).
"""

import numpy as np
import pytest
from scipy.stats import spearmanr

from sim import simulate
from sim.world.geography import states_table

SEEDS = range(1, 11)  # experiments/calibrate_ranking.py fits on seeds 101-110: these stay unseen


@pytest.fixture(scope="module")
def baseline():
    return [simulate(seed=s, horizon_days=0).summary for s in SEEDS]


@pytest.fixture(scope="module")
def per_state(baseline):
    codes = states_table()["code"]
    return np.median([[r[f"homicides_baseline_annual_{c}"] for c in codes] for r in baseline], axis=0)


def test_national_homicides_match_sesnsp_2024(baseline):
    med = np.median([r["homicides_baseline_annual"] for r in baseline])
    assert 28_000 <= med <= 38_000


def test_states_rank_like_the_reference_counts(per_state):
    ref = states_table()["homicides_2024"].to_numpy()
    assert spearmanr(per_state, ref)[0] >= 0.8


def test_states_rank_like_the_reference_rates(per_state):
    df = states_table()
    pop = df["population_2020"].to_numpy()
    assert spearmanr(per_state / pop, df["homicides_2024"].to_numpy() / pop)[0] >= 0.4


def test_armed_groups_make_at_least_half_the_violence(baseline):
    assert np.median([r["armed_group_share_baseline"] for r in baseline]) >= 0.5


def test_members_and_recruitment_match_the_literature(baseline):
    assert 160_000 <= np.median([r["members_total_d0"] for r in baseline]) <= 185_000
    assert 20_000 <= np.median([r["cjng_members_d0"] for r in baseline]) <= 40_000
    weekly = np.median([r["recruits_weekly_baseline"] for r in baseline])
    assert 300 <= weekly <= 420  # 350-370 a week keeps the cartels level (Prieto-Curiel et al. 2023)


def test_the_world_without_the_strike_stays_steady():
    ts = simulate(seed=1).timeseries
    national = ts[(ts.state == "MX") & (ts.metric == "homicides")]
    baseline = national[national.day < 0].value.sum()
    second_year = national[national.day >= 365].value.sum()
    assert abs(second_year / baseline - 1) <= 0.10
