"""The Mesa model: construction from data, agents and space, determinism."""

import mesa
import numpy as np
import pytest

from sim import CartelModel, parameters, simulate
from sim.errors import ConfigError
from sim.world.calendar import DEFAULT_ORIGIN, FIRST_DAY, day_of
from sim.world.geography import states_table
from sim.world.placement import sinaloa_tiers


@pytest.fixture(scope="module")
def model():
    return CartelModel(seed=5, burn_in_days=365, horizon_days=10)


def test_constructible_with_defaults_only():
    m = CartelModel()
    assert isinstance(m, mesa.Model)
    assert m.burn_in_days == 365 and m.horizon_days == 730 and m.record.name == "mexico_2024_2026"


def test_placement_starts_the_steady_world_at_the_literature_sizes(model):
    """The market's steady state holds members_total; CJNG's and Sinaloa's strength are solved for their sizes."""
    org = dict(zip((o.name for o in model.organisations), model.org_members()))
    p = parameters.defaults()
    assert model.members_total == pytest.approx(p["members_total"], rel=0.01)
    assert org["CJNG"] == pytest.approx(p["cjng_members"], rel=0.01)
    assert org["Chapitos"] + org["Mayos"] == pytest.approx(p["cds_members"], rel=0.01)


@pytest.mark.parametrize("size", [20_000, 40_000])
def test_cjng_size_follows_its_parameter_to_day_0(size):
    from sim import simulate

    assert simulate(seed=3, horizon_days=0, cjng_members=size).summary["cjng_members_d0"] == pytest.approx(
        size, rel=0.15
    )


def test_cjng_is_a_franchise_of_dozens_of_cells(model):
    cjng = [c for c in model.cells if c.org.name == "CJNG"]
    assert 24 <= len(cjng) <= 100
    assert {c.state_index for c in cjng} == set(range(32))


def test_cells_sit_in_the_network_node_of_their_state(model):
    assert len(model.space.all_cells) == 32
    for c in model.cells:
        assert c.cell.coordinate == c.state_index
        assert c in c.cell.agents


def test_sinaloa_factions_are_one_cartel_before_the_record(model):
    """Los Chapitos and Los Mayos stand in Sinaloa as allies until the record's betrayal (test_record.py)."""
    names = [o.name for o in model.organisations]
    ch, ma = names.index("Chapitos"), names.index("Mayos")
    m = model.org_state_members()
    assert m[ch, 24] > 0 and m[ma, 24] > 0
    assert model.relations.hostility[ch, ma] == parameters.defaults()["hostility_alliance"]
    assert model.relations.hostility[names.index("CJNG"), ch] == parameters.defaults()["hostility_alliance"]


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
    """Members on 1 Jan 2024 and at day 0 stay near the literature total."""
    r = simulate(seed=3, horizon_days=0)
    assert 160_000 <= r.summary["members_total_2024"] <= 185_000
    assert 160_000 <= r.summary["members_total_d0"] <= 185_000


def test_daily_table_is_tidy_with_national_rows():
    r = simulate(seed=2, burn_in_days=365, horizon_days=5)
    ts = r.timeseries
    assert list(ts.columns) == ["day", "date", "state", "metric", "value"]
    assert ts["day"].min() == FIRST_DAY and ts["day"].max() == day_of(DEFAULT_ORIGIN) + 4  # 5 days from the origin
    assert str(ts.loc[ts.day == FIRST_DAY, "date"].iloc[0].date()) == "2024-01-01"
    one_day = ts[(ts.day == -1) & (ts.metric == "homicides")]
    assert len(one_day) == 33
    national = one_day.loc[one_day.state == "MX", "value"].item()
    assert national == pytest.approx(one_day.loc[one_day.state != "MX", "value"].sum())
    assert str(ts.loc[ts.day == 0, "date"].iloc[0].date()) == "2026-02-22"
    hom = ts[(ts.metric == "homicides") & (ts.state == "MX")].value.sum()
    parts = sum(
        ts[(ts.metric == m) & (ts.state == "MX")].value.sum()
        for m in ("homicides_criminal", "homicides_civilian", "homicides_forces")
    )
    assert hom == pytest.approx(parts)


def test_datacollector_records_every_day_from_the_daily_record_on(model):
    model.run()
    df = model.datacollector.get_model_vars_dataframe()
    assert df["day"].tolist() == list(range(FIRST_DAY, model.horizon_days))
    assert np.all(df["members"] > 0)


def test_a_finished_run_lets_go_of_its_model():
    """Mesa 3.3 keeps every model in a class-level id counter; a sweep's worker running thousands
    of runs grew by 30 MB a design point until the system killed it."""
    import gc
    import weakref

    m = CartelModel(seed=1, burn_in_days=10, horizon_days=2)
    m.run()
    ref = weakref.ref(m)
    del m
    gc.collect()
    assert ref() is None


def test_the_season_raises_the_hot_months_killings_and_none_without_it():
    """A steady world over 2024: with a season of amplitude 0.06 peaking mid-July, July's
    homicides a day run well above January's; without it they do not."""

    def july_over_january(amplitude: float) -> float:
        table = simulate(seed=3, record="none", horizon_days=0, timeseries="national", season_amplitude=amplitude)
        homicides = table.timeseries[table.timeseries.metric == "homicides"]
        by_month = homicides.groupby(homicides.date.dt.month).value.mean()
        return by_month[7] / by_month[1]

    assert july_over_january(0.06) > 1.08
    assert 0.95 < july_over_january(0.0) < 1.05
