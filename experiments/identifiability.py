"""Identifiability of the fitted parameters: the calibration score across each one's range; writes docs/identifiability.md.

    python -m experiments.identifiability               # 19 parameters x 9 values x 2 calibration seeds: ~4 min on 2 cores
    python -m experiments.identifiability --values 15 --seeds 4

For every parameter a calibration script fits (kind `calibrated`), the others held at their
fitted values, the model runs at evenly spaced values over the parameter's range and at its
fitted value, and each run gets the calibration score of sim/analysis/plausibility.py (the
largest target implausibility: at most 1 meets every calibration target). A profile that stays
flat says the targets barely tell the values apart (poorly identified); a fitted value at the
edge of its range says the range, not the data, stopped the fit. Calibration seeds only (101+).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.analysis import seeds as seedlists  # noqa: E402
from sim import __version__  # noqa: E402
from sim.analysis import abc, plausibility  # noqa: E402
from sim.parameters import table  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "identifiability.md"
FIGURE = ROOT / "docs" / "figures" / "identifiability.png"
EDGE = 0.05  # a fitted value within this share of its range from an end is "at the edge"
FLAT = 0.1  # a profile whose median distance moves less than this over the range is "flat"


def profiles(names: list[str], n_values: int, seed_list: list[int], workers: int | None = None) -> pd.DataFrame:
    """Score of every (parameter, value, seed): `n_values` evenly over the range, plus the fitted value."""
    t = table()
    tasks = []
    for name in names:
        p = t[name]
        for v in sorted(set(np.linspace(p.low, p.high, n_values).tolist() + [float(p.default)])):
            tasks += [(name, float(v), s) for s in seed_list]
    # one calibration run per task through sim.ensemble (design points with their seeds, the score measured in the worker)
    runs = abc.evaluate([{name: value, "seed": seed} for name, value, seed in tasks], processes=workers, memory_gb=None)
    failed = (runs["error"] != "").to_numpy()  # a value the model cannot take scores as infinitely implausible
    frame = pd.DataFrame(tasks, columns=["parameter", "value", "seed"])
    for key in ("score", "distance"):
        frame[key] = np.where(failed, np.inf, runs[key].to_numpy(float))
    return frame


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per parameter: fitted value, range, the best grid value, scores, and the two flags."""
    t = table()
    rows = []
    for name, g in frame.groupby("parameter", sort=False):
        med = g.groupby("value")["distance"].median()
        worst = g.groupby("value")["score"].median()
        p = t[name]
        span = p.high - p.low
        finite = med[np.isfinite(med)]
        rows.append({
            "parameter": name, "fitted": p.default, "low": p.low, "high": p.high,
            "best": float(finite.idxmin()) if len(finite) else np.nan,
            "distance_fitted": float(med.loc[float(p.default)]),
            "distance_min": float(finite.min()) if len(finite) else np.inf,
            "distance_max": float(finite.max()) if len(finite) else np.inf,
            "plausible_share": float((worst <= 1.0).mean()),
            "at_edge": min(p.default - p.low, p.high - p.default) <= EDGE * span,
            "flat": (float(finite.max() - finite.min()) < FLAT) if len(finite) else False,
        })
    return pd.DataFrame(rows)


def _figure(frame: pd.DataFrame, table_: pd.DataFrame) -> None:
    names = list(table_["parameter"])
    cols = 5
    rows = int(np.ceil(len(names) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.5 * rows), squeeze=False)
    for ax, name in zip(axes.flat, names):
        g = frame[frame.parameter == name]
        med = g.groupby("value")["distance"].median()
        ax.plot(med.index, np.minimum(med.values, 10), "o-", color="0.2", ms=3)
        ax.axhline(1.0, color="0.6", lw=0.8, ls="--")
        ax.axvline(table()[name].default, color="tab:red", lw=0.8)
        ax.set_title(name, fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    fig.suptitle("Distance from the calibration targets (RMS implausibility, capped at 10) across each fitted parameter's range; red: fitted; dashed: 1", fontsize=9)
    fig.tight_layout()
    FIGURE.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(FIGURE, dpi=100)
    plt.close(fig)


def _fmt(x: float) -> str:
    return "inf" if not np.isfinite(x) else (f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}")


def render(table_: pd.DataFrame, n_values: int, seed_list: list[int], seconds: float) -> str:
    rows = "\n".join(
        f"| `{r.parameter}` | {_fmt(r.fitted)} | {_fmt(r.low)}–{_fmt(r.high)} | {_fmt(r.best)} | {_fmt(r.distance_fitted)} | "
        f"{_fmt(r.distance_min)}–{_fmt(r.distance_max)} | {r.plausible_share:.0%} | {'**yes**' if r.at_edge else 'no'} | {'**yes**' if r.flat else 'no'} |"
        for r in table_.itertuples()
    )
    edge = ", ".join(f"`{n}`" for n in table_.loc[table_.at_edge, "parameter"]) or "none"
    flat = ", ".join(f"`{n}`" for n in table_.loc[table_.flat, "parameter"]) or "none"
    return f"""# Identifiability of the fitted parameters

GENERATED by `python -m experiments.identifiability --values {n_values} --seeds {len(seed_list)}` (cartel-sim {__version__});
edit the script, not this page.

For each of the {len(table_)} parameters a calibration script fits (kind `calibrated` in
[parameters.md](parameters.md)), the others at their fitted values, the model runs at {n_values}
evenly spaced values over the parameter's range and at its fitted value, on calibration seeds
{seed_list[0]}-{seed_list[-1]}. Each run is measured against the calibration targets of `sim/analysis/plausibility.py` (the
record's fitted months within ±15%, calendar 2024, the 2024 ranking of states, the Sinaloa war,
the day-0 wave), each target's implausibility being its distance from the observed value in
tolerances (1 is the edge of what docs/validation.md accepts). The profile is the *distance*:
the root-mean-square implausibility over the targets, median over the seeds (the largest alone
is set by whichever target binds, often one the parameter does not touch). *Plausible* is the
share of the grid where the largest implausibility (median over the seeds) is at most 1: every
calibration target met. *At the edge*: the fitted value lies within {EDGE:.0%} of
the range from one end, so the range, not the data, stopped the fit. *Flat*: the median
distance moves by less than {FLAT} over the whole range, so the targets barely tell its values apart.
{seconds / 60:.0f} minutes on this machine.

At the edge: {edge}. Flat: {flat}.

![Profiles](figures/identifiability.png)

| parameter | fitted | range | best on the grid | distance at fitted | distance over the range | plausible | at the edge | flat |
|---|---|---|---|---|---|---|---|---|
{rows}

One parameter at a time: a profile holds the others at their fitted values, so it shows how
sharply the targets pin each value down near the fit, not the joint uncertainty (that needs the
ensemble calibration of issue 14).
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--values", type=int, default=9, help="grid values over each range (default 9)")
    ap.add_argument("--seeds", type=int, default=2, help="calibration seeds per value (default 2)")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    started = time.time()
    names = [p.name for p in table().values() if p.kind == "calibrated"]
    seed_list = seedlists.calibration(args.seeds)
    frame = profiles(names, args.values, seed_list, args.workers)
    table_ = summary(frame)
    _figure(frame, table_)
    DOC.write_text(render(table_, args.values, seed_list, time.time() - started), encoding="utf-8")
    print(f"wrote {DOC} and {FIGURE} in {time.time() - started:.0f} s")
    print(table_[["parameter", "fitted", "best", "distance_fitted", "distance_min", "distance_max", "plausible_share", "at_edge", "flat"]].to_string(index=False))


if __name__ == "__main__":
    main()
