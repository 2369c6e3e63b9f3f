"""The day: every process of sim/world/processes in its order, compiled into one loop over days.

`advance` runs the days from `first` up to `last` (or the end of the first day on which a new
group enters, which the model must add as an organisation). Each process is the function the
unit tests call (tests/test_processes.py); this module only orders them and moves their results
between them. Whatever needs a decision in Python (the record's events, a strike, a succession,
a campaign's operations) happens between calls: the model then advances one day at a time.

The random numbers come from the run's one generator (`rng`, a numpy Generator, which numba
draws from in place), so the draws of the compiled day and of Python's processes (a succession,
a wave of roadblocks) follow one another in one stream.
"""

from __future__ import annotations

import numpy as np

from sim.world.jit import compiled, power
from sim.world.metrics import (
    CELL_DEATH_MEMBERS,
    concentration,
    effective_groups,
    groups_alive,
    occupied,
    org_state_members,
    per_group,
)
from sim.world.processes import commanders, forces, market, recruitment, violence
from sim.world.sampling import poisson_shared

# Rows of the day's per-state table (the order of sim.world.recorder.METRICS).
(
    HOMICIDES,
    CRIMINAL,
    CIVILIAN,
    FORCES,
    BACKGROUND,
    HIDDEN,
    GUNMEN,
    MEMBERS,
    RECRUITS,
    ARRESTS,
    ROADBLOCKS,
    ENTRIES,
    FLOW,
) = range(13)
# The national metrics the day fills (positions in sim.world.recorder.NATIONAL).
NAT_GROUPS, NAT_EFFECTIVE, NAT_LOYAL, NAT_HELD, NAT_REMOVED, NAT_CORE = range(6)

# The parameters the day reads, in the order of the array `scalars` makes.
PARAMETERS = (
    "market_share_exponent",
    "member_cost_usd_day",
    "recruit_rate_max",
    "capacity_recruit_damping",
    "desertion_rate",
    "arrest_member_share",
    "unpaid_switch_rate",
    "core_share",
    "core_targeting",
    "core_rebuild_rate",
    "core_violence_exponent",
    "clash_lethality",
    "evenness_exponent",
    "capacity_violence_damping",
    "hold_violence_damping",
    "civilians_per_member_killed",
    "force_attack_rate",
    "gunmen_per_force_killed",
    "background_homicide_rate",
    "trafficking_labour_share",
    "home_guard_share",
    "concealment",
    "route_spare_capacity",
    "hold_troops_per_member",
    "hold_interdiction",
    "entry_rate",
    "entry_capacity_cost",
    "absorb_rate",
    "crackdown_provocation",
    "state_confrontation",
    "displacement_rate",
    "stakes_exponent",
    "season_amplitude",
    "season_peak_day",
)
# The government's settings of the day, after the parameters: recruitment factor, arrests a day,
# revenue kept (1 - disruption), capacity investment and corruption a year.
GOVERNMENT = ("recruit_factor", "arrests_per_day", "revenue_kept", "capacity_investment", "capacity_corruption")


def scalars(p: dict, government: tuple[float, ...]) -> np.ndarray:
    """The numbers `advance` reads: the parameters of PARAMETERS, then the government's settings."""
    return np.array([float(p[name]) for name in PARAMETERS] + [float(x) for x in government])


