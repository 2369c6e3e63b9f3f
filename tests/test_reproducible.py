"""Same config and seed, same numbers: in one process twice, and under Hydra's joblib launcher.

summary.json is written by `sim.runs.summary.dumps` of the run's identity and its summary; a run of
`sim.run` in this process must give the same bytes as the file a joblib worker writes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import sim
from sim import __version__
from sim.runs.summary import dumps

SETTINGS = {"burn_in_days": 60, "horizon_days": 40}


def _in_process(seed: int) -> str:
    result = sim.run("mencho_strike", seed=seed, **SETTINGS)
    identity = {"scenario": "mencho_strike", "seed": seed, "world": None, "model_version": __version__}
    return dumps({**identity, **result.summary})


def test_same_seed_same_summary_bytes_in_process_and_under_the_joblib_launcher(tmp_path: Path):
    first, again = _in_process(5), _in_process(5)
    assert first == again and first != _in_process(6)
    out = tmp_path / "sweep"
    cmd = [
        sys.executable,
        "-m",
        "sim",
        "-m",
        "scenario=mencho_strike",
        "seed=5,6",
        "outputs=summary",
        "figures=false",
        *(f"{k}={v}" for k, v in SETTINGS.items()),
        "hydra.launcher.n_jobs=2",
        f"hydra.sweep.dir={out}",
    ]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    written = next(out.glob("**/seed5/summary.json")).read_text(encoding="utf-8")
    assert json.loads(written)["seed"] == 5
    assert written == first
