"""Sweeps: Hydra multirun with the joblib launcher, collection, failures, re-runs, submitit, ensembles."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from multiprocessing import forkserver
from pathlib import Path

import matplotlib.image
import pandas as pd
import pytest
from omegaconf import OmegaConf

import sim
from sim.analysis.collect import collect
from sim.analysis.pool import JOBLIB_LAUNCHERS, LauncherPool
from sim.analysis.sweep import PROGRESS_DIR, SWEEP_FILE, count_jobs, mark_done, progress_line
from sim.runs.summary import dumps

SHORT = ["burn_in_days=365", "horizon_days=60"]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def experiment_sweep(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The issue's command, with fewer seeds and a shorter horizon."""
    out = tmp_path_factory.mktemp("sweep")
    proc = cli("-m", "+experiment=kingpin_vs_capacity", f"hydra.sweep.dir={out}", "seed=1,2", *SHORT, cwd=out)
    return out, proc


def test_an_experiment_leaves_combined_tables_and_figures(experiment_sweep):
    out, proc = experiment_sweep
    assert proc.returncode == 0, proc.stderr[-2000:]
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 8 and (runs.status == "ok").all()
    assert set(runs.scenario) == {"no_strike", "mencho_strike", "kingpin_campaign", "state_capacity"}
    daily = pd.read_parquet(out / "daily.parquet")
    assert (
        set(daily.columns) == {"run", "scenario", "world", "seed", "day", "date", "metric", "value"}
        and daily["world"].isna().all()
    )
    assert daily.groupby("run").ngroups == 8
    pngs = sorted((out / "figures").glob("*.png"))
    assert len(pngs) >= 4
    for png in pngs:
        assert matplotlib.image.imread(png)[..., :3].std() > 0.02, png.name


def test_scenarios_of_a_seed_share_one_past_and_give_the_numbers_of_a_run_from_scratch(experiment_sweep):
    """The sweep varies scenarios, so each seed's past is simulated once (or twice, when two workers
    start the same seed at once) and the other scenarios load it (sim/runs/pasts.py)."""
    out, _ = experiment_sweep
    statuses = [json.loads(p.read_text()) for p in out.glob("*/seed*/status.json")]
    pasts = [s["past"] for s in statuses]
    assert len(pasts) == 8 and set(pasts) <= {"simulated", "loaded"} and pasts.count("loaded") >= 4
    assert not (out / ".pasts").exists()  # removed when the sweep ends
    loaded = next(p for p, s in zip(out.glob("*/seed*/status.json"), statuses) if s["past"] == "loaded")
    status = json.loads(loaded.read_text())
    scratch = sim.run(status["scenario"], seed=status["seed"], burn_in_days=365, horizon_days=60).summary
    expected = dumps(
        {
            "scenario": status["scenario"],
            "seed": status["seed"],
            "world": None,
            "model_version": sim.__version__,
            **scratch,
        }
    )
    assert (loaded.parent / "summary.json").read_text(encoding="utf-8") == expected


def test_a_sweep_of_summaries_only_writes_no_daily_tables_and_draws_the_runs_spread(tmp_path: Path):
    proc = cli(
        "-m",
        "seed=1,2,3",
        "burn_in_days=365",
        "horizon_days=365",
        "outputs=summary",
        f"hydra.sweep.dir={tmp_path}",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert len(runs) == 3 and (runs.status == "ok").all() and runs.homicides_d0_365.notna().all()
    assert not list(tmp_path.glob("**/timeseries.parquet")) and not list(tmp_path.glob("**/homicides.png"))
    assert not (tmp_path / "daily.parquet").exists()
    assert sorted(p.stem for p in (tmp_path / "figures").glob("*.png")) == ["outcomes"]


def test_progress_lines_are_whole_and_count_to_the_total(experiment_sweep):
    _, proc = experiment_sweep
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("[sweep]")]
    assert any(ln.startswith("[sweep] 8 of 8 runs done (0 failed)") for ln in lines)
    assert all(ln.startswith(("[sweep] ", "[sweep] 8 of 8 runs ok")) and " of 8 " in ln for ln in lines)


