"""The cartel-recruitment model of Prieto-Curiel, Campedelli & Hope (2023), re-implemented.

`python -m experiments.peers.prieto_curiel` prints the checklist against the expected and
published numbers (`report` below).

R. Prieto-Curiel, G. M. Campedelli, A. Hope, *Reducing cartel recruitment is the only way to lower
violence in Mexico*, Science 381(6664):1312-1316 (2023). Written from the description of the
model and its code (GitHub rafaelprietocuriel/Recruitment, commit a1db30c, which has no licence:
none of its code is used here), not from the R script. One ODE per group for 150 groups, in weeks:

    dC_i/dt = rho C_i - eta C_i / C - theta C_i (K C)_i - omega C_i^2,   deaths h = theta C'KC,

with K_ij = (W^R_ij + 1) / (1 + s^A_i) from the BACRIM 2020 network (data/ beside this module),
a Zipf initial condition by network rank, and the five parameters fitted (Euler, dt = 1 week) to
10 % of weekly homicides + missing persons 2012-2022. Policies start from the state at week 520
(start of 2022) and are read at policy week 260 (start of 2027), as the paper reports them.
Why it is here: to run the paper's policy experiments on our model side by side
(compare.py) with numbers we can recompute, not only quote.
"""

from __future__ import annotations

import csv
import dataclasses
from dataclasses import dataclass
from importlib import resources
from typing import Callable

import numpy as np
from scipy.integrate import solve_ivp
from scipy.interpolate import CubicSpline
from scipy.optimize import brentq, minimize

WEEKS = 520  # calibration window, start of 2012 to start of 2022; policies run as long again
POLICY_WEEK = 260  # start of 2027, where the paper reads its policy results
DEATH_SHARE, ARREST_SHARE = (
    0.1,
    0.05,
)  # 10 % of homicides + missing are cartel conflict deaths; 5 % of arrests cartel members
RTOL, ATOL = 1e-10, 1e-6


@dataclass(frozen=True)
class Params:
    """The model's five parameters; the defaults are the fitted constants the paper's runs hard-code."""

    rho: float = 2.527474e-3  # recruits per member per week
    eta: float = 110.0  # incapacitations per week, shared across cartels by size
    theta: float = 1.549231e-8  # conflict lethality per person-week
    omega: float = 4.0e-8  # saturation per person-week
    c0: float = 115_000.0  # members at the start of 2012

    def scaled(self) -> np.ndarray:
        """The optimiser's coordinates: (1e3 rho, eta, 1e8 theta, 1e6 omega, C0 / 1e3)."""
        return np.array([self.rho, self.eta, self.theta, self.omega, self.c0]) / SCALE

    @classmethod
    def from_scaled(cls, x: np.ndarray) -> Params:
        return cls(*(float(v) for v in np.asarray(x) * SCALE))


SCALE = np.array([1e-3, 1.0, 1e-8, 1e-6, 1e3])
X0 = np.array([2.68, 117.6, 1.59, 0.053, 111.0])  # the fit's start, scaled
BOUNDS = ((2.0, 3.0), (110.0, 120.0), (1.0, 2.0), (0.04, 0.1), (110.0, 115.0))  # scaled
FD_STEP = 1e-3  # R optim's default finite-difference step on the scaled parameters

# The description's checklist (section 10, steps 4 and 5) and the paper's published 2027 figures.
EXPECTED_BASELINE = {
    "members": 173_840,
    "deaths": 124.3,
    "recruits": 439.4,
    "saturation": 64.1,
    "D": 48_070,
    "R": 186_630,
    "deaths_t0": 67.2,
    "recruits_t0": 290.7,
    "saturation_t0": 27.7,
    "CJNG": 28_670,
    "Sinaloa": 17_740,
}
EXPECTED_POLICIES = {"status quo": (23.0, 36.3), "rho/2": (-9.9, -25.8), "2*eta": (5.9, 1.7), "rho=0": (-34.8, -60.8)}
EXPECTED_CROSSING_WEEK = 169
PUBLISHED = {  # % change of members and victims, 2027 against 2022; None where only words were published
    "status quo": (26.0, 40.0),
    "rho/2": (-11.0, -25.0),
    "2*eta": (None, None),
    "rho=0": (None, None),
}
PUBLISHED_WORDS = {  # (members, victims) in words where the paper gives no percentage
    "2*eta": ("still rising", "still rising"),
    "rho=0": (None, "back at the 2012 level in ~3 years"),
}


