"""The day's processes fused into compiled kernels (numba), for speed.

They do what the array functions of `sim/world/processes/` do, step for step, with the same
arithmetic in the same order, so a run gives the same numbers with or without them
(`tests/test_kernel.py` compares the two paths). Sums that numpy computes pairwise are computed
pairwise here too (`_pairwise`). Their random numbers come from the model's own generator, drawn
as numpy draws them (sim/world/draws.py), so the draws before, between and after them are the
same on both paths.

`sim.world.model.CartelModel` uses the kernels when numba is installed, the machine's numpy keeps
PCG64's state as `draws` reads it, and `CARTEL_SIM_KERNELS` is not `0`; else the numpy path.
Compilation is cached on disk (`__pycache__`), so a new process loads it instead of compiling.
"""

from __future__ import annotations

import math
import os

import numpy as np

from sim.world import draws
from sim.world.metrics import ALIVE_MEMBERS, CELL_DEATH_MEMBERS  # numba reads module constants as literals

try:
    from numba import njit
except ImportError:  # pragma: no cover - the numpy path runs instead
    njit = None

AVAILABLE = njit is not None and os.environ.get("CARTEL_SIM_KERNELS", "1") != "0" and draws.matches_numpy()

# Rows of the day's per-state table the kernels fill (the order of sim.world.recorder.METRICS).
(HOMICIDES, CRIMINAL, CIVILIAN, FORCES, BACKGROUND, HIDDEN, GUNMEN, MEMBERS, RECRUITS, ARRESTS, ROADBLOCKS, ENTRIES, FLOW) = range(13)
# The national metrics the day's kernel fills (positions in sim.world.recorder.NATIONAL).
NAT_GROUPS, NAT_EFFECTIVE, NAT_LOYAL, NAT_HELD, NAT_CORE = 0, 1, 2, 3, 5


def _jit(fn):
    return njit(cache=True)(fn) if njit is not None else fn


