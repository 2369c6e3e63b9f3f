"""What a worker of `sim.ensemble` does with one chunk of work (module-level functions only, so that
any executor can ship them: a local process pool, Dask's `client.get_executor()`, mpi4py's
`MPIPoolExecutor`).

A chunk is a list of units; a unit is one seed's runs (every scenario of one world, point and
seed). Runs of a unit that differ only in their levers share their past (`sim.runs.pasts.Past`): it is
simulated once and each run branches from it at its branch day, which gives the numbers each would give
alone. A run that fails is an outcome with status "failed" and its error line; the others go on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import ConfigError

# One run's outcome: status ("ok"/"failed"), error line, its values (summary or measure), national daily rows or None.
Outcome = tuple[str, str | None, dict[str, Any], pd.DataFrame | None]
Run = tuple[
    dict[str, Any], dict[str, Any]
]  # (settings without the seed: burn_in_days, horizon_days, record, origin; parameters)
Unit = tuple[int, list[Run]]  # a seed and its runs


def error_line(err: BaseException) -> str:
    """The one line a failed run's row keeps: a refused input's own message, else the error's type and message."""
    text = str(err) if isinstance(err, ConfigError) else f"{type(err).__name__}: {err}"
    return (text.splitlines() or [type(err).__name__])[0]


def failed(err: BaseException | str) -> Outcome:
    return ("failed", err if isinstance(err, str) else error_line(err), {}, None)


def run_chunk(
    units: Sequence[Unit],
    measure: Callable[[Any], dict[str, Any]] | None = None,
    daily: bool = False,
    pasts: Path | None = None,
) -> list[Outcome]:
    """Every run of every unit, in order. A unit that raises (e.g. out of memory) fails alone."""
    out: list[Outcome] = []
    for seed, runs in units:
        try:
            out += run_unit(seed, runs, measure, daily, pasts)
        except Exception as err:  # noqa: BLE001 - one unit's crash must not lose the chunk
            out += [failed(err)] * len(runs)
    return out


def run_unit(
    seed: int,
    runs: Sequence[Run],
    measure: Callable[[Any], dict[str, Any]] | None = None,
    daily: bool = False,
    pasts: Path | None = None,
) -> list[Outcome]:
    """One seed's runs; those with the same settings and past branch from one `Past`. With a `pasts`
    folder every past is read from it if there, else simulated and saved there (`sim.runs.pasts.saved`)."""
    from sim.runs.pasts import Past, saved
    from sim.world.model import CartelModel

    out: list[Outcome | None] = [None] * len(runs)
    for group in _pasts(runs):
        settings, first = runs[group[0]]
        past = None
        if len(group) > 1 or pasts is not None:
            try:
                past = (
                    saved(pasts, {**settings, "seed": seed}, first)[0]
                    if pasts is not None
                    else Past.simulate(seed, **settings, **first)
                )
            except Exception:  # noqa: BLE001 - e.g. a refused value: each run alone says which
                past = None
        for j, i in enumerate(group):
            settings, params = runs[i]
            try:
                model = (
                    past.branch(params, last=j == len(group) - 1)
                    if past
                    else CartelModel(seed=seed, **settings, **params)
                )
                out[i] = finish(model, measure, daily)
            except Exception as err:  # noqa: BLE001 - the run fails alone, with its error line
                out[i] = failed(err)
    return out  # type: ignore[return-value]


def _pasts(runs: Sequence[Run]) -> list[list[int]]:
    """The runs grouped by the past they share (same settings, same parameters but levers); a run
    whose parameters do not resolve is a group of its own."""
    from sim.parameters import resolve, split_levers

    groups: list[tuple[Any, list[int]]] = []
    for i, (settings, params) in enumerate(runs):
        try:
            key = (settings, split_levers(resolve(params))[1])
        except Exception:  # noqa: BLE001
            groups.append((object(), [i]))
            continue
        for other, members in groups:
            if other == key:
                members.append(i)
                break
        else:
            groups.append((key, [i]))
    return [members for _, members in groups]


def finish(model: Any, measure: Callable[[Any], dict[str, Any]] | None, daily: bool) -> Outcome:
    """Run a model to its horizon (or to the `stop_day` a measure names: `conditioned.Before`): its
    summary (or `measure(model)`) and its national daily rows if asked."""
    from sim.runs.simulate import result

    model.run(getattr(measure, "stop_day", None))
    if measure is None:
        res = result(model, "national" if daily else False)
        return ("ok", None, res.summary, res.timeseries)
    table = result(model, "national").timeseries if daily else None
    return ("ok", None, dict(measure(model)), table)


def map_chunk(fn: Callable[..., Any], items: Sequence[Any]) -> list[tuple[str, str | None, Any]]:
    """`fn(item)` for every item of a chunk (the generic work of `sim.analysis.mapping.each`):
    ("ok", None, value), or ("failed", error line, the exception) for an item that raised."""
    out = []
    for item in items:
        try:
            out.append(("ok", None, fn(item)))
        except Exception as err:  # noqa: BLE001
            out.append(("failed", error_line(err), err))
    return out
