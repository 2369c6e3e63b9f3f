"""Which organisation a cell belongs to lives in one place: the population's `org` array.

The Mesa agents read it (`Cell.org`, `Organisation.cells`, `Organisation.kind` from the
relations), so after a defection, a faction's split, an absorption or an entry the agents and the
arrays the day runs on cannot disagree.
"""

from __future__ import annotations

import numpy as np

from sim.world.model import CartelModel


def _agree(model: CartelModel) -> None:
    pop = model.population
    assert len(model.cells) == len(pop)
    for c, cell in enumerate(model.cells):
        assert cell.index == c and cell.org is model.organisations[int(pop.org[c])]
        assert cell.state_index == int(pop.state[c]) and cell.members == float(pop.members[c])
    for org in model.organisations:
        assert {cell.index for cell in org.cells} == set(model.live_cells(org.index).tolist())


def test_after_defections_the_agents_read_the_cells_new_organisation():
    model = CartelModel(seed=2, burn_in_days=30, horizon_days=60, strike_enabled=True, defect_rate=0.05)
    model.run_until(0)
    before = model.population.org.copy()
    model.run()
    cjng_cells = model.cjng_cells_d0
    moved = cjng_cells[model.population.org[cjng_cells] != before[cjng_cells]]
    assert len(moved) > 0  # the strike's succession split CJNG and cells defected
    _agree(model)


def test_after_entries_and_absorptions_the_agents_read_the_cells_new_organisation():
    model = CartelModel(seed=3, burn_in_days=0, horizon_days=0, record="none", entry_rate=0.5, absorb_rate=0.05)
    founders = len(model.population)
    model.run_until(-400)
    entered = np.arange(founders, len(model.population))  # every cell added since is a new group's
    assert len(entered) > 0
    absorbed = entered[~model.relations.entrant[model.population.org[entered]]]
    assert len(absorbed) > 0  # a cartel took some of them in
    assert all(model.cells[c].org.kind in ("national", "regional") for c in absorbed)
    _agree(model)
