"""The constructive start: re-planning a worker against everyone else's coverage.

Toy day of 60-minute intervals: queue X wants one agent 00:00-08:00 (1,000 per
agent-hour short), queue Y one agent 08:00-16:00 (400 per agent-hour short). The versatile
worker (X and Y, cheaper, so placed first) can work either half; the specialist (X only)
only the morning. Both must work one 8-hour shift.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from roster.solver.construct import construct, recreate
from roster.solver.problem import Demand, Problem, ShiftOption, Worker

MORNING = ShiftOption(0, 480, 0, 8)
AFTERNOON = ShiftOption(480, 960, 0, 8)


def toy() -> Problem:
    x_need, y_need = np.zeros(24, dtype=int), np.zeros(24, dtype=int)
    x_need[0:8], y_need[8:16] = 100, 100
    no_floor = np.zeros(24, dtype=int)
    x = Demand("X", x_need, no_floor, shortage_weight=10, floor_weight=10)
    y = Demand("Y", y_need, no_floor, shortage_weight=4, floor_weight=4)
    versatile = Worker("versatile", (MORNING, AFTERNOON), (0, 1), 480, 480, 1)
    specialist = Worker("specialist", (ShiftOption(0, 480, 0, 16),), (0,), 480, 480, 1)
    return Problem(60, 24, (versatile, specialist), (x, y), 0, 6)


def test_the_worker_placed_first_moves_to_the_queue_only_it_can_serve() -> None:
    # Placed first, the versatile worker takes the morning (X is worth more per hour);
    # the specialist must then work the same morning. Made again with the specialist's
    # morning known, the versatile week is the afternoon, and Y is covered too.
    chosen = construct(toy())
    assert chosen == {"versatile": [AFTERNOON], "specialist": [ShiftOption(0, 480, 0, 16)]}


def toy_with_an_optional_specialist() -> Problem:
    problem = toy()
    versatile, specialist = problem.workers
    optional = replace(specialist, min_minutes=0)
    return replace(problem, workers=(versatile, optional))


def test_alone_neither_worker_gives_up_the_morning() -> None:
    # The specialist need not work, and X is covered when it is placed: it stays home.
    # Made again alone, the versatile worker takes the morning again (X is worth more
    # than Y, and uncovered once it leaves).
    chosen = construct(toy_with_an_optional_specialist())
    assert chosen == {"versatile": [MORNING], "specialist": []}


def test_recreating_the_pair_covers_both_queues() -> None:
    # Taken away together and made again with the specialist first, the specialist takes
    # the morning and the versatile worker the afternoon: Y no longer short.
    problem = toy_with_an_optional_specialist()
    improved = recreate(problem, construct(problem), effort_seconds=0.01, seed=0)
    assert improved == {"versatile": [AFTERNOON], "specialist": [ShiftOption(0, 480, 0, 16)]}


def test_recreate_stops_when_asked() -> None:
    problem = toy_with_an_optional_specialist()
    start = construct(problem)
    assert recreate(problem, start, effort_seconds=60, seed=0, stop=lambda: True) == start
