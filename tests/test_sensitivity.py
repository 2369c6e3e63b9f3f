"""The sensitivity analysis's machinery: SALib's designs and indices through our wrappers, and
real design points through sim.ensemble (sim/analysis/sensitivity.py)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sim.analysis import sensitivity as sa

ISHIGAMI = [sa.Factor(f"x{i}", -np.pi, np.pi, False) for i in (1, 2, 3)]


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


# analytic first-order indices (Ishigami & Homma 1990, a = 7, b = 0.1)
ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
LINEAR = [sa.Factor(f"x{i}", 0.0, 1.0, False) for i in range(10)]
WEIGHTS = np.array([3.0, 2.0, 1.5, 1.0, 0.5, 0.3, 0.2, 0.1, 0.0, 0.0])
DEFAULT_N = 6000  # experiments/sensitivity.py's --n


def linear_with_noise(x: np.ndarray, noise_share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A linear model plus Gaussian noise that makes up `noise_share` of the variance (seed noise, as
    one run per point leaves in the model's outputs), and its known first-order indices."""
    signal = x @ WEIGHTS
    part = WEIGHTS**2 / 12  # the variance of w U(0, 1)
    noise_var = part.sum() * noise_share / (1 - noise_share)
    y = signal + np.random.default_rng(seed).normal(0.0, np.sqrt(noise_var), len(x))
    return y, part / (part.sum() + noise_var)


def test_first_order_indices_of_the_ishigami_function_are_recovered_within_their_intervals():
    x = sa.lhs_design(ISHIGAMI, 4000, seed=3)
    s, (total, half) = sa.first_order(ISHIGAMI, x, ishigami(x), resamples=200)
    assert (np.abs(s["S1"].to_numpy() - ISHIGAMI_S1) <= s["S1_conf"].to_numpy() + 0.01).all()
    assert abs(total - sum(ISHIGAMI_S1)) <= half + 0.01


@pytest.mark.parametrize("noise_share", [0.3, 0.6])
def test_the_second_stage_meets_its_target_at_the_default_size_with_seed_noise(noise_share):
    """At the default N, with noise like one seed's, each S1 of a model with known indices is within its
    interval (95% intervals: of 10 factors x 3 replicates about 1.5 miss; more than 4 has chance 2%) and every
    half-width is at most 0.05."""
    x = sa.lhs_design(LINEAR, DEFAULT_N, seed=4)
    misses = 0
    for rep in range(3):
        y, known = linear_with_noise(x, noise_share, seed=rep)
        s, (total, half) = sa.first_order(LINEAR, x, y, resamples=200, seed=rep)
        assert (s["S1_conf"] <= 0.05).all(), s
        misses += int((np.abs(s["S1"].to_numpy() - known) > s["S1_conf"].to_numpy()).sum())
        assert abs(total - known.sum()) <= half
    assert misses <= 4


def test_intervals_shrink_with_the_sample():
    half = []
    for n in (200, 1500):
        x = sa.lhs_design(LINEAR, n, seed=5)
        y, _ = linear_with_noise(x, 0.3, seed=1)
        half.append(sa.first_order(LINEAR, x, y, resamples=200)[0]["S1_conf"].max())
    assert half[1] < half[0] / 2 and half[1] <= 0.05


def test_batches_keep_the_first_hypercube_and_add_their_own():
    batches = sa.lhs_batches(LINEAR[:3], 3500, 1500, seed=1)
    assert [len(b) for b in batches] == [1500, 1500, 500]
    assert np.array_equal(batches[0], sa.lhs_design(LINEAR[:3], 1500, seed=1))  # a larger N reuses what ran
    assert not np.array_equal(batches[0], batches[1])


def test_lhs_design_covers_each_range_once_per_stratum():
    x = sa.lhs_design(LINEAR[:3], 50, seed=1)
    assert x.shape == (50, 3) and (x >= 0).all() and (x <= 1).all()
    assert all(sorted(np.floor(x[:, i] * 50).astype(int)) == list(range(50)) for i in range(3))


def test_morris_ranks_the_ishigami_factors_and_screens_by_normalised_intervals():
    design = sa.morris_design(ISHIGAMI, 50)
    m = sa.morris_indices(ISHIGAMI, design, ishigami(design))
    assert len(design) == 50 * 4 and (m["mu_star"] > 0).all() and (m["mu_star_conf"] < m["mu_star"]).all()
    n = sa.normalised(m)
    assert n["mu_star"].max() == 1.0 and (n["low"] <= n["mu_star"]).all() and (n["mu_star"] <= n["high"]).all()
    assert n["high"].to_numpy() * m["mu_star"].max() == pytest.approx((m["mu_star"] + m["mu_star_conf"]).to_numpy())
    top, separated = sa.screen({"y": m}, ISHIGAMI, threshold=0.1, most=2)
    assert separated and {f.name for f in top} == set(n["mu_star"].nlargest(2).index)
    # none clears an impossible threshold: the largest go on, and the screen says it did not separate them
    top, separated = sa.screen({"y": m}, ISHIGAMI, threshold=2.0, most=1)
    assert not separated and [f.name for f in top] == [n["mu_star"].idxmax()]


