"""Succession and fragmentation: lieutenants' regions, who claims the brand, who defects, who enters.

Plain functions over arrays, so that each rule can be tested on a hand-built micro-world; the
model (`sim.world.leadership`) applies them to the organisations in a succession.
"""

from __future__ import annotations

import numpy as np

from sim.world.metrics import CELL_DEATH_MEMBERS


def assign_lieutenants(cell_state: np.ndarray, members: np.ndarray, n: int, distance: np.ndarray) -> np.ndarray:
    """Lieutenant (0..k-1) of each cell of one organisation: its regions are around its strongholds.

    The k = min(n, states held) states where the organisation has most members are the
    lieutenants' seats; every cell goes to the nearest seat by land borders (`distance`, states x
    states), ties to the stronger seat.
    """
    held = np.bincount(cell_state, weights=members, minlength=distance.shape[0])
    states = np.flatnonzero(held > 0)
    k = min(n, len(states))
    seats = states[np.argsort(-held[states], kind="stable")[:k]]
    return np.argmin(distance[np.ix_(cell_state, seats)], axis=1)


def follows_lieutenant(loyalty: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """Which cells follow their own lieutenant rather than the brand once the leader is gone.

    A cell stays with the brand with a probability equal to its loyalty (`draw`: uniform numbers,
    one per cell), so a loyal franchise holds together and a fractious one comes apart.
    """
    return draw >= loyalty


def claim_probability(worth: np.ndarray, loyal: np.ndarray, claim_ratio: float, noise: float) -> np.ndarray:
    """Each lieutenant's chance of claiming his region: a logistic in log(worth / loyal) - log(claim_ratio).

    `worth` is the members he expects to follow him times what his region is worth to him, `loyal`
    the members who will stay with the brand there. He does not know his support exactly: `noise`
    (in log units) is his uncertainty about it, so a lieutenant just below the threshold sometimes
    claims and one just above sometimes submits. At `noise` 0 the chance is 1 at or above the
    threshold (worth >= claim_ratio x loyal) and 0 below it: the deterministic rule.
    """
    if noise <= 0:
        return (worth >= claim_ratio * loyal).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = np.log(worth) - np.log(loyal) - np.log(claim_ratio)
    margin = np.where(worth <= 0, -np.inf, np.where(loyal <= 0, np.inf, margin))
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-margin / noise))


def lieutenant_choices(
    lts: np.ndarray,
    members: np.ndarray,
    loyalty: np.ndarray,
    value: np.ndarray,
    claim_ratio: float,
    noise: float = 0.0,
    draw: np.ndarray | None = None,
) -> tuple[int, np.ndarray]:
    """The brand's claimant and what every lieutenant decides: 1 claims, 0 submits (-1: the claimant).

    The strongest lieutenant claims the brand. Another weighs, in his own region, the members he
    can expect to follow him (each cell with probability 1 - its loyalty), times what his region
    is worth to him (`value`: its revenue per member over the organisation's, per cell), against
    the members who will stay loyal to the brand there; he claims the region for himself with the
    chance `claim_probability` gives (`claim_ratio`: the ratio at which he is as likely to claim as
    not; `noise`: his uncertainty about his support), decided by `draw` (uniform numbers, one per
    lieutenant; without them, and at `noise` 0, the rule is the threshold: he claims when the first
    is at least `claim_ratio` of the second). So claims rise with his own strength and the stakes
    and fall with his cells' loyalty and the brand's pull (an heir's legitimacy scales
    `claim_ratio`: `Leadership._start_contest`).
    """
    k = int(lts.max()) + 1
    strength = np.bincount(lts, weights=members, minlength=k)
    claimant = int(np.argmax(strength))
    expected = np.bincount(lts, weights=members * (1.0 - loyalty), minlength=k)
    worth = np.bincount(lts, weights=members * (1.0 - loyalty) * value, minlength=k)  # expected followers x stakes
    chance = claim_probability(worth, strength - expected, claim_ratio, noise)
    if draw is None:
        if noise > 0:
            raise ValueError("a noisy claim needs its draws (one uniform number per lieutenant)")
        draw = np.zeros(k)
    choice = (draw[:k] < chance).astype(np.int64)
    choice[claimant] = -1
    return claimant, choice


def claimant_share(family_members: np.ndarray) -> float:
    """Share of an organisation's family (the brand and its rival factions) held by the brand (index 0)."""
    total = family_members.sum()
    return float(family_members[0] / total) if total > 0 else 1.0


def realign(rng: np.random.Generator, n_cells: int, rate: float, share: float) -> np.ndarray:
    """Which of a rival faction's cells go over to the claimant today (bandwagon on his share)."""
    return rng.random(n_cells) < 1.0 - np.exp(-rate * share)


def defect(rng: np.random.Generator, n_cells: int, rate: float, cohesion: float) -> np.ndarray:
    """Which cells of an organisation without cohesion try to defect to a rival today."""
    return rng.random(n_cells) < rate * (1.0 - cohesion)


def defection_target(
    org_state_members: np.ndarray, hostility_to_family: np.ndarray, family: np.ndarray, state: int, eligible: np.ndarray
) -> int:
    """The organisation a defecting cell in `state` joins, or -1 if none is there.

    The defector prefers the group least hostile to its old organisation (an ally), then the
    strongest one present; its own family and ineligible groups (local gangs) are excluded.
    """
    here = (org_state_members[:, state] >= CELL_DEATH_MEMBERS) & eligible
    here[family] = False
    candidates = np.flatnonzero(here)
    if len(candidates) == 0:
        return -1
    order = np.lexsort((-org_state_members[candidates, state], hostility_to_family[candidates]))
    return int(candidates[order[0]])


def encroachers(
    rng: np.random.Generator,
    org_state_members: np.ndarray,
    weak: np.ndarray,
    adjacency: np.ndarray,
    hostile: np.ndarray,
    eligible: np.ndarray,
    rate: float | np.ndarray,
    cohesion: float,
) -> list[tuple[int, int, int]]:
    """Rivals that enter the weakened organisation's states today: (organisation, state, from state).

    A rival (eligible, hostile to the weakened organisation) present next door but not in a
    `weak` state enters it with daily chance rate x (1 - cohesion), from the neighbouring state
    where it is strongest. `adjacency` is the (states x states) land-border matrix; `rate` one
    number or one per organisation. With every state open and cohesion 0 this is also the
    cartels' expansion (`expansion.entries`).
    """
    rivals = np.flatnonzero(eligible & hostile)  # few of all organisations: the rest cannot enter
    present = org_state_members[rivals] >= CELL_DEATH_MEMBERS
    next_door = (present.astype(float) @ adjacency) > 0
    rows, states = np.nonzero(~present & next_door & weak[None, :])
    if len(rows) == 0:  # no draw either way: the generator's state is the same
        return []
    orgs = rivals[rows]
    chance = rate if np.ndim(rate) == 0 else np.asarray(rate, dtype=float)[orgs]
    entering = rng.random(len(orgs)) < chance * (1.0 - cohesion)
    out = []
    for o, s in zip(orgs[entering], states[entering]):
        source = int(np.argmax(np.where(adjacency[s] > 0, org_state_members[o], -1.0)))
        out.append((int(o), int(s), source))
    return out
