"""The long record's worlds shipped with the package (sim/data/long_worlds.csv, made by
`python -m experiments.long_worlds`): at least 50 distinct parameter sets, each holding the
hidden-killings bound on the mean of its seeds, the long fit's fixed values, and what this code
gives when a world is run again on the seeds it was judged on."""

from __future__ import annotations

from importlib import resources

import pandas as pd
import pytest

from sim.analysis import seeds
from sim.analysis.calibration import long
from sim.analysis.calibration.record import HIDDEN_BOUND
from sim.analysis.forecast import smc, worlds


def _table() -> pd.DataFrame:
    return pd.read_csv(resources.files("sim.data") / "long_worlds.csv")


def test_the_shipped_long_worlds_are_50_distinct_sets_within_their_ranges_and_the_bound():
    table = _table()
    assert list(table.columns[:3]) == list(worlds.META) and list(table["set"]) == list(range(len(table)))
    assert worlds.distinct(table) >= 50
    assert (table["hidden_excess"] <= HIDDEN_BOUND).all()
    for f in long.factors():
        assert table[f.name].between(f.low, f.high).all(), f.name
    fixed = {k: v for k, v in long.fitted().items() if k in long.SPREAD}
    assert all((table[k] == v).all() for k, v in fixed.items())
    assert set(table["seed"]) <= set(seeds.CALIBRATION)
    assert not table["hidden_excess"].is_monotonic_increasing and not table["seed"].is_monotonic_increasing


def test_a_shipped_long_world_gives_its_hidden_killings_again_on_its_seeds_and_meets_every_target():
    """The table is what this code draws: world 0 run by `sim.ensemble(worlds=[0])` with the long
    record on its seeds (its `seed` column and the next ones, `smc.replicate_seeds`) through the
    whole record gives the mean hidden killings the table records, and the rule keeps it."""
    import sim
    from sim.analysis.forecast import conditioned

    world = _table().iloc[[0]]
    own = [int(s) for s in smc.replicate_seeds(world["seed"].to_numpy(), worlds.REPLICATES)[0]]
    runs = sim.ensemble(
        ["mencho_strike"],
        seeds=own,
        worlds=[0],
        record=conditioned.RECORD,
        origin=conditioned.FROM_DAY0,
        horizon_days=conditioned.day_of(smc.WHOLE_RECORD_END),
        measure=long.measure,
        processes=2,
        progress=False,
    ).runs
    assert (runs["status"] == "ok").all() and len(runs) == worlds.REPLICATES
    assert runs["hidden_excess"].mean() == pytest.approx(world["hidden_excess"].iloc[0], rel=1e-9)
    assert worlds.judge(runs.assign(point=0))["kept"].all()


def test_the_draw_refuses_to_want_fewer_worlds_than_it_ships_before_any_run(tmp_path):
    """`--wanted` below the 50 worlds shipped at least is refused in one line, before a run is made."""
    import subprocess
    import sys

    folder = tmp_path / "draw"
    proc = subprocess.run(
        [sys.executable, "-m", "experiments.long_worlds", "--wanted", "10", "--folder", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and proc.stderr.strip() == (
        "error: --wanted = 10 is not allowed: it must be at least 50"
    ), proc.stderr
    assert not folder.exists()
