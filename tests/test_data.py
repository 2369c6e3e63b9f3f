"""Integrity of the shipped reference data (sim/data/: the states table and the observed series)."""

from importlib import resources

import networkx as nx
import pandas as pd

from sim.world.geography import border_graph, states_table


def test_32_entities_in_inegi_order():
    df = states_table()
    assert len(df) == 32
    assert list(df["code"]) == [f"{i:02d}" for i in range(1, 33)]
    assert df["abbr"].is_unique and df["name"].is_unique


def test_population_and_homicide_totals_match_sources():
    df = states_table()
    assert df["population_2020"].sum() == 126_014_024  # INEGI Censo 2020 [P1]
    assert df["homicides_2024"].sum() == 30_046  # SESNSP 2024 victims [H1]
    assert df["homicides_2023"].sum() == 29_721
    assert df["municipalities_2020"].sum() == 2_469


def test_adjacency_symmetric_connected_67_borders():
    df = states_table()
    neighbours = {c: set(n.split()) for c, n in zip(df["code"], df["neighbours"])}
    for code, ns in neighbours.items():
        assert code not in ns
        for other in ns:
            assert code in neighbours[other], f"{code}-{other} not symmetric"
    g = border_graph()
    assert g.number_of_edges() == 67
    assert nx.is_connected(g)
    assert min(dict(g.degree).values()) == 1  # Baja California Sur
    assert max(dict(g.degree).values()) == 8  # Mexico state, Zacatecas


def test_known_borders_and_non_borders():
    g = border_graph()
    idx = {c: i for i, c in enumerate(states_table()["code"])}
    assert g.has_edge(idx["14"], idx["16"])  # Jalisco-Michoacan
    assert not g.has_edge(idx["03"], idx["25"])  # BCS-Sinaloa is sea, not land
    assert not g.has_edge(idx["10"], idx["14"])  # Durango-Jalisco do not touch


def test_border_ports_and_presence_columns():
    df = states_table().set_index("abbr")
    assert set(df.index[df["us_border"] == 1]) == {"BC", "SON", "CHIH", "COAH", "NL", "TAM"}
    assert df.loc["COL", "key_port"] == "Manzanillo"
    assert (df["cjng"] != "").all()  # CJNG present in all 32 (DEA NDTA 2025)
    assert (df["cds"] != "").sum() == 31 and df.loc["JAL", "cds"] == ""
    assert set(df["cds"]) <= {"S", "L", "P", ""} and set(df["cjng"]) <= {"S", "L"}
    assert df["rule_of_law_2023"].between(0, 1).all()
    # the faction map notes only a Mayos cell in four states, each of them on the map
    assert set(df.index[df["mayos_cell_only"] == 1]) == {"COL", "CHPS", "CDMX", "JAL"}
    assert (df["mayos_cell_only"] <= df["mayos_faction_map"]).all()


def test_tile_positions_unique():
    df = states_table()
    assert not df.duplicated(["sq_row", "sq_col"]).any()
    assert not df.duplicated(["hex_row", "hex_col"]).any()


def test_every_column_has_a_source():
    sources = pd.read_csv(resources.files("sim.data") / "states_sources.csv")
    assert set(states_table().columns) == set(sources["column"])
    assert sources["source"].str.len().min() > 5


def test_observed_months_lie_before_day_0_and_name_their_source():
    from sim.world.observed import monthly

    months = monthly()
    assert [m.window for m in months].count("fit") == 10  # Sep 2024 - Sep 2025 with a value
    assert all(m.end_day <= 0 and m.source for m in months)  # nothing after 21 Feb 2026
    assert months[-1].month == "2026-02" and months[-1].end_day == 0


def test_long_record_has_every_month_to_may_2026_and_no_reserved_figure():
    import pandas as pd

    from sim.world.observed import national_series, states_annual

    national = national_series()
    assert list(national.index) == list(pd.period_range("2015-01", "2026-05", freq="M"))
    assert national.source.str.len().gt(0).all() and national.rel_error.between(0.005, 0.05).all()
    states = states_annual()
    assert states.year.min() == 2015 and states.year.max() == 2024  # state figures from 2025 on are reserved
    assert (states.groupby("year").code.nunique() == 32).all()


def test_long_record_states_sum_to_the_nation_and_match_the_state_table():
    from sim.world.observed import national_series, states_annual

    national = national_series()
    days = national.index.days_in_month
    by_year = (national.per_day * days).groupby(national.index.year).sum()
    summed = states_annual().groupby("year").victims.sum()
    for year in range(2015, 2025):
        assert abs(summed[year] / by_year[year] - 1) < 0.002, year
    table = states_table().set_index("code")
    for year in (2023, 2024):  # the state table's homicide columns came from the same SESNSP series
        mine = states_annual().query("year == @year").set_index("code").victims
        assert (mine == table[f"homicides_{year}"].reindex(mine.index)).all()


def test_long_record_events_deployments_and_presence_are_dated_placed_and_sourced():
    from sim.world.observed import read

    codes = set(states_table().code)
    events = read("events_2015_2026.csv")
    dates = pd.to_datetime(events.date, format="%Y-%m-%d")
    assert dates.is_monotonic_increasing and dates.min() >= pd.Timestamp("2015-01-01")
    assert dates.max() <= pd.Timestamp("2026-05-31")
    in_yaml = (dates >= pd.Timestamp("2024-07-01")) & (dates < pd.Timestamp("2026-02-22"))
    assert not in_yaml.any()  # those months are the YAML record's (sim/data/records/)
    assert events.source.str.len().gt(10).all() and set(events.kind) <= {
        "leader_removed", "split", "alliance", "war_start", "deployment", "policy", "extradition", "escape", "other"
    }  # fmt: skip
    placed = events.states.dropna().str.split()
    assert all(set(s) <= codes for s in placed)
    deployments = read("deployments_by_year.csv")
    assert deployments.year.between(2015, 2024).all() and (deployments.value > 0).all()
    assert deployments.source.str.len().gt(10).all()
    presence = read("presence_2014.csv")
    assert set(presence.code) <= codes and set(presence.tier) <= {"S", "L", "P"}
    assert presence.source.str.len().gt(10).all()