def policy_params(p: Params) -> dict[str, Params]:
    """The four runs from 2022: one parameter changed, as a step held for the whole run."""
    return {
        "status quo": p,
        "rho/2": dataclasses.replace(p, rho=p.rho / 2),
        "2*eta": dataclasses.replace(p, eta=2 * p.eta),
        "rho=0": dataclasses.replace(p, rho=0.0),
    }


# ----- data ------------------------------------------------------------------------------------
def _table(name: str) -> list[dict[str, str]]:
    text = (resources.files("sim.analysis.peers") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@dataclass(frozen=True)
class Network:
    """The 150 groups in rank order (index 0 the most connected) and the conflict matrix."""

    nodes: list[str]
    names: list[str]
    short_names: list[str]
    strength: np.ndarray  # rival + ally strength
    rival: np.ndarray  # symmetric W^R
    ally: np.ndarray  # symmetric W^A
    K: np.ndarray

    def index(self, short_name: str) -> int:
        return self.short_names.index(short_name)


def network() -> Network:
    """K_ij = (W^R_ij + 1) / (1 + s^A_i), K_ii = 0: every pair fights at base intensity 1, a
    rivalry adds its weight, and a group's alliances shield it (its row) from all its losses."""
    groups = sorted(_table("groups.csv"), key=lambda g: int(g["rank"]))
    where = {g["node"]: i for i, g in enumerate(groups)}
    n = len(groups)
    rival, ally = np.zeros((n, n)), np.zeros((n, n))
    for pair in _table("pairs.csv"):
        a, b = where[pair["node_a"]], where[pair["node_b"]]
        rival[a, b] = rival[b, a] = float(pair["w_rival"])
        ally[a, b] = ally[b, a] = float(pair["w_ally"])
    K = (rival + 1.0) / (1.0 + ally.sum(axis=1))[:, None]
    np.fill_diagonal(K, 0.0)
    return Network(
        nodes=[g["node"] for g in groups],
        names=[g["name"] for g in groups],
        short_names=[g["short_name"] for g in groups],
        strength=rival.sum(axis=1) + ally.sum(axis=1),
        rival=rival,
        ally=ally,
        K=K,
    )


def initial(c0: float, n: int = 150, rng: np.random.Generator | None = None) -> np.ndarray:
    """Zipf sizes by rank, lambda_i = C0 (1/i) / H_n; with `rng`, independent Poisson draws of
    them (the paper's main run draws once, unseeded; the fit uses lambda itself)."""
    inverse = 1.0 / np.arange(1, n + 1)
    lam = c0 * inverse / inverse.sum()
    return lam if rng is None else rng.poisson(lam).astype(float)


def _natural_spline(knots: np.ndarray, values: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A natural cubic spline that extrapolates linearly beyond the knots, as R's natural
    splines do (scipy's extrapolates the end cubic)."""
    inner = CubicSpline(knots, values, bc_type="natural")
    slope = inner.derivative()

    def f(t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        out = inner(t)
        lo, hi = t < knots[0], t > knots[-1]
        out[lo] = values[0] + slope(knots[0]) * (t[lo] - knots[0])
        out[hi] = values[-1] + slope(knots[-1]) * (t[hi] - knots[-1])
        return out

    return f


def targets() -> tuple[np.ndarray, np.ndarray]:
    """Weekly target deaths T_k (10 % of homicides + missing) and the arrest scale (5 % of arrests)
    at 520 equally spaced times from 2012.0 to 2022.0: yearly totals / 52 placed at the start of
    their year, through a natural spline; the last year is extrapolated."""
    rows = _table("trends.csv")
    years = np.array([float(r["year"]) for r in rows])
    t = np.linspace(years[0], years[0] + 10.0, WEEKS)
    weekly = {
        k: _natural_spline(years, np.array([float(r[k]) for r in rows]) / 52.0)(t)
        for k in ("homicides", "missing", "arrests")
    }
    return DEATH_SHARE * (weekly["homicides"] + weekly["missing"]), ARREST_SHARE * weekly["arrests"]


# ----- dynamics --------------------------------------------------------------------------------
def _growth(C: np.ndarray, K: np.ndarray, p: Params) -> tuple[np.ndarray, np.ndarray]:
    """(dC/dt, K C): recruitment, incapacitation shared by size, conflict and saturation."""
    KC = K @ C
    return C * (p.rho - p.eta / C.sum() - p.theta * KC - p.omega * C), KC


def rhs(t: float, y: np.ndarray, K: np.ndarray, p: Params) -> np.ndarray:
    """Right-hand side of (C_1..C_n, D, R): D counts conflict deaths, R recruits, since t = 0."""
    C = y[:-2]
    dC, KC = _growth(C, K, p)
    return np.concatenate([dC, [p.theta * C @ KC, p.rho * C.sum()]])


def flows(C: np.ndarray, K: np.ndarray, p: Params) -> dict[str, float]:
    """Weekly flows of a state: deaths (every one a member), recruits, incapacitations, saturation exits."""
    return {
        "deaths": float(p.theta * C @ (K @ C)),
        "recruits": float(p.rho * C.sum()),
        "incapacitations": p.eta,
        "saturation": float(p.omega * (C**2).sum()),
    }


def euler_deaths(K: np.ndarray, p: Params, weeks: int = WEEKS) -> np.ndarray:
    """Weekly deaths h_k (k = 1..weeks) of the fit: explicit Euler with dt = 1 week from the
    deterministic Zipf state, h_k read at the state after k - 1 steps."""
    C = initial(p.c0, len(K))
    h = np.empty(weeks)
    for k in range(weeks):
        dC, KC = _growth(C, K, p)
        h[k] = p.theta * C @ KC
        C = C + dC
    return h


def sse(x: np.ndarray, K: np.ndarray, T: np.ndarray) -> float:
    """The fit's objective at scaled parameters x. (The code's arrest residual is multiplied by 0,
    so arrests enter only through eta's bounds.)"""
    h = euler_deaths(K, Params.from_scaled(x), len(T))
    return float(((h - T) ** 2).sum())


def _gradient(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """Central differences of step FD_STEP, each side held inside the bounds (as R's optim does)."""
    g = np.empty_like(x)
    for i, (lo, hi) in enumerate(BOUNDS):
        up, down = x.copy(), x.copy()
        up[i], down[i] = min(x[i] + FD_STEP, hi), max(x[i] - FD_STEP, lo)
        g[i] = (f(up) - f(down)) / (up[i] - down[i])
    return g


def refit(net: Network | None = None) -> tuple[Params, float]:
    """L-BFGS-B on the Euler objective from the described start and bounds: checks that the
    hard-coded constants are the optimum of that objective."""
    net = net or network()
    T = targets()[0]
    f = lambda x: sse(x, net.K, T)  # noqa: E731
    res = minimize(f, X0, jac=lambda x: _gradient(f, x), method="L-BFGS-B", bounds=BOUNDS)
    return Params.from_scaled(res.x), float(res.fun)


@dataclass(frozen=True)
class Run:
    """One integration: sizes by week (weeks x groups), cumulative deaths D and recruits R, and a
    dense solution for times between the weeks."""

    weeks: np.ndarray
    C: np.ndarray
    D: np.ndarray
    R: np.ndarray
    p: Params
    dense: Callable[[float], np.ndarray]

    @property
    def members(self) -> np.ndarray:
        return self.C.sum(axis=1)

    def deaths(self, K: np.ndarray) -> np.ndarray:
        """Weekly deaths theta C'KC at each output week."""
        return self.p.theta * np.einsum("ti,ij,tj->t", self.C, K, self.C)

    def end(self) -> np.ndarray:
        """The state (C, D, R) at the last week: where a policy run starts."""
        return np.concatenate([self.C[-1], [self.D[-1], self.R[-1]]])


def integrate(y0: np.ndarray, K: np.ndarray, p: Params, weeks: int = WEEKS) -> Run:
    """solve_ivp (DOP853, rtol 1e-10) for `weeks` weeks, output every week (the paper used LSODA)."""
    t = np.arange(weeks + 1, dtype=float)
    sol = solve_ivp(
        rhs, (0.0, float(weeks)), y0, method="DOP853", t_eval=t, args=(K, p), rtol=RTOL, atol=ATOL, dense_output=True
    )
    if not sol.success:
        raise RuntimeError(f"integration failed: {sol.message}")
    return Run(weeks=t, C=sol.y[:-2].T, D=sol.y[-2], R=sol.y[-1], p=p, dense=sol.sol)


def baseline(net: Network, p: Params = Params(), rng: np.random.Generator | None = None) -> Run:
    """2012-2022 from the Zipf state (deterministic, or Poisson with `rng`)."""
    return integrate(np.concatenate([initial(p.c0, len(net.K), rng), [0.0, 0.0]]), net.K, p)


def policies(net: Network, base: Run) -> dict[str, Run]:
    """The four runs of 2022-2032 from the baseline's state at week 520, with D and R carried on."""
    return {name: integrate(base.end(), net.K, q) for name, q in policy_params(base.p).items()}


def change(values: np.ndarray, week: int = POLICY_WEEK) -> float:
    """% change at `week` against week 0."""
    return 100.0 * (values[week] / values[0] - 1.0)


def crossing_week(run: Run, K: np.ndarray, level: float) -> float | None:
    """First time (in weeks, between output weeks by root finding on the dense solution) that
    weekly deaths fall below `level`, or None if they never do."""
    h = run.deaths(K)
    below = np.flatnonzero(h < level)
    if len(below) == 0:
        return None
    k = int(below[0])
    if k == 0:
        return 0.0
    death = lambda t: run.p.theta * (C := run.dense(t)[:-2]) @ (K @ C) - level  # noqa: E731
    return float(brentq(death, k - 1.0, float(k)))


@dataclass(frozen=True)
class Reproduction:
    """Everything the checklist compares: the baseline at week 520 and flows at week 0, the
    policy % changes at week 260, and when deaths under rho = 0 first drop below 2012's level."""

    baseline: dict[str, float]
    policies: dict[str, tuple[float, float]]  # name -> (% members, % deaths)
    crossing_week: float | None
    runs: dict[str, Run]


def reproduce(p: Params = Params(), rng: np.random.Generator | None = None) -> Reproduction:
    net = network()
    base = baseline(net, p, rng)
    start, end = flows(base.C[0], net.K, p), flows(base.C[-1], net.K, p)
    numbers = {
        "members": float(base.members[-1]),
        "deaths": end["deaths"],
        "recruits": end["recruits"],
        "saturation": end["saturation"],
        "D": float(base.D[-1]),
        "R": float(base.R[-1]),
        "deaths_t0": start["deaths"],
        "recruits_t0": start["recruits"],
        "saturation_t0": start["saturation"],
        "CJNG": float(base.C[-1, net.index("CJNG")]),
        "Sinaloa": float(base.C[-1, net.index("Sinaloa")]),
    }
    runs = policies(net, base)
    changes = {name: (change(r.members), change(r.deaths(net.K))) for name, r in runs.items()}
    return Reproduction(
        numbers, changes, crossing_week(runs["rho=0"], net.K, start["deaths"]), {"baseline": base, **runs}
    )


# ----- the checklist ---------------------------------------------------------------------------
def _pct(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{x:+.{digits}f} %"


def report(rep: Reproduction) -> str:
    """The checklist's numbers beside the expected ones (section 10) and the paper's."""
    lines = [
        "Baseline 2012-2022 (week 520; *_t0 at week 0)",
        f"{'quantity':<14}{'ours':>12}{'expected':>12}{'diff':>9}",
    ]
    for key, expected in EXPECTED_BASELINE.items():
        ours = rep.baseline[key]
        lines.append(f"{key:<14}{ours:>12,.1f}{expected:>12,.1f}{100 * (ours / expected - 1):>+8.2f}%")
    lines += [
        "",
        "Policies from 2022: % change at policy week 260 (2027) against week 0",
        f"{'run':<12}{'members':>10}{'expected':>10}{'paper':>9}{'deaths':>10}{'expected':>10}{'paper':>9}",
    ]
    for name, (members, deaths) in rep.policies.items():
        em, ed = EXPECTED_POLICIES[name]
        pm, pd = PUBLISHED[name]
        lines.append(
            f"{name:<12}{_pct(members, 2):>10}{_pct(em):>10}{_pct(pm):>9}"
            f"{_pct(deaths, 2):>10}{_pct(ed):>10}{_pct(pd):>9}"
        )
    for name, words in PUBLISHED_WORDS.items():
        lines.append(
            f"  paper, {name}: " + "; ".join(f"{what} {w}" for what, w in zip(("members", "victims"), words) if w)
        )
    week = rep.crossing_week
    when = (
        "never"
        if week is None
        else f"week {week:.1f} ({week / 52:.2f} yr; first whole week below: {np.ceil(week):.0f})"
    )
    lines += [
        "",
        f"rho=0: deaths first below the 2012 level ({rep.baseline['deaths_t0']:.1f}/week) at {when}; "
        f"expected week {EXPECTED_CROSSING_WEEK} (3.25 yr); paper ~3 yr",
    ]
    return "\n".join(lines)
