"""Build the long record's observed tables from SESNSP's public files (run once; the tables ship).

    python -m experiments.data.sesnsp MIRROR_GIT_DIR SHARED_DATA_DIR

- `sim/data/observed_states_annual.csv`: homicidio doloso victims by state and year, 2015-2024,
  from SESNSP's victims file (fuero común, CNSP/38/15) as mirrored by isaacarroyov/datos_facil_acceso
  (`GobiernoMexicano/sesnsp/db_victimas_delitos_ent_long.csv.bz2`, commit 804bd40, cut June 2025):
  subtype "Homicidio doloso" (feminicidio apart), summed over method, sex and age. State rows for
  2025 on are dropped unread: they are reserved for out-of-sample checks.
- `sim/data/observed_national_monthly.csv`: national victims a day, Jan 2015 - May 2026:
  the same file summed over states to Jun 2025; Jul - Dec 2025 the victims figures of
  `observed_national.csv` (record-2024-2026.md, each cited there); Jan - May 2026 SESNSP's new
  registry (RNID, delitos, within about 3% of victims) as published (SHARED_DATA_DIR's 2026 file).
  `rel_error` is each month's observation error (relative, one standard deviation): 0.01 for
  SESNSP's victims file (revisions between releases moved overlapping months by at most 0.8%),
  0.02 for figures quoted in news reports, 0.03 for RNID against victims.
"""

from __future__ import annotations

import calendar
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd

REPO = "isaacarroyov/datos_facil_acceso"
PATH = "GobiernoMexicano/sesnsp/db_victimas_delitos_ent_long.csv.bz2"
COMMIT = "804bd4016fa2a8dd4f12eb5562981903bba865ba"  # "Update SESMSP data - 202506" (cut June 2025)
SOURCE = f"SESNSP victims (CNSP/38/15) via github.com/{REPO} {PATH} @ {COMMIT[:7]}"
DATA = Path(__file__).resolve().parents[2] / "sim" / "data"
LAST_STATE_YEAR = 2024  # state figures for 2025 on are reserved
LAST_MONTH = "2026-05"  # national figures after May 2026 are reserved


def victims(git_dir: str) -> pd.DataFrame:
    raw = subprocess.run(["git", "--git-dir", git_dir, "show", f"{COMMIT}:{PATH}"], check=True, capture_output=True)
    df = pd.read_csv(io.BytesIO(raw.stdout), compression="bz2", dtype={"cve_ent": str})
    return df[df["subtipo_de_delito"] == "Homicidio doloso"]


def states_annual(hd: pd.DataFrame) -> pd.DataFrame:
    kept = hd[hd["n_year"].between(2015, LAST_STATE_YEAR)]
    out = kept.groupby(["cve_ent", "nombre_estado", "n_year"], as_index=False)["n_victimas"].sum()
    out.columns = ["code", "state", "year", "victims"]
    out["code"] = out["code"].str.zfill(2)
    out["victims"] = out["victims"].round().astype(int)
    assert len(out) == 32 * (LAST_STATE_YEAR - 2014)
    return out.sort_values(["year", "code"])


def national_monthly(hd: pd.DataFrame, shared: Path) -> pd.DataFrame:
    by_month = hd.groupby(["n_year", "n_month"]).agg(victims=("n_victimas", "sum"), states=("cve_ent", "nunique"))
    by_month = by_month[by_month["states"] == 32].reset_index()
    rows = [
        (
            f"{r.n_year:04d}-{r.n_month:02d}",
            r.victims / calendar.monthrange(r.n_year, r.n_month)[1],
            "victims",
            0.01,
            f"{SOURCE}, sum of 32 states",
        )
        for r in by_month.itertuples()
    ]
    last = rows[-1][0]
    quoted = pd.read_csv(DATA / "observed_national.csv")
    rows += [
        (r.month, r.victims_per_day, "victims", 0.02, r.source)
        for r in quoted.itertuples()
        if last < r.month < "2026-01"
    ]
    rnid = pd.read_csv(shared / "sesnsp_homicide_national_monthly_2026.csv", comment="#")
    rows += [
        (
            r.month,
            r.delitos / calendar.monthrange(*map(int, r.month.split("-")))[1],
            "RNID",
            0.03,
            "SESNSP, new registry (RNID, homologated series, delitos), cut Aug 2026, via a public GitHub mirror",
        )
        for r in rnid.itertuples()
        if r.month <= LAST_MONTH
    ]
    out = pd.DataFrame(rows, columns=["month", "per_day", "measure", "rel_error", "source"])
    out["per_day"] = out["per_day"].round(2)
    months = pd.period_range("2015-01", LAST_MONTH, freq="M").strftime("%Y-%m")
    assert list(out["month"]) == list(months), "the national series must have every month, in order"
    return out


def main(git_dir: str, shared: str) -> None:
    hd = victims(git_dir)
    states_annual(hd).to_csv(DATA / "observed_states_annual.csv", index=False)
    national_monthly(hd, Path(shared)).to_csv(DATA / "observed_national_monthly.csv", index=False)


if __name__ == "__main__":
    main(*sys.argv[1:3])
