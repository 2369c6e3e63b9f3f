"""Shared pasts: the model at its branch day, simulated once, from which runs that differ only in their levers branch.

Runs that differ only in their levers (parameters of kind `lever`, which act from the origin, the
strike from day 0: every scenario of one seed) share their past: burn-in and record. A `Past` is
that model at its branch day (day 0, or an earlier origin);
`Past.branch(params)` is a copy of it with the run's levers set, which goes on to give the numbers
the run from scratch gives (tests/test_branches.py). One implementation serves every launcher:

- `sim.ensemble` (and `sim.runs.simulate.simulate_branches`) keep the past in the worker's memory and
  branch every scenario of a world and seed from it;
- a Hydra sweep that varies levers or scenarios saves each past in the sweep folder's `.pasts/`
  under a key of everything the past depends on (`saved`): the first job that needs it simulates
  and saves it, the other jobs load it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim import __version__
from sim.parameters import resolve, split_levers
from sim.world import record as history
from sim.world.calendar import DEFAULT_ORIGIN
from sim.world.model import CartelModel


def levers(params: dict[str, Any]) -> dict[str, Any]:
    """Every lever's value for a run with these parameters (the table's default where not given),
    so that a branch never keeps a lever of the run its past was simulated for."""
    return split_levers(resolve(params))[0]


def shared(branches: Sequence[dict[str, Any]]) -> bool:
    """Whether runs with these parameters share their past: they differ only in levers."""
    pasts = [split_levers(resolve(b))[1] for b in branches]
    return all(past == pasts[0] for past in pasts)


class Past:
    """A model at its branch day. `branch` gives a run's model from it: a copy (the past stays for the next
    branch) or, with `last=True`, the past itself (no copy for the last branch)."""

    def __init__(self, model: CartelModel):
        if model.day != model.branch_day:
            raise ValueError(f"a past is a model at its branch day {model.branch_day}, not on day {model.day}")
        self.model = model

    @classmethod
    def simulate(
        cls, seed: int, burn_in_days: int, horizon_days: int, record: Any, origin: Any = DEFAULT_ORIGIN, **params: Any
    ) -> Past:
        """Burn-in and record for a run with these settings and parameters (its levers do not act yet)."""
        model = CartelModel(
            seed=seed, burn_in_days=burn_in_days, horizon_days=horizon_days, record=record, origin=origin, **params
        )
        model.run_until(model.branch_day)
        return cls(model)

    def branch(self, params: dict[str, Any], last: bool = False) -> CartelModel:
        """The model at its branch day with the levers of `params` (parameter values; those not levers must
        equal the past's, else ValueError)."""
        model = self.model if last else copy.deepcopy(self.model)
        model.set_levers(levers(params))
        return model

    def save(self, path: Path) -> None:
        """Write the past whole or not at all: another job may be reading it."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(self.model, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Past:
        with path.open("rb") as fh:
            return cls(pickle.load(fh))


def key(settings: dict[str, Any], params: dict[str, Any]) -> str:
    """What a past depends on: the run settings, the record's events, the parameters that are not
    levers, and the model's version."""
    past = split_levers(params)[1]
    events = history.load(settings["record"]).events
    text = json.dumps(
        {
            "version": __version__,
            "seed": settings["seed"],
            "burn_in_days": settings["burn_in_days"],
            "horizon_days": settings["horizon_days"],
            "record": repr(events),
            "origin": str(settings.get("origin", DEFAULT_ORIGIN)),
            "params": past,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def saved(folder: Path, settings: dict[str, Any], params: dict[str, Any]) -> tuple[Past, bool]:
    """The past of a run with these settings and parameters from `folder` (a sweep's `.pasts/`),
    and whether it was loaded: else it is simulated and saved for the sweep's other jobs."""
    path = folder / f"{key(settings, params)}.pkl"
    try:
        return Past.load(path), True
    except (OSError, pickle.UnpicklingError, EOFError):
        past = Past.simulate(**settings, **params)
        past.save(path)
        return past, False


def branch(folder: Path, settings: dict[str, Any], params: dict[str, Any]) -> tuple[CartelModel, bool]:
    """The model at day 0 with these parameters' levers, and whether its past was loaded from
    `folder` (a Hydra job of a sweep: sim/runs/app.py)."""
    past, loaded = saved(folder, settings, params)
    return past.branch(params, last=True), loaded
