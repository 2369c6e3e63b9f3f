"""sim.ensemble, the one engine for many runs: other executors (Dask), design points with measures
computed in the worker, a resumable folder, failures kept, and the numbers of `sim.simulate`."""

from __future__ import annotations

import os
from functools import partial
from unittest import mock

import pandas as pd
import pytest

import sim
from sim.analysis.chunks import local_pool
from sim.analysis.ensembles import summary_of
from sim.errors import ConfigError

SHORT = {"burn_in_days": 30, "horizon_days": 30}
KEYS = ["homicides_d0_365", "groups_alive_end"]
MEASURE = partial(summary_of, keys=KEYS)


@pytest.fixture(scope="module")
def pool():
    with local_pool(2) as executor:  # warm for every test here
        yield executor


def test_a_dask_cluster_gives_the_runs_the_local_pool_gives(pool):
    distributed = pytest.importorskip("distributed")
    args = dict(scenarios=["no_strike", "mencho_strike"], seeds=[1, 2], progress=False, **SHORT)
    local = sim.ensemble(**args, executor=pool)
    # A LocalCluster leaves its workers' settings in this process's environment (MALLOC_TRIM_THRESHOLD_=65536
    # among them), which every process started later inherits: the CI-sized backtest then took 215 s, not 83.
    # patch.dict puts the environment back on leaving, failed or not.
    with (
        mock.patch.dict(os.environ),
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        far = sim.ensemble(**args, executor=client.get_executor())
    assert (far.runs["status"] == "ok").all()
    pd.testing.assert_frame_equal(far.runs, local.runs)
    pd.testing.assert_frame_equal(far.daily, local.daily)


def test_design_points_with_a_measure_give_each_run_s_numbers(pool):
    points = [
        {"troop_pool": 150_000.0},
        {"troop_pool": 250_000.0, "recruitment_reduction": 0.3},
        {"seed": 7, "troop_pool": 200_000.0},
    ]
    result = sim.ensemble(
        ["mencho_strike"], seeds=[1, 2], points=points, measure=MEASURE, executor=pool, progress=False, **SHORT
    )
    runs = result.runs
    assert list(runs.columns) == ["run", "scenario", "world", "point", "seed", "status", "error", *KEYS]
    assert list(runs["run"]) == [
        "mencho_strike/point0/seed1",
        "mencho_strike/point0/seed2",
        "mencho_strike/point1/seed1",
        "mencho_strike/point1/seed2",
        "mencho_strike/point2/seed7",
    ]
    assert result.daily.empty  # a measure: no daily rows unless asked
    for row in runs.itertuples():
        values = {k: v for k, v in points[row.point].items() if k != "seed"}
        alone = sim.simulate(seed=row.seed, strike_enabled=True, **SHORT, **values).summary
        assert [getattr(row, k) for k in KEYS] == [alone[k] for k in KEYS], row.run


def test_a_folder_resumes_where_it_stopped_and_refuses_another_design(pool, tmp_path):
    args = dict(scenarios=["no_strike", "mencho_strike"], seeds=[1, 2, 3], executor=pool, chunk_size=2, **SHORT)
    first = sim.ensemble(**args, folder=tmp_path, progress=False)
    chunks = sorted(tmp_path.glob("chunk_*.parquet"))
    assert (
        len(chunks) == 6 and (tmp_path / "ensemble.json").exists()
    )  # three chunks of one seed's two scenarios, and their daily rows
    (tmp_path / "chunk_00001.parquet").unlink()  # chunk 1's rows: as if interrupted before it finished
    calls = []
    again = sim.ensemble(**args, folder=tmp_path, progress=lambda *c: calls.append(c))
    assert calls == [(6, 6, 0)]  # two runs ran again, four were read
    pd.testing.assert_frame_equal(again.runs, first.runs)
    pd.testing.assert_frame_equal(again.daily, first.daily)
    plain = sim.ensemble(**args, progress=False)
    pd.testing.assert_frame_equal(plain.runs, first.runs)
    pd.testing.assert_frame_equal(plain.daily, first.daily)
    with pytest.raises(ConfigError, match=r"holds another ensemble: its seeds is \[1, 2, 3\], this call's \[1, 2\]"):
        sim.ensemble(**{**args, "seeds": [1, 2]}, folder=tmp_path, progress=False)


def test_a_failing_point_fails_alone(pool):
    points = [{"troop_pool": 150_000.0}, {"troop_pool": -5}, {"capacity_investment": 7.0}]
    result = sim.ensemble(
        ["no_strike", "state_capacity"],
        seeds=[1],
        points=points,
        measure=MEASURE,
        executor=pool,
        progress=False,
        **SHORT,
    )
    status = result.runs.set_index("run")["status"].to_dict()
    assert status == {
        "no_strike/point0/seed1": "ok",
        "no_strike/point1/seed1": "failed",
        "no_strike/point2/seed1": "failed",
        "state_capacity/point0/seed1": "ok",
        "state_capacity/point1/seed1": "failed",
        "state_capacity/point2/seed1": "failed",
    }
    errors = result.failed.set_index("run")["error"]
    assert errors["no_strike/point1/seed1"].startswith("troop_pool = -5 is not allowed")
    assert errors["state_capacity/point2/seed1"].startswith("capacity_investment = 7.0 is not allowed")
    with pytest.raises(ConfigError, match="design point 0 sets no_such_parameter"):
        sim.ensemble(["no_strike"], seeds=[1], points=[{"no_such_parameter": 1}], progress=False)


def test_scenarios_that_share_a_past_give_the_runs_from_scratch(pool):
    result = sim.ensemble(
        ["no_strike", "mencho_strike", "kingpin_campaign"],
        seeds=[4],
        executor=pool,
        progress=False,
        daily=False,
        **SHORT,
    )
    for row in result.runs.itertuples():
        settings, params = sim.runs.api.configure(row.scenario, row.seed, **SHORT)
        alone = sim.simulate(**settings, **params).summary
        assert {k: getattr(row, k) for k in KEYS} == {k: alone[k] for k in KEYS}, row.run


def test_saved_pasts_are_simulated_once_and_give_the_runs_from_scratch(monkeypatch, pool, tmp_path):
    """`pasts=folder`: a later call with other levers reads the pasts the first saved (the explorer's next
    Run), in whichever worker, one past per seed in all; every run gives the numbers it gives without them."""
    from sim.runs.pasts import Past

    common = {"seeds": [1, 2], "progress": False, "daily": False, **SHORT}
    plain = sim.ensemble(["mencho_strike", "kingpin_campaign", "state_capacity"], executor=pool, **common).runs
    simulated, real = [], Past.simulate.__func__
    monkeypatch.setattr(Past, "simulate", classmethod(lambda cls, *a, **k: simulated.append(k) or real(cls, *a, **k)))
    in_here = {"processes": 1, "pasts": tmp_path, **common}  # in this process, where the count is kept
    first = sim.ensemble(["mencho_strike", "kingpin_campaign"], **in_here).runs
    written = {path: path.stat().st_mtime_ns for path in tmp_path.glob("*.pkl")}
    again = sim.ensemble(["mencho_strike", "state_capacity"], executor=pool, pasts=tmp_path, **common).runs
    assert len(simulated) == 2 and len(written) == 2  # one past per seed, simulated and saved once
    assert {path: path.stat().st_mtime_ns for path in tmp_path.glob("*.pkl")} == written  # the workers read them
    numbers = [c for c in plain.select_dtypes("number").columns if "seconds" not in c]
    for saved in (first, again):
        expected = plain.set_index("run").loc[saved["run"], numbers]
        pd.testing.assert_frame_equal(saved.set_index("run")[numbers], expected, check_exact=True)


def test_each_maps_a_function_and_keeps_or_raises_errors():
    from sim.analysis.mapping import each

    assert each(abs, [-1, 2, -3], processes=1) == [1, 2, 3]
    assert each(int, ["1", "x"], processes=1, errors="keep") == [
        1,
        {"error": "ValueError: invalid literal for int() with base 10: 'x'"},
    ]
    with pytest.raises(ValueError):
        each(int, ["1", "x"], processes=1)


def _greedy(x):
    if x > 1:
        return len(bytearray(6 * 2**30))  # 6 GB: a world that grows without bound
    return x


def test_a_run_that_eats_memory_fails_alone_under_the_workers_cap():
    from sim.analysis.mapping import each

    out = each(_greedy, [1, 2], processes=1, memory_gb=3.0, errors="keep", chunk_size=1)
    assert out[0] == 1 and out[1]["error"].startswith("MemoryError")


ENSEMBLE_CALL = (
    'sim.ensemble(["no_strike"], seeds=[1, 2], horizon_days=10, burn_in_days=30, processes=2, progress=False)'
)


@pytest.mark.parametrize(
    ("script", "guarded"),
    [
        (f"import sim\nresult = {ENSEMBLE_CALL}\nprint(list(result.runs.status))\n", False),
        (f"import sim\n\ndef main():\n    return {ENSEMBLE_CALL}\n\nmain()\n", False),
        (f'import sim\nif __name__ == "__main__":\n    print(list({ENSEMBLE_CALL}.runs.status))\n', True),
    ],
)
def test_a_script_without_a_main_guard_is_told_what_to_do_in_one_line(tmp_path, script, guarded):
    """Spawned workers re-run an unguarded script: found before the pool starts, not as failed runs."""
    import subprocess
    import sys

    path = tmp_path / "script.py"
    path.write_text(script, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    if guarded:
        assert proc.returncode == 0 and proc.stdout.strip() == "['ok', 'ok']", proc.stderr[-2000:]
    else:
        assert proc.returncode == 1 and "BrokenProcessPool" not in proc.stderr
        assert proc.stderr.strip().splitlines()[-1] == (
            f"sim.errors.ConfigError: sim.ensemble was called from the top level of {path}: its worker processes "
            're-run that script, so put the script\'s code under `if __name__ == "__main__":` (or pass processes=1 '
            "to run in this process)"
        )
