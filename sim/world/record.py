"""The record: dated events and policy settings that the world lives through before day 0.

A record is data, not code: a YAML file of events, each with its date, one action and its
source (`sim/data/records/`, or any file an analyst writes). Each event becomes an intervention
(sim/world/interventions.py), the kind of object a scenario's levers are too, and the model
applies it at the start of its day. Actions:

- `set`: policy settings the record changes (parameters of kind `record` in the parameter
  table, e.g. `arrests_per_day`, `sinaloa_front_troops`), as a mapping of name to value;
- `remove_leader`: an organisation loses its leader: `organisation`, `mode` (killed, captured
  and held, extradited, or betrayed by an ally, `by`), `heir` (a successor ready to take over);
- `extradite`: `prisoners` sent to the US; leaders the model holds in a Mexican prison (of the
  `organisations` listed, or of any) lose the influence they kept from prison;
- `arrest_cell_leaders`: `arrested` commanders of `organisation`'s cells in each of `states`
  (INEGI codes) are taken out of its core;
- `war`: the two `organisations` named go to war: their families (the organisations descended
  from each) become enemies at `hostility_war`, wherever both are present;
- `note`: a dated fact the model does not act on, shown on the record's figures.

`record=none` is the empty record: the world stays as the burn-in made it.

A record may also say when the world's daily table starts (`start`, default 1 Jan 2024), which
world of organisations it starts from (`world`: `2024`, the presence of 2024, or `2014`, the
presence of 2014 from sim/data/presence_2014.csv) and which record carries it on (`extends`: the
events of a shipped record follow its own). The long record `mexico_2015_2026` starts in 2015
from the world of 2014 and extends `mexico_2024_2026`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sim.errors import ConfigError
from sim.parameters import check_value, table
from sim.world.calendar import DAY0, TABLE_START, day_of
from sim.world.interventions import ArrestCellLeaders, Extradite, Intervention, Note, RemoveLeader, SetPolicy, War

ACTIONS = ("set", "remove_leader", "extradite", "arrest_cell_leaders", "war", "note")
REMOVAL_MODES = ("killed", "captured", "extradited", "betrayed")
NONE = "none"
KNOWN_ON = "@"  # `mexico_2024_2026@2025-07-01`: the record as known on that date
DEFAULT = "mexico_2024_2026"  # a run's record unless set: the world of 2024, quick to simulate
LONG = "mexico_2015_2026"  # the world of 2014 through the decade: the briefing's, the explorer's and validation's
WORLDS = ("2024", "2014")  # the presence tables a world starts from (sim/world/placement.py)


Event = Intervention  # a record's event is an intervention with a date in the past


@dataclass(frozen=True)
class Record:
    """A named list of events in date order."""

    name: str
    events: tuple[Event, ...] = ()
    start: dt.date = TABLE_START  # the daily table's first day; the burn-in precedes it
    world: str = WORLDS[0]  # the presence of organisations the world starts from

    def without(self, drop: Callable[[Event], bool]) -> Record:
        """The same record without the events `drop` picks (for counterfactual pasts)."""
        return replace(self, name=f"{self.name} (edited)", events=tuple(e for e in self.events if not drop(e)))

    def before(self, date: dt.date) -> Record:
        """The record as known on `date`: its events dated before it (a forecast from that date)."""
        kept = tuple(e for e in self.events if e.day < day_of(date))
        return replace(self, name=f"{self.name}{KNOWN_ON}{date.isoformat()}", events=kept)

    def settings_until(self, day: int, start: Mapping[str, Any]) -> dict[str, Any]:
        """The record's settings in force on `day` (after its events), from `start` values."""
        values = dict(start)
        for event in self.events:
            if event.action == "set" and event.day <= day:
                values.update(event.args)
        return values


def available() -> list[str]:
    """Records shipped with the package, by name."""
    folder = resources.files("sim.data").joinpath("records")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def load(spec: str | Path | Record | None) -> Record:
    """A record by name (`none` or a shipped one), by path to a YAML file, or as given; any of
    these followed by `@YYYY-MM-DD` is that record as known on the date (its events before it)."""
    if isinstance(spec, Record):
        return spec
    if isinstance(spec, str) and KNOWN_ON in spec:
        base, _, when = spec.rpartition(KNOWN_ON)
        try:
            date = dt.date.fromisoformat(when)
        except ValueError:
            raise ConfigError(f"record '{spec}': '{when}' is not a date (YYYY-MM-DD) after '{KNOWN_ON}'") from None
        return load(base).before(date)
    if spec is None or str(spec) == NONE:
        return Record(NONE)
    if not isinstance(spec, (str, Path)):
        raise ConfigError(f"record = {spec!r} is not allowed: {_choices()}")
    if str(spec) in available():
        return _shipped(str(spec))
    path = Path(spec)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return parse(_read(path.read_text(encoding="utf-8"), str(spec)), str(spec))
    raise ConfigError(f"unknown record '{spec}': {_choices()}")


