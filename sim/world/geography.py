"""Mexico's 32 federal entities: the shipped reference table and its land-border network."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import networkx as nx
import numpy as np
import pandas as pd

N_STATES = 32
JALISCO = 13  # index of INEGI code 14
SINALOA = 24  # index of INEGI code 25


@cache
def states_table() -> pd.DataFrame:
    """The reference table (one row per entity, INEGI order); see docs/data.md for sources."""
    with resources.files("sim.data").joinpath("states.csv").open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype={"code": str}, keep_default_na=False)
    return df


@cache
def border_graph() -> nx.Graph:
    """Undirected graph of land borders between entities; nodes are indices 0..31."""
    df = states_table()
    index = {code: i for i, code in enumerate(df["code"])}
    g = nx.Graph()
    g.add_nodes_from(range(len(df)))
    for i, neighbours in enumerate(df["neighbours"]):
        for code in neighbours.split():
            g.add_edge(i, index[code])
    return g


@dataclass(frozen=True)
class Geography:
    """Per-state arrays the model reads every day (index i is INEGI code i + 1)."""

    codes: list[str]
    abbr: list[str]
    population: np.ndarray
    us_border: np.ndarray
    key_port: np.ndarray
    coastal: np.ndarray
    rule_of_law: np.ndarray
    drug_use: np.ndarray


@cache
def geography() -> Geography:
    df = states_table()
    return Geography(
        codes=list(df["code"]),
        abbr=list(df["abbr"]),
        population=df["population_2020"].to_numpy(float),
        us_border=df["us_border"].to_numpy(bool),
        key_port=(df["key_port"] != "").to_numpy(),
        coastal=df["coastal"].to_numpy(bool),
        rule_of_law=df["rule_of_law_2023"].to_numpy(float),
        drug_use=df["drug_use_2008"].to_numpy(float),
    )


@cache
def border_distance() -> np.ndarray:
    """Number of land borders crossed between every pair of states (states x states)."""
    g = border_graph()
    d = np.zeros((N_STATES, N_STATES))
    for i, lengths in nx.all_pairs_shortest_path_length(g):
        for j, n in lengths.items():
            d[i, j] = n
    return d


@cache
def adjacency() -> np.ndarray:
    """Land-border matrix (states x states): 1 where two states share a border (read-only)."""
    matrix = (border_distance() == 1).astype(float)
    matrix.setflags(write=False)
    return matrix


@cache
def border_lists() -> tuple[np.ndarray, np.ndarray]:
    """Each state's land neighbours as two arrays for compiled code: the neighbours of state s are
    `to[start[s]:start[s + 1]]`, in index order (read-only)."""
    adj = adjacency()
    start = np.zeros(N_STATES + 1, dtype=np.int64)
    start[1:] = np.cumsum(adj.sum(axis=1).astype(np.int64))
    to = np.concatenate([np.flatnonzero(row) for row in adj]).astype(np.int64)
    for a in (start, to):
        a.setflags(write=False)
    return start, to
