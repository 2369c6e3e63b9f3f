"""Daily per-state records of a run, kept in arrays and turned into a tidy table at the end."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.world.calendar import DAY0

# Per-state counts; the national value (state MX) is their sum. `homicides` and its categories
# are the recorded victims (SESNSP's series); `homicides_hidden` are killings hidden as
# disappearances, in no homicide count.
METRICS = (
    "homicides",
    "homicides_criminal",
    "homicides_civilian",
    "homicides_forces",
    "homicides_background",
    "homicides_hidden",
    "gunmen_killed",
    "members",
    "recruits",
    "arrests",
    "roadblocks",
    "entries",
    "flow",
)
LEVELS = ("concentration",)  # per-state levels with their own national value
NATIONAL = (
    "groups_alive",
    "effective_groups",
    "cjng_loyal_share",
    "held_states",
    "leaders_removed",
    "core_strength",
)  # national only (MX)


class DailyRecord:
    """Per-state values of each metric for days start_day .. end_day - 1 (day 0 = DAY0).

    Kept as three arrays, a day's rows contiguous (days x metrics x states, days x levels x
    states + 1, days x national metrics) so that the day's processes write into them directly
    (`rows`); `data`, `levels` and `national` are views by metric name.
    """

    def __init__(self, start_day: int, end_day: int, n_states: int) -> None:
        self.start_day = start_day
        self.end_day = end_day
        n_days = max(end_day - start_day, 0)
        self.values = np.zeros((n_days, len(METRICS), n_states))
        self.level_values = np.zeros((n_days, len(LEVELS), n_states + 1))
        self.national_values = np.full((n_days, len(NATIONAL)), np.nan)
        self._unrecorded = (
            np.zeros((len(METRICS), n_states)),
            np.zeros((len(LEVELS), n_states + 1)),
            np.zeros(len(NATIONAL)),
        )

    @property
    def data(self) -> dict[str, np.ndarray]:
        return {metric: self.values[:, i] for i, metric in enumerate(METRICS)}

    @property
    def levels(self) -> dict[str, np.ndarray]:
        return {level: self.level_values[:, i] for i, level in enumerate(LEVELS)}

    @property
    def national(self) -> dict[str, np.ndarray]:
        return {metric: self.national_values[:, i] for i, metric in enumerate(NATIONAL)}

    def rows(self, day: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The day's rows to fill, zeroed: values (metrics x states, METRICS order), levels
        (LEVELS x states + 1), national (NATIONAL order); scratch rows for a day outside the record."""
        if self.start_day <= day < self.end_day:
            row = day - self.start_day
            return self.values[row], self.level_values[row], self.national_values[row]
        for rows in self._unrecorded:
            rows.fill(0.0)
        return self._unrecorded

    def on_day(self, metric: str, day: int) -> float | None:
        """A national-only metric on one day, or None if the day is outside the record."""
        if not self.start_day <= day < self.end_day:
            return None
        value = self.national[metric][day - self.start_day]
        return None if np.isnan(value) else float(value)

    def total(self, metric: str, first_day: int, last_day: int, state: int | None = None) -> float:
        """Sum of a metric over days first_day .. last_day - 1, nationally or for one state."""
        rows = self.values[first_day - self.start_day : last_day - self.start_day, METRICS.index(metric)]
        return float(
            np.ascontiguousarray(rows).sum() if state is None else rows[:, state].sum()
        )  # numpy's pairwise order

    def mean(self, metric: str, first_day: int, last_day: int, state: int | None = None) -> float:
        """Mean per day of a metric over days first_day .. last_day - 1."""
        return self.total(metric, first_day, last_day, state) / (last_day - first_day)

    def to_frame(self, state_codes: list[str], national: bool = False) -> pd.DataFrame:
        """Tidy table: day, date, state (INEGI code or MX for the nation), metric, value; the
        state and metric columns categorical, their categories sorted. Built from whole arrays in
        one frame (a frame per metric and string columns cost more than the run's last year).
        With `national`, only the nation's rows, without the state column (an ensemble's table)."""
        days = np.arange(self.start_day, self.end_day)
        codes = ["MX"] if national else [*state_codes, "MX"]
        n_days, n_codes = len(days), len(codes)
        day_parts, state_parts, metric_parts, value_parts, names = [], [], [], [], []
        per_state = {
            m: a.sum(axis=1, keepdims=True) if national else np.concatenate([a, a.sum(axis=1, keepdims=True)], axis=1)
            for m, a in self.data.items()
        }
        levels = {m: a[:, -1:] if national else a for m, a in self.levels.items()}
        for metric, values in {**per_state, **levels}.items():
            day_parts.append(np.repeat(days, n_codes))
            state_parts.append(np.tile(np.arange(n_codes), n_days))
            metric_parts.append(np.full(n_days * n_codes, len(names)))
            value_parts.append(values.ravel())
            names.append(metric)
        for metric, values in self.national.items():
            kept = ~np.isnan(values)
            if kept.any():
                day_parts.append(days[kept])
                state_parts.append(np.full(kept.sum(), n_codes - 1))
                metric_parts.append(np.full(kept.sum(), len(names)))
                value_parts.append(values[kept])
                names.append(metric)
        day = np.concatenate(day_parts)
        columns = {"day": day, "date": pd.Timestamp(DAY0) + pd.to_timedelta(day, unit="D")}
        if not national:
            columns["state"] = _categorical(np.concatenate(state_parts), codes)
        columns["metric"] = _categorical(np.concatenate(metric_parts), names)
        columns["value"] = np.concatenate(value_parts)
        return pd.DataFrame(columns)


def _categorical(index: np.ndarray, names: list[str]) -> pd.Categorical:
    """names[index] as a categorical with sorted categories (as astype("category") makes it)."""
    order = np.argsort(names)
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names))
    return pd.Categorical.from_codes(rank[index], categories=[names[i] for i in order])
