"""Pasts a sweep's runs share: the model at day 0, simulated once and saved for the others.

Runs that differ only in their levers (parameters of kind `lever`, which act from day 0: every
scenario of one seed) share their past. In a sweep that varies levers or scenarios, the first job
that needs a past simulates it to day 0 and saves the model in the sweep folder's `.pasts/`,
under a key of everything the past depends on; the other jobs load it and go on from day 0 with
their own levers. A loaded past gives the numbers a run from scratch gives (tests/test_branches.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path
from typing import Any

from sim import __version__
from sim.parameters import split_levers
from sim.world import record as history
from sim.world.model import CartelModel


def key(settings: dict[str, Any], params: dict[str, Any]) -> str:
    """What a past depends on: the run settings, the record's events, the parameters that are not
    levers, and the model's version."""
    past = split_levers(params)[1]
    events = history.load(settings["record"]).events
    text = json.dumps(
        {"version": __version__, "seed": settings["seed"], "burn_in_days": settings["burn_in_days"],
         "horizon_days": settings["horizon_days"], "record": repr(events), "params": past},
        sort_keys=True, default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def branch(folder: Path, settings: dict[str, Any], params: dict[str, Any]) -> tuple[CartelModel, bool]:
    """The model at day 0 with these levers, and whether its past was loaded: the saved past if a
    job saved it, else simulated and saved."""
    path = folder / f"{key(settings, params)}.pkl"
    loaded = True
    try:
        with path.open("rb") as fh:
            model = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError):
        loaded = False
        model = CartelModel(**settings, **params)
        model.run_until(0)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # whole or not at all: another job may be reading
    model.set_levers(split_levers(params)[0])
    return model, loaded