@compiled
def advance(
    first,
    last,
    rng,
    s,
    members,
    core,
    core0,
    cell_state,
    cell_org,
    home,
    is_local,
    absorbs,
    entrant,
    advantage,
    hostility,
    moves,
    aggression,
    loyal_cells,
    cjng,
    removed,
    holding,
    local_revenue,
    trafficking,
    capacity,
    density,
    population,
    risk0,
    held,
    revenue,
    flow_capacity,
    border_start,
    border_to,
    pairs,
    presence,
    values,
    levels,
    national,
    record_start,
):
    """Simulate days `first` .. `last` - 1 in place; return the day reached (the end of the first
    day new groups entered, or `last`) and the entries per state of that day.

    `s` is `scalars(...)`; `pairs` the hostile pairs in use (three arrays) and `presence` the
    organisations x states presence they were found for: they are found again when who is where
    changes (pass an empty `presence` to force it), and returned; `border_start` and `border_to`
    the states' land neighbours (`sim.world.geography.border_lists`); `values`, `levels` and `national` the daily
    record's arrays from day `record_start` on (days before it are simulated, not kept).
    """
    (
        e,
        cost,
        rmax,
        cap_damp,
        desertion,
        arrest_share,
        switch,
        core_share,
        targeting,
        rebuild,
        gamma,
        lethality,
        even_exp,
        violence_damp,
        hold_damp,
        civ_ratio,
        force_rate,
        per_force,
        bg_rate,
        labour,
        guard_share,
        concealment,
        spare,
        troops_per_member,
        interdiction,
        entry_rate,
        entry_cost,
        absorb_rate,
        provocation,
        confrontation,
        displacement,
        stakes_exp,
        season_amp,
        season_peak,
        recruit_factor,
        arrests_per_day,
        kept,
        investment,
        corruption,
    ) = (
        s[0],
        s[1],
        s[2],
        s[3],
        s[4],
        s[5],
        s[6],
        s[7],
        s[8],
        s[9],
        s[10],
        s[11],
        s[12],
        s[13],
        s[14],
        s[15],
        s[16],
        s[17],
        s[18],
        s[19],
        s[20],
        s[21],
        s[22],
        s[23],
        s[24],
        s[25],
        s[26],
        s[27],
        s[28],
        s[29],
        s[30],
        s[31],
        s[32],
        s[33],
        s[34],
        s[35],
        s[36],
        s[37],
        s[38],
    )
    n_states, n_orgs = capacity.shape[0], home.shape[0]
    pair_a, pair_b, pair_s = pairs
    m = org_state_members(members, cell_org, cell_state, n_orgs, n_states)  # as the day starts
    occ = occupied(m)
    died = True  # the first day checks who is where (Python may have changed it)
    q = core / core0  # each cell's core strength relative to the steady world's
    entries = np.zeros(n_states, np.int64)
    stake = violence.stakes(local_revenue, trafficking, labour, stakes_exp)
    scratch_values = np.zeros(values.shape[1:])
    scratch_levels = np.zeros(levels.shape[1:])
    scratch_national = np.zeros(national.shape[1:])
    day = first
    while day < last:
        row = day - record_start
        kept_row = 0 <= row < values.shape[0]
        today = values[row] if kept_row else scratch_values
        level = levels[row, 0] if kept_row else scratch_levels[0]
        nat = national[row] if kept_row else scratch_national
        today[:] = 0.0
        # the state: capacity building, held ground, the revenue and trafficking it leaves
        if investment != 0.0 or corruption != 0.0:
            capacity[:] = forces.built_capacity(capacity, investment, corruption)
        state_members = per_group(members, cell_state, n_states)
        held[:], revenue[:], flow_capacity[:] = forces.hold(
            holding, state_members, troops_per_member, interdiction, local_revenue, trafficking, labour, kept
        )
        # entry: cartels absorb entrants' cells; new groups enter unserved markets
        absorbed = False
        for c in range(members.shape[0]):
            if entrant[cell_org[c]] and members[c] >= CELL_DEATH_MEMBERS and rng.random() < absorb_rate:
                strongest, best = -1, -1.0  # the strongest cartel there (national or regional)
                for o in range(n_orgs):
                    if absorbs[o] and m[o, cell_state[c]] > best:
                        strongest, best = o, m[o, cell_state[c]]
                if best >= CELL_DEATH_MEMBERS:
                    cell_org[c] = strongest
                    absorbed = True
        lam_entry = market.entry_rates(state_members, revenue / cost, capacity, entry_rate, entry_cost)
        entries = poisson_shared(rng, lam_entry)
        for st in range(n_states):
            today[ENTRIES, st] = entries[st]
        if absorbed:
            m = org_state_members(members, cell_org, cell_state, n_orgs, n_states)
            occ = occupied(m)
        if (died or absorbed or presence.shape != m.shape) and _moved(m, presence):  # who is where changed
            presence = m >= CELL_DEATH_MEMBERS
            pair_a, pair_b, pair_s = violence.hostile_pairs(presence, hostility)
        # income: market shares, pay, and a national cartel's home guard
        share = market.shares(advantage, m, occ, e)
        pay = market.home_pay(share, flow_capacity, labour, guard_share, home)
        income = market.cell_income(revenue, share, m, cell_org, cell_state, members)
        income += market.guard_income(pay, home, m, cell_org, cell_state, members)
        # recruitment and attrition
        cap = capacity[cell_state]
        new = recruit_factor * recruitment.recruits(members, income, cost, rmax, cap, cap_damp)
        arrested = forces.arrests(members, arrests_per_day * arrest_share, cap)
        rate = np.zeros(members.shape[0])
        for c in range(members.shape[0]):
            if members[c] > 0:
                rate[c] = arrested[c] / members[c]
        leaving, joining = recruitment.switch_employers(cell_state, members, income / cost, switch, n_states)
        gain = new + joining
        loss = recruitment.desertion(members, desertion) + arrested + leaving
        arrests_state = per_group(arrested, cell_state, n_states)
        today[RECRUITS] = per_group(new, cell_state, n_states)
        today[ARRESTS] = arrests_state
        risk = np.zeros(n_states)
        for st in range(n_states):
            if state_members[st] > 0:
                risk[st] = max(arrests_state[st] * 365.0 / state_members[st] - risk0[st], 0.0)
        hidden = violence.hidden_share(risk, concealment)
        # enforcement that bites pushes members next door, provokes clashes and fights with forces
        pressure = forces.enforcement_pressure(risk, risk0)
        if displacement != 0.0:
            pushed, arriving = forces.displaced(
                members, cell_org, cell_state, m, occ, pressure, border_start, border_to, displacement
            )
            gain += arriving
            loss += pushed
        # clashes between hostile groups, scaled by the violence each side's core can organise
        group = cell_org * n_states + cell_state
        in_place = commanders.core_in_place(q, members, group, n_orgs * n_states)  # over m: a side's mean strength
        m_state = state_members  # members per state as the day starts
        n_pairs = pair_a.shape[0]
        m_a, m_b, v_a, v_b = np.empty(n_pairs), np.empty(n_pairs), np.empty(n_pairs), np.empty(n_pairs)
        h, cap_p, tot_p = np.empty(n_pairs), np.empty(n_pairs), np.empty(n_pairs)
        for k in range(n_pairs):
            a, b, st = pair_a[k], pair_b[k], pair_s[k]
            m_a[k], m_b[k] = m[a, st], m[b, st]
            v_a[k] = power(in_place[a * n_states + st] / m_a[k], gamma) if m_a[k] > 0 else 1.0
            v_b[k] = power(in_place[b * n_states + st] / m_b[k], gamma) if m_b[k] > 0 else 1.0
            h[k], cap_p[k], tot_p[k] = hostility[a, b], capacity[st], m_state[st]
        lam = violence.clash_intensity(m_a, m_b, tot_p, v_a, v_b, h, cap_p, lethality, even_exp, violence_damp)
        for k in range(n_pairs):
            lam[k] *= 1.0 - hold_damp * held[pair_s[k]]
        if stakes_exp != 0.0:
            for k in range(n_pairs):
                lam[k] *= stake[pair_s[k]]
        if provocation != 0.0:
            lam = violence.provoked(lam, pair_s, pressure, provocation)
        season = 1.0  # no season: the day pays nothing for it
        if season_amp != 0.0:
            season = violence.season(day, season_amp, season_peak)
            lam *= season
        killed, lost_a, lost_b = violence.clash_deaths(rng, lam, pair_s, n_states, m_a * v_a, m_b * v_b)
        lost = np.zeros(n_orgs * n_states)
        clash_dead = np.zeros(n_states, np.int64)
        expected = np.zeros(n_states)
        for k in range(n_pairs):
            if killed[k] > 0:
                lost[pair_a[k] * n_states + pair_s[k]] += lost_a[k]
                lost[pair_b[k] * n_states + pair_s[k]] += lost_b[k]
                clash_dead[pair_s[k]] += killed[k]
            expected[pair_s[k]] += lam[k]
        for c in range(members.shape[0]):
            held_c = m[cell_org[c], cell_state[c]]
            if held_c > 0:
                loss[c] += lost[group[c]] * members[c] / held_c
        civilians = poisson_shared(rng, civ_ratio * expected)
        hidden_dead = np.empty(n_states, np.int64)
        hidden_civilians = np.empty(n_states, np.int64)
        for st in range(n_states):
            # a binomial of none, or at a share of 0, is 0 without a draw (as numpy's)
            hidden_dead[st] = rng.binomial(clash_dead[st], hidden[st]) if clash_dead[st] > 0 and hidden[st] > 0 else 0
            hidden_civilians[st] = (
                rng.binomial(civilians[st], hidden[st]) if civilians[st] > 0 and hidden[st] > 0 else 0
            )
        # the forces' fights, and homicides outside armed groups
        armed_cells = members * aggression
        armed = per_group(armed_cells, cell_state, n_states)
        fighting = forces.confronting(armed, pressure, confrontation) if confrontation != 0.0 else armed
        dead_forces, dead_gunmen = forces.force_clashes(rng, fighting, density, force_rate, per_force)
        for c in range(members.shape[0]):
            if armed[cell_state[c]] > 0:
                loss[c] += dead_gunmen[cell_state[c]] * armed_cells[c] / armed[cell_state[c]]
        background = violence.background_homicides(rng, population, bg_rate * season)
        today[FLOW] = market.trafficking_flow(flow_capacity, m, occ, moves, spare)
        for st in range(n_states):
            today[CRIMINAL, st] = clash_dead[st] - hidden_dead[st] + dead_gunmen[st]
            today[CIVILIAN, st] = civilians[st] - hidden_civilians[st] + background[st]
            today[FORCES, st] = dead_forces[st]
            today[BACKGROUND, st] = background[st]
            today[HIDDEN, st] = hidden_dead[st] + hidden_civilians[st]
            today[GUNMEN, st] = dead_gunmen[st]
            today[HOMICIDES, st] = today[CRIMINAL, st] + today[CIVILIAN, st] + dead_forces[st]
        # members change by gains less losses; the core loses its arrested and rebuilds
        died = False
        for c in range(members.shape[0]):
            value = max(members[c] + gain[c] - loss[c], 0.0)
            if value < CELL_DEATH_MEMBERS:
                died = died or members[c] > 0.0
                value = 0.0
            members[c] = value
        core[:] = commanders.rebuilt(commanders.after_arrests(core, rate, core_share, targeting), rebuild)
        # the day's end (and the next day's start)
        m = org_state_members(members, cell_org, cell_state, n_orgs, n_states)
        occ = occupied(m)
        today[MEMBERS] = per_group(members, cell_state, n_states)
        level[:n_states] = concentration(m, occ)
        totals = per_group(members, cell_org, n_orgs)
        by_org = totals.reshape(n_orgs, 1)
        level[n_states] = concentration(by_org, occupied(by_org))[0]
        nat[NAT_GROUPS] = groups_alive(totals, is_local)
        nat[NAT_EFFECTIVE] = effective_groups(totals, is_local)
        nat[NAT_LOYAL] = loyal_share(loyal_cells, cell_org, members, cjng)
        nat[NAT_HELD] = held.sum()
        nat[NAT_REMOVED] = removed
        q = core / core0  # today's end, and tomorrow's start
        nat[NAT_CORE] = commanders.mean_strength(q, members, np.zeros(members.shape[0], np.int64), 1)[0]
        day += 1
        if entries.sum() > 0:
            break
    return day, entries, (pair_a, pair_b, pair_s), presence


@compiled
def _moved(m: np.ndarray, presence: np.ndarray) -> bool:
    """Whether who is present where differs from `presence` (organisations x states)."""
    if m.shape != presence.shape:
        return True
    for o in range(m.shape[0]):
        for s in range(m.shape[1]):
            if (m[o, s] >= CELL_DEATH_MEMBERS) != presence[o, s]:
                return True
    return False


@compiled
def loyal_share(loyal_cells: np.ndarray, cell_org: np.ndarray, members: np.ndarray, cjng: int) -> float:
    """Share of CJNG's cells at day 0 that are alive and still with CJNG (NaN before day 0)."""
    if loyal_cells.shape[0] == 0:
        return np.nan
    loyal = 0
    for c in loyal_cells:
        if cell_org[c] == cjng and members[c] >= CELL_DEATH_MEMBERS:
            loyal += 1
    return loyal / loyal_cells.shape[0]
