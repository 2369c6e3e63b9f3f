"""The parameter table is the single source: conf defaults and the docs page must match it."""

import pytest

from sim import parameters, paramfiles
from sim.errors import ConfigError


def test_every_parameter_has_default_range_unit_source():
    for p in parameters.table().values():
        assert p.unit and p.source and p.description and p.kind in {"uncertainty", "lever", "calibrated"}
        if p.low is not None:
            assert p.low <= p.default <= p.high, p.name
        parameters.check_value(p.name, p.default)  # the default itself is allowed


def test_every_row_of_the_table_has_exactly_its_columns():
    import csv
    from importlib import resources

    text = resources.files("sim.data").joinpath("parameters.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines()):
        assert None not in row and None not in row.values(), f"{row['name']}: quote fields that hold commas"


def test_conf_defaults_are_generated_from_the_table():
    assert paramfiles.CONF_PARAMS.read_text(encoding="utf-8") == paramfiles.render_yaml(), (
        "conf/params/default.yaml is stale: run `python -m sim.paramfiles`"
    )


def test_docs_page_is_generated_from_the_table():
    assert paramfiles.DOCS_PARAMS.read_text(encoding="utf-8") == paramfiles.render_docs(), (
        "docs/parameters.md is stale: run `python -m sim.paramfiles`"
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("troop_pool", -1, "troop_pool = -1 is not allowed: it must be a number >= 0"),
        ("chapitos_share", 1.2, "must be a share between 0 and 1"),
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
