"""The calibration fits' own logic (the fits themselves are re-run by hand, see docs/calibration.md)."""

import numpy as np
import pandas as pd
import pytest

from sim import parameters
from sim.analysis import seeds
from sim.analysis.calibration import baseline as calibrate_baseline
from sim.analysis.calibration import ranking as calibrate_ranking
from sim.analysis.calibration import record as calibrate_record
from sim.analysis.calibration import report
from sim.analysis.calibration import wave as calibrate_wave


def test_ranking_search_keeps_the_number_of_members_a_market_pays():
    """A point with a higher labour share pays more members unless member cost rises with it."""
    base = parameters.defaults()
    point = {"trafficking_labour_share": 3 * base["trafficking_labour_share"]}
    cost = calibrate_ranking.with_cost(point)["member_cost_usd_day"]
    payroll = calibrate_ranking.payroll_total
    assert cost > base["member_cost_usd_day"]
    assert payroll({**base, **point}) / cost == pytest.approx(payroll(base) / base["member_cost_usd_day"])


@pytest.mark.parametrize(
    "fit, name",
    [
        (calibrate_ranking, "calibrate_ranking"),
        (calibrate_baseline, "calibrate_baseline"),
        (calibrate_record, "calibrate_record"),
        (calibrate_wave, "calibrate_wave"),
    ],
)
def test_every_fitted_parameter_is_global_calibrated_and_names_its_script(fit, name):
    """The parameter table's source names the command that fits it (experiments/<name>.py)."""
    table = parameters.table()
    for p in fit.FITTED:
        assert table[p].kind == "calibrated" and name in table[p].source, p
        assert table[p].low is not None and table[p].low < table[p].high


def test_calibration_seeds_are_not_test_seeds():
    assert min(seeds.CALIBRATION) > max(seeds.TEST)
    assert seeds.calibration(3) == [101, 102, 103] and seeds.test(2) == [1, 2]


def test_the_record_fit_puts_each_candidate_on_the_2024_level_and_keeps_the_hidden_bound():
    """Two runs that differ only in the scale of their clash deaths score alike; a run hiding more
    than the bound is rejected."""
    months = len(calibrate_record.monthly())
    days = 366.0
    fixed = [20.0] * (3 + months)
    clash = [calibrate_record.HOMICIDES_2024 / days - 20.0] + [1.0, 1.0] + [60.0] * months
    run = {"fixed": np.array(fixed), "clash": np.array(clash), "hidden": np.array([0.0, 1.0, 2.0] + [0.0] * months)}
    double = {**run, "clash": run["clash"] * 2}
    assert calibrate_record.evaluate([run])["score"] == pytest.approx(calibrate_record.evaluate([double])["score"])
    hiding = {**run, "hidden": np.array([0.0, 1.0, 1.0 + 15.0] + [0.0] * months)}
    assert calibrate_record.evaluate([hiding])["score"] >= 1.0


def test_a_calibration_section_is_replaced_and_the_rest_kept(tmp_path, monkeypatch):
    page = tmp_path / "calibration.md"
    page.write_text("intro\n<!-- BEGIN x -->\nold\n<!-- END x -->\nend\n", encoding="utf-8")
    monkeypatch.setattr(report, "DOC", page)
    report.write_section("x", "new")
    assert page.read_text(encoding="utf-8") == "intro\n<!-- BEGIN x -->\nnew\n<!-- END x -->\nend\n"
    with pytest.raises(ValueError):
        report.write_section("y", "text")


def test_the_long_fit_scores_a_point_that_matches_the_record_perfectly_and_rejects_one_that_hides_too_much():
    """A perfect point scores 0; a year off, too many groups or too much hidden killing cost it."""
    from sim.analysis.calibration import long
    from sim.world.observed import national_series, states_annual

    obs, states = national_series(), states_annual()
    row = {f"m{m}": v for m, v in zip(obs.index.strftime("%Y-%m"), obs["per_day"])}
    row |= {f"y{r.year}_{r.code}": r.victims for r in states.itertuples() if r.year in long.YEARS}
    perfect = pd.DataFrame([{**row, "hidden_excess": 3.0, "groups_2024": long.GROUPS_2023, "status": "ok"}] * 3)
    sc = long.score(perfect)
    assert sc["score"] == pytest.approx(0.0) and sc["within"] == 1.0 and min(sc["rho"].values()) == pytest.approx(1.0)
    years = long.by_year(sc)
    assert (years.months_within == years.months).all() and list(years.index[:2]) == ["2015", "2016"]
    off = perfect.assign(**{k: v * 1.3 for k, v in row.items() if k.startswith("m2019")})
    missed = 12 / len(obs)  # the 12 months of 2019, 30% high
    assert long.score(off)["within"] == pytest.approx(1 - missed)
    assert long.score(off)["score"] == pytest.approx(missed + 12 * np.log(1.3) ** 2 / len(obs))
    assert long.score(perfect.assign(hidden_excess=long.HIDDEN_BOUND + 1))["score"] == np.inf
    doubled = long.score(perfect.assign(**{k: 2 * v for k, v in row.items() if k.startswith("y2019_")}))
    assert doubled["rho"][2019] == pytest.approx(1.0)  # one year of ten twice its count, its ranking intact
    assert doubled["score"] == pytest.approx(long.STATE_WEIGHT * np.log(2) ** 2 / len(long.YEARS))
    crowded = long.score(perfect.assign(groups_2024=4 * long.GROUPS_2023))
    assert crowded["score"] == pytest.approx(long.GROUPS_WEIGHT * np.log(4) ** 2) and crowded["groups"] == 700


def test_the_long_fits_evolution_finds_a_known_minimum_and_repeats_itself(tmp_path, monkeypatch):
    """CMA-ES on a score whose minimum is known (a point of the cube), through the fit's own glue:
    it gets close, bound-breaking points never win, and the same call asks for the same points."""
    from sim.analysis.calibration import long

    target = np.linspace(0.2, 0.8, len(long.FACTORS))
    asked: list[np.ndarray] = []

    def fake(units, point, seeds, folder, **options):
        asked.extend(units)
        return [(u, {"score": np.inf if u[0] > 0.9 else float(np.sum((u - target) ** 2))}) for u in units]

    monkeypatch.setattr(long, "_scored", fake)
    found = long.evolve(np.full(len(long.FACTORS), 0.5), 60, None, [1], tmp_path)
    best_u, best = min(found, key=lambda s: s[1]["score"])
    assert best["score"] < 0.01 and np.all((0 <= best_u) & (best_u <= 1))
    first = list(asked)
    asked.clear()
    long.evolve(np.full(len(long.FACTORS), 0.5), 60, None, [1], tmp_path)
    assert all(np.array_equal(a, b) for a, b in zip(first, asked)) and len(first) == len(asked)
