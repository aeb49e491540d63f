"""From a scenario to a roster: translate, solve with CP-SAT, translate back.

`solve` is the one entry point the CLI and the HTTP API use. It owns the translation of
domain rules (money, local time, Erlang requirements) into the solver's integer problem
and of the solver's answer into a contract roster.json. With a previous roster as
`history` (`roster.history`), the rules about single shifts are settled in each agent's
options (rest after its last previous shift, its first local day when a previous shift
started on it) and its last days reach the day rules as the worker's past days.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from roster.assignment import assign_queues
from roster.diagnose import agent_conflicts
from roster.errors import InfeasibleError, SolveError
from roster.history import AgentPast, History
from roster.model import REQUEST_OFF, REQUEST_ON, Agent, Scenario
from roster.result import CoverageRow, Roster, Shift
from roster.scenario import WEEK_HOURS
from roster.shift_options import (
    Candidate,
    after_previous_shifts,
    candidate_shifts,
    is_night_window,
    local_days,
)
from roster.solver.core import solve_problem
from roster.solver.problem import (
    DEMAND_SCALE,
    Demand,
    PastDays,
    Problem,
    Progress,
    ShiftOption,
    SolverSettings,
    Weights,
    Worker,
    WorkerRequest,
)
from roster.staffing import required_agents
from roster.timegrid import local_datetime

# How long and how to search: time limit, workers, seed, determinism (the solver's settings).
SolveOptions = SolverSettings
DEFAULT_OPTIONS = SolveOptions()

# Objective weights, relative to money (see README, "What the optimiser minimises").
# One agent-interval short of the Erlang requirement outweighs the longest, dearest shift,
# so the model adds a shift whenever it closes any shortage; L2 shortage weighs more.
SHORTAGE_OVER_SHIFT_COST = 1.2
L2_OVER_L1 = 1.5
FLOOR_OVER_ERLANG = 10
NIGHT_PENALTY_SHARE = 0.05  # of an hour's cost, per night hour outside a night window
FAIRNESS_SHARE = 0.5  # of an hour's cost, per night/weekend shift of the busiest agent
REQUEST_HOURS = 1.0  # typical hours' cost of denying a request of weight 1


@dataclass(frozen=True)
class Translation:
    """The solver problem plus what is needed to read its answer back."""

    problem: Problem
    candidates: dict[str, dict[ShiftOption, Candidate]]
    required: dict[tuple[str, str], np.ndarray]


def solve(
    scenario: Scenario,
    options: SolveOptions = DEFAULT_OPTIONS,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    history: History | None = None,
) -> Roster:
    """The best roster found within the options' limits; with `history` (the previous
    roster) the rules about rest and local days hold across the boundary with it.

    Raises InfeasibleError (naming agent and rule) when the hard rules admit no roster and
    SolveError when the search stopped before finding one.
    """
    started = time.monotonic()
    translation = translate(scenario, history)
    translate_seconds = time.monotonic() - started
    status, solution = solve_problem(translation.problem, options, on_progress, stop)
    if solution is None:
        if status == "INFEASIBLE":
            raise InfeasibleError(explain_infeasible(scenario, translation))
        if status == "MODEL_INVALID":  # nothing was searched: no diagnosis to run
            dearest = max((a.hourly_cost for a in scenario.agents), default=0.0)
            peak = max((float(r.max()) for r in translation.required.values()), default=0.0)
            raise SolveError(
                "the roster's costs are too large for the solver's 64-bit integers "
                f"(hourly_cost up to {dearest:,.10g}, counted in hundredths, with shortages "
                f"weighing far more, and up to {peak:,.10g} agents required at once): give "
                "hourly_cost in a larger currency unit, or check the forecast, shrinkage "
                "and min_agents"
            )
        # Out of time without a roster often means one agent's own rules admit none (the
        # greedy start then fails too): say so, rather than ask for more time.
        if reasons := agent_conflicts(scenario, translation.problem):
            raise InfeasibleError(reasons)
        raise SolveError(
            f"the solver stopped ({status}) before it found a roster; "
            "allow more time with --time-limit"
        )
    shifts = [
        translation.candidates[worker_id][option]
        for worker_id, chosen in solution.chosen.items()
        for option in chosen
    ]
    assignment = assign_queues(
        scenario, shifts, translation.required, solution.served, solution.groups
    )
    extra = {
        "objective_terms": solution.objective_terms,
        "first_solution_seconds": translate_seconds + (solution.first_solution_seconds or 0),
        "bound_source": solution.bound_source,
    }
    if history is not None:
        extra["history"] = history.to_json()
    return Roster(
        status=solution.status,
        objective=float(solution.objective),
        bound=float(solution.bound),
        solve_seconds=time.monotonic() - started,
        shifts=[
            Shift(c.agent_id, c.start, c.end, assignment.main_queue.get((c.agent_id, c.start)))
            for c in shifts
        ],
        coverage=_coverage_rows(scenario, translation.required, assignment.scheduled),
        extra=extra,
    )


def translate(scenario: Scenario, history: History | None = None) -> Translation:
    required = required_agents(scenario)
    cost_unit = _cost_unit_cents(scenario)
    workers, candidates = [], {}
    for agent in scenario.agents:
        past = history.of_agent(scenario, agent) if history is not None else None
        worker, by_option = _worker(scenario, agent, cost_unit, past)
        workers.append(worker)
        candidates[agent.id] = by_option
    problem = Problem(
        interval_minutes=scenario.interval_minutes,
        n_intervals=scenario.grid.n_intervals,
        workers=tuple(workers),
        demands=_demands(scenario, required),
        min_rest_minutes=round(scenario.rules.min_rest_hours * 60),
        max_consecutive_days=scenario.rules.max_consecutive_days,
        weights=Weights(overstaffing=1, fairness=max(1, round(FAIRNESS_SHARE * cost_unit))),
        min_consecutive_days=scenario.rules.min_consecutive_days,
        min_consecutive_days_off=scenario.rules.min_consecutive_days_off,
        max_weekends=scenario.rules.max_weekends,
        max_per_kind=tuple(
            (k.name, k.max_per_week)
            for k in scenario.rules.shift_kinds
            if k.max_per_week is not None
        ),
        forbidden_successions=scenario.rules.forbidden_successions,
        week_starts=tuple(scenario.grid.minutes_from_start(t) for t in scenario.week_starts),
    )
    return Translation(problem, candidates, required)


def explain_infeasible(scenario: Scenario, translation: Translation) -> list[str]:
    """Name the agents whose own hard rules already admit no week, and the rule at fault."""
    reasons = agent_conflicts(scenario, translation.problem)
    return reasons or ["the combination of all agents' rules admits no roster"]


def _worker(
    scenario: Scenario, agent: Agent, cost_unit: int, past: AgentPast | None
) -> tuple[Worker, dict]:
    night_ok = is_night_window(agent)
    by_option: dict[ShiftOption, Candidate] = {}
    grid = scenario.grid
    candidates = candidate_shifts(scenario, agent)
    if past is not None:
        earliest = past.earliest_start(scenario.rules.min_rest_hours)
        candidates = after_previous_shifts(candidates, earliest, past.first_day_taken)
    for c in candidates:
        hours = c.minutes / 60
        option = ShiftOption(
            start=grid.minutes_from_start(c.start),
            end=grid.minutes_from_start(c.end),
            day=c.local_day,
            cost=round(agent.hourly_cost * hours * 100),
            penalty=0
            if night_ok
            else round(NIGHT_PENALTY_SHARE * cost_unit * c.night_minutes / 60),
            night=c.night,
            weekend=c.weekend,
            kind=scenario.rules.kind_at(local_datetime(c.start, agent.timezone)),
        )
        by_option[option] = c
    skills = tuple(q for q, queue in enumerate(scenario.queues) if agent.can_serve(queue.key))
    days = local_days(grid, agent)
    worker = Worker(
        id=agent.id,
        options=tuple(by_option),
        skills=skills,
        min_minutes=math.ceil(agent.min_hours * 60 - 1e-9),
        max_minutes=math.floor(min(agent.max_hours, WEEK_HOURS) * 60 + 1e-9),
        n_days=len(days),
        fairness_group=f"{agent.tier}/{agent.contract}",
        weekends=_weekends(days),
        requests=_requests(scenario, agent, days, cost_unit),
        past=_past_days(past) if past is not None else PastDays(),
    )
    return worker, by_option


def _past_days(past: AgentPast) -> PastDays:
    """The agent's known days before the horizon, as indices relative to its day 0."""
    worked = tuple(((day - past.first_day).days, kind) for day, kind in sorted(past.kinds.items()))
    return PastDays(count=(past.first_day - past.known_from).days, worked=worked)


