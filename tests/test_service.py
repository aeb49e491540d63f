"""The best queue assignment of a fixed roster, hand-computed on a one-interval toy.

en-L1 needs 1.5 agents with a floor of 1 (shortage 1 per hundredth, floor 1,000 per
agent), fr-L1 needs 1 agent (shortage 3 per hundredth). So the first agent on en is worth
100 + 1,000, the second 50, a third nothing; the first on fr is worth 300.
Group 0 speaks en only, group 1 en and fr.
"""

from __future__ import annotations

import numpy as np

from roster.solver.problem import Demand, Problem
from roster.solver.service import best_service

GROUPS = [(0,), (0, 1)]


def toy() -> Problem:
    en = Demand("en-L1", np.array([150]), np.array([1]), shortage_weight=1, floor_weight=1000)
    fr = Demand("fr-L1", np.array([100]), np.array([0]), shortage_weight=3, floor_weight=1000)
    return Problem(60, 1, (), (en, fr), 0, 6)


def test_the_bilingual_agent_takes_the_queue_only_it_can_serve() -> None:
    # en + fr = 1,100 + 300 beats en + en = 1,100 + 50.
    assert best_service(toy(), GROUPS, {(0, 0): 1, (1, 0): 1}) == {
        (0, 0, 0): 1,
        (1, 0, 0): 0,
        (1, 1, 0): 1,
    }


def test_two_bilingual_agents_fill_the_en_floor_first_then_fr() -> None:
    assert best_service(toy(), GROUPS, {(1, 0): 2}) == {(1, 0, 0): 1, (1, 1, 0): 1}


def test_agents_beyond_the_rounded_up_requirement_stay_idle() -> None:
    # 1.5 agents on en: two serve, the third is worth nothing there.
    assert best_service(toy(), GROUPS, {(0, 0): 3}) == {(0, 0, 0): 2}
