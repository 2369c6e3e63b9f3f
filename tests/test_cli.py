"""`python -m sim`: the files a run leaves, reproducibility, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.world.calendar import DEFAULT_ORIGIN, FIRST_DAY, day_of

SHORT = ["burn_in_days=365", "horizon_days=30"]
SUMMARY_KEYS = {
    "homicides_baseline_annual",
    "members_total_d0",
    "cjng_members_d0",
    "groups_alive_d0",
    "homicides_2024",
    "homicides_2025",
}
SUMMARY_KEYS |= {"homicides_record_monthly_error", "homicides_sinaloa_war_ratio", "homicides_hidden_excess_per_day"}
SUMMARY_KEYS |= {f"homicides_baseline_annual_{i:02d}" for i in range(1, 33)} | {
    f"homicides_2024_{i:02d}" for i in range(1, 33)
}
ERROR_CASES = [
    "scenario=nope",
    "params.troop_pool=-5",
    "params.chapitos_share=1.5",
    "params.not_a_param=1",
    "horizon_days=-1",
    "seed=abc",
    "record=nope",
    "params.market_share_exponent=1e12",
    "params.cells_per_significant_state=1e12",
    "world=100000",
    "world=abc",
    "record=mexico_2015_2026 world=150",  # the long record's worlds: sim/data/long_worlds.csv
    "origin=2025-02-30",
    "origin=1999-01-01",
]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "sim", *args]
    return subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run with every default, as a user would start it."""
    out = tmp_path_factory.mktemp("cli") / "run"
    proc = cli("scenario=no_strike", "seed=1", f"hydra.run.dir={out}", cwd=out.parent)
    assert proc.returncode == 0, proc.stderr
    return out


def test_run_writes_its_files(default_run: Path) -> None:
    for name in ("summary.json", "timeseries.parquet", "status.json", ".hydra/config.yaml"):
        assert (default_run / name).is_file(), name
    status = json.loads((default_run / "status.json").read_text())
    assert status["status"] == "ok" and status["error"] is None
    assert status["overrides"] == ["scenario=no_strike", "seed=1"]
    assert status["model_version"] == json.loads((default_run / "summary.json").read_text())["model_version"]


def test_the_readme_gives_each_outputs_size_and_a_runs_is_right(default_run: Path) -> None:
    """A reader learns before running what the outputs weigh (the briefing's daily.parquet: 178 MB)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    rows = {ln.split("|")[1].strip(): ln.split("|")[2].strip() for ln in readme.splitlines() if ln.startswith("| ")}
    stated = {out: size for out, size in rows.items() if "MB" in size or "KB" in size}
    for output in ("timeseries.parquet", "daily.parquet", "briefing.pdf", "runs/"):
        assert any(output in row for row in stated), output
    run_row = next(size for row, size in stated.items() if "timeseries.parquet" in row and "a run's" in row)
    megabytes = float(run_row.split()[0])
    assert 0.5 <= (default_run / "timeseries.parquet").stat().st_size / 1e6 / megabytes <= 2


def test_summary_has_run_identity_and_headline_keys(default_run: Path) -> None:
    summary = json.loads((default_run / "summary.json").read_text())
    assert list(summary)[:4] == ["scenario", "seed", "world", "model_version"]
    assert (summary["scenario"], summary["seed"], summary["world"]) == ("no_strike", 1, None)
    assert SUMMARY_KEYS <= set(summary)


def test_timeseries_is_tidy_with_national_rows(default_run: Path) -> None:
    ts = pd.read_parquet(default_run / "timeseries.parquet")
    assert list(ts.columns) == ["day", "date", "state", "metric", "value"]
    assert (ts["state"] == "MX").any()
    assert ts["day"].min() == FIRST_DAY and ts["day"].max() == day_of(DEFAULT_ORIGIN) + 729  # 730 days from the origin
    assert str(ts["date"].min().date()) == "2024-01-01"


def test_a_single_run_draws_no_figure_and_imports_no_matplotlib(default_run: Path, tmp_path: Path) -> None:
    """Figures show ensembles (a sweep's, the briefing's): one run draws none and does not pay for matplotlib."""
    assert not list(default_run.glob("*.png"))
    code = (
        "import runpy, sys; sys.argv = ['sim', 'seed=1', 'burn_in_days=30', 'horizon_days=10', 'hydra.run.dir=run']\n"
        "runpy.run_module('sim', run_name='__main__')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    texts = []
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        proc = cli(f"seed={seed}", *SHORT, "figures=false", f"hydra.run.dir={tmp_path / name}", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        texts.append((tmp_path / name / "summary.json").read_bytes())
    assert texts[0] == texts[1]
    assert texts[0] != texts[2]


@pytest.fixture(scope="module")
def error_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, str]]:
    """All error cases, started at once: each only pays for the interpreter start."""
    cwd = tmp_path_factory.mktemp("errors")
    procs = {
        arg: subprocess.Popen(
            [sys.executable, "-m", "sim", *arg.split(), *SHORT, f"hydra.run.dir={cwd / 'run'}"],
            cwd=cwd,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for arg in ERROR_CASES
    }
    out = {}
    for arg, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=300)
        out[arg] = (proc.returncode, stdout, stderr)
    return out


@pytest.mark.parametrize("arg", ERROR_CASES)
def test_bad_input_exits_2_with_one_error_line(arg: str, error_runs: dict[str, tuple[int, str, str]]) -> None:
    code, _, stderr = error_runs[arg]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert code == 2, stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr


def test_sweep_runs_the_good_jobs_and_records_the_bad(tmp_path: Path) -> None:
    sweep = ["-m", "params.troop_pool=-5,100000", *SHORT, "figures=false", f"hydra.sweep.dir={tmp_path}"]
    proc = cli(*sweep, cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    status = {p.parent.parent.name: json.loads(p.read_text()) for p in tmp_path.glob("*/seed1/status.json")}
    assert len(status) == 2
    bad, good = (next(s for k, s in status.items() if k.endswith(v)) for v in ("=-5", "=100000"))
    assert bad["status"] == "failed" and bad["error"].startswith("troop_pool = -5 is not allowed")
    assert good["status"] == "ok"


def test_hydra_s_mode_probe_which_the_command_skips_finds_no_mode_in_conf() -> None:
    """`python -m sim` skips Hydra's compose for `hydra.mode` (sim/__main__.py): that is right only
    while the probe would return None on conf/ (then `-m` decides the mode)."""
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from sim.runs.config import CONF_DIR

    with initialize_config_dir(config_dir=str(CONF_DIR), version_base=None):
        probe = GlobalHydra.instance().hydra
        assert probe.get_mode(config_name="config", overrides=["seed=2"]) is None
        assert probe.get_mode(config_name="config", overrides=["hydra.mode=MULTIRUN"]) is not None
