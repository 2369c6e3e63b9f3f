"""The record: the dated events the world lives through before day 0, as data, applied on their dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from sim import CartelModel, parameters
from sim.analysis import seeds
from sim.errors import ConfigError
from sim.runs.summary import summarise
from sim.world import record as history
from sim.world.calendar import day_of
from sim.world.geography import JALISCO, SINALOA

SHIPPED = history.load(history.DEFAULT)
MAYO = day_of(dt.date(2024, 7, 25))


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "record.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


# ----- the data ---------------------------------------------------------------------------------
def test_the_shipped_record_has_its_events_and_a_source_for_each():
    actions = [e.action for e in SHIPPED.events]
    assert {"set", "remove_leader", "extradite", "arrest_cell_leaders", "note"} <= set(actions)
    assert all(len(e.source) > 20 for e in SHIPPED.events)
    assert all(dt.date(2024, 7, 1) <= e.date < dt.date(2026, 2, 22) for e in SHIPPED.events)
    tempo = [e for e in SHIPPED.events if e.action == "set" and "arrests_per_day" in e.args]
    assert [(e.date, e.args["arrests_per_day"]) for e in tempo] == [
        (dt.date(2024, 7, 1), 30.0),
        (dt.date(2024, 10, 1), 90.0),
    ]


def test_the_record_restates_the_steady_world_where_it_starts():
    """Settings on the record's first date equal the table's defaults, so record=none and the
    record agree until the first change (the pre-strategy tempo is an assumption stated in both)."""
    first = SHIPPED.events[0].date
    defaults = parameters.defaults()
    for event in SHIPPED.events:
        if event.action == "set" and event.date == first:
            for name, value in event.args.items():
                assert value == defaults[name], name


def test_record_none_has_no_events_and_names_are_listed():
    assert history.load("none").events == ()
    assert history.DEFAULT in history.available()
    assert history.load(SHIPPED) is SHIPPED


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "events: [{date: 2025-01-01, set: {troops: 5}, source: x}]",
            "'troops' is not a setting the record can change; settable: ",
        ),
        ("events: [{date: 2025-01-01, set: {arrests_per_day: -5}, source: x}]", "arrests_per_day = -5 is not allowed"),
        ("events: [{date: 2025-01-01, set: {arrests_per_day: 50}}]", "has no source"),
        ("events: [{date: 2025-01-01, fly: {}, source: x}]", "must have exactly one action"),
        ("events: [{date: 2026-03-01, note: later, source: x}]", "is on or after day 0"),
        ("events: [{date: 'soon', note: x, source: x}]", "date = 'soon' is not allowed"),
        (
            "events: [{date: 2025-01-01, remove_leader: {organisation: Mayos, mode: betrayed}, source: x}]",
            "'by' (the ally who betrayed the leader) is required",
        ),
        (
            "events: [{date: 2025-01-01, remove_leader: {organisation: Mayos, mode: shot}, source: x}]",
            "mode = 'shot' is not allowed",
        ),
        (
            "events: [{date: 2025-01-01, arrest_cell_leaders: {organisation: CJNG, states: [40], arrested: 3}, "
            "source: x}]",
            "INEGI codes 1 to 32",
        ),
        (
            "events: [{date: 2025-01-01, war: {organisations: [CJNG, CJNG]}, source: x}]",
            "must be a list of two different names",
        ),
        ("events: {}", "must be a mapping with a list 'events'"),
        ("events: [{date: 2025-01-01, note: x: y, source: z}]", "is not valid YAML at line 1"),
        (
            "events:\n  - {date: 2025-02-30, note: x, source: z}",
            "is not valid YAML at line 2, column 12: '2025-02-30' is not a calendar date (day is out of range",
        ),
    ],
)
def test_a_bad_record_is_one_line(tmp_path, text, message):
    with pytest.raises(ConfigError) as err:
        history.load(_write(tmp_path, text))
    assert message in str(err.value) and "\n" not in str(err.value)


def test_state_codes_may_be_quoted_as_the_output_tables_write_them(tmp_path):
    def states(codes: str) -> tuple[int, ...]:
        event = f"arrest_cell_leaders: {{organisation: CJNG, states: {codes}, arrested: 3}}"
        (loaded,) = history.load(_write(tmp_path, f"events: [{{date: 2025-01-01, {event}, source: x}}]")).events
        return loaded.states

    assert states("['14', '01']") == states("[14, 1]") == (14, 1)


def test_unknown_organisations_and_unknown_records_stop_before_the_run(tmp_path):
    path = _write(
        tmp_path, "events: [{date: 2025-01-01, remove_leader: {organisation: Zetas, mode: killed}, source: x}]"
    )
    with pytest.raises(ConfigError, match="unknown organisation 'Zetas'; the world starts with: "):
        CartelModel(record=path)
    with pytest.raises(ConfigError, match="unknown record 'nope': choose none, mexico_2015_2026, mexico_2024_2026"):
        CartelModel(record="nope")


# ----- the events in the model ------------------------------------------------------------------
def test_a_war_in_the_record_makes_both_families_enemies_from_its_day(tmp_path):
    path = _write(tmp_path, "events: [{date: 2025-03-01, war: {organisations: [CJNG, Mayos]}, source: x}]")
    m = CartelModel(seed=seeds.test(1)[0], burn_in_days=0, horizon_days=0, record=path)
    (war,) = m.record.events
    assert war.describe() == "CJNG against Mayos at war"
    cjng, mayos = m.org_index("CJNG"), m.org_index("Mayos")
    m.run_until(war.day)
    assert m.relations.hostility[cjng, mayos] == pytest.approx(m.p["hostility_default"])
    m.run_until(war.day + 1)
    family = [o.index for o in m.organisations if o.lineage() is m.organisations[cjng]]
    assert m.relations.hostility[cjng, mayos] == m.relations.hostility[mayos, cjng] == m.p["hostility_war"]
    assert all(m.relations.hostility[o, mayos] == m.p["hostility_war"] for o in family)


@pytest.fixture(scope="module")
def lived() -> CartelModel:
    """The default world through the record to day 0 (a calibration-free test seed)."""
    m = CartelModel(seed=seeds.test(1)[0], horizon_days=0)
    m.run()
    return m


def test_the_strategy_and_deployments_arrive_on_their_dates(lived):
    settings = lived.government.settings
    assert settings == {
        **settings,
        "arrests_per_day": 90.0,
        "sinaloa_front_troops": 10180.0,
        "border_front_troops": 10000.0,
    }
    arrests = lived.daily.data["arrests"].sum(axis=1)
    before, after = (
        arrests[: day_of(dt.date(2024, 10, 1)) - lived.daily.start_day],
        arrests[day_of(dt.date(2024, 10, 1)) - lived.daily.start_day :],
    )
    assert after.mean() > 2.5 * before.mean()  # the tempo tripled on 1 Oct 2024


def test_el_mayo_is_betrayed_without_a_wave_and_the_factions_go_to_war(lived):
    names = [o.name for o in lived.organisations]
    mayos = lived.organisations[names.index("Mayos")]
    assert mayos.removed_day == MAYO and mayos.leader_present  # his family took over
    removal = next(r for r in lived.leadership.removals if r["org"] == "Mayos")
    assert removal["mode"] == "betrayed" and removal["wave"] is None
    assert lived.daily.total("roadblocks", MAYO, MAYO + 3) == 0
    assert lived.relations.hostility[names.index("Chapitos"), names.index("Mayos")] == lived.p["hostility_war"]


def test_without_el_mayos_removal_the_war_does_not_start():
    past = SHIPPED.without(lambda e: e.action == "remove_leader")
    ratios = []
    for seed in seeds.test(4):
        m = CartelModel(seed=seed, horizon_days=0, record=past)
        m.run()
        names = [o.name for o in m.organisations]
        assert m.relations.hostility[names.index("Chapitos"), names.index("Mayos")] == m.p["hostility_alliance"]
        ratios.append(summarise(m)["homicides_sinaloa_war_ratio"])
    assert np.median(ratios) < 1.5  # no war: Sinaloa's autumn of 2024 looks like its spring


def test_middle_tier_arrests_take_commanders_from_cjng_in_jalisco():
    day = day_of(dt.date(2026, 1, 13))
    with_it = CartelModel(seed=3, burn_in_days=0, horizon_days=0)
    without = CartelModel(
        seed=3, burn_in_days=0, horizon_days=0, record=SHIPPED.without(lambda e: e.action == "arrest_cell_leaders")
    )
    for m in (with_it, without):
        while m.day <= day:
            m.step()
    cells = lambda m: m.live_cells(m.cjng)[m.population.state[m.live_cells(m.cjng)] == JALISCO]  # noqa: E731
    core = lambda m: (m.population.core[cells(m)] * m.population.members[cells(m)]).sum() * m.p["core_share"]  # noqa: E731
    assert core(without) - core(with_it) == pytest.approx(5.0, abs=0.5)  # the record's five commanders
    assert with_it.daily.total("arrests", day, day + 1, state=JALISCO) > without.daily.total(
        "arrests", day, day + 1, state=JALISCO
    )


def test_an_extradition_takes_the_backing_from_a_successor_named_from_prison(tmp_path, monkeypatch):
    """A leader captured and held names his successor from prison; sent to the US before the
    successor consolidates, he takes the backing with him: the lieutenants decide again, against
    the plain claim ratio (factor 1, as if no successor had been named). Whether they then split is
    chance (their cells' draws): tests/test_succession.py compares held and extradited leaders."""
    path = _write(
        tmp_path,
        """events:
  - {date: 2025-01-01, remove_leader: {organisation: CDN, mode: captured}, source: test}
  - {date: 2025-01-05, extradite: {prisoners: 1, organisations: [CDN]}, source: test}
""",
    )
    m = CartelModel(
        seed=2,
        burn_in_days=0,
        horizon_days=0,
        record=path,
        loyalty_mean=0.7,
        succession_claim_noise=0.0,
        held_leader_authority=1.0,  # he names a successor for certain
        heir_claim_factor=4.0,  # who deters every claim here
    )
    cdn = m.organisations[m.org_index("CDN")]
    while m.day <= day_of(dt.date(2025, 1, 2)):
        m.step()
    assert cdn.leader_held and cdn.succession == "heir"  # he names his successor from prison
    contests = []
    start_contest = m.leadership._start_contest
    monkeypatch.setattr(
        m.leadership,
        "_start_contest",
        lambda org, cells, factor=1.0: contests.append((org, factor)) or start_contest(org, cells, factor),
    )
    while m.day <= day_of(dt.date(2025, 1, 6)):
        m.step()
    assert not cdn.leader_held and contests == [(cdn, 1.0)]  # sent to the US: the lieutenants decide again


def test_an_event_before_the_run_applies_on_its_first_day(tmp_path):
    path = _write(tmp_path, "events: [{date: 2019-01-01, set: {arrests_per_day: 45}, source: test}]")
    m = CartelModel(seed=1, burn_in_days=0, horizon_days=0, record=path)
    m.step()
    assert m.government.settings["arrests_per_day"] == 45


def test_record_none_keeps_the_steady_worlds_policy():
    m = CartelModel(seed=1, burn_in_days=0, horizon_days=1, record="none")
    m.run()
    defaults = parameters.defaults()
    assert m.government.settings == {k: defaults[k] for k in m.government.settings}
    assert m.troops[SINALOA] > 0 and m.leadership.removals == []