def _weekends(days: list[date]) -> tuple[tuple[int, ...], ...]:
    """Indices of the Saturday and Sunday of each weekend among the local days (a weekend
    cut by the week's first or last day keeps the one day inside)."""
    by_saturday: dict[date, list[int]] = {}
    for index, day in enumerate(days):
        if day.isoweekday() >= 6:
            saturday = day - timedelta(days=day.isoweekday() - 6)
            by_saturday.setdefault(saturday, []).append(index)
    return tuple(tuple(indices) for _, indices in sorted(by_saturday.items()))


def _requests(
    scenario: Scenario, agent: Agent, days: list[date], cost_unit: int
) -> tuple[WorkerRequest, ...]:
    """The agent's requests on its local day indices; denying one costs its weight times
    REQUEST_HOURS of a typical hour."""
    wishes = []
    for r in scenario.requests:
        if r.agent_id != agent.id:
            continue
        kind = None if r.kind in (REQUEST_OFF, REQUEST_ON) else r.kind
        weight = max(1, round(r.weight * REQUEST_HOURS * cost_unit))
        wishes.append(WorkerRequest(days.index(r.day), kind, r.kind != REQUEST_OFF, weight))
    return tuple(wishes)


def _cost_unit_cents(scenario: Scenario) -> int:
    """A typical hour's cost in cents: the scale for preference and fairness weights."""
    costs = sorted(a.hourly_cost for a in scenario.agents) or [1.0]
    return max(1, round(costs[len(costs) // 2] * 100))


def _demands(scenario: Scenario, required: dict[tuple[str, str], np.ndarray]) -> tuple[Demand, ...]:
    longest_shift_hours = max(scenario.rules.shift_hours)
    dearest_hour_cents = max((a.hourly_cost for a in scenario.agents), default=1.0) * 100
    per_agent_interval = SHORTAGE_OVER_SHIFT_COST * longest_shift_hours * dearest_hour_cents
    starts = scenario.grid.interval_starts()
    demands = []
    for queue in scenario.queues:
        tier_factor = L2_OVER_L1 if queue.tier == "L2" else 1.0
        shortage_weight = max(1, math.ceil(per_agent_interval * tier_factor / DEMAND_SCALE))
        is_open = np.array([queue.open_hours.is_open(t) for t in starts])
        demands.append(
            Demand(
                label=queue.label,
                required=np.ceil(required[queue.key] * DEMAND_SCALE - 1e-6).astype(int),
                floor=np.where(is_open, queue.min_agents, 0).astype(int),
                shortage_weight=shortage_weight,
                floor_weight=FLOOR_OVER_ERLANG * DEMAND_SCALE * shortage_weight,
            )
        )
    return tuple(demands)


def _coverage_rows(
    scenario: Scenario,
    required: dict[tuple[str, str], np.ndarray],
    scheduled: dict[tuple[str, str], np.ndarray],
) -> list[CoverageRow]:
    rows = []
    for i, start in enumerate(scenario.grid.interval_starts()):
        for queue in scenario.queues:
            rows.append(
                CoverageRow(
                    start=start,
                    language=queue.language,
                    tier=queue.tier,
                    required=float(required[queue.key][i]),
                    scheduled=int(scheduled[queue.key][i]),
                )
            )
    return rows
