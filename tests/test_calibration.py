"""The calibration scripts' own logic (the fits themselves are re-run by hand, see docs/calibration.md)."""

import pytest

from experiments import calibrate_ranking
from sim import parameters


def test_ranking_search_keeps_the_number_of_members_a_market_pays():
    """A point with a higher labour share pays more members unless member cost rises with it."""
    base = parameters.defaults()
    point = {"trafficking_labour_share": 3 * base["trafficking_labour_share"]}
    cost = calibrate_ranking.with_cost(point)["member_cost_usd_day"]
    payroll = calibrate_ranking.payroll_total
    assert cost > base["member_cost_usd_day"]
    assert payroll({**base, **point}) / cost == pytest.approx(payroll(base) / base["member_cost_usd_day"])


def test_ranking_search_fits_only_global_parameters_on_unseen_seeds():
    table = parameters.table()
    for name in calibrate_ranking.FITTED:
        assert table[name].kind == "calibrated" and "calibrate_ranking" in table[name].source
        assert table[name].low is not None and table[name].low < table[name].high
    assert calibrate_ranking.SEEDS_FROM > 10  # tests/test_validation.py uses seeds 1-10