def test_a_rerun_into_the_same_folder_skips_complete_runs(experiment_sweep):
    out, _ = experiment_sweep
    before = {p: p.stat().st_mtime_ns for p in out.glob("*/seed*/summary.json")}
    proc = cli("-m", "+experiment=kingpin_vs_capacity", f"hydra.sweep.dir={out}", "seed=1,2", *SHORT, cwd=out)
    assert proc.returncode == 0
    assert (proc.stdout + proc.stderr).count("skipped") == 8
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/seed*/summary.json")} == before


def test_a_failing_job_is_recorded_and_the_others_kept(tmp_path: Path):
    proc = cli(
        "-m",
        "params.troop_pool=100000,-5",
        "seed=1,2",
        *SHORT,
        "figures=false",
        f"hydra.sweep.dir={tmp_path}",
        cwd=tmp_path,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "error: 2 of 4 runs failed" in proc.stderr
    failures = pd.read_csv(tmp_path / "failures.csv")
    assert len(failures) == 2 and failures.error.str.startswith("troop_pool = -5 is not allowed").all()
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert (runs.status == "ok").sum() == 2 and runs.loc[runs.status == "ok", "homicides_baseline_annual"].notna().all()


def test_a_sweep_with_other_settings_is_refused_in_its_folder(tmp_path: Path):
    """A 30-day sweep and a 60-day one in one folder would be pooled by the collection."""
    quick = ["outputs=summary", "figures=false", "burn_in_days=365", f"hydra.sweep.dir={tmp_path}"]
    assert cli("-m", "seed=1", "horizon_days=30", *quick, cwd=tmp_path).returncode == 0
    other = cli("-m", "seed=2", "horizon_days=60", *quick, cwd=tmp_path)
    assert other.returncode == 2 and other.stderr.strip() == (
        f"error: {tmp_path} holds a sweep with other settings (horizon_days: 30 there, 60 here); choose another "
        "hydra.sweep.dir, or repeat that sweep's overrides (other seeds may be added) to resume or extend it"
    )
    more_seeds = cli("-m", "seed=1,2", "horizon_days=30", *quick, cwd=tmp_path)
    assert more_seeds.returncode == 0, more_seeds.stderr[-2000:]
    assert sorted(pd.read_csv(tmp_path / "runs.csv")["seed"]) == [1, 2]


def _small_files() -> None:
    """In the child: files cannot grow past 20 kB (as on a full disk, a write fails part-way)."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write with an error instead of killing the process
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_a_full_disk_leaves_no_half_written_file_and_the_sweeps_own_message(tmp_path: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "-m", "seed=1,2", *SHORT, "figures=false", f"hydra.sweep.dir={tmp_path}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=_small_files,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "error: 2 of 2 runs failed; see " in proc.stderr
    assert not list(tmp_path.rglob("*.tmp")) and not list(tmp_path.rglob("timeseries.parquet"))  # none half-written
    for status in tmp_path.glob("*/seed*/status.json"):
        error = json.loads(status.read_text())["error"]
        assert error.startswith("OSError") and "File too large" in error
    assert len(pd.read_csv(tmp_path / "failures.csv")) == 2 and len(pd.read_csv(tmp_path / "runs.csv")) == 2


def test_ctrl_c_on_a_sweep_prints_one_line_that_says_how_to_resume(tmp_path: Path):
    import signal
    import time

    args = ["-m", "seed=range(1,400)", "horizon_days=365", "outputs=summary", "figures=false"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", *args, f"hydra.sweep.dir={tmp_path}"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches the command and its workers
    )
    progress, deadline = tmp_path / PROGRESS_DIR, time.time() + 300
    while time.time() < deadline and not (progress.is_dir() and len(os.listdir(progress)) >= 3):
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith("[sweep]")]
    assert proc.returncode == 130 and lines == [
        f"interrupted; the finished runs are kept in {tmp_path}: the same command with hydra.sweep.dir={tmp_path} "
        "resumes"
    ], err[-3000:]


def test_the_collector_runs_on_its_own(tmp_path: Path):
    proc = cli("-m", "seed=1,2", *SHORT, "figures=false", f"hydra.sweep.dir={tmp_path}", cwd=tmp_path)
    assert proc.returncode == 0
    (tmp_path / "runs.csv").unlink()
    result = collect(tmp_path, figures=False)
    assert result.ok == 2 and not result.failed and (tmp_path / "runs.csv").exists()


def test_only_a_joblib_launcher_with_several_workers_lends_its_pool():
    def joblib(n):
        return OmegaConf.create(
            {"_target_": JOBLIB_LAUNCHERS[0], "n_jobs": n, "max_nbytes": None, "mmap_mode": "r", "temp_folder": None}
        )

    assert LauncherPool.of(joblib(1)) is None
    assert (
        LauncherPool.of(
            OmegaConf.create({"_target_": "hydra_plugins.hydra_submitit_launcher.submitit_launcher.LocalLauncher"})
        )
        is None
    )
    pool = LauncherPool.of(joblib(2))
    assert pool is not None and pool.workers == 2
    assert pool.map(pow, [(2, 3), (3, 2)]) == [8, 9]
    pool.stop()


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no forkserver here")
def test_started_pool_forks_workers_with_the_model_imported_and_stop_ends_them():
    from joblib.externals.loky.backend import context

    pool = LauncherPool(OmegaConf.create({"n_jobs": 2, "max_nbytes": None, "mmap_mode": "r", "temp_folder": None}))
    before = context.get_start_method()
    pool.start(figures=False)
    server = forkserver._forkserver._forkserver_pid
    try:
        workers = pool.map(_worker_facts, [()] * 4)
    finally:
        pool.stop()
    assert {parent for parent, _, _ in workers} == {server}  # forked by the server, not started afresh
    assert all(core and not figures for _, core, figures in workers)  # the model preloaded, not matplotlib
    assert context.get_start_method() == before and forkserver._forkserver._forkserver_pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(server, 0)


def _worker_facts() -> tuple[int, bool, bool]:
    return os.getppid(), "sim.runs.simulate" in sys.modules, "sim.analysis.figures" in sys.modules


def test_collecting_on_two_workers_gives_the_files_of_one_process(tmp_path: Path):
    proc = cli("-m", "seed=1,2", *SHORT, "hydra.launcher.n_jobs=1", f"hydra.sweep.dir={tmp_path}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    serial = sorted(p.name for p in collect(tmp_path).files)
    runs_serial = (tmp_path / "runs.csv").read_text()
    for png in (tmp_path / "figures").glob("*.png"):
        png.unlink()
    pool = LauncherPool(OmegaConf.create({"n_jobs": 2, "max_nbytes": None, "mmap_mode": "r", "temp_folder": None}))
    parallel = collect(tmp_path, pool=pool)
    pool.stop()
    assert sorted(p.name for p in parallel.files) == serial and len(serial) >= 5  # 3 tables, 2 or more figures
    assert (tmp_path / "runs.csv").read_text() == runs_serial
    assert all(p.exists() for p in parallel.files)


def test_workers_forked_from_the_server_give_the_numbers_of_one_process(tmp_path: Path):
    summaries = {}
    for n_jobs in (1, 2):
        out = tmp_path / f"n{n_jobs}"
        proc = cli(
            "-m",
            "seed=1,2",
            *SHORT,
            "figures=false",
            f"hydra.launcher.n_jobs={n_jobs}",
            f"hydra.sweep.dir={out}",
            cwd=tmp_path,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        summaries[n_jobs] = [next(out.glob(f"**/seed{seed}/summary.json")).read_bytes() for seed in (1, 2)]
    assert summaries[1] == summaries[2] and summaries[1][0] != summaries[1][1]


def test_submitit_local_launcher_runs_a_sweep(tmp_path: Path):
    proc = cli(
        "-m",
        "hydra/launcher=submitit_local",
        "seed=1,2",
        *SHORT,
        "figures=false",
        f"hydra.sweep.dir={tmp_path}",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert len(runs) == 2 and (runs.status == "ok").all()


def test_jobs_are_counted_from_command_line_and_experiment_sweeps():
    cfg = OmegaConf.create(
        {
            "hydra": {
                "overrides": {"task": ["seed=1,2,3", "horizon_days=10"]},
                "sweeper": {"params": {"scenario": "a,b", "seed": "range(1,5)"}},
            }
        }
    )
    assert count_jobs(cfg) == 6  # the command line's seeds replace the experiment's


def test_progress_line_counts_the_markers_of_finished_jobs(tmp_path: Path):
    (tmp_path / SWEEP_FILE).write_text(json.dumps({"total": 4, "started": 0}))
    (tmp_path / PROGRESS_DIR).mkdir()
    for num, status in enumerate(["ok", "failed"]):
        (tmp_path / f"r{num}").mkdir()
        (tmp_path / f"r{num}" / "status.json").write_text(json.dumps({"status": status}))
        mark_done(
            tmp_path,
            OmegaConf.create({"hydra": {"job": {"num": num}, "runtime": {"output_dir": str(tmp_path / f"r{num}")}}}),
        )
    mark_done(
        tmp_path, OmegaConf.create({"hydra": {"job": {"num": 2}, "runtime": {"output_dir": str(tmp_path / "none")}}})
    )
    assert sorted(os.listdir(tmp_path / PROGRESS_DIR)) == ["0.ok", "1.failed", "2.failed"]
    assert progress_line(tmp_path).startswith("[sweep] 3 of 4 runs done (2 failed), about ")


def test_ensemble_returns_both_tables_and_keeps_failures():
    result = sim.ensemble(
        ["no_strike", "mencho_strike"], seeds=[1, 2], processes=2, progress=False, burn_in_days=365, horizon_days=30
    )
    assert len(result.runs) == 4 and (result.runs.status == "ok").all()
    assert list(result.runs.scenario) == ["no_strike", "no_strike", "mencho_strike", "mencho_strike"]
    assert set(result.daily.run) == set(result.runs.run)
    same = sim.simulate(seed=2, burn_in_days=365, horizon_days=30, strike_enabled=True).summary
    assert result.runs.iloc[3]["homicides_baseline_annual"] == same["homicides_baseline_annual"]
    bad = sim.ensemble(["no_strike"], seeds=[1], processes=1, progress=False, troop_pool=-5)
    assert bad.failed.error.iloc[0].startswith("troop_pool = -5 is not allowed")


def test_a_config_copied_for_another_seed_is_the_one_hydra_composes():
    """The sweeper composes a job's config once for all its seeds (sim/analysis/compose.py): the
    copy for each seed must equal Hydra's own composition, hydra node included."""
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.types import RunMode

    import sim.runs.app  # noqa: F401  (its resolver of hydra.output_subdir)
    from sim.analysis.compose import SeedCachingLoader
    from sim.runs.config import CONF_DIR

    with initialize_config_dir(config_dir=str(CONF_DIR), version_base=None):
        hydra_loader = GlobalHydra.instance().config_loader()
        master = hydra_loader.load_configuration(
            "config",
            ["hydra.sweep.dir=/tmp/x", "seed=1,2", "scenario=no_strike,second_front"],
            run_mode=RunMode.MULTIRUN,
        )
        cached = SeedCachingLoader(hydra_loader)
        jobs = [
            ["seed=1", "scenario=second_front", "params.troop_pool=150000"],
            ["seed=2", "scenario=second_front", "params.troop_pool=150000"],
            ["seed=3", "scenario=second_front", "params.troop_pool=150000"],
            ["seed=3", "scenario=no_strike", "params.troop_pool=150000"],
        ]
        for job in jobs:
            ours, theirs = cached.load_sweep_config(master, job), hydra_loader.load_sweep_config(master, job)
            assert OmegaConf.to_container(ours) == OmegaConf.to_container(theirs), job
            assert (
                ours.seed == int(job[0][5:]) and ours.hydra.job.override_dirname == "params.troop_pool=150000," + job[1]
            )
