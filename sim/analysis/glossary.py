"""The briefing's words, for a reader who has not read the code: each term as the summary uses it."""

from __future__ import annotations

from sim.analysis.style import SCENARIO_NAMES

SCENARIOS = {
    "no_strike": "the world in which the 22 February 2026 strike never happens; the strike is measured against it",
    "mencho_strike": "the strike as it happened, then no new policy; every policy is measured against it",
    "kingpin_campaign": "the strike, then a campaign of strikes on every organisation's leaders",
    "state_capacity": "the strike, then investment in police, courts and prisons from day 0",
    "second_front": "the strike, then a full military offensive on CJNG while the Sinaloa front goes on",
    "hugs_not_bullets": "the strike, then social policy against recruitment instead of force",
    "combined": "the strike, then capacity, finance and social measures together",
}

TERMS = {
    "plausible world": "a set of the uncertain parameters' values under which the model meets every calibration "
    "target; the briefing runs every scenario in the same worlds, so differences are paired",
    "paired change": "a scenario's value minus its baseline's in the same world with the same seed (common random "
    "numbers): the effect of the policy, not noise between runs",
    "band [a to b]": "the 5th to 95th percentile over worlds and seeds: what the model does not know about its "
    "parameters and chance, not a forecast interval",
    "lower in x% of worlds": "the share of plausible worlds (seeds averaged) in which the change is a fall",
    "effective groups": "1 / Herfindahl index of members across armed groups (unnamed local gangs left out): 1 is a "
    "monopoly, 10 is ten groups of equal size",
    "groups alive": "armed groups (unnamed local gangs left out) with at least 50 members",
    "states held": "the sum over states of the share of each the forces hold, averaged over the horizon; a state is "
    "fully held with enough holding troops per armed-group member there",
    "trafficking flow": "drugs moved to the US through Mexico, as a ratio to the year before the strike",
    "regret": "how much worse a policy does than the best policy in the same world; the robust choice has small "
    "regret everywhere, not only a good median",
    "as good as a tie": "a median difference under 1% of the outcome: a share of worlds 'won' then means little",
    "coverage, density (scenario discovery)": "of the worlds where a campaign backfires, the share inside the box "
    "(coverage); of the worlds inside the box, the share where it backfires (density)",
    "hidden killings": "killings concealed as disappearances, which the homicide count does not record",
}


def markdown() -> str:
    """The glossary as a Markdown section: the scenarios by plain name (and the name to run them by), then the terms."""
    lines = ["## Glossary", "", "Scenarios (the name to run each with in brackets):", ""]
    lines += [f"- **{SCENARIO_NAMES[code]}** (`{code}`): {text}." for code, text in SCENARIOS.items()]
    lines += ["", "Terms:", ""]
    lines += [f"- **{term}**: {text}." for term, text in TERMS.items()]
    return "\n".join(lines)