@cache
def _shipped(name: str) -> Record:
    text = resources.files("sim.data").joinpath("records", f"{name}.yaml").read_text(encoding="utf-8")
    return parse(_read(text, name), name)


def _choices() -> str:
    return f"choose {NONE}, {', '.join(available())} or the path of a .yaml file of events (docs/record.md)"


def _read(text: str, name: str) -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        """YAML's safe loader, with a date that does not exist (2025-02-30) a YAML error at its line."""

    def timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        try:
            return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
        except ValueError as err:
            raise yaml.constructor.ConstructorError(
                None, None, f"'{node.value}' is not a calendar date ({err})", node.start_mark
            ) from None

    Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    try:
        return yaml.load(text, Loader=Loader)  # a SafeLoader: plain data only
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        raise ConfigError(
            f"record '{name}' is not valid YAML{line}: {getattr(err, 'problem', None) or 'unreadable'}"
        ) from None


def parse(data: Any, name: str) -> Record:
    """Check every event of a loaded YAML record; a bad one is a one-line ConfigError."""
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list):
        raise ConfigError(f"record '{name}' must be a mapping with a list 'events' (docs/record.md)")
    unknown = sorted(set(data) - {"name", "events", "start", "world", "extends"})
    if unknown:
        raise ConfigError(
            f"record '{name}': unknown key(s) {', '.join(unknown)}; allowed: name, events, start, world, extends"
        )
    start = data.get("start", TABLE_START)
    if not isinstance(start, dt.date) or isinstance(start, dt.datetime) or not start <= TABLE_START:
        raise ConfigError(
            f"record '{name}': start = {start!r} is not allowed: it must be a date no later than {TABLE_START}"
        )
    world = str(data.get("world", WORLDS[0]))
    if world not in WORLDS:
        raise ConfigError(f"record '{name}': world = {world!r} is not allowed: choose {' or '.join(WORLDS)}")
    out = [_event(raw, name, i) for i, raw in enumerate(events, start=1)]
    if "extends" in data:
        if data["extends"] not in available():
            raise ConfigError(f"record '{name}': extends = {data['extends']!r} is not a shipped record: {_choices()}")
        out += _shipped(data["extends"]).events
    return Record(name, tuple(sorted(out, key=lambda e: e.date)), start, world)


def _event(raw: Any, name: str, i: int) -> Event:
    where = f"record '{name}', event {i}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a mapping with date, one action ({', '.join(ACTIONS)}) and source")
    date = raw.get("date")
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise ConfigError(f"{where}: date = {date!r} is not allowed: it must be a date such as 2024-10-01")
    where = f"{where} ({date})"
    if day_of(date) >= 0:
        raise ConfigError(
            f"{where} is on or after day 0 ({DAY0}): a record holds the past; "
            "change what follows day 0 with the scenario's levers"
        )
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ConfigError(f"{where} has no source: every event needs one (a publication or 'assumption: why')")
    actions = [key for key in raw if key not in ("date", "source")]
    if len(actions) != 1 or actions[0] not in ACTIONS:
        raise ConfigError(
            f"{where} must have exactly one action, one of {', '.join(ACTIONS)} (found: {', '.join(actions) or 'none'})"
        )
    action = actions[0]
    try:
        args = CHECKS[action](raw[action])
    except ConfigError as err:
        raise ConfigError(f"{where}, {action}: {err}") from None
    return BUILD[action](date, source.strip(), args)


def _check_set(args: Any) -> dict[str, Any]:
    settable = [p.name for p in table().values() if p.kind == "record"]
    if not isinstance(args, dict) or not args:
        raise ConfigError(f"give one or more settings as name: value; settable: {', '.join(settable)}")
    out = {}
    for key, value in args.items():
        if key not in settable:
            raise ConfigError(f"'{key}' is not a setting the record can change; settable: {', '.join(settable)}")
        out[key] = check_value(key, value)
    return out


