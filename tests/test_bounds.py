"""The flow lower bound: hand-computed on a toy problem, and never above an optimum.

Toy: 60-minute intervals; one queue needs agents in intervals 0-9 of day 0. A cheap
worker (1 per hour) reaches intervals 0-3 of day 0; a dear one (3 per hour) 0-7. One
hundredth of an agent-interval short costs 1, so a whole agent-interval costs 100.
"""

from __future__ import annotations

import numpy as np
import pytest

from roster.engine import SolveOptions, solve, translate
from roster.solver.bounds import flow_lower_bound
from roster.solver.problem import Demand, Problem, ShiftOption, Worker
from tests.builders import agent, queue, scenario


def option(day: int, start_hour: int, hours: int, cost_per_hour: int) -> ShiftOption:
    start = (24 * day + start_hour) * 60
    return ShiftOption(start, start + hours * 60, day, cost_per_hour * hours)


def toy(required_agents: float, cheap_min_minutes: int = 0) -> Problem:
    required = np.zeros(48, dtype=int)
    required[:10] = round(required_agents * 100)
    cheap = Worker(
        "cheap", (option(0, 0, 4, 1), option(1, 0, 4, 1)), (0,), cheap_min_minutes, 480, 2
    )
    dear = Worker("dear", (option(0, 0, 8, 3), option(1, 0, 8, 3)), (0,), 0, 960, 2)
    demand = Demand("en-L1", required, np.zeros(48, dtype=int), shortage_weight=1, floor_weight=1)
    return Problem(60, 48, (cheap, dear), (demand,), 0, 6)


def test_minimum_minutes_are_paid_even_without_demand() -> None:
    assert flow_lower_bound(toy(0, cheap_min_minutes=240)) == pytest.approx(4)


def test_each_worker_covers_only_the_intervals_its_day_reaches() -> None:
    # 2 agents x 10 intervals: cheap covers 0-3 (4), dear 0-7 (24); 8 agent-intervals
    # stay short at 100 each.
    assert flow_lower_bound(toy(2)) == pytest.approx(4 + 24 + 800)


def test_a_fraction_of_an_agent_short_costs_its_fraction() -> None:
    # 1.5 agents: 0-3 fully covered; 4-7 short 0.5 (50 each); 8-9 short 1.5 (150 each).
    assert flow_lower_bound(toy(1.5)) == pytest.approx(4 + 24 + 4 * 50 + 2 * 150)


@pytest.mark.parametrize("max_hours", [16, 40])
def test_bound_never_exceeds_a_proven_optimum(max_hours: int) -> None:
    week = scenario(
        agent("a01", max_hours=max_hours),
        agent("a02", timezone="Asia/Tokyo", max_hours=max_hours, min_hours=8),
        queues=(queue(min_agents=1),),
    )
    result = solve(week, SolveOptions(time_limit_seconds=30, workers=1))
    assert result.status == "OPTIMAL"
    assert flow_lower_bound(translate(week).problem) <= result.objective + 1e-6
