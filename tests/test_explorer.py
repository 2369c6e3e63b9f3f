"""The explorer page: its choices and checks, its runs and numbers, and the page itself driven in
headless Chromium as an analyst would use it."""

from __future__ import annotations

import io
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pandas as pd
import pytest
from matplotlib import image as mpimg

import sim
from sim import parameters
from sim.analysis import runner
from sim.explorer import results
from sim.explorer.choices import MAX_RUNS, Choice, entered, levers
from sim.runs import plausible

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts"))
SHORT = {"burn_in_days": 30, "horizon_days": 30}


def test_the_levers_are_the_parameter_tables_levers_with_their_units_and_ranges():
    table = parameters.table()
    assert list(levers()) == [name for name, p in table.items() if p.kind == "lever"]
    for name, lever in levers().items():
        assert (lever.unit, lever.low, lever.high, lever.domain) == (
            table[name].unit,
            table[name].low,
            table[name].high,
            table[name].domain,
        )
    assert levers()["recruitment_reduction"].widget == "float" and levers()["strike_state"].widget == "int"
    assert levers()["posture"].options == ["hold", "clear"] and levers()["campaign_enabled"].widget == "checkbox"


@pytest.mark.parametrize(
    "choice, field, words",
    [
        (Choice(scenario="kingpin"), "scenario", "unknown scenario 'kingpin'; allowed: "),
        (Choice(scenario="mencho_strike", baseline="mencho_strike"), "baseline", "compares the scenario with itself"),
        (Choice(levers={"recruitment_reduction": 0.95}), "recruitment_reduction", "from 0 to 0.8 share"),
        (Choice(levers={"campaign_enabled": 1}), "campaign_enabled", "true or false"),
        (Choice(levers={"posture": "surge"}), "posture", "one of hold, clear"),
        (Choice(levers={"troop_pool": 1}), "troop_pool", "is not a lever"),
        (Choice(levers={"recruitment_reduction": float("nan")}), "recruitment_reduction", "0.8 share, not 'nan'"),
        (Choice(levers={"campaign_ops_per_year": float("-inf")}), "campaign_ops_per_year", "40 operations per year"),
        (Choice(levers={"strike_state": "14.5"}), "strike_state", "a whole number from 1 to 32 INEGI code, not '14.5'"),
        (Choice(seeds="nan"), "seeds", "from 1 to 50"),
        (Choice(seeds=0), "seeds", "from 1 to 50"),
        (Choice(worlds=-1), "worlds", f"from 0 to {plausible.count('2014')}"),
        (Choice(years=4), "years", "from 1 to 3"),
        (Choice(seeds=50, worlds=60), "runs", f"more than the page runs at once ({MAX_RUNS:,})"),
    ],
)
def test_bad_input_gets_a_message_for_its_field(choice, field, words):
    problems = choice.problems()
    assert list(problems) == [field] and words in problems[field]


def test_a_number_field_passes_on_a_finite_number_and_keeps_any_other_text():
    assert entered(" 0.25 ") == 0.25 and entered("3", whole=True) == 3 and isinstance(entered("3", whole=True), int)
    for text in ("nan", "inf", "-inf", "1e999", "abc", "", "0,3"):
        assert entered(text) == text
    assert entered("3.5", whole=True) == "3.5" and entered("nan", whole=True) == "nan"


def test_a_sound_choice_has_no_problem_and_names_its_arm():
    choice = Choice(levers={"recruitment_reduction": 0.3, "posture": "clear"}, seeds=2)
    assert choice.problems() == {}
    assert choice.arm == "kingpin_campaign + levers" and Choice().arm == "kingpin_campaign"
    assert results.commands(choice)[0].endswith(
        "horizon_days=365 record=mexico_2015_2026 params.recruitment_reduction=0.3 params.posture=clear"
    )


