"""The aggregate lower bound: hand-computed on a toy problem, and never above an optimum."""

from __future__ import annotations

import numpy as np
import pytest

from roster.engine import SolveOptions, solve, translate
from roster.solver.bounds import aggregate_lower_bound
from roster.solver.problem import Demand, Problem, ShiftOption, Worker
from tests.builders import agent, queue, scenario


def option(day: int, start_hour: int, hours: int, cost_per_hour: int) -> ShiftOption:
    start = (24 * day + start_hour) * 60
    return ShiftOption(start, start + hours * 60, day, cost_per_hour * hours)


def toy(min_minutes: int, required_agents: float) -> Problem:
    """One queue needing `required_agents` for 10 hours (60-min intervals); two workers:
    a cheap one (1/h) with up to two 4 h days, a dear one (3/h) with two 8 h days."""
    required = np.zeros(24, dtype=int)
    required[:10] = round(required_agents * 100)
    cheap = Worker("cheap", (option(0, 0, 4, 1), option(1, 0, 4, 1)), (0,), min_minutes, 480, 2)
    dear = Worker("dear", (option(0, 0, 8, 3), option(1, 0, 8, 3)), (0,), 0, 960, 2)
    demand = Demand("en-L1", required, np.zeros(24, dtype=int), shortage_weight=1, floor_weight=1)
    return Problem(60, 24, (cheap, dear), (demand,), 0, 6)


def test_minimum_minutes_are_paid_at_the_cheapest_rate() -> None:
    # No demand: only the cheap worker's 240 minimum minutes at 1/60 per minute.
    assert aggregate_lower_bound(toy(240, 0)) == pytest.approx(4)


def test_demand_is_filled_cheapest_first() -> None:
    # 2 agents x 10 h = 1200 agent-minutes: 480 cheap (8), then 720 dear (36).
    assert aggregate_lower_bound(toy(0, 2)) == pytest.approx(8 + 36)


def test_demand_beyond_every_workers_reach_costs_its_shortage() -> None:
    # 4 agents x 10 h = 2400 minutes; 480 + 960 can be worked, 960 minutes stay short
    # at 100 per agent-interval of 60 minutes.
    bound = aggregate_lower_bound(toy(0, 4))
    assert bound == pytest.approx(8 + 48 + 960 * 100 / 60)


@pytest.mark.parametrize("max_hours", [16, 40])
def test_bound_never_exceeds_a_proven_optimum(max_hours: int) -> None:
    week = scenario(
        agent("a01", max_hours=max_hours),
        agent("a02", timezone="Asia/Tokyo", max_hours=max_hours, min_hours=8),
        queues=(queue(min_agents=1),),
    )
    result = solve(week, SolveOptions(time_limit_seconds=30, workers=1))
    assert result.status == "OPTIMAL"
    assert aggregate_lower_bound(translate(week).problem) <= result.objective + 1e-6
