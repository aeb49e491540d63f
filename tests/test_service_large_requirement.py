"""A huge requirement makes the fixed-roster assignment no slower: the flow gets one arc
per agent that could be placed, not one per agent required (53,000 for 999,999 tickets
with a 30 s AHT on a 15-minute grid)."""

from __future__ import annotations

import numpy as np

from roster.solver import service
from roster.solver.problem import Demand, Problem
from roster.solver.service import best_service

GROUPS = [(0,), (0, 1)]


class CountingFlow:
    """The real min-cost flow, counting the arcs it is given."""

    made: list[CountingFlow] = []

    def __init__(self) -> None:
        self._real = REAL_FLOW()
        self.arcs = 0
        CountingFlow.made.append(self)

    def add_arc_with_capacity_and_unit_cost(self, *args):
        self.arcs += 1
        return self._real.add_arc_with_capacity_and_unit_cost(*args)

    def __getattr__(self, name):
        return getattr(self._real, name)


REAL_FLOW = service.min_cost_flow.SimpleMinCostFlow


def huge() -> Problem:
    # en needs 50,000 agents, fr 1.5; shortage weights 1 and 3 per hundredth.
    en = Demand("en-L1", np.array([5_000_000]), np.array([0]), shortage_weight=1, floor_weight=0)
    fr = Demand("fr-L1", np.array([150]), np.array([0]), shortage_weight=3, floor_weight=0)
    return Problem(60, 1, (), (en, fr), 0, 6)


def test_a_huge_requirement_adds_no_more_arcs_than_agents_present(monkeypatch) -> None:
    monkeypatch.setattr(service.min_cost_flow, "SimpleMinCostFlow", CountingFlow)
    CountingFlow.made.clear()
    served = best_service(huge(), GROUPS, {(0, 0): 1, (1, 0): 2})
    # Arcs: source->2 groups, group 0->en, group 1->en and fr, source->sink, and at most
    # 3 agent arcs (one per agent present) into the sink from each of the 2 queues.
    (flow,) = CountingFlow.made
    assert flow.arcs <= 2 + 3 + 1 + 2 * 3
    # Each agent takes 100 off a queue's shortage; on fr that is worth 300 for the first
    # and 150 for the second (1.5 agents), against 100 on en: both bilingual agents to fr.
    assert served == {(0, 0, 0): 1, (1, 0, 0): 0, (1, 1, 0): 2}