def test_the_commands_the_page_prints_give_the_pages_numbers(tmp_path):
    """The page says which `python -m sim -m ...` sweeps give the same runs: they do, summary for summary."""
    choice = Choice(levers={"recruitment_reduction": 0.3}, seeds=1)
    page_runs = results.run(choice).runs.set_index("scenario")
    keys = ["homicides_d0_365", "groups_alive_end", "flow_ratio_end", "roadblocks_48h", "homicides_sinaloa_d0_365"]
    for command, arm in zip(results.commands(choice), (choice.arm, choice.baseline)):
        out = tmp_path / str(len(list(tmp_path.iterdir())))
        args = shlex.split(command)
        assert args[:3] == ["python", "-m", "sim"]
        done = subprocess.run(
            [sys.executable, *args[1:], "outputs=summary", f"hydra.sweep.dir={out}"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        cli = pd.read_csv(out / "runs.csv").iloc[0]
        assert cli["seed"] == 1
        assert np.allclose(cli[keys].astype(float), page_runs.loc[arm, keys].astype(float), rtol=1e-12, atol=0), arm


def test_one_crashed_unit_is_a_failed_row_and_the_others_are_kept(monkeypatch):
    """A worker that raises (not a refused input: a crash) loses its own runs only, with its error line."""
    real = runner.run_unit

    def crash_on_seed_2(seed, runs, *args):
        if seed == 2:
            raise MemoryError("the worker ran out of memory")
        return real(seed, runs, *args)

    monkeypatch.setattr(runner, "run_unit", crash_on_seed_2)
    with ThreadPoolExecutor(2) as pool:  # threads, so the patched function is the one that runs
        result = sim.ensemble(["no_strike", "mencho_strike"], seeds=[1, 2, 3], executor=pool, progress=False, **SHORT)
    status = result.runs.set_index("run")["status"]
    assert status.to_dict() == {
        f"{s}/seed{n}": ("failed" if n == 2 else "ok") for s in ("no_strike", "mencho_strike") for n in (1, 2, 3)
    }
    assert set(result.runs.loc[result.runs["status"] == "failed", "error"]) == {
        "MemoryError: the worker ran out of memory"
    }
    assert sorted(set(result.daily["seed"])) == [1, 3]
    failures = results.failures(result.runs)
    assert [f["run"] for f in failures] == ["no_strike/seed2", "mencho_strike/seed2"]


def test_cancelling_keeps_the_finished_runs_and_marks_the_rest():
    stop = threading.Event()
    calls = []

    def progress(done, total, failed):
        calls.append((done, total, failed))
        stop.set()  # cancel as soon as the first unit is in

    with ThreadPoolExecutor(1) as pool:
        result = sim.ensemble(
            ["no_strike"], seeds=[1, 2, 3], executor=pool, progress=progress, cancel=stop.is_set, chunk_size=1, **SHORT
        )
    assert calls[0] == (1, 3, 0)
    assert result.runs["status"].tolist().count("ok") >= 1
    cancelled = result.runs[result.runs["status"] == "cancelled"]
    assert len(cancelled) >= 1 and set(cancelled["error"]) == {"cancelled before it finished"}
    assert len(result.runs) == 3


def test_the_page_shows_each_failed_run_with_its_error_line_and_the_rest_of_the_results():
    import ipyvuetify as v
    import solara

    from sim.analysis.ensembles import EnsembleResult
    from sim.explorer import page

    runs = pd.DataFrame(
        [
            {
                "run": "mencho_strike/seed1",
                "scenario": "mencho_strike",
                "world": None,
                "seed": 1,
                "status": "failed",
                "error": "MemoryError: out",
            },
            {
                "run": "kingpin_campaign/seed1",
                "scenario": "kingpin_campaign",
                "world": None,
                "seed": 1,
                "status": "ok",
                "error": None,
            },
        ]
    )
    table = pd.DataFrame({"outcome": ["first-year homicides"], "baseline": ["1"]})
    page.shown.set(page.Shown(Choice(seeds=1), EnsembleResult(runs, pd.DataFrame()), table))
    try:
        _, rc = solara.render(page.Results(), handle_error=False)
        assert [w.children for w in rc.find(v.Alert).widgets] == [["mencho_strike/seed1 failed: MemoryError: out"]]
        shown = [
            str(getattr(w, attr, "")) for w in rc.find().widgets for attr in ("value", "unsafe_innerHTML", "children")
        ]
        assert any(
            'class="dataframe key-numbers"' in text and "first-year homicides" in text for text in shown
        )  # the table still shows
    finally:
        page.shown.set(None)


def test_the_explorer_command_refuses_a_bad_port_in_one_line():
    done = subprocess.run(
        [sys.executable, "-m", "sim.explorer", "--port", "70000"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert "--port 70000 is not allowed: it must be from 0 to 65535" in done.stderr and "Traceback" not in done.stderr


def _not_blank(png: bytes) -> bool:
    pixels = mpimg.imread(io.BytesIO(png), format="png")[..., :3]
    return (
        pixels.shape[0] > 200
        and pixels.shape[1] > 200
        and (pixels.min(axis=2) < 0.9).mean() > 0.02
        and pixels.std() > 0.05
    )


@pytest.fixture(scope="module")
def browser() -> Any:
    """The page's driver in headless Chromium (sim/explorer/browser.py); the test is skipped where
    Chromium is missing, and fails so on CI."""
    pytest.importorskip("playwright")
    from sim.explorer import browser

    if browser.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("no Chromium: the README's test command installs Debian's chromium package")
        pytest.skip("no Chromium here (apt-get install chromium, or set $CHROMIUM)")
    return browser


@pytest.fixture(scope="module")
def served(browser: Any) -> Iterator[str]:
    """One explorer server for the browser tests that leave it serving: a start and warm-up each
    would cost them tens of seconds."""
    with browser.served() as url:
        yield url


def test_the_page_in_headless_chromium(browser, served, tmp_path):
    """Set a lever, run 2 seeds, wait for the figures: the key numbers are sim.ensemble's for the
    same settings, the images are not blank, a download is a valid PNG. Leaves a screenshot. Then a
    long run is cancelled, and a field is checked while it runs."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with browser.page_at(served) as page:
        browser.choose(page, "lever 1", "recruitment_reduction")
        browser.fill(page, "recruitment_reduction", 0.3)
        browser.fill(page, "seeds", 2)
        first = browser.run(page)
        shown = browser.key_numbers(page)
        images = page.locator(".figure-card img")
        shots = [images.nth(i).screenshot() for i in range(images.count())]  # as the page shows them
        with page.expect_download() as download:
            page.get_by_role("button", name="homicides.png").click()
        downloaded = Path(download.value.path()).read_bytes()
        page.screenshot(path=ARTIFACTS / "explorer.png", full_page=True)
        browser.fill(page, "seeds", 20)  # a long run, cancelled while the page stays usable
        browser.fill(page, "years", 3)
        page.get_by_role("button", name="Run", exact=True).click()
        page.locator(".run-progress").filter(has_text="of 40 runs").wait_for()  # running, not only asked to
        browser.fill(page, "seeds", 0)
        problem = page.locator(".field-problem").inner_text()  # checked while the runs go on
        page.get_by_role("button", name="Cancel", exact=True).click()
        cancelled = page.get_by_text("Cancelled:")
        cancelled.wait_for(timeout=120_000)
        cancelled = cancelled.inner_text()
        run_enabled = page.get_by_role("button", name="Run", exact=True).is_enabled()
    (ARTIFACTS / "explorer.txt").write_text(f"first figure {first:.1f} s after Run (2 seeds x 1 year)\n")

    long = {"horizon_days": 365, "record": "mexico_2015_2026", "pasts": tmp_path}  # the page's world; pasts once
    base = sim.ensemble(["mencho_strike"], seeds=[1, 2], progress=False, **long)
    arm = sim.ensemble(["kingpin_campaign"], seeds=[1, 2], progress=False, recruitment_reduction=0.3, **long)
    runs = pd.concat([base.runs, arm.runs.assign(scenario="kingpin_campaign + levers")], ignore_index=True)
    expected = results.key_numbers(runs, "kingpin_campaign + levers", "mencho_strike", years=1)
    assert shown[0] == list(expected.columns)
    assert shown[1:] == expected.astype(str).values.tolist()
    assert shown[1][0] == "first-year homicides from the origin" and shown[1][-1].endswith("of 2 pairs")

    assert len(shots) == 5  # record and baseline, paired difference, effect map, groups, the wave
    for shot in shots:
        assert _not_blank(shot)
    assert downloaded.startswith(b"\x89PNG\r\n\x1a\n") and _not_blank(downloaded)
    assert problem == "seeds must be a whole number from 1 to 50" and not run_enabled
    assert re.fullmatch(r"Cancelled: \d+ of 40 runs had finished\. Nothing is shown\.", cancelled), cancelled
    assert np.isfinite(first)


def test_the_page_refuses_a_number_that_is_not_finite_or_not_a_number_beside_its_field(browser, served):
    """NaN, the infinities and text that is no number each get a one-line message beside their
    field, and Run stays off until the field holds a number again. (NaN used to leave Run on, and
    pressing it replaced the page with a traceback; unparsable text left Run on with the old value.)"""
    from playwright.sync_api import expect

    wait = {"timeout": 20_000}  # the page answers in well under a second; a loaded CI machine may take longer
    with browser.page_at(served) as page:
        run = page.get_by_role("button", name="Run", exact=True)
        problem = page.locator(".field-problem")
        browser.choose(page, "lever 1", "recruitment_reduction")
        for text in ("nan", "inf", "-inf", "a third"):
            browser.fill(page, "recruitment_reduction", text)
            message = f"recruitment_reduction must be a number from 0 to 0.8 share, not '{text}'"
            expect(problem).to_have_text(message, **wait)
            expect(run).to_be_disabled(**wait)
        browser.fill(page, "recruitment_reduction", 0.3)
        expect(problem).to_have_count(0, **wait)
        expect(run).to_be_enabled(**wait)
        for label in ("seeds", "years"):
            browser.fill(page, label, "nan")
            expect(problem).to_have_text(re.compile(f"^{label} must be a whole number from 1 to "), **wait)
            expect(run).to_be_disabled(**wait)
            browser.fill(page, label, 1)
            expect(problem).to_have_count(0, **wait)  # re-rendered before the next field is typed into
        expect(run).to_be_enabled(**wait)
        expect(page.get_by_text("Traceback")).to_have_count(0)


def test_a_reloaded_page_cancels_its_runs_so_the_next_pages_run_starts_at_once(browser, served):
    """A page reloaded during a long job (1,000 runs of 3 years, minutes on two cores) cancels it:
    the next page's 4 runs finish in seconds, not behind the old job's hidden runs."""
    with browser.page_at(served) as page:
        browser.fill(page, "seeds", 50)
        browser.fill(page, "plausible worlds", 10)
        browser.fill(page, "years", 3)
        page.get_by_role("button", name="Run", exact=True).click()
        page.locator(".run-progress").filter(has_text="of 1000 runs").wait_for()
        page.reload()
        page.get_by_text("workers ready").wait_for(timeout=120_000)
        browser.fill(page, "seeds", 2)
        page.get_by_role("button", name="Run", exact=True).click()
        page.locator("table.key-numbers").wait_for(timeout=30_000)  # the old job would hold the pool for minutes


def test_sigterm_stops_the_explorer_and_its_workers(browser):
    """`kill PID` during a run: the server exits, and so, within seconds, do its worker processes
    and multiprocessing's resource tracker (they used to run on, orphaned)."""
    import psutil

    with browser.serving() as (server, url), browser.page_at(url) as page:
        browser.fill(page, "seeds", 20)
        browser.fill(page, "years", 3)
        page.get_by_role("button", name="Run", exact=True).click()
        page.locator(".run-progress").filter(has_text="of 40 runs").wait_for()
        children = {child: " ".join(child.cmdline()) for child in psutil.Process(server.pid).children(recursive=True)}
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        _, alive = psutil.wait_procs(children, timeout=5)
    commands = list(children.values())
    assert sum("spawn_main" in c for c in commands) == (os.cpu_count() or 1), commands  # the workers
    assert any("resource_tracker" in c for c in commands), commands
    assert alive == [], [children[child] for child in alive]
