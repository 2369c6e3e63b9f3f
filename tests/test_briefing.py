"""The briefing pack and the scenario-discovery page on a CI-sized sample (the full ones:
README and docs/discovery.md): plausible worlds x seeds, bands, the robust comparison and PRIM."""

from __future__ import annotations

import re
import subprocess
import sys

import matplotlib.image
import pandas as pd

from sim.analysis import figures
from sim.analysis.baselines import baseline_for


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
        "--record",
        "mexico_2024_2026",  # the world of 2024: its past is shorter; the long world's pack is tested below
        "--out",
        str(tmp_path),
        "--scenarios",
        *scenarios,
    )
    assert proc.returncode == 0, proc.stderr
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert len(runs) == 4 * 3 * 2 and set(runs["world"]) == {0, 1, 2} and (runs["status"] == "ok").all()
    summary = (tmp_path / "summary.md").read_text()
    assert "3 plausible worlds × 2 seeds" in summary and "(the record, July 2024 - 21 February 2026)" in summary
    # headlines: absolute numbers with parameter + seed bands beside the relative change
    row = "| kingpin campaign | status quo after the strike |"
    line = next(ln for ln in summary.splitlines() if ln.startswith(row))
    assert line.count("[") == 2 and line.count("%)") == 2 and "of 3 worlds" in line
    assert "## Where the spread comes from" in summary and "| 3 × 2 |" in summary
    # how far the worlds start from the record, beside the record's median error (once the only number)
    # the origin is the day after the last observed month: its three months are the strike's aftermath
    assert "## Distance from the record at the origin" in summary and "| 2026-05 | 47.5 |" in summary
    assert "**What the strike did**" in summary and "**From now (01 June 2026)" in summary
    pair = next(ln for ln in summary.splitlines() if ln.startswith("| final-year homicides |"))
    wins = [int(cell.strip().rstrip("%")) for cell in pair.split("|")[2:4] if cell.strip().rstrip("%").isdigit()]
    assert len(wins) == 2 and 99 <= sum(wins) <= 101  # each world is won by one of the two (no ties in homicides)
    table = pd.read_csv(tmp_path / "robust.csv")
    assert set(table["outcome"]) == {"homicides_o0_365", "homicides_last_365", "groups_alive_end", "flow_ratio_end"}
    assert (
        len(table) == 4 * 3 * 2 and table["share_of_worlds_better"].between(0, 1).all()
    )  # 3 policies: 6 ordered pairs
    assert "## When does a kingpin campaign backfire?" in summary and "plausible worlds and seeds" in summary
    for name in ("robust", "discovery", "paired_homicides_kingpin_campaign", "effect_map_kingpin_campaign"):
        image = matplotlib.image.imread(tmp_path / "figures" / f"{name}.png")
        assert image.std() > 0.01, name
    assert (tmp_path / "briefing.pdf").stat().st_size > 50_000
    # one document: the bottom line first, every table of the summary, then the figures
    from pypdf import PdfReader

    pages = PdfReader(tmp_path / "briefing.pdf").pages
    text = " ".join(page.extract_text() for page in pages)
    first = " ".join(pages[0].extract_text().split())
    assert first.startswith("Briefing: after the strike") and first.index("Bottom line") < first.index("cartel-sim")
    lines = summary.splitlines()
    tables = [lines[i] for i in range(len(lines) - 1) if lines[i].startswith("|") and lines[i + 1].startswith("|---")]
    assert len(tables) >= 6 and len(pages) > len(list((tmp_path / "figures").glob("*.png")))
    words = " ".join(text.split())
    for header in tables:  # every table is in the PDF: its header's cells, in order
        cells = [" ".join(c.replace("`", "").split()) for c in header.strip("| ").split(" | ")]
        assert re.search(".*".join(map(re.escape, cells)), words), header
    assert "Glossary" in text and "kingpin_campaign" not in summary.replace("(`kingpin_campaign`)", "")
    # one baseline rule: the state-capacity map and the summary give the same comparison, sign and number
    cell = next(ln for ln in summary.splitlines() if ln.startswith("| state capacity | status quo after the strike |"))
    first_year = cell.split("|")[3].strip()  # '-1,230 [-2,510 to +95] (-2.1%)'
    median, share = first_year.split(" [")[0], first_year.rsplit("(", 1)[1].rstrip(")")
    ok = runs[runs["status"] == "ok"]
    fig = figures.effect_map(ok, "state_capacity", baseline_for("state_capacity", set(ok["scenario"])))
    headline = fig._suptitle.get_text().replace("\n", " ")
    assert "under state capacity vs status quo after the strike: " in headline
    assert f": {median} nationally ({share};" in headline, (first_year, headline)
    assert not (tmp_path / "runs").exists()  # the pack is whole: its runs live in runs.csv and daily.parquet


