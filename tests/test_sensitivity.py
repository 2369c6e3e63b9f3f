"""The sensitivity analysis's machinery: SALib's designs and indices through our wrappers, the
resumable chunked runner, and one real design point (sim/analysis/sensitivity.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis import sensitivity as sa

ISHIGAMI = [sa.Factor(f"x{i}", -np.pi, np.pi, False) for i in (1, 2, 3)]


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_of_the_ishigami_function_are_recovered():
    design = sa.sobol_design(ISHIGAMI, 1024)
    s = sa.sobol_indices(ISHIGAMI, ishigami(design))
    # analytic values (Ishigami & Homma 1990, a = 7, b = 0.1)
    assert s["S1"].to_numpy() == pytest.approx([0.314, 0.442, 0.0], abs=0.05)
    assert s["ST"].to_numpy() == pytest.approx([0.558, 0.442, 0.244], abs=0.05)


def test_morris_ranks_the_ishigami_factors_and_screens_the_top_ones():
    design = sa.morris_design(ISHIGAMI, 50)
    m = sa.morris_indices(ISHIGAMI, design, ishigami(design))
    assert len(design) == 50 * 4 and (m["mu_star"] > 0).all() and (m["mu_star_conf"] < m["mu_star"]).all()
    top = sa.top_factors({"y": m}, ISHIGAMI, 2)
    assert {f.name for f in top} == set(m["mu_star"].nlargest(2).index)


def test_every_uncertain_parameter_is_a_factor_with_its_range():
    names = {f.name: f for f in sa.factors()}
    assert "loyalty_mean" in names and "succession_claim_ratio" in names
    assert "strike_enabled" not in names and "arrests_per_day" not in names  # levers and record settings stay out
    assert names["lieutenants"].integer and sa.point_params([names["lieutenants"]], [3.6]) == {"lieutenants": 4}


def _fake(params, seeds, horizon_days):
    if params["x"] < 0:
        raise ValueError("negative x")
    return {k: params["x"] * len(seeds) for k in sa.OUTPUTS}


def test_the_runner_resumes_and_keeps_the_other_points_when_one_fails(tmp_path):
    points = [{"x": float(x)} for x in (1, 2, -1, 4, 5)]
    frame = sa.run_design(points, tmp_path, seeds=[1, 2], chunk_size=2, workers=1, fn=_fake)
    assert frame["strike_excess_year1"].tolist()[:2] == [2.0, 4.0] and np.isnan(frame["strike_excess_year1"][2])
    assert frame["error"][2] == "ValueError: negative x" and frame["error"][3] == ""
    (tmp_path / "chunk_0001.csv").unlink()
    marker = pd.read_csv(tmp_path / "chunk_0000.csv")
    marker.loc[0, "strike_excess_year1"] = 99.0  # a chunk on disk is read, not run again
    marker.to_csv(tmp_path / "chunk_0000.csv", index=False)
    again = sa.run_design(points, tmp_path, seeds=[1, 2], chunk_size=2, workers=1, fn=_fake)
    assert again["strike_excess_year1"][0] == 99.0 and again["error"][2] == "ValueError: negative x"


def test_a_design_point_runs_the_four_scenarios_on_common_seeds():
    out = sa.evaluate({"loyalty_mean": 0.9}, seeds=[1], horizon_days=365)
    assert set(out) == set(sa.OUTPUTS) and out["effective_groups_d365"] > 1
    assert np.isfinite(out["campaign_minus_capacity_year3"])  # with a one-year horizon, the last year is the first


def _greedy(params, seeds, horizon_days):
    if params["x"] > 1:
        np.ones(int(6 * 2**30 / 8))  # 6 GB: a world that grows without bound
    return {k: params["x"] for k in sa.OUTPUTS}


def test_a_point_that_eats_memory_fails_alone_under_the_workers_cap(tmp_path):
    frame = sa.run_design([{"x": 1.0}, {"x": 2.0}], tmp_path, seeds=[1], chunk_size=1, workers=1, fn=_greedy, memory_gb=3.0)
    assert frame["strike_excess_year1"][0] == 1.0
    assert frame["error"][1].startswith("MemoryError")


def test_morris_leaves_out_only_the_trajectories_with_a_failed_point():
    design = np.arange(12, dtype=float).reshape(6, 2)  # 2 trajectories of k + 1 = 3 points, 2 factors
    y = np.array([1.0, 2.0, 3.0, 4.0, np.nan, 6.0])
    kept_design, kept_y, dropped = sa.complete_trajectories(design, y, 2)
    assert dropped == 1 and kept_y.tolist() == [1.0, 2.0, 3.0] and kept_design.tolist() == design[:3].tolist()


def test_the_chunks_run_as_a_hydra_multirun_with_the_same_numbers(tmp_path):
    points = [{"loyalty_mean": 0.85}, {"loyalty_mean": 0.9}, {"succession_claim_ratio": 0.3}]
    frame = sa.run_design(points, tmp_path, seeds=[1], chunk_size=2, horizon_days=365, launcher="hydra", hydra_args=["hydra.launcher.n_jobs=2"])
    assert (frame["error"] == "").all() and np.isfinite(frame["effective_groups_d365"]).all()
    assert sorted(p.name for p in tmp_path.glob("chunk_*.csv")) == ["chunk_0000.csv", "chunk_0001.csv"]
    local = sa.run_design(points[:2], tmp_path / "local", seeds=[1], chunk_size=2, horizon_days=365, workers=1)
    pd.testing.assert_frame_equal(frame.iloc[:2].reset_index(drop=True), local)  # the same numbers on either launcher


def test_the_command_writes_its_page_on_a_tiny_design(tmp_path):
    """`python -m experiments.sensitivity` on three parameters, one-year runs and a handful of
    points (the full design is documented in docs/sensitivity.md with its run time)."""
    import subprocess
    import sys

    doc = tmp_path / "docs" / "sensitivity.md"
    proc = subprocess.run(
        [sys.executable, "-m", "experiments.sensitivity", "--trajectories", "2", "--sobol-n", "2", "--seeds", "1", "--top", "2",
         "--only", "loyalty_mean", "clash_lethality", "succession_claim_ratio", "--horizon-days", "365", "--workers", "2",
         "--folder", str(tmp_path / "runs"), "--doc", str(doc)],
        capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    text = doc.read_text()
    assert "loyalty_mean" in text and "S1" in text and "sum of first-order" in text.lower()
    assert (doc.parent / "figures" / "sensitivity.png").stat().st_size > 10_000
