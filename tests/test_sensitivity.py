"""The sensitivity analysis's machinery: SALib's designs and indices through our wrappers, and
real design points through sim.ensemble (sim/analysis/sensitivity.py)."""

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


def test_a_design_runs_the_four_scenarios_on_common_seeds_and_a_failing_point_fails_alone(tmp_path):
    points = [{"loyalty_mean": 0.9}, {"loyalty_mean": -1.0}]
    frame = sa.run_design(points, tmp_path, seeds=[1], horizon_days=365, processes=1)
    assert (
        set(frame.columns) == {*sa.OUTPUTS, "error"}
        and frame["error"][0] == ""
        and frame["effective_groups_d365"][0] > 1
    )
    assert np.isfinite(frame["campaign_minus_capacity_year3"][0])  # with a one-year horizon, the last year is the first
    assert frame["error"][1].startswith("loyalty_mean = -1.0 is not allowed") and np.isnan(
        frame["strike_excess_year1"][1]
    )
    assert sa.evaluate(points[0], seeds=[1], horizon_days=365, processes=1) == {k: frame[k][0] for k in sa.OUTPUTS}
    again = sa.run_design(points, tmp_path, seeds=[1], horizon_days=365, processes=1)  # read from the folder
    pd.testing.assert_frame_equal(again, frame)


def test_morris_leaves_out_only_the_trajectories_with_a_failed_point():
    design = np.arange(12, dtype=float).reshape(6, 2)  # 2 trajectories of k + 1 = 3 points, 2 factors
    y = np.array([1.0, 2.0, 3.0, 4.0, np.nan, 6.0])
    kept_design, kept_y, dropped = sa.complete_trajectories(design, y, 2)
    assert dropped == 1 and kept_y.tolist() == [1.0, 2.0, 3.0] and kept_design.tolist() == design[:3].tolist()


def test_the_command_writes_its_page_on_a_tiny_design(tmp_path):
    """`python -m experiments.sensitivity` on three parameters, one-year runs and a handful of
    points (the full design is documented in docs/sensitivity.md with its run time)."""
    import subprocess
    import sys

    doc = tmp_path / "docs" / "sensitivity.md"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "experiments.sensitivity",
            "--trajectories",
            "2",
            "--sobol-n",
            "2",
            "--seeds",
            "1",
            "--top",
            "2",
            "--only",
            "loyalty_mean",
            "clash_lethality",
            "succession_claim_ratio",
            "--horizon-days",
            "365",
            "--workers",
            "2",
            "--folder",
            str(tmp_path / "runs"),
            "--doc",
            str(doc),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    text = doc.read_text()
    assert "loyalty_mean" in text and "S1" in text and "sum of first-order" in text.lower()
    assert (doc.parent / "figures" / "sensitivity.png").stat().st_size > 10_000
