"""Calibration as an ensemble (sim/analysis/abc.py): ABC-SMC finds a region whose answer is known,
fills it rather than collapsing to a point, and resumes without running again."""

from __future__ import annotations

import json

import pandas as pd

from sim.analysis import abc
from sim.analysis.factors import Factor

SQUARE = [Factor("x", 0.0, 1.0, False), Factor("y", 0.0, 10.0, False)]


def square_score(point):
    """Plausible inside x in 0.25-0.35 and y in 6.5-7.5: 1% of the space, 'targets' at tolerance 1."""
    return {"score": max(abs(point["x"] - 0.3) / 0.05, abs(point["y"] - 7.0) / 0.5)}


def test_abc_smc_finds_a_small_region_and_fills_it(tmp_path):
    messages = []
    populations = abc.run(
        tmp_path,
        seeds=[101],
        particles=60,
        first=300,
        batch=120,
        chosen=SQUARE,
        fn=square_score,
        processes=1,
        progress=messages.append,
    )
    tolerances = [p.tolerance for p in populations]
    assert tolerances == sorted(tolerances, reverse=True) and tolerances[-1] == 1.0
    final = abc.plausible_sets(populations[-1], chosen=SQUARE)
    assert len(final) == 60 and (final["score"] <= 1.0).all()
    assert final["x"].between(0.25, 0.35).all() and final["y"].between(6.5, 7.5).all()
    assert (
        final["x"].max() - final["x"].min() > 0.06 and final["y"].max() - final["y"].min() > 0.6
    )  # the region, not a point
    history = abc.history(tmp_path)
    assert len(history) == sum(p.simulated for p in populations) and set(history["generation"]) == set(
        range(len(populations))
    )
    # a second run reads every batch from the folder: the same particles, nothing run again
    chunks = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("chunk_*.parquet")}
    again = abc.run(
        tmp_path,
        seeds=[101],
        particles=60,
        first=300,
        batch=120,
        chosen=SQUARE,
        fn=square_score,
        processes=1,
        progress=messages.append,
    )
    pd.testing.assert_frame_equal(abc.plausible_sets(again[-1], chosen=SQUARE), final)
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("chunk_*.parquet")} == chunks


def test_the_command_makes_a_table_a_page_and_a_figure_on_a_tiny_budget(tmp_path):
    """`python -m experiments.plausible_worlds` on the real model, with a budget of a few dozen runs
    and a loose last tolerance (the full run is documented in docs/plausible.md)."""
    import subprocess
    import sys

    table, doc = tmp_path / "sets.csv", tmp_path / "docs" / "plausible.md"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "experiments.plausible_worlds",
            "--particles",
            "4",
            "--first",
            "12",
            "--batch",
            "8",
            "--max-simulations",
            "60",
            "--final-tolerance",
            "30",
            "--calibration-seeds",
            "2",
            "--workers",
            "2",
            "--folder",
            str(tmp_path / "runs"),
            "--table",
            str(table),
            "--doc",
            str(doc),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    sets = pd.read_csv(table)
    assert len(sets) == 4 and list(sets["set"]) == [0, 1, 2, 3] and (sets["score"] <= 30).all()
    text = doc.read_text()
    assert "| generation | tolerance" in text and "a trial: these sets are not plausible" in text
    assert "runs a second" in text and "took" in text  # measured (timing.json), not a rate in the code
    assert json.loads((tmp_path / "runs" / "timing.json").read_text())[0]["runs"] > 0
    assert (
        "Confirmation by another chance" in text and (doc.parent / "figures" / "plausible.png").stat().st_size > 10_000
    )
