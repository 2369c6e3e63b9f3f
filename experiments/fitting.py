"""What the calibration scripts share: running many (parameters, seed) pairs on all cores."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from sim.core import simulate


def _summary(values: dict[str, Any], seed: int) -> dict[str, Any]:
    return simulate(seed=seed, **values).summary


def summaries(points: Sequence[dict[str, Any]], seeds: Sequence[int], workers: int | None = None) -> list[list[dict[str, Any]]]:
    """The summary of every point (keyword arguments of `simulate`) on every seed, in order."""
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        return [[_summary(p, s) for s in seeds] for p in points]
    # "spawn": Mesa sets it on import anyway, and it behaves the same on every OS.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [[pool.submit(_summary, p, s) for s in seeds] for p in points]
        return [[f.result() for f in fs] for fs in futures]