def test_the_briefing_refuses_more_worlds_than_there_are(tmp_path):
    proc = _run("experiments.briefing", "--worlds", "100000", "--out", str(tmp_path))
    assert proc.returncode == 2 and proc.stderr.strip().startswith(
        "error: --worlds 100000 --seeds 2 is not allowed: worlds must be from 0 to"
    )
    assert "Traceback" not in proc.stderr


def test_the_briefing_runs_the_long_records_worlds_by_default(tmp_path):
    """Without `--record`, the worlds live through the decade from the world of 2014 (the long record's
    worlds and fit, sim/runs/plausible.py); the daily table kept is the figures' window, from 2024."""
    from sim.world.calendar import FIRST_DAY

    args = ["experiments.briefing", "--seeds", "1", "--horizon-days", "60"]
    proc = _run(*args, "--worlds", "2", "--scenarios", "no_strike", "mencho_strike", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert len(runs) == 4 and set(runs["world"]) == {0, 1} and (runs["status"] == "ok").all()
    summary = (tmp_path / "summary.md").read_text()
    assert "conditioned on every observed month since 2015 (docs/worlds.md)" in summary
    assert "(the record, January 2015 - 21 February 2026)" in summary and "| 2026-05 | 47.5 |" in summary
    # its worlds vary the long fit's parameters only: the summary says what its bands leave out
    assert re.search(r"The worlds vary 19 of the \d+ uncertain and calibrated parameters; the others", summary)
    assert "kingpin campaign's sign reverses in about half the worlds, docs/reversals.md" in summary
    assert pd.read_parquet(tmp_path / "daily.parquet", columns=["day"])["day"].min() == FIRST_DAY
    refused = _run(*args, "--worlds", "151", "--out", str(tmp_path / "no"))
    assert refused.returncode == 2 and "sim/data/long_worlds.csv" in refused.stderr, refused.stderr


def test_an_interrupted_briefing_says_so_in_one_line_and_resumes(tmp_path):
    """Ctrl-C after the first chunk of runs; the same command then reads that chunk instead of re-running it."""
    import os
    import signal
    import time

    args = ["experiments.briefing", "--worlds", "6", "--seeds", "2", "--horizon-days", "400", "--processes", "1"]
    args += ["--record", "mexico_2024_2026"]  # the world of 2024: the shorter past, the same resumption
    args += ["--out", str(tmp_path), "--scenarios", "no_strike", "mencho_strike", "state_capacity"]
    proc = subprocess.Popen([sys.executable, "-m", *args], stderr=subprocess.PIPE, text=True, start_new_session=True)
    first, deadline = tmp_path / "runs" / "chunk_00000.parquet", time.time() + 600
    while not first.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and err.strip().splitlines()[-1] == (
        f"interrupted; the finished runs are kept in {tmp_path / 'runs'}: the same command resumes"
    ), err[-2000:]
    assert "Traceback" not in err and not (tmp_path / "runs" / "chunk_00001.parquet").exists()
    saved = pd.read_parquet(first)
    pd.DataFrame(saved.assign(members_total_d0=-1.0)).to_parquet(first, index=False)  # marks what is read, not re-run
    resumed = subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, timeout=900)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert len(runs) == 3 * 6 * 2 and (runs["members_total_d0"] == -1).sum() == len(saved) < len(runs)


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
