"""The peer model of Prieto-Curiel et al. (2023) re-implemented against its description's checklist
and the paper's published figures, its derived data, and the side-by-side runs of this model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.analysis.peers import compare, derive
from sim.analysis.peers import prieto_curiel as pc

SOURCE = Path("/work/shared/peers/bacrim2020")


@pytest.fixture(scope="module")
def net() -> pc.Network:
    return pc.network()


@pytest.fixture(scope="module")
def rep() -> pc.Reproduction:
    return pc.reproduce()


def test_conflict_matrix(net):
    assert list(net.strength[:3]) == [132, 53, 34]
    assert [net.short_names[i] for i in range(3)] == ["CJNG", "Sinaloa", "NFMichoacana"]
    assert net.short_names.index("Gente Nueva") < net.short_names.index("Zetas VE")  # tie broken by file order
    off = net.K[~np.eye(len(net.K), dtype=bool)]
    assert off.min() == pytest.approx(1 / 56) and off.max() == pytest.approx(5.0)
    assert np.all(np.diag(net.K) == 0) and not np.allclose(net.K, net.K.T)
    assert net.rival.sum() / 2 == 179 and net.ally.sum() / 2 == 163
    groups = {g["node"]: g for g in pc._table("groups.csv")}
    assert [int(groups[n]["strength"]) for n in net.nodes] == list(net.strength)  # the shipped strengths are the pairs'


def test_targets():
    T, arrests = pc.targets()
    assert len(T) == pc.WEEKS
    assert T[0] == pytest.approx(70.63, abs=0.005) and T[-1] == pytest.approx(108.89, abs=0.005)
    assert arrests[0] == pytest.approx(98.59, abs=0.005) and arrests[-1] == pytest.approx(131.12, abs=0.005)


def test_initial_condition():
    lam = pc.initial(115_000.0)
    assert lam.sum() == pytest.approx(115_000.0)
    assert lam[0] == pytest.approx(20_568, abs=1) and lam[-1] == pytest.approx(137, abs=1)
    a, b = (pc.initial(115_000.0, rng=np.random.default_rng(7)) for _ in range(2))
    assert np.array_equal(a, b) and not np.array_equal(a, lam)


def test_baseline_matches_the_checklist(rep):
    for key, expected in pc.EXPECTED_BASELINE.items():
        tolerance = 0.01 if key in ("CJNG", "Sinaloa") else 0.005
        assert rep.baseline[key] == pytest.approx(expected, rel=tolerance), key
    assert rep.baseline["members"] == pytest.approx(173_840, rel=0.005)


def test_policies_match_the_checklist(rep):
    for name, (members, deaths) in pc.EXPECTED_POLICIES.items():
        assert rep.policies[name][0] == pytest.approx(members, abs=0.3), name
        assert rep.policies[name][1] == pytest.approx(deaths, abs=0.3), name


def test_policies_match_the_paper(rep):
    """The published 2027 figures, within 5 percentage points; the two without a number, in words."""
    for name, (members, deaths) in pc.PUBLISHED.items():
        if members is not None:
            assert rep.policies[name][0] == pytest.approx(members, abs=5.0), name
            assert rep.policies[name][1] == pytest.approx(deaths, abs=5.0), name
    assert rep.policies["2*eta"][0] > 0 and rep.policies["2*eta"][1] > 0  # "still rising"
    assert rep.crossing_week == pytest.approx(pc.EXPECTED_CROSSING_WEEK, abs=2)  # ~3 years in the paper
    assert 2.5 <= rep.crossing_week / 52 <= 3.5


def test_poisson_start_moves_little(rep):
    drawn = pc.reproduce(rng=np.random.default_rng(3))
    assert drawn.baseline["members"] == pytest.approx(173_840, rel=0.01)
    for name in pc.EXPECTED_POLICIES:
        assert drawn.policies[name] == pytest.approx(rep.policies[name], abs=0.3), name


def test_euler_objective_and_refit(net):
    T = pc.targets()[0]
    assert pc.sse(pc.Params().scaled(), net.K, T) == pytest.approx(37_964, rel=0.01)
    fitted, value = pc.refit(net)
    for got, expected, tolerance in zip(
        fitted.scaled(), (2.5275, 110.0, 1.5493, 0.04, 115.0), (0.001, 0.01, 0.001, 1e-4, 0.05)
    ):
        assert got == pytest.approx(expected, abs=tolerance)
    assert value == pytest.approx(37_964, rel=0.01)


@pytest.mark.skipif(not SOURCE.is_dir(), reason="the BACRIM 2020 source folder is not on this machine")
def test_derived_tables_regenerate_identically(tmp_path):
    for path in derive.write(SOURCE, tmp_path):
        assert path.read_bytes() == (derive.DATA / path.name).read_bytes(), path.name


def test_compare_runs_both_models():
    results = compare.run(n_seeds=2, workers=2, horizon_days=365)
    mine = results["model"]
    assert mine["seeds"] == [1, 2] and mine["horizon_days"] == 365
    labels = [label for label, _, _ in compare.EXPERIMENTS]
    assert set(mine["summary"]) == set(labels) == set(mine["per_seed"])
    for label in labels:
        for metric in ("members", "homicides", "members_killed", "members_vs_status_quo", "homicides_vs_status_quo"):
            spread = mine["summary"][label][metric]
            assert spread["p5"] <= spread["median"] <= spread["p95"], (label, metric)
            assert len(mine["per_seed"][label][metric]) == 2
    assert set(results["peer"]["reimplementation"]) >= {name for _, name, _ in compare.EXPERIMENTS}
    per = mine["per_seed"]
    assert per["status quo"]["members_d0"] == per["halve recruitment"]["members_d0"]  # one past per seed
    for sq, half in zip(per["status quo"]["members_end"], per["halve recruitment"]["members_end"]):
        assert half < sq
    text = compare.render(results)
    assert text.startswith("## The peer model, side by side") and all(f"| {label} |" in text for label in labels)


@pytest.mark.slow
def test_compare_full_ensemble():
    """20 seeds, 5 years: stopping recruitment lowers members and homicides against the status quo on every seed."""
    per = compare.run()["model"]["per_seed"]
    for metric in ("members_end", "homicides_end"):
        assert all(s < q for s, q in zip(per["stop recruitment"][metric], per["status quo"][metric])), metric
