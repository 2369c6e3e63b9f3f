"""The briefing pack and the scenario-discovery page on a CI-sized sample (the full ones:
README and docs/discovery.md): plausible worlds x seeds, bands, the robust comparison and PRIM."""

from __future__ import annotations

import subprocess
import sys

import matplotlib.image
import pandas as pd


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, timeout=900)


def test_the_briefing_runs_over_plausible_worlds_and_compares_robustly(tmp_path):
    scenarios = ["no_strike", "mencho_strike", "kingpin_campaign", "state_capacity"]
    proc = _run(
        "experiments.briefing",
        "--worlds",
        "3",
        "--seeds",
        "2",
        "--horizon-days",
        "400",
        "--out",
        str(tmp_path),
        "--scenarios",
        *scenarios,
    )
    assert proc.returncode == 0, proc.stderr
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert len(runs) == 4 * 3 * 2 and set(runs["world"]) == {0, 1, 2} and (runs["status"] == "ok").all()
    summary = (tmp_path / "summary.md").read_text()
    assert "3 plausible worlds × 2 seeds" in summary
    # headlines: absolute numbers with parameter + seed bands beside the relative change
    line = next(ln for ln in summary.splitlines() if ln.startswith("| `kingpin_campaign` | `mencho_strike` |"))
    assert line.count("[") == 2 and line.count("%)") == 2 and "of 3 worlds" in line
    assert "## Where the spread comes from" in summary and "| 3 × 2 |" in summary
    pair = next(ln for ln in summary.splitlines() if ln.startswith("| final-year homicides |"))
    wins = [int(cell.strip().rstrip("%")) for cell in pair.split("|")[2:4] if cell.strip().rstrip("%").isdigit()]
    assert len(wins) == 2 and 99 <= sum(wins) <= 101  # each world is won by one of the two (no ties in homicides)
    table = pd.read_csv(tmp_path / "robust.csv")
    assert set(table["outcome"]) == {"homicides_d0_365", "homicides_last_365", "groups_alive_end", "flow_ratio_end"}
    assert (
        len(table) == 4 * 3 * 2 and table["share_of_worlds_better"].between(0, 1).all()
    )  # 3 policies: 6 ordered pairs
    assert "## When does a kingpin campaign backfire?" in summary and "plausible worlds and seeds" in summary
    for name in ("robust", "discovery", "paired_homicides_kingpin_campaign", "effect_map_kingpin_campaign"):
        image = matplotlib.image.imread(tmp_path / "figures" / f"{name}.png")
        assert image.std() > 0.01, name
    assert (tmp_path / "briefing.pdf").stat().st_size > 50_000
    # the runs were kept as they finished: the same command again resumes, reading them instead of re-running
    chunks = {p: p.stat().st_mtime_ns for p in (tmp_path / "runs").glob("chunk_*.parquet")}
    again = _run("experiments.briefing", "--worlds", "3", "--seeds", "2", "--horizon-days", "400", "--out",
                 str(tmp_path), "--scenarios", *scenarios)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert chunks and {p: p.stat().st_mtime_ns for p in chunks} == chunks
    assert pd.read_csv(tmp_path / "runs.csv").equals(runs)


def test_the_briefing_refuses_more_worlds_than_there_are(tmp_path):
    proc = _run("experiments.briefing", "--worlds", "100000", "--out", str(tmp_path))
    assert proc.returncode == 2 and proc.stderr.strip().startswith(
        "error: --worlds 100000 --seeds 2 is not allowed: worlds must be from 0 to"
    )
    assert "Traceback" not in proc.stderr


def test_the_briefing_checks_its_horizon_and_its_folder_before_any_run(tmp_path):
    (tmp_path / "a_file").write_text("not a folder")
    for args, message in (
        (["--horizon-days", "-5"], "error: --horizon-days = -5 is not allowed: it must be a whole number of days"),
        (["--out", str(tmp_path / "a_file" / "pack")], f"error: cannot write to {tmp_path / 'a_file' / 'pack'}"),
    ):
        proc = _run("experiments.briefing", "--out", str(tmp_path / "pack"), *args)
        assert proc.returncode == 2 and proc.stderr.strip().startswith(message), proc.stderr[-2000:]
        assert "Traceback" not in proc.stderr and "[ensemble]" not in proc.stderr  # no run started
    assert not (tmp_path / "pack").exists()


def test_the_discovery_page_reports_a_box_with_coverage_and_density(tmp_path):
    doc = tmp_path / "discovery.md"
    proc = _run("experiments.discovery", "--worlds", "6", "--seeds", "1", "--horizon-days", "365", "--doc", str(doc))
    assert proc.returncode == 0, proc.stderr
    text = doc.read_text()
    assert "| coverage | density | mass | base rate | cases |" in text and "of 6 plausible worlds and seeds" in text
    assert "Does the box hold on worlds it was not found on?" in text and "**Verdict.**" in text
    assert matplotlib.image.imread(tmp_path / "figures" / "discovery.png").std() > 0.01
