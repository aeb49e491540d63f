"""Figures per week of the horizon: coverage and shortage of each queue, paid hours and
cost, and each agent's hours against its weekly bounds.

The formulas are the KPI summary's (`roster.kpi`) applied to one week's intervals:
covered = min(required, scheduled) and shortage = max(0, required - scheduled) per
interval and queue, in agent-hours; coverage % = covered / required. A shift counts in
the week in which it starts, as the weekly hour limits count it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from api.views.horizon import PlanningWeek, planning_weeks, week_slice
from roster.model import Agent, QueueKey, Scenario
from roster.result import Roster

SHORT_AGENT_HOURS = 0.05  # what rounds to 0.0 on the pages is no shortfall


@dataclass(frozen=True)
class CoverageArrays:
    """Required and scheduled agents per interval of the horizon, per queue."""

    required: dict[QueueKey, np.ndarray]
    scheduled: dict[QueueKey, np.ndarray]


@dataclass(frozen=True)
class CoverageFigures:
    required_agent_hours: float
    scheduled_agent_hours: float
    covered_agent_hours: float
    shortage_agent_hours: float

    @property
    def coverage_pct(self) -> float:
        if not self.required_agent_hours:
            return 100.0
        return 100.0 * self.covered_agent_hours / self.required_agent_hours

    @property
    def short(self) -> bool:
        return self.shortage_agent_hours >= SHORT_AGENT_HOURS

    def __add__(self, other: CoverageFigures) -> CoverageFigures:
        return CoverageFigures(
            self.required_agent_hours + other.required_agent_hours,
            self.scheduled_agent_hours + other.scheduled_agent_hours,
            self.covered_agent_hours + other.covered_agent_hours,
            self.shortage_agent_hours + other.shortage_agent_hours,
        )


NO_COVERAGE = CoverageFigures(0.0, 0.0, 0.0, 0.0)


def coverage_figures(
    required: np.ndarray, scheduled: np.ndarray, interval_minutes: int
) -> CoverageFigures:
    hours = interval_minutes / 60
    return CoverageFigures(
        required_agent_hours=float(required.sum()) * hours,
        scheduled_agent_hours=float(scheduled.sum()) * hours,
        covered_agent_hours=float(np.minimum(required, scheduled).sum()) * hours,
        shortage_agent_hours=float(np.maximum(0.0, required - scheduled).sum()) * hours,
    )


@dataclass(frozen=True)
class WeekTotals:
    week: PlanningWeek
    shifts: int
    paid_hours: float
    cost: float
    queues: dict[str, CoverageFigures]  # by queue label, in the scenario's queue order

    @property
    def coverage(self) -> CoverageFigures:
        """All queues together, as the summary's coverage card counts them."""
        return sum(self.queues.values(), NO_COVERAGE)


def week_totals(scenario: Scenario, roster: Roster, arrays: CoverageArrays) -> list[WeekTotals]:
    weeks = planning_weeks(scenario)
    shifts, hours, cost = [0] * len(weeks), [0.0] * len(weeks), [0.0] * len(weeks)
    for shift in roster.shifts:
        k = scenario.week_of(shift.start)
        agent = scenario.agents_by_id.get(shift.agent_id)
        shifts[k] += 1
        hours[k] += shift.hours
        cost[k] += shift.hours * (agent.hourly_cost if agent else 0.0)
    return [
        WeekTotals(week, shifts[k], hours[k], cost[k], _queue_figures(scenario, arrays, week))
        for k, week in enumerate(weeks)
    ]


def _queue_figures(
    scenario: Scenario, arrays: CoverageArrays, week: PlanningWeek
) -> dict[str, CoverageFigures]:
    part = week_slice(scenario, week)
    return {
        q.label: coverage_figures(
            arrays.required[q.key][part], arrays.scheduled[q.key][part], scenario.interval_minutes
        )
        for q in scenario.queues
    }


@dataclass(frozen=True)
class WeekHours:
    hours: float
    shifts: int
    within_bounds: bool


@dataclass(frozen=True)
class AgentHours:
    """One agent's hours in each week of the horizon, against the weekly bounds."""

    agent: Agent
    weeks: tuple[WeekHours, ...]

    @property
    def hours(self) -> float:
        return sum(w.hours for w in self.weeks)

    @property
    def weeks_outside_bounds(self) -> int:
        return sum(not w.within_bounds for w in self.weeks)


def agent_hours(scenario: Scenario, roster: Roster, agents: list[Agent]) -> list[AgentHours]:
    per_week: dict[str, list[list[float]]] = defaultdict(lambda: [[] for _ in scenario.week_starts])
    for shift in roster.shifts:
        per_week[shift.agent_id][scenario.week_of(shift.start)].append(shift.hours)
    return [_hours_of(agent, per_week[agent.id]) for agent in agents]


def _hours_of(agent: Agent, weeks: list[list[float]]) -> AgentHours:
    return AgentHours(
        agent,
        tuple(
            WeekHours(
                sum(shifts),
                len(shifts),
                agent.min_hours - 1e-9 <= sum(shifts) <= agent.max_hours + 1e-9,
            )
            for shifts in weeks
        ),
    )
