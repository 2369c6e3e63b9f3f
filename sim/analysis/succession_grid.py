"""The succession's outcomes over its rule's grid: how often CJNG's lieutenants split after its
leader's removal, and into how many factions, by claim ratio x claim noise x heir factor x loyalty.

The succession rule (docs/ODD.md, succession) is an assumption with ranges; this shows what it makes
of a removal across them, measured on model worlds rather than read off the rule: for each seed and
loyalty (`loyalty_mean`, which shapes the world's past) the world is simulated to day 0 once, and
each point of the rule's grid branches from it (a copy), sets the rule's parameters, removes CJNG's
leader in Jalisco at day 0 (killed, with a named heir when the heir factor is not 1) and runs the
first `DAYS` days. The rule's parameters act on the removal only: the world's past, with its own
removals of leaders, is the defaults'. A heir factor of 1 is a succession with no successor named.

    from sim.analysis import succession_grid
    print(succession_grid.render(succession_grid.measure(seeds.test(10))))
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Sequence

import numpy as np

from sim.analysis.literature import LOYALTIES  # a fractious, the default and a cohesive organisation
from sim.analysis.mapping import each
from sim.world.geography import JALISCO
from sim.world.model import CartelModel

CLAIM_RATIOS = (0.1, 0.25, 0.5)  # succession_claim_ratio's range and default
CLAIM_NOISES = (0.0, 0.3, 1.0)  # succession_claim_noise: the threshold, the default, the range's top
HEIR_FACTORS = (0.5, 1.0, 2.0, 4.0)  # heir_claim_factor: a weak heir, none named, the default, a strong one
DAYS = 3  # days run after the removal: the factions are born on its day
RULES = tuple(itertools.product(CLAIM_RATIOS, CLAIM_NOISES, HEIR_FACTORS))


def factions_after_removal(past: CartelModel, ratio: float, noise: float, factor: float, days: int = DAYS) -> int:
    """Factions born from CJNG when its leader is removed on `past` (a model at day 0, left as it
    is) under this rule: a copy of the world runs the removal and `days` days."""
    model = copy.deepcopy(past)
    model.p.update(succession_claim_ratio=ratio, succession_claim_noise=noise, heir_claim_factor=factor)
    org = model.organisations[model.cjng]
    org.heir_available = factor != 1.0
    model.leadership.remove_leader(org, model.day, home=JALISCO, mode="killed")
    for _ in range(days):
        model.step()
    return sum(o.parent is org for o in model.organisations)


def _one_world(task: tuple[int, float]) -> list[int]:
    """Factions born at every point of the rule's grid (in `RULES` order), on one seed and loyalty."""
    seed, loyalty = task
    past = CartelModel(seed=seed, horizon_days=DAYS, loyalty_mean=loyalty)
    past.run_until(0)
    return [factions_after_removal(past, *rule) for rule in RULES]


def measure(seed_list: Sequence[int], workers: int | None = None) -> dict[float, np.ndarray]:
    """Factions born per loyalty: an array (rules in `RULES` order x seeds)."""
    tasks = [(s, lo) for lo in LOYALTIES for s in seed_list]
    found = each(_one_world, tasks, processes=workers)
    n = len(seed_list)
    return {lo: np.array(found[i * n : (i + 1) * n]).T for i, lo in enumerate(LOYALTIES)}


def render(outcomes: dict[float, np.ndarray]) -> str:
    """The grid as a markdown table: per rule, the share of successions that split and the mean
    number of factions (in brackets), per loyalty."""
    n_seeds = next(iter(outcomes.values())).shape[1]
    head = " | ".join(f"loyalty {lo}" for lo in outcomes)
    rows = []
    for r, (ratio, noise, factor) in enumerate(RULES):
        cells = " | ".join(f"{np.mean(v[r] > 0):.0%} ({v[r].mean():.2f})" for v in outcomes.values())
        rows.append(f"| {ratio:g} | {noise:g} | {factor:g} | {cells} |")
    return f"""Share of successions that split, and the mean number of factions born (in brackets), when
CJNG's leader is killed at day 0, over {n_seeds} seeds per loyalty (`loyalty_mean`), for each point of
the rule's grid: `succession_claim_ratio` x `succession_claim_noise` x `heir_claim_factor` (1: no
successor named; otherwise an heir). Each point branches from the same world at day 0 and runs the
removal's first {DAYS} days (sim/analysis/succession_grid.py).

| claim ratio | claim noise | heir factor | {head} |
|---|---|---|{"---|" * len(outcomes)}
{chr(10).join(rows)}
"""
