"""The world against every observed figure it is compared with (docs/validation.md), on test seeds.

One parametrised test per target of `experiments.validate.TARGETS`, on the runs that write the
validation page: 20 test seeds of the record period and the day-0 wave, and 10 of a steady world
(record=none). Each target says whether it is a calibration fit, a check or by construction; the
test fails whenever the model misses it.
"""

import numpy as np
import pytest

from experiments import seeds, validate
from experiments.calibrate_baseline import FITTED as BASELINE_FITTED
from experiments.calibrate_ranking import FITTED as RANKING_FITTED
from experiments.calibrate_record import FITTED as RECORD_FITTED


@pytest.fixture(scope="module")
def measured() -> dict[str, np.ndarray]:
    return validate.measure(n_seeds=20)


@pytest.mark.parametrize("target", validate.TARGETS, ids=lambda t: t.key)
def test_target(target: validate.Target, measured) -> None:
    value = validate.headline(target.key, measured[target.key])
    assert target.ok(value), f"{target.what}: {value:.4g}, wanted {target.criterion} ({target.kind})"


def test_the_validation_page_is_current_with_its_targets() -> None:
    text = validate.DOC.read_text(encoding="utf-8")
    for target in validate.TARGETS:
        assert target.what in text, f"docs/validation.md lacks '{target.what}': run python -m experiments.validate"


def test_test_seeds_never_fit() -> None:
    assert not set(seeds.TEST) & set(seeds.CALIBRATION)


def test_at_most_four_new_parameters_are_fitted_to_the_national_series() -> None:
    assert len(RECORD_FITTED) <= 4
    assert not set(RECORD_FITTED) & (set(RANKING_FITTED) | set(BASELINE_FITTED))