def test_screen_takes_the_union_over_outputs():
    frame = lambda mu: pd.DataFrame(  # noqa: E731
        {"mu_star": mu, "mu_star_conf": [0.01] * 3, "sigma": [0.0] * 3}, index=["x1", "x2", "x3"]
    )
    a, b = frame([1.0, 0.01, 0.02]), frame([0.01, 0.02, 5.0])
    top, separated = sa.screen({"a": a, "b": b}, ISHIGAMI, threshold=0.1, most=10)
    assert separated and [f.name for f in top] == ["x1", "x3"]


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
    assert "0x" not in (tmp_path / "ensemble.json").read_text()  # the measure by name: another process resumes
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
            "--n",
            "12",
            "--resamples",
            "20",
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
    assert "loyalty_mean" in text and "S1" in text and "their sum is" in text
    assert "runs a second" in text and "this invocation took" in text.lower()
    assert (doc.parent / "figures" / "sensitivity.png").stat().st_size > 10_000
    assert json.loads((tmp_path / "runs" / "timing.json").read_text())[0]["runs"] > 0


def test_the_page_states_no_run_time_written_in_code():
    """The page's times come from the clock (sim.analysis.chunks.Stopwatch), not from a constant: no
    "about N minutes" or rate in the template, and none in the plausible worlds' page either."""
    import inspect
    import re

    from experiments import plausible_worlds
    from experiments import sensitivity as page

    for module in (page, plausible_worlds):
        source = inspect.getsource(module)
        assert not re.search(r"about \d+ ?min", source), module.__name__
        assert not re.search(r"RUNS_PER_SECOND|runs_per_second\s*=\s*\d", source), module.__name__
        assert "Stopwatch" in source, module.__name__


def test_a_stopwatch_saves_each_invocations_time_and_runs(tmp_path):
    from sim.analysis.chunks import Stopwatch
    from sim.analysis.ensembles import ensemble

    def run() -> None:
        ensemble(["no_strike"], seeds=[1, 2], horizon_days=30, folder=tmp_path / "a", daily=False, processes=1)

    with Stopwatch(tmp_path) as watch:
        run()
    assert watch.runs == 2 and watch.seconds > 0
    with Stopwatch(tmp_path) as again:  # read back from the folder: no runs, and the saved rate stands
        run()
    assert again.runs == 0
    assert Stopwatch.measured(tmp_path) == (pytest.approx(round(watch.seconds, 1)), 2)


def test_the_page_flags_wide_intervals_and_explains_a_first_order_sum_above_one(tmp_path):
    """render() on made-up indices: a half-width above 0.05 is marked and the N that would bring it
    within 0.05 stated; a sum of S1 above 1 is said to be estimation error; times come from the lap."""
    import argparse

    from experiments import sensitivity as page

    names = [f.name for f in ISHIGAMI]
    morris = {
        k: pd.DataFrame({"mu_star": [3.0, 1.0, 0.1], "mu_star_conf": [1.0, 0.5, 0.2], "sigma": [1.0] * 3}, index=names)
        for k in sa.OUTPUTS
    }
    wide = pd.DataFrame({"S1": [0.7, 0.5, 0.0], "S1_conf": [0.08, 0.03, 0.01]}, index=names)
    narrow = pd.DataFrame({"S1": [0.5, 0.3, 0.0], "S1_conf": [0.03, 0.03, 0.01]}, index=names)
    first = dict(zip(sa.OUTPUTS, [wide, narrow, narrow]))
    sums = dict(zip(sa.OUTPUTS, [(1.2, 0.1), (0.8, 0.04), (0.8, 0.04)]))
    args = argparse.Namespace(
        trajectories=20,
        n=1500,
        batch=1500,
        seeds=1,
        top=10,
        threshold=0.1,
        resamples=500,
        horizon_days=1095,
        folder=tmp_path,
        cores=2,
        failed=[],
        dropped=0,
    )
    text = page.render(
        args, 3, morris, first, sums, ISHIGAMI[:2], True, (80, 1500), (600.0, 6320), {k: (0, 1) for k in sa.OUTPUTS}
    )
    assert "0.700 ± 0.080 ⚠ wider than 0.05" in text and "0.500 ± 0.030 |" in text
    assert "**Not converged**" in text and f"N ≈ {int(np.ceil(1500 * (0.08 / 0.05) ** 2)):,}" in text
    assert "The sum exceeds 1" in text and "estimation error" in text
    assert "1.00 [0.67, 1.33]" in text  # normalised mu* and its interval
    assert "10.0 min of wall time and simulated 6,320 runs (10.53 runs a second" in text
    assert "about 10.0 min from scratch" in text  # 6,320 runs at the rate measured: the design's (80 + 1500) x 4
