"""The Mesa model: construction from data, agents and space, determinism."""

import mesa
import numpy as np
import pytest

from sim import CartelModel, simulate
from sim.errors import ConfigError
from sim.world.placement import sinaloa_tiers
from sim.world.geography import states_table
from sim import parameters
from sim.world.processes.market import state_revenue


@pytest.fixture(scope="module")
def model():
    m = CartelModel(seed=5, burn_in_days=365, horizon_days=10)
    return m


def test_constructible_with_defaults_only():
    m = CartelModel()
    assert isinstance(m, mesa.Model)
    assert m.burn_in_days == 730 and m.horizon_days == 730


def test_placement_matches_literature_sizes(model):
    org = dict(zip((o.name for o in model.organisations), model.org_members()))
    p = parameters.defaults()
    assert org["CJNG"] == pytest.approx(p["cjng_members"])
    assert org["Chapitos"] + org["Mayos"] == pytest.approx(p["cds_members"])
    # Local gangs fill each state up to its revenue share of the total; where named groups
    # already overfill a state they are empty, so the total can only exceed the target.
    revenue = state_revenue(model.geo, model.p)  # before interdiction in held states
    target = p["members_total"] * revenue / revenue.sum()
    per_state = model.state_members()
    local = model.org_state_members()[model.org_local].sum(axis=0)
    filled = local > 0
    assert per_state[filled] == pytest.approx(target[filled])
    assert (per_state[~filled] >= target[~filled]).all()


def test_cjng_is_a_franchise_of_dozens_of_cells(model):
    cjng = [c for c in model.cells if c.org.name == "CJNG"]
    assert 24 <= len(cjng) <= 100
    assert {c.state_index for c in cjng} == set(range(32))


def test_cells_sit_in_the_network_node_of_their_state(model):
    assert len(model.space.all_cells) == 32
    for c in model.cells:
        assert c.cell.coordinate == c.state_index
        assert c in c.cell.agents


def test_sinaloa_factions_at_war_in_sinaloa(model):
    names = [o.name for o in model.organisations]
    ch, ma = names.index("Chapitos"), names.index("Mayos")
    m = model.org_state_members()
    assert m[ch, 24] > 0 and m[ma, 24] > 0
    assert model.hostility[ch, ma] == parameters.defaults()["hostility_war"]
    assert model.hostility[names.index("CJNG"), ch] == parameters.defaults()["hostility_alliance"]


def test_faction_split_follows_the_data():
    mayos, chapitos = sinaloa_tiers(states_table())
    abbr = list(states_table()["abbr"])
    assert mayos[abbr.index("JAL")] == "L" and chapitos[abbr.index("JAL")] == ""
    assert chapitos[abbr.index("BCS")] == "S" and mayos[abbr.index("BCS")] == ""
    assert mayos[abbr.index("CDMX")] == "L" and mayos[abbr.index("BC")] == "S"  # a single cell is a lesser presence


def test_unknown_or_bad_parameter_is_one_line_error():
    with pytest.raises(ConfigError, match="unknown parameter 'troops'"):
        CartelModel(troops=5)
    with pytest.raises(ConfigError, match="troop_pool = -5"):
        CartelModel(troop_pool=-5)
    with pytest.raises(ConfigError, match="between 0 and 1"):
        CartelModel(chapitos_share=1.5)
    with pytest.raises(ConfigError, match="horizon_days"):
        CartelModel(horizon_days=-1)


def test_same_seed_same_numbers_different_seed_differs():
    a = simulate(seed=11, burn_in_days=365, horizon_days=20)
    b = simulate(seed=11, burn_in_days=365, horizon_days=20)
    c = simulate(seed=12, burn_in_days=365, horizon_days=20)
    assert a.summary == b.summary
    assert a.timeseries.equals(b.timeseries)
    assert a.summary != c.summary


def test_burn_in_holds_the_world_steady():
    """Members at day 0 stay near the literature total: the burn-in reaches its steady state."""
    r = simulate(seed=3, burn_in_days=730, horizon_days=0)
    assert 160_000 <= r.summary["members_total_d0"] <= 185_000


def test_daily_table_is_tidy_with_national_rows():
    r = simulate(seed=2, burn_in_days=365, horizon_days=5)
    ts = r.timeseries
    assert list(ts.columns) == ["day", "date", "state", "metric", "value"]
    assert ts["day"].min() == -365 and ts["day"].max() == 4
    one_day = ts[(ts.day == -1) & (ts.metric == "homicides")]
    assert len(one_day) == 33
    national = one_day.loc[one_day.state == "MX", "value"].item()
    assert national == pytest.approx(one_day.loc[one_day.state != "MX", "value"].sum())
    assert str(ts.loc[ts.day == 0, "date"].iloc[0].date()) == "2026-02-22"
    hom = ts[(ts.metric == "homicides") & (ts.state == "MX")].value.sum()
    parts = sum(ts[(ts.metric == m) & (ts.state == "MX")].value.sum() for m in ("homicides_criminal", "homicides_civilian", "homicides_forces"))
    assert hom == pytest.approx(parts)


def test_datacollector_records_every_day(model):
    model.run()
    df = model.datacollector.get_model_vars_dataframe()
    assert len(df) == 375
    assert np.all(df["members"] > 0)
