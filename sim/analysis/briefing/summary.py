"""The briefing's summary.md: its sections in order, in plain scenario names, then the glossary."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from sim.analysis.baselines import COUNTERFACTUAL, STATUS_QUO
from sim.analysis.briefing.comparisons import band, effect
from sim.analysis.briefing.sections import headlines, spread_section
from sim.world.calendar import DEFAULT_ORIGIN

# What each world of organisations' plausible worlds are (sim/runs/plausible.py), and the page on how they were found
WORLDS_ARE = {
    "2024": ("parameter sets that meet every calibration target", "docs/plausible.md"),
    "2014": ("parameter sets of the world of 2014 conditioned on every observed month since 2015", "docs/worlds.md"),
}
CHANNEL = "decapitation_core_loss"  # what a removal costs an organisation: the campaign's sign turns on it (reversals)
PAST_FROM = {"2024": "July 2024", "2014": "January 2015"}  # where each world's record starts to act
AFTER_STRIKE = {  # what the months from the strike to the origin are to each world's parameters
    "2024": "the months after it are results of the model's mechanisms, not inputs.",
    "2014": "the worlds were conditioned on every observed month to May 2026, those after the strike included, "
    "so the model's months before the origin are fits; from the origin on nothing was fitted.",
}


def summary_markdown(
    runs: pd.DataFrame,
    worlds: int,
    seeds: int,
    horizon: int,
    version: str,
    extra: list[str] = (),
    opening: list[str] = (),
    origin: dt.date = DEFAULT_ORIGIN,
    world_of: str = "2024",
) -> str:
    """The summary in plain scenario names: `opening` (the bottom line, the distance from the record)
    after the title, the tables, `extra` (robust comparison, discovery), then the glossary; `world_of`:
    the world of organisations the runs started from, whose plausible worlds they ran in."""
    from sim.analysis import glossary

    ok = runs[runs["status"] == "ok"]
    sample = f"{worlds} plausible worlds × {seeds} seeds" if worlds else f"{seeds} seeds of the fitted parameters"
    lines = [
        "# Briefing: after the strike on the CJNG leader (22 February 2026)",
        "",
        *opening,
        f"cartel-sim {version}; generated {dt.date.today().isoformat()}; {len(ok)} runs ({sample} per scenario, "
        f"the same in every scenario); horizon {horizon} days from the origin, {origin:%d %b %Y}, where the policies "
        "start (the strike was on 22 Feb 2026). Numbers are the median over runs "
        "with the 5th–95th percentile in brackets: the spread of outcomes the model gives over "
        + ("{} ({}) and chance".format(*WORLDS_ARE[world_of]) if worlds else "chance alone")
        + ", not a forecast interval."
        + (f" {varied(world_of)}" if worlds else ""),
        "",
        *headlines(ok, horizon),
        "",
        "## Key numbers",
        "",
        "| scenario | homicides, first year after the strike | change vs no strike (paired) | groups alive, day 365 "
        "| effective groups, day 365 | trafficking flow at the end (vs before) | states held (mean) "
        "| leaders removed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for scenario, g in ok.groupby("scenario", sort=False):
        lines.append(
            f"| `{scenario}` | {band(g['homicides_d0_365'])} | "
            f"{effect(ok, 'homicides_d0_365', scenario, COUNTERFACTUAL) if scenario != COUNTERFACTUAL else '—'} | "
            f"{band(g['groups_alive_d365'])} | {band(g['effective_groups_d365'], 1)} | "
            f"{band(g['flow_ratio_end'], 2)} | "
            f"{band(g['state_held_states_mean'], 1)} | {band(g['leaders_removed'])} |"
        )
    lines += spread_section(ok)
    past = ok[ok["scenario"] == COUNTERFACTUAL] if COUNTERFACTUAL in set(ok["scenario"]) else ok
    if len(past) and "homicides_record_monthly_error" in past:
        lines += [
            "",
            f"## The past the scenarios share (the record, {PAST_FROM[world_of]} - 21 February 2026)",
            "",
            f"- National homicides: {band(past['homicides_2024'])} in 2024 (SESNSP: 30,046), "
            f"{band(past['homicides_2025'])} in 2025 (SESNSP, preliminary: about 23,240; not fitted).",
            "- Against the 15 observed months from September 2024 (86.9 victims a day) to February 2026 (48.8): "
            f"median error {band(100 * past['homicides_record_monthly_error'], 1)}% "
            "(figure `record`; docs/validation.md).",
            "- Killings hidden as disappearances under the strategy: "
            f"{band(past['homicides_hidden_excess_per_day'], 1)} a day "
            "more than before it (registered disappearances rose by about 14 a day).",
        ]
    strike = ok[ok["scenario"] == STATUS_QUO]
    if len(strike):
        consolidated = strike["succession_days"].notna().mean()
        lines += [
            "",
            "## The day-0 wave and the succession (`mencho_strike`)",
            "",
            f"- Roadblocks in the first 48 hours: {band(strike['roadblocks_48h'])}, "
            f"in {band(strike['roadblock_states_48h'])} states "
            "(articles: more than 250 in 20 states).",
            "- Share cleared within 24 hours of being set: "
            f"{band(strike['roadblocks_cleared_24h_share'], 2)} (articles: most by Monday morning).",
            f"- National Guard killed in Jalisco in 72 hours: {band(strike['guard_killed_jalisco_72h'])} "
            "(articles: 25); "
            f"gunmen killed by forces: {band(strike['gunmen_killed_72h'])} (articles: about 34).",
            f"- A successor consolidated within the horizon in {consolidated:.0%} of runs, "
            f"after {band(strike['succession_days'])} days; "
            f"CJNG cells still loyal a year later: {band(strike['cjng_loyal_share_d365'], 2)}.",
        ]
    lines += list(extra)
    failed = runs[runs["status"] != "ok"]
    if len(failed):
        lines += ["", f"**{len(failed)} runs failed**: see runs.csv (status, error)."]
    lines += [
        "",
        "## How to read this",
        "",
        "The model and its assumptions: docs/ODD.md; each policy lever and what it cannot represent: docs/policies.md; "
        "every parameter with its source: docs/parameters.md; the plausible worlds and how they were found: "
        f"{WORLDS_ARE[world_of][1]}. "
        "The day-0 wave is calibrated to the articles (docs/calibration.md); " + AFTER_STRIKE[world_of],
        "",
    ]
    return plain("\n".join(lines)) + "\n" + glossary.markdown() + "\n"


def varied(world_of: str) -> str:
    """Which of the uncertain and calibrated parameters the worlds vary: the others hold one value in
    every world, and the bands carry nothing of what we do not know about them."""
    from sim import parameters
    from sim.runs import plausible

    unknown = [p.name for p in parameters.table().values() if p.kind in ("uncertainty", "calibrated")]
    table = plausible.table(world_of)
    moving = [name for name in unknown if name in table and table[name].nunique() > 1]
    text = f"The worlds vary {len(moving)} of the {len(unknown)} uncertain and calibrated parameters"
    if len(moving) == len(unknown):
        return text + "."
    text += "; the others hold one value in every world, so the bands leave out what we do not know about them"
    if CHANNEL in moving:
        return text + "."
    return text + (
        " (among them the channels through which enforcement and removals raise or lower violence: the world of "
        "2024's worlds vary them, and there a kingpin campaign's sign reverses in about half the worlds, "
        "docs/reversals.md)."
    )


def plain(text: str) -> str:
    """Every scenario's code name, as `code` or bare, replaced by its plain name (the glossary gives both)."""
    from sim.analysis.style import SCENARIO_NAMES

    codes = "|".join(SCENARIO_NAMES)
    pattern = rf"`({codes})`|(?<![\w`/])({codes})(?![\w`/])"  # one pass: a name put in is not read again
    return re.sub(pattern, lambda m: SCENARIO_NAMES[m.group(1) or m.group(2)], text)
