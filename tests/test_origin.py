"""The origin: where the policy levers start and the horizon counts from; an earlier origin knows
only the record's events before it; a run always reaches day 0."""

from __future__ import annotations

import datetime as dt

import pytest

import sim
from sim.analysis import seeds
from sim.errors import ConfigError
from sim.runs.api import configure
from sim.runs.simulate import simulate, simulate_branches
from sim.runs.summary import dumps
from sim.world.calendar import DEFAULT_ORIGIN, day_of
from sim.world.observed import national_series

SEED = seeds.test(7)[6]
SHORT = {"burn_in_days": 60}


def _homicides(result: sim.RunResult):
    t = result.timeseries
    return t[(t.metric == "homicides") & (t.state == "MX")].set_index("day")["value"]


def test_the_default_origin_is_the_day_after_the_last_observed_month():
    last = national_series().index[-1]
    assert DEFAULT_ORIGIN == (last + 1).start_time.date() == dt.date(2026, 6, 1)
    assert configure("no_strike")[0]["origin"] == DEFAULT_ORIGIN.isoformat()  # the command line's default too
    default = sim.run("kingpin_campaign", seed=SEED, horizon_days=200, **SHORT)
    explicit = sim.run("kingpin_campaign", seed=SEED, horizon_days=200, origin="2026-06-01", **SHORT)
    assert dumps(default.summary) == dumps(explicit.summary)
    assert default.timeseries["day"].max() == day_of(DEFAULT_ORIGIN) + 199
    # the strike's windows still count from day 0, the policies' from the origin
    assert default.summary["homicides_o0_180"] != default.summary["homicides_d0_180"]


def test_an_origin_on_the_strikes_day_is_day_0():
    at_day0 = sim.run("kingpin_campaign", seed=SEED, horizon_days=200, origin="2026-02-22", **SHORT)
    assert at_day0.summary["homicides_o0_180"] == at_day0.summary["homicides_d0_180"]
    assert at_day0.timeseries["day"].max() == 199


def test_levers_start_and_the_horizon_counts_from_a_later_origin():
    start = day_of(dt.date(2026, 6, 1))
    runs = {
        s: sim.run(s, seed=SEED, horizon_days=365, origin="2026-06-01", **SHORT)
        for s in ("mencho_strike", "kingpin_campaign")
    }
    strike, campaign = (_homicides(runs[s]) for s in ("mencho_strike", "kingpin_campaign"))
    assert strike.index.max() == start + 364 == campaign.index.max()
    assert strike.loc[:start].equals(campaign.loc[:start])  # the campaign's first operations follow its first day
    assert not strike.loc[start:].equals(campaign.loc[start:])
    assert runs["kingpin_campaign"].summary["homicides_o0_365"] == campaign.loc[start : start + 364].sum()
    assert runs["kingpin_campaign"].summary["homicides_o0_730"] is None  # the horizon is shorter


def test_an_earlier_origin_knows_only_the_record_before_it_and_still_reaches_day_0():
    origin = dt.date(2025, 1, 1)
    full = sim.run("no_strike", seed=SEED, horizon_days=0, origin="2026-02-22", **SHORT)
    known = sim.run("no_strike", seed=SEED, horizon_days=30, origin=origin.isoformat(), **SHORT)
    a, b = _homicides(full), _homicides(known)
    assert a.index.max() == b.index.max() == -1  # both end at day 0
    first = day_of(origin)
    assert a.loc[: first - 1].equals(b.loc[: first - 1])  # the same past until the origin
    assert not a.loc[first:].equals(b.loc[first:])  # then without the record's later events (the arrest tempo, troops)


def test_runs_from_one_past_at_an_earlier_origin_equal_their_own_runs():
    settings = {"horizon_days": 120, "origin": "2025-06-01", **SHORT}
    branches = [configure(s, **settings)[1] for s in ("no_strike", "kingpin_campaign", "state_capacity")]
    together = simulate_branches(branches, seed=SEED, **settings)
    for params, result in zip(branches, together):
        alone = simulate(seed=SEED, **settings, **params)
        assert dumps(result.summary) == dumps(alone.summary)
        assert result.timeseries.equals(alone.timeseries)


@pytest.mark.parametrize("bad", ["2025-02-30", "1999-01-01", "2031-01-01", "soon", 5])
def test_an_impossible_origin_is_refused_in_one_line(bad):
    with pytest.raises(ConfigError, match="origin"):
        sim.run("no_strike", seed=1, origin=bad, horizon_days=1, **SHORT)