@_jit
def _block(a, lo, n):
    """numpy's pairwise sum of at most 128 elements: eight running sums, then the rest."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[lo + i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    while i < n - (n % 8):
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@_jit
def _pairwise(a, lo, n):
    """Sum of a[lo:lo+n] in numpy's pairwise order (np.sum of a contiguous float array): halves of
    more than 128 elements are summed apart, with an explicit stack (a recursive function would
    not load from numba's cache)."""
    todo_lo = np.empty(64, np.int64)
    todo_n = np.empty(64, np.int64)
    todo_join = np.empty(64, np.bool_)
    sums = np.empty(64)
    top, done = 0, 0
    todo_lo[0], todo_n[0], todo_join[0] = lo, n, False
    top = 1
    while top > 0:
        top -= 1
        start, size, join = todo_lo[top], todo_n[top], todo_join[top]
        if join:
            done -= 1
            sums[done - 1] = sums[done - 1] + sums[done]
        elif size <= 128:
            sums[done] = _block(a, start, size)
            done += 1
        else:
            half = size // 2
            half -= half % 8
            todo_lo[top], todo_n[top], todo_join[top] = start, size, True
            todo_lo[top + 1], todo_n[top + 1], todo_join[top + 1] = start + half, size - half, False
            todo_lo[top + 2], todo_n[top + 2], todo_join[top + 2] = start, half, False
            top += 3
    return sums[0]


@_jit
def _power(x, e):
    """x ** e as numpy computes it for a scalar exponent (its fast paths for 1, 2 and 0.5)."""
    if e == 1.0:
        return x
    if e == 2.0:
        return x * x
    if e == 0.5:
        return math.sqrt(x)
    return x**e


@_jit
def _present(m):
    """Flat indices (organisation x states + state) of the organisation-state pairs with members,
    in increasing order: the order numpy adds them in its sums over organisations."""
    n_orgs, n_states = m.shape
    groups = np.empty(n_orgs * n_states, np.int64)
    count = 0
    for o in range(n_orgs):
        for s in range(n_states):
            if m[o, s] != 0.0:
                groups[count] = o * n_states + s
                count += 1
    return groups, count


@_jit
def day(
    members, core, core0, cell_state, cell_org, home, org_local, advantage, aggression, m, pair_a, pair_b, pair_s, hostility,
    revenue, capacity, held, flow_capacity, moves, density, population, risk0, raid, loyal_cells, cjng, p, rng_address, today, levels, national,
):
    """The day's processes from income to the day's end, drawing from the model's generator
    (`rng_address`: its bit generator's `ctypes.state_address`, see sim/world/draws.py).

    `m` is the organisations' members per state as the day starts, `p` the scalars (see
    `scalars`), `risk0` each state's arrest risk in the steady world, `raid` today's raid deaths,
    `loyal_cells` CJNG's cells at day 0, `moves` what each organisation can move of the trafficking
    (network x cohesion). Updates members and core in place and fills the day's rows
    of `today` (all but ENTRIES and ROADBLOCKS, and ARRESTS without the record's event arrests),
    `levels` and the national metrics but the leaders removed.
    """
    e, cost, rmax, cap_damp, recruit_factor, desertion, arrests_per_day, switch = p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]
    core_share, targeting, rebuild = p[8], p[9], p[10]
    gamma, lethality, even_exp, violence_damp, hold_damp, civ_ratio = p[11], p[12], p[13], p[14], p[15], p[16]
    force_rate, per_force, background_rate, labour, guard_share, concealment = p[17], p[18], p[19], p[20], p[21], p[22]
    spare = p[23]
    n, n_orgs, n_states, n_pairs = members.shape[0], advantage.shape[0], advantage.shape[1], pair_a.shape[0]
    rng = draws.state(rng_address)
    members_sum = _pairwise(members, 0, n)
    groups, n_groups = _present(m)  # numpy's sums over organisations add the absent ones' zeros: no change
    # market shares (market.shares)
    weight = np.zeros(n_orgs * n_states)
    total = np.zeros(n_states)
    for k in range(n_groups):
        g = groups[k]
        o, s = g // n_states, g % n_states
        weight[g] = _power(advantage[o, s] * m[o, s], e)
        total[s] += weight[g]
    share = np.zeros(n_orgs * n_states)
    for k in range(n_groups):
        g = groups[k]
        s = g % n_states
        if total[s] > 0:
            share[g] = weight[g] / total[s]
    # home guards' pay per organisation (market.home_pay)
    pay = np.zeros(n_orgs)
    row = np.empty(n_states)
    for o in range(n_orgs):
        if home[o] >= 0:
            for s in range(n_states):
                row[s] = share[o * n_states + s] * flow_capacity[s]
            pay[o] = guard_share * (_pairwise(row, 0, n_states) * (1.0 - labour))
    # recruitment and attrition (model._recruit_and_attrit)
    gain = np.empty(n)
    loss = np.empty(n)
    rate = np.zeros(n)
    arrested_state = np.zeros(n_states)
    state_members = np.zeros(n_states)
    pool = np.zeros(n_states)
    space = np.zeros(n_states)
    leaving = np.empty(n)
    room_left = np.empty(n)
    new = np.empty(n)
    for c in range(n):
        s, o = cell_state[c], cell_org[c]
        held_c = m[o, s]
        within = members[c] / held_c if held_c > 0 else 0.0
        income = revenue[s] * share[o * n_states + s] * within  # market.cell_income
        if home[o] == s and held_c > 0:
            income = income + pay[o] * members[c] / held_c
        cap = capacity[s]
        affordable = income / cost  # recruitment.recruits
        ratio = members[c] / affordable if affordable > 0 else 1.0
        room = min(max(1.0 - ratio, 0.0), 1.0)
        new[c] = recruit_factor * (rmax * members[c] * room * (1.0 - cap_damp * cap))
        deserted = members[c] * desertion / 365.0
        made = arrests_per_day * members[c] / members_sum if members_sum > 0 else 0.0  # forces.arrests
        arrested = min(made * cap, members[c])
        rate[c] = arrested / members[c] if members[c] > 0 else 0.0
        arrested = members[c] * rate[c]
        leaving[c] = max(members[c] - affordable, 0.0) * switch  # recruitment.switch_employers
        room_left[c] = max(affordable - members[c], 0.0)
        gain[c] = new[c]
        loss[c] = deserted + arrested + leaving[c]
        arrested_state[s] += arrested
        state_members[s] += members[c]
        today[RECRUITS, s] += new[c]
    for c in range(n):
        pool[cell_state[c]] += leaving[c]
    for c in range(n):
        space[cell_state[c]] += room_left[c]
    for c in range(n):
        s = cell_state[c]
        fill = pool[s] / space[s] if space[s] > 0 else 0.0
        gain[c] = new[c] + room_left[c] * min(fill, 1.0)
    hidden = np.empty(n_states)  # violence.hidden_share of the excess arrest risk
    for s in range(n_states):
        risk = arrested_state[s] * 365.0 / state_members[s] if state_members[s] > 0 else 0.0
        hidden[s] = 1.0 - math.exp(-concealment * max(risk - risk0[s], 0.0))
        today[ARRESTS, s] = arrested_state[s]
    # clashes (model._clash with violence.clash_intensity and split_losses)
    group_members = np.zeros(n_orgs * n_states)
    group_core = np.zeros(n_orgs * n_states)
    for c in range(n):
        group_members[cell_org[c] * n_states + cell_state[c]] += members[c]
    for c in range(n):
        group_core[cell_org[c] * n_states + cell_state[c]] += members[c] * (core[c] / core0[c])
    v = np.ones(n_orgs * n_states)
    m_state = np.zeros(n_states)
    for k in range(n_groups):
        g = groups[k]
        if group_members[g] > 0:
            v[g] = _power(group_core[g] / group_members[g], gamma)
        m_state[g % n_states] += m[g // n_states, g % n_states]
    lam = np.empty(n_pairs)
    for k in range(n_pairs):
        a, b, s = pair_a[k], pair_b[k], pair_s[k]
        ma, mb = m[a, s], m[b, s]
        tot = ma + mb
        safe = tot if tot > 0 else 1.0
        contact = ma * mb / m_state[s] if m_state[s] > 0 else 0.0
        evenness = _power(4.0 * ma * mb / (safe * safe), even_exp)
        va, vb = v[a * n_states + s], v[b * n_states + s]
        organised = (ma * va + mb * vb) / safe
        lam[k] = lethality * hostility[a, b] * contact * evenness * organised / (1.0 + violence_damp * capacity[s])
        lam[k] = lam[k] * (1.0 - hold_damp * held[s])
    killed = np.empty(n_pairs, np.int64)
    for k in range(n_pairs):
        killed[k] = draws.poisson(rng, lam[k])
    lost = np.zeros(n_orgs * n_states)
    lost_b = np.zeros(n_orgs * n_states)
    for k in range(n_pairs):
        a, b, s = pair_a[k], pair_b[k], pair_s[k]
        fa, fb = m[a, s] * v[a * n_states + s], m[b, s] * v[b * n_states + s]
        tot = fa + fb
        share_a = fb / tot if tot > 0 else 0.5
        la = draws.binomial(rng, killed[k], share_a)
        lost[a * n_states + s] += la
        lost_b[b * n_states + s] += killed[k] - la
    for c in range(n):
        s, o = cell_state[c], cell_org[c]
        held_c = m[o, s]
        if held_c > 0:
            g = o * n_states + s
            loss[c] += (lost[g] + lost_b[g]) * members[c] / held_c
    clash_dead = np.zeros(n_states, np.int64)
    expected = np.zeros(n_states)
    for k in range(n_pairs):
        clash_dead[pair_s[k]] += killed[k]
        expected[pair_s[k]] += lam[k]
    civilians = np.empty(n_states, np.int64)
    for s in range(n_states):
        civilians[s] = draws.poisson(rng, civ_ratio * expected[s])
    hidden_dead = np.empty(n_states, np.int64)
    hidden_civ = np.empty(n_states, np.int64)
    for s in range(n_states):
        hidden_dead[s] = draws.binomial(rng, clash_dead[s], hidden[s])
    for s in range(n_states):
        hidden_civ[s] = draws.binomial(rng, civilians[s], hidden[s])
    # trafficking flow (market.trafficking_flow): what the groups' networks move, and the diversion
    moved = np.zeros(n_states)
    for k in range(n_groups):
        g = groups[k]
        moved[g % n_states] += moves[g // n_states] * m[g // n_states, g % n_states]
    carried = np.empty(n_states)
    unmoved = np.empty(n_states)
    room = np.empty(n_states)
    for s in range(n_states):
        carried[s] = flow_capacity[s] * (moved[s] / m_state[s] if m_state[s] > 0 else 0.0)
        unmoved[s] = flow_capacity[s] - carried[s]
        room[s] = spare * carried[s]
    room_total = _pairwise(room, 0, n_states)
    diverted = min(_pairwise(unmoved, 0, n_states), room_total)
    for s in range(n_states):
        today[FLOW, s] = carried[s] + (diverted * room[s] / room_total if room_total > 0 else 0.0)
    # the forces (forces.force_clashes) and background homicides
    armed = np.zeros(n_states)
    for c in range(n):
        armed[cell_state[c]] += members[c] * aggression[c]
    force_lam = np.empty(n_states)
    dead_forces = np.empty(n_states, np.int64)
    dead_gunmen = np.empty(n_states, np.int64)
    for s in range(n_states):
        force_lam[s] = force_rate / 365.0 * armed[s] * density[s]
        dead_forces[s] = draws.poisson(rng, force_lam[s])
    for s in range(n_states):
        dead_gunmen[s] = draws.poisson(rng, per_force * force_lam[s])
    for c in range(n):
        s = cell_state[c]
        if armed[s] > 0:
            loss[c] += dead_gunmen[s] * (members[c] * aggression[c] / armed[s])
    for s in range(n_states):
        bg = draws.poisson(rng, population[s] * background_rate / 1e5 / 365.0)
        criminal = float(clash_dead[s] - hidden_dead[s]) + dead_gunmen[s] + raid[s]
        civilian = float(civilians[s] - hidden_civ[s]) + bg
        today[CRIMINAL, s] = criminal
        today[CIVILIAN, s] = civilian
        today[FORCES, s] = dead_forces[s]
        today[BACKGROUND, s] = bg
        today[HIDDEN, s] = hidden_dead[s] + hidden_civ[s]
        today[GUNMEN, s] = dead_gunmen[s] + raid[s]
        today[HOMICIDES, s] = criminal + civilian + dead_forces[s]
    # apply (model._apply_losses with core.after_arrests and core.rebuilt)
    for c in range(n):
        value = max(members[c] + gain[c] - loss[c], 0.0)
        members[c] = 0.0 if value < CELL_DEATH_MEMBERS else value
        q = core[c]
        q = max(q - rate[c] * min(targeting * q, 1.0 / core_share), 0.0)
        core[c] = q + q * (1.0 - q) * rebuild / 365.0
        today[MEMBERS, cell_state[c]] += members[c]
    _day_end(members, core, core0, cell_state, cell_org, org_local, held, loyal_cells, cjng, levels, national)


@_jit
def _day_end(members, core, core0, cell_state, cell_org, org_local, held, loyal_cells, cjng, levels, national):
    """The day's end: concentration per state and nationally (metrics.concentration), groups alive,
    effective groups, CJNG's loyal share, states held and the core's strength."""
    n, n_states, n_orgs = members.shape[0], held.shape[0], org_local.shape[0]
    m = np.zeros((n_orgs, n_states))
    for c in range(n):
        m[cell_org[c], cell_state[c]] += members[c]
    groups, n_groups = _present(m)
    total = np.zeros(n_states)
    for k in range(n_groups):
        g = groups[k]
        total[g % n_states] += m[g // n_states, g % n_states]
    for k in range(n_groups):
        g = groups[k]
        s = g % n_states
        if total[s] > 0:
            x = m[g // n_states, s] / total[s]
            levels[s] += x * x
    rows = np.zeros(n_orgs)
    for k in range(n_groups):
        o = groups[k] // n_states
        if rows[o] == 0.0:
            rows[o] = _pairwise(m[o], 0, n_states)
    grand = _pairwise(rows, 0, n_orgs)  # an (organisations x 1) column: numpy sums it pairwise
    squares = np.zeros(n_orgs)
    if grand > 0:
        for o in range(n_orgs):
            x = rows[o] / grand
            squares[o] = x * x
    levels[n_states] = _pairwise(squares, 0, n_orgs)
    org_members = np.zeros(n_orgs)
    for c in range(n):
        org_members[cell_org[c]] += members[c]
    alive = 0
    kept = np.empty(n_orgs)
    k = 0
    for o in range(n_orgs):
        if not org_local[o]:
            kept[k] = org_members[o]
            k += 1
            if org_members[o] >= ALIVE_MEMBERS:
                alive += 1
    national[NAT_GROUPS] = alive
    whole = _pairwise(kept, 0, k)
    if whole > 0:
        shares = np.empty(k)
        for i in range(k):
            x = kept[i] / whole
            shares[i] = x * x
        national[NAT_EFFECTIVE] = 1.0 / _pairwise(shares, 0, k)
    else:
        national[NAT_EFFECTIVE] = 0.0
    if loyal_cells.shape[0] > 0:
        loyal = 0
        for c in loyal_cells:
            if cell_org[c] == cjng and members[c] >= CELL_DEATH_MEMBERS:
                loyal += 1
        national[NAT_LOYAL] = loyal / loyal_cells.shape[0]
    else:
        national[NAT_LOYAL] = np.nan
    national[NAT_HELD] = _pairwise(held, 0, n_states)
    weight = 0.0
    in_place = 0.0
    for c in range(n):
        weight += members[c]
    for c in range(n):
        in_place += members[c] * (core[c] / core0[c])
    national[NAT_CORE] = in_place / weight if weight > 0 else 1.0


def scalars(p: dict, recruit_factor: float, arrests_per_day: float) -> np.ndarray:
    """The parameters the kernels read, in their order."""
    return np.array([
        p["market_share_exponent"], p["member_cost_usd_day"], p["recruit_rate_max"], p["capacity_recruit_damping"],
        recruit_factor, p["desertion_rate"], arrests_per_day, p["unpaid_switch_rate"], p["core_share"], p["core_targeting"],
        p["core_rebuild_rate"], p["core_violence_exponent"], p["clash_lethality"], p["evenness_exponent"],
        p["capacity_violence_damping"], p["hold_violence_damping"], p["civilians_per_member_killed"], p["force_attack_rate"],
        p["gunmen_per_force_killed"], p["background_homicide_rate"], p["trafficking_labour_share"], p["home_guard_share"],
        p["concealment"], p["route_spare_capacity"],
    ])


@_jit
def hostile_pairs(presence, hostility):
    """violence.hostile_pairs compiled: every (a, b, state) with a < b both present and hostile,
    in its order (state, then a, then b)."""
    n_orgs, n_states = presence.shape
    count = 0
    for s in range(n_states):
        for a in range(n_orgs):
            if presence[a, s]:
                for b in range(a + 1, n_orgs):
                    if presence[b, s] and hostility[a, b] > 0:
                        count += 1
    pa, pb, ps = np.empty(count, np.int64), np.empty(count, np.int64), np.empty(count, np.int64)
    k = 0
    for s in range(n_states):
        for a in range(n_orgs):
            if presence[a, s]:
                for b in range(a + 1, n_orgs):
                    if presence[b, s] and hostility[a, b] > 0:
                        pa[k], pb[k], ps[k] = a, b, s
                        k += 1
    return pa, pb, ps


@_jit
def held_and_revenue(holding, members, cell_state, troops_per_member, interdiction, kept, local, trafficking, labour_share):
    """Government.update_held compiled (forces.held_share, market.payroll_revenue): rows of the share
    of each state held, its revenue that pays members, and its trafficking flow capacity."""
    n = holding.shape[0]
    state_members = np.zeros(n)
    for c in range(members.shape[0]):
        state_members[cell_state[c]] += members[c]
    out = np.empty((3, n))
    for s in range(n):
        need = troops_per_member * state_members[s]
        h = holding[s] / need if need > 0 else 1.0
        out[0, s] = min(max(h, 0.0), 1.0)
        open_route = 1.0 - interdiction * out[0, s]
        out[1, s] = kept * (local[s] + labour_share * (trafficking[s] * open_route))
        out[2, s] = kept * trafficking[s] * open_route
    return out


@_jit
def entry(members, cell_state, cell_org, org_entrant, revenue, cost, capacity, rate, capacity_cost, absorb_rate, rng_address, n_states):
    """The day's entry draws (model._entry, market.entry_rates) from the model's generator: the new
    groups per state, then the live cells of new groups that a cartel absorbs today, in one array."""
    rng = draws.state(rng_address)
    n = members.shape[0]
    state_members = np.zeros(n_states)
    for c in range(n):
        state_members[cell_state[c]] += members[c]
    joining = np.empty(n, np.int64)
    count = 0
    for c in range(n):
        if org_entrant[cell_org[c]] and members[c] >= CELL_DEATH_MEMBERS:
            if draws.random(rng) < absorb_rate:
                joining[count] = c
                count += 1
    out = np.empty(n_states + count, np.int64)
    for s in range(n_states):
        affordable = revenue[s] / cost
        ratio = state_members[s] / affordable if affordable > 0 else 1.0
        unserved = min(max(1.0 - ratio, 0.0), 1.0)
        out[s] = draws.poisson(rng, rate * unserved / (1.0 + capacity_cost * capacity[s]))
    out[n_states:] = joining[:count]
    return out


@_jit
def org_state(members, cell_org, cell_state, n_orgs, n_states):
    """Members of each organisation in each state (model.org_state_members)."""
    m = np.zeros((n_orgs, n_states))
    for c in range(members.shape[0]):
        m[cell_org[c], cell_state[c]] += members[c]
    return m


@_jit
def encroachers(m, weak, adjacency, rival, rate, cohesion, rng_address):
    """succession.encroachers compiled, with its draws from the model's generator: rows of
    (organisation, state, from state) for the rivals that enter a weakened organisation's states."""
    rng = draws.state(rng_address)
    n_orgs, n_states = m.shape
    orgs = np.empty(n_orgs * n_states, np.int64)
    states = np.empty(n_orgs * n_states, np.int64)
    count = 0
    for o in range(n_orgs):
        if not rival[o]:
            continue
        for s in range(n_states):
            if not weak[s] or m[o, s] >= CELL_DEATH_MEMBERS:
                continue
            for t in range(n_states):
                if m[o, t] >= CELL_DEATH_MEMBERS and adjacency[t, s] > 0:
                    orgs[count], states[count] = o, s
                    count += 1
                    break
    chance = rate * (1.0 - cohesion)
    out = np.empty((count, 3), np.int64)
    k = 0
    for i in range(count):
        if draws.random(rng) < chance:
            o, s = orgs[i], states[i]
            best, source = -np.inf, 0
            for t in range(n_states):
                v = m[o, t] if adjacency[s, t] > 0 else -1.0
                if v > best:
                    best, source = v, t
            out[k, 0], out[k, 1], out[k, 2] = o, s, source
            k += 1
    return out[:k]
