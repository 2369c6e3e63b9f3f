"""The long record: a world that starts from the organisations of 2014 and lives through 2015 on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from sim import CartelModel
from sim.errors import ConfigError
from sim.world import record as history
from sim.world.calendar import day_of
from sim.world.observed import read
from sim.world.placement import ORGS_2014, presence_2014

LONG = "mexico_2015_2026"


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "record.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_long_record_starts_in_2015_from_the_world_of_2014_and_carries_on_with_the_short_one():
    long, short = history.load(LONG), history.load(history.DEFAULT)
    assert (long.start, long.world) == (dt.date(2015, 1, 1), "2014")
    assert (short.start, short.world) == (dt.date(2024, 1, 1), "2024")
    assert {(e.date, e.describe()) for e in short.events} <= {(e.date, e.describe()) for e in long.events}
    assert all(dt.date(2014, 1, 1) <= e.date < dt.date(2026, 2, 22) for e in long.events)
    removed = {(e.date, e.args["organisation"]) for e in long.events if e.action == "remove_leader"}
    assert (dt.date(2015, 3, 4), "Zetas") in removed and (dt.date(2016, 1, 8), "Chapitos") in removed
    assert all(len(e.source) > 20 for e in long.events)
    known = history.load(f"{LONG}@2019-01-01")  # the record as known on a date keeps its world
    assert (known.start, known.world) == (long.start, long.world) and max(e.date for e in known.events) < dt.date(
        2019, 1, 1
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("world: '1990'", "world = '1990' is not allowed: choose 2024 or 2014"),
        ("start: 2025-01-01", "start = datetime.date(2025, 1, 1) is not allowed"),
        ("extends: nothing", "extends = 'nothing' is not a shipped record"),
        ("begin: 2015-01-01", "unknown key(s) begin"),
    ],
)
def test_a_bad_record_header_is_one_line_that_says_what_is_allowed(tmp_path, header, message):
    path = _write(tmp_path, f"{header}\nevents: []\n")
    with pytest.raises(ConfigError, match=None) as err:
        history.load(path)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_the_world_of_2014_holds_the_organisations_of_2014_where_the_sources_place_them():
    m = CartelModel(seed=3, record=LONG, burn_in_days=0, horizon_days=0)
    names = [o.name for o in m.organisations]
    assert {"CJNG", "Chapitos", "Mayos", *ORGS_2014.values()} <= set(names)
    assert not {"CDN", "CDG", "LNFM", "CU"} & set(names)  # the groups of 2024 are not there yet
    present = m.org_state_members() > 0
    for raw, names in {
        **{k: [v] for k, v in ORGS_2014.items()},
        "CJNG": ["CJNG"],
        "Sinaloa": ["Chapitos", "Mayos"],
    }.items():
        placed = {int(c) - 1 for c in presence_2014().query("organisation == @raw")["code"]}
        where = set(np.flatnonzero(present[[m.org_index(n) for n in names]].any(axis=0)))
        assert where <= placed and len(where) >= len(placed) / 2, raw
    h = m.relations.hostility
    chapitos, mayos, cjng = (m.org_index(n) for n in ("Chapitos", "Mayos", "CJNG"))
    assert h[chapitos, mayos] < h[chapitos, cjng]  # the factions are allies, CJNG their rival
    assert m.daily.start_day == day_of(dt.date(2015, 1, 1)) and m.day == m.daily.start_day


def test_the_long_world_lives_through_the_decade_and_is_the_same_for_the_same_seed():
    def national(seed: int) -> np.ndarray:
        m = CartelModel(seed=seed, record=f"{LONG}@2017-06-01", burn_in_days=30, horizon_days=0)
        m.run_until(day_of(dt.date(2017, 6, 1)))
        return m.daily.values[: m.day - m.daily.start_day, 0].sum(axis=1)

    a, b = national(5), national(5)
    assert len(a) == (dt.date(2017, 6, 1) - dt.date(2015, 1, 1)).days
    assert np.array_equal(a, b) and a.sum() > 0


def test_the_forces_each_year_follow_the_deployments_table_and_set_the_troops_the_world_has():
    table = read("deployments_by_year.csv")
    years = np.arange(2015, 2025)

    def series(measure: str, first: int, last: int) -> np.ndarray:
        rows = table[table["measure"] == measure]
        return np.where((years >= first) & (years <= last), np.interp(years, rows["year"], rows["value"]), 0.0)

    total = (
        series("sedena_troops_anticrime_ops", 2015, 2024)
        + series("federal_police_personnel", 2015, 2018)
        + series("national_guard_personnel", 2019, 2024)
    )
    expected = dict(zip(years.tolist(), (total / total[-1]).round(2).tolist()))
    set_on = {
        e.date.year: e.args["forces_ratio"]
        for e in history.load(LONG).events
        if e.action == "set" and "forces_ratio" in e.args and e.date.year >= 2015
    }
    assert set_on == expected and expected[2015] < 0.35 and expected[2019] > expected[2018] + 0.15
    m = CartelModel(seed=1, record=f"{LONG}@2019-06-01", burn_in_days=1, horizon_days=0)
    m.run_until(day_of(dt.date(2019, 6, 1)))
    assert m.troops.sum() == pytest.approx(m.p["troop_pool"] * expected[2019])


def test_an_origin_before_the_daily_table_is_one_line_and_the_long_record_takes_origins_from_2015():
    with pytest.raises(ConfigError) as err:
        CartelModel(origin="2019-06-01")
    assert str(err.value).startswith("origin = 2019-06-01 is not allowed: it must lie from 2024-01-01")
    assert "\n" not in str(err.value)
    m = CartelModel(record=LONG, origin="2019-06-01", burn_in_days=1, horizon_days=30)
    assert m.origin_day == day_of(dt.date(2019, 6, 1)) and max(e.date for e in m.record.events) < dt.date(2019, 6, 1)


def test_cartels_expand_into_neighbouring_states_only_when_expansion_is_on():
    def cjng_states(rate: float) -> tuple[int, int]:
        m = CartelModel(seed=2, record=f"{LONG}@2017-01-01", burn_in_days=30, horizon_days=0, expansion_rate=rate)
        m.run_until(day_of(dt.date(2015, 1, 1)))
        before = int((m.org_state_members()[m.cjng] > 0).sum())
        m.run_until(day_of(dt.date(2017, 1, 1)))
        return before, int((m.org_state_members()[m.cjng] > 0).sum())

    (a0, a1), (b0, b1) = cjng_states(0.0), cjng_states(0.05)
    assert a0 == b0 == 12  # the burn-in keeps the DEA's 2015 map
    assert b1 >= a1 + 5, (a1, b1)  # without it, only encroachment on weakened rivals moves CJNG


def test_the_world_of_2014_starts_at_members_2014_below_what_its_markets_pay_and_recruits_toward_it():
    """The world of 2014 holds `members_2014` when it is built, and a slow recruitment grows it."""
    fit = {"members_2014": 120_000.0, "recruit_rate_max": 0.002, "member_cost_usd_day": 110.0}
    m = CartelModel(seed=3, record=f"{LONG}@2016-01-01", burn_in_days=0, horizon_days=0, **fit)
    assert m.members_total == pytest.approx(120_000, rel=0.02)
    m.run_until(day_of(dt.date(2016, 1, 1)))
    assert m.members_total > 125_000  # the markets pay more than 2014's members: recruitment fills them
    again = CartelModel(seed=3, record=f"{LONG}@2016-01-01", burn_in_days=0, horizon_days=0)
    assert again.members_total == pytest.approx(127_000, rel=0.02)  # the table's default
