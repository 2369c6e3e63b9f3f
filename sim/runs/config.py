"""Where the Hydra config lives, and the input checks shared by `python -m sim` and `sim.run`.

Both front doors reject bad input in the same words (one line, `ConfigError`) before any model
runs, so a typo costs seconds and a clear message instead of a traceback from deep in Hydra.
Hydra is imported inside the functions so that `import sim` stays light.
"""

from __future__ import annotations

import difflib
import numbers
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import ConfigError
from sim.parameters import check_value, table

if TYPE_CHECKING:
    from hydra.core.override_parser.types import Override
    from omegaconf import DictConfig

CONF_DIR = Path(__file__).resolve().parents[2] / "conf"
POLICY_GROUPS = ("policy/military", "policy/kingpin", "policy/capacity", "policy/finance", "policy/social")
GROUPS = ("scenario", "params", *POLICY_GROUPS)  # config groups: a directory of yaml files each under conf/
RUN_SETTINGS = ("seed", "burn_in_days", "horizon_days")  # whole numbers
TOP_LEVEL = (
    "scenario",
    "seed",
    "burn_in_days",
    "horizon_days",
    "record",
    "origin",
    "world",
    "outputs",
    "figures",
    "params.NAME",
    *POLICY_GROUPS,
)
OUTPUTS = ("all", "summary")  # what a run writes: everything, or its summary.json only
GRAMMAR_URL = "https://hydra.cc/docs/advanced/override_grammar/basic/"


def group_options(group: str) -> list[str]:
    """The files (without .yaml) a config group can choose from."""
    return sorted(p.stem for p in (CONF_DIR / group).glob("*.yaml"))


def available_scenarios() -> list[str]:
    """Scenario names: one file each in conf/scenario/."""
    return group_options("scenario")


def check_option(group: str, name: Any) -> str:
    """Raise ConfigError unless `name` is a file of the config group."""
    options = group_options(group)
    if not isinstance(name, str) or name not in options:
        what = {"scenario": "scenario", "params": "params file"}.get(group, f"option of {group}")
        raise ConfigError(f"unknown {what} '{name}'; choose one of: {', '.join(options)}")
    return name


def check_scenario(name: Any) -> str:
    return check_option("scenario", name)


def check_param_name(name: str) -> None:
    """Raise ConfigError for a name not in the parameter table, suggesting the closest ones."""
    names = table()
    if name in names:
        return
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    hint = f" (did you mean {' or '.join(close)}?)" if close else ""
    raise ConfigError(f"unknown parameter '{name}'{hint}; all {len(names)} names are listed in docs/parameters.md")


