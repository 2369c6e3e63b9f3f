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
NATIONAL = ("groups_alive", "effective_groups", "cjng_loyal_share", "held_states", "leaders_removed", "core_strength")  # national only (MX)


class DailyRecord:
    """Per-state values of each metric for days start_day .. end_day - 1 (day 0 = DAY0)."""

    def __init__(self, start_day: int, end_day: int, n_states: int) -> None:
        self.start_day = start_day
        self.end_day = end_day
        n_days = end_day - start_day
        self.data = {m: np.zeros((n_days, n_states)) for m in METRICS}
        self.levels = {m: np.zeros((n_days, n_states + 1)) for m in LEVELS}
        self.national = {m: np.full(n_days, np.nan) for m in NATIONAL}

    def add(self, day: int, values: dict[str, np.ndarray], levels: dict[str, np.ndarray], national: dict[str, float]) -> None:
        if self.start_day <= day < self.end_day:
            row = day - self.start_day
            for metric, array in self.data.items():
                array[row] = values[metric]
            for metric, array in self.levels.items():
                array[row] = levels[metric]
            for metric, array in self.national.items():
                array[row] = national[metric]

    def on_day(self, metric: str, day: int) -> float | None:
        """A national-only metric on one day, or None if the day is outside the record."""
        if not self.start_day <= day < self.end_day:
            return None
        value = self.national[metric][day - self.start_day]
        return None if np.isnan(value) else float(value)

    def total(self, metric: str, first_day: int, last_day: int, state: int | None = None) -> float:
        """Sum of a metric over days first_day .. last_day - 1, nationally or for one state."""
        rows = self.data[metric][first_day - self.start_day : last_day - self.start_day]
        return float(rows.sum() if state is None else rows[:, state].sum())

    def mean(self, metric: str, first_day: int, last_day: int, state: int | None = None) -> float:
        """Mean per day of a metric over days first_day .. last_day - 1."""
        return self.total(metric, first_day, last_day, state) / (last_day - first_day)

    def to_frame(self, state_codes: list[str]) -> pd.DataFrame:
        """Tidy table: day, date, state (INEGI code or MX for the nation), metric, value."""
        days = np.arange(self.start_day, self.end_day)
        codes = np.array(state_codes + ["MX"])
        n_days, n_codes = len(days), len(codes)
        frames = []
        per_state = {m: np.concatenate([a, a.sum(axis=1, keepdims=True)], axis=1) for m, a in self.data.items()}
        for metric, values in {**per_state, **self.levels}.items():
            frames.append(
                pd.DataFrame(
                    {
                        "day": np.repeat(days, n_codes),
                        "state": np.tile(codes, n_days),
                        "metric": metric,
                        "value": values.ravel(),
                    }
                )
            )
        for metric, values in self.national.items():
            kept = ~np.isnan(values)
            frames.append(pd.DataFrame({"day": days[kept], "state": "MX", "metric": metric, "value": values[kept]}))
        df = pd.concat(frames, ignore_index=True)
        df.insert(1, "date", pd.Timestamp(DAY0) + pd.to_timedelta(df["day"], unit="D"))
        df["state"] = df["state"].astype("category")
        df["metric"] = df["metric"].astype("category")
        return df
