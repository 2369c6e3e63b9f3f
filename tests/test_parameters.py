"""The parameter table is the single source: conf defaults and the docs page must match it, and
every parameter has a hard validity domain outside which a run stops with one line."""

import contextlib
import csv
import io
import sys
from importlib import resources

import pytest

from sim import parameters
from sim.__main__ import main
from sim.errors import ConfigError
from sim.runs import paramfiles


def test_every_parameter_has_default_range_unit_source():
    for p in parameters.table().values():
        assert p.unit and p.source and p.description and p.kind in {"uncertainty", "lever", "calibrated", "record"}
        if p.low is not None:
            assert p.low <= p.default <= p.high, p.name
            parameters.check_value(p.name, p.low)  # the plausible range lies inside the validity domain
            parameters.check_value(p.name, p.high)
        parameters.check_value(p.name, p.default)  # the default itself is allowed


def test_every_numeric_parameter_has_an_upper_bound():
    for p in parameters.table().values():
        if p.domain not in ("bool", "share", "fraction") and not p.domain.startswith("choice:"):
            assert p.max is not None, f"{p.name} needs a hard upper bound (column max)"


def test_every_row_of_the_table_has_exactly_its_columns():
    text = resources.files("sim.data").joinpath("parameters.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines()):
        assert None not in row and None not in row.values(), f"{row['name']}: quote fields that hold commas"


def test_conf_defaults_are_generated_from_the_table():
    assert paramfiles.CONF_PARAMS.read_text(encoding="utf-8") == paramfiles.render_yaml(), (
        "conf/params/default.yaml is stale: run `python -m sim.runs.paramfiles`"
    )


def test_docs_page_is_generated_from_the_table():
    assert paramfiles.DOCS_PARAMS.read_text(encoding="utf-8") == paramfiles.render_docs(), (
        "docs/parameters.md is stale: run `python -m sim.runs.paramfiles`"
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("troop_pool", -1, "troop_pool = -1 is not allowed: it must be a number >= 0 and at most 1e+06"),
        ("chapitos_share", 1.2, "must be a share between 0 and 1"),
        ("loyalty_mean", 1.0, "must be a share strictly between 0 and 1"),
        ("market_share_exponent", 1e12, "a number > 0 and at most 0.99"),
        ("cells_per_significant_state", 0, "a whole number >= 1"),
        ("cells_per_significant_state", 1.5, "a whole number >= 1"),
        ("troop_pool", "many", "must be a number >= 0"),
        ("no_such_thing", 1, "unknown parameter 'no_such_thing'"),
    ],
)
def test_bad_values_give_one_line_errors(name, value, message):
    with pytest.raises(ConfigError) as err:
        parameters.check_value(name, value)
    assert message in str(err.value) and "\n" not in str(err.value)


def _cli_exit(arg: str, monkeypatch) -> tuple[int, str]:
    """`python -m sim ARG` in this process (the checks run before the model is imported)."""
    monkeypatch.setattr(sys, "argv", ["sim", arg, "hydra.run.dir=unused"])
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), pytest.raises(SystemExit) as stop:
        main()
    return stop.value.code, stderr.getvalue()


@pytest.mark.parametrize("name", list(parameters.table()))
def test_every_parameter_outside_its_domain_stops_the_cli_in_one_line(name, monkeypatch):
    for value in ("1e12", "-1", "word"):
        code, stderr = _cli_exit(f"params.{name}={value}", monkeypatch)
        lines = stderr.strip().splitlines()
        assert code == 2 and len(lines) == 1 and lines[0].startswith(f"error: {name} = "), (value, stderr)