def check_setting(key: str, value: Any) -> Any:
    """Check a top-level setting (seed, burn_in_days, horizon_days, record, origin, world, outputs, figures); return
    it as int/bool/str/None."""
    if key == "world":  # its range depends on the record: `plausible.check_world` where both are known
        from sim.runs.plausible import check_form

        return check_form(value)
    if key == "outputs":
        if value not in OUTPUTS:
            raise ConfigError(f"outputs = {value!r} is not allowed: it must be one of {', '.join(OUTPUTS)}")
        return value
    if key == "figures":
        if not isinstance(value, bool):
            raise ConfigError(f"figures = {value!r} is not allowed: it must be true or false")
        return value
    if key == "origin":
        from sim.world.calendar import check_origin

        return None if value is None else check_origin(value).isoformat()
    if key == "record":
        from sim.world.record import load  # reads and checks the record's events

        load(value if isinstance(value, str) else repr(value))
        return value
    if key != "seed":
        from sim.world.calendar import check_days

        return check_days(key, value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ConfigError(f"seed = {value!r} is not allowed: it must be a whole number >= 0")
    return int(value)


def check_overrides(args: list[str], multirun: bool = False) -> None:
    """Check command-line overrides with Hydra's own parser; raise ConfigError in one line.

    In a sweep (`multirun`) bad values are left to each job, which records the failure in its
    status.json, so that one bad combination does not stop the others; bad names still stop it.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.core.override_parser.types import ValueType
    from hydra.errors import OverrideParseException

    parser = OverridesParser.create()
    given = {}
    for arg in args:
        try:
            (override,) = parser.parse_overrides([arg])
        except OverrideParseException as err:
            lines = [ln for ln in str(err).splitlines() if ln and not ln.startswith(("Error parsing", "See "))]
            raise ConfigError(f"invalid override '{arg}': {'; '.join(lines)} (syntax: {GRAMMAR_URL})") from None
        _check_override(override, multirun)
        if override.key_or_group in ("world", "record") and override.value_type == ValueType.ELEMENT:
            given[override.key_or_group] = override.value()
    if given.get("world") is not None and not multirun:  # a world of the record's worlds (sim/runs/plausible.py)
        from sim.runs import plausible

        plausible.check_world(given["world"], plausible.kind(given.get("record", compose([]).record)))


def _values(override: Override) -> list[Any]:
    """The values an override sets: one, each of a choice/range sweep, none for interval/glob."""
    from hydra.core.override_parser.types import Override, Sweep, ValueType

    if override.value_type == ValueType.ELEMENT:
        return [override.value()]
    if override.is_discrete_sweep() and override.value_type != ValueType.GLOB_CHOICE_SWEEP:
        # Hydra's own conversion of a sweep's element (private; no public equivalent; hydra-core pinned <1.4)
        return [Override._convert_value(v) for v in override.sweep_iterator() if not isinstance(v, Sweep)]
    return []


def _check_override(override: Override, multirun: bool) -> None:
    key = override.key_or_group
    if override.is_hydra_override() or key == "hydra":
        return
    line = override.input_line or key
    if override.is_sweep_override() and not multirun:
        raise ConfigError(f"'{line}' is a sweep; add -m (--multirun) to run each value")
    head, _, name = key.partition(".")
    values = [] if override.is_delete() else _values(override)
    if head == "params" and name:
        check_param_name(name)
        for value in values if not multirun else []:
            check_value(name, value)
    elif override.is_delete() and key in TOP_LEVEL + GROUPS:
        raise ConfigError(f"cannot remove '{key}': every run needs it")
    elif key in GROUPS:
        for value in values:
            check_option(key, value)
    elif key in RUN_SETTINGS or key in ("figures", "record", "origin", "outputs", "world"):
        for value in values if not multirun else []:
            check_setting(key, value)
    elif not (override.is_add() or override.is_force_add()):
        raise ConfigError(
            f"unknown setting '{key}'; allowed top-level keys: {', '.join(TOP_LEVEL)} (add new keys as +KEY=VALUE)"
        )


def _override_value(value: Any) -> str:
    """A checked Python value (None, bool, int, float, str) as text that Hydra parses back to it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def run_overrides(scenario: str, seed: Any, overrides: dict[str, Any]) -> list[str]:
    """Checked Hydra overrides for `sim.run`: run settings top-level, anything else as params.NAME."""
    args = [f"scenario={check_scenario(scenario)}", f"seed={_override_value(check_setting('seed', seed))}"]
    for name, value in overrides.items():
        if name in RUN_SETTINGS or name in ("record", "origin", "world"):
            args.append(f"{name}={_override_value(check_setting(name, value))}")
        else:
            check_param_name(name)
            args.append(f"params.{name}={_override_value(check_value(name, value))}")
    return args


def compose(overrides: list[str]) -> DictConfig:
    """The job config `python -m sim` would get for these overrides (without the hydra node).

    Works inside a running Hydra app too: the app's global Hydra state is set aside meanwhile.
    """
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    outer = GlobalHydra.instance().hydra
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(CONF_DIR), version_base=None, job_name="app"):
            return hydra_compose(config_name="config", overrides=overrides)
    finally:
        GlobalHydra.instance().hydra = outer
