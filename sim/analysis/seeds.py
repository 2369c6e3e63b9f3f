"""Which seeds fit and which test: calibration scripts draw from one range, tests and the
validation page from another, so that no check is made on a seed a fit has seen."""

CALIBRATION = range(
    101, 201
)  # every calibration script (experiments/calibrate_*.py, the plausible worlds) takes its seeds from here
TEST = range(1, 101)  # tests/ and experiments/validate.py


def calibration(n: int) -> list[int]:
    """The first `n` calibration seeds."""
    return list(CALIBRATION[:n])


def test(n: int) -> list[int]:
    """The first `n` test seeds."""
    return list(TEST[:n])