def _fields(args: Any, required: Iterable[str], optional: Iterable[str] = ()) -> dict[str, Any]:
    required, allowed = list(required), {*required, *optional}
    if not isinstance(args, dict):
        raise ConfigError(f"give a mapping with {', '.join(required)}")
    missing = [k for k in required if k not in args]
    unknown = [k for k in args if k not in allowed]
    if missing or unknown:
        raise ConfigError(
            f"fields {', '.join(sorted(allowed))} allowed and {', '.join(required)} required "
            f"(missing: {', '.join(missing) or 'none'}; unknown: {', '.join(unknown) or 'none'})"
        )
    return dict(args)


def _name(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{what} = {value!r} is not allowed: it must be an organisation's name")
    return value


def _count(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{what} = {value!r} is not allowed: it must be a whole number >= 0")
    return value


def _check_removal(args: Any) -> dict[str, Any]:
    out = _fields(args, ("organisation", "mode"), ("by", "heir"))
    _name(out["organisation"], "organisation")
    if out["mode"] not in REMOVAL_MODES:
        raise ConfigError(f"mode = {out['mode']!r} is not allowed: it must be one of {', '.join(REMOVAL_MODES)}")
    if (out["mode"] == "betrayed") != ("by" in out):
        raise ConfigError("'by' (the ally who betrayed the leader) is required with mode betrayed and only with it")
    if "by" in out:
        _name(out["by"], "by")
    heir = out.setdefault("heir", False)
    if not isinstance(heir, bool):
        raise ConfigError(f"heir = {heir!r} is not allowed: it must be true or false")
    return out


def _check_extradition(args: Any) -> dict[str, Any]:
    out = _fields(args, ("prisoners",), ("organisations",))
    _count(out["prisoners"], "prisoners")
    orgs = out.setdefault("organisations", [])
    if not isinstance(orgs, list):
        raise ConfigError("organisations must be a list of names")
    for org in orgs:
        _name(org, "organisations")
    return out


def _check_cell_leaders(args: Any) -> dict[str, Any]:
    out = _fields(args, ("organisation", "states", "arrested"))
    _name(out["organisation"], "organisation")
    states = out["states"]
    if isinstance(states, list):  # codes as the output tables write them ("14", "01") are codes too
        states = [int(s) if isinstance(s, str) and s.strip().isdigit() else s for s in states]
    if (
        not isinstance(states, list)
        or not states
        or not all(isinstance(s, int) and not isinstance(s, bool) and 1 <= s <= 32 for s in states)
    ):
        raise ConfigError(f"states = {out['states']!r} is not allowed: it must be a list of INEGI codes 1 to 32")
    out["states"] = states
    _count(out["arrested"], "arrested")
    return out


def _check_war(args: Any) -> dict[str, Any]:
    out = _fields(args, ("organisations",))
    orgs = out["organisations"]
    if not isinstance(orgs, list) or len(orgs) != 2 or orgs[0] == orgs[1]:
        raise ConfigError(f"organisations = {orgs!r} is not allowed: it must be a list of two different names")
    for org in orgs:
        _name(org, "organisations")
    return out


def _check_note(args: Any) -> dict[str, Any]:
    if not isinstance(args, str) or not args.strip():
        raise ConfigError("a note is a line of text")
    return {"text": args.strip()}


CHECKS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "set": _check_set,
    "remove_leader": _check_removal,
    "extradite": _check_extradition,
    "arrest_cell_leaders": _check_cell_leaders,
    "war": _check_war,
    "note": _check_note,
}


def check_organisations(record: Record, names: Iterable[str]) -> None:
    """Every organisation an event names must exist when the run starts."""
    known = set(names)
    for event in record.events:
        named = [event.args.get("organisation"), event.args.get("by"), *event.args.get("organisations", [])]
        for org in filter(None, named):
            if org not in known:
                raise ConfigError(
                    f"record '{record.name}', event on {event.date}: unknown organisation '{org}'; "
                    f"the world starts with: {', '.join(sorted(known))}"
                )


BUILD: dict[str, Callable[[dt.date, str, dict[str, Any]], Intervention]] = {
    "set": lambda date, source, a: SetPolicy(date, source, a),
    "remove_leader": lambda date, source, a: RemoveLeader(
        date, source, a["organisation"], a["mode"], a.get("by"), a["heir"]
    ),
    "extradite": lambda date, source, a: Extradite(date, source, a["prisoners"], tuple(a["organisations"])),
    "arrest_cell_leaders": lambda date, source, a: ArrestCellLeaders(
        date, source, a["organisation"], tuple(a["states"]), a["arrested"]
    ),
    "war": lambda date, source, a: War(date, source, tuple(a["organisations"])),
    "note": lambda date, source, a: Note(date, source, a["text"]),
}
