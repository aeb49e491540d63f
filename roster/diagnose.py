"""Why no roster exists: which agent's own hard rules cannot be met, and which rule breaks.

Agents are only coupled through the objective, so the model is infeasible exactly when
some agent alone cannot reach `min_hours` (in every week of the horizon). For such an
agent we add its rules one at a time and report the first that makes `min_hours`
unreachable. With a previous roster as history its last days take part in every stage:
the options already rest after its shifts, and the day rules count its days.
"""

from __future__ import annotations

import math
from dataclasses import replace

from ortools.sat.python import cp_model

from roster.model import Scenario
from roster.solver import labour, rules
from roster.solver.problem import Problem, Worker
from roster.solver.shift_rules import add_shift_rules

# Each stage adds its rules to those of the stages before it: (label, rest, max run, day rules).
_RULE_STAGES = (
    ("its availability window, time off and one shift per local day", False, False, False),
    ("min_rest_hours", True, False, False),
    ("max_consecutive_days", True, True, False),
    (
        "min_consecutive_days, min_consecutive_days_off, max_weekends and shift kinds",
        True,
        True,
        True,
    ),
)


def agent_conflicts(scenario: Scenario, problem: Problem) -> list[str]:
    reasons = []
    for worker in problem.workers:
        if worker.min_minutes <= 0 and not worker.past.worked:
            continue  # an empty week keeps every rule
        reason = _first_blocking_rule(problem, worker)
        if reason:
            agent = scenario.agents_by_id[worker.id]
            if worker.min_minutes > 0:
                what = f"min_hours {agent.min_hours:g} cannot be reached"
            else:  # a run the previous roster ends with may have to go on
                what = "no week keeps its rules"
            reasons.append(f"agent {worker.id} ({agent.name}): {what}: {reason}")
    return reasons


def _first_blocking_rule(problem: Problem, worker: Worker) -> str | None:
    after_past = " after the previous roster's last days" if worker.past.worked else ""
    if not worker.options and worker.min_minutes > 0:
        return (
            "no shift of an allowed length fits its availability window and time off "
            f"this week{after_past}"
        )
    for label, *stage in _RULE_STAGES:
        best = _most_minutes(problem, worker, *stage)
        if best is None:  # only the previous roster's days can leave no week at all
            return f"with {label}{after_past} no week is possible"
        if best < worker.min_minutes:
            where = " in some week of the horizon" if problem.n_weeks > 1 else ""
            return f"with {label}{after_past} at most {best / 60:g} h fit{where}"
    if not _exact_hours_possible(problem, worker):
        return (
            f"no combination of shift lengths gives between {worker.min_minutes / 60:g} "
            f"and {worker.max_minutes / 60:g} h"
        )
    return None


def _single(problem: Problem, worker: Worker) -> Problem:
    return replace(problem, workers=(worker,), demands=())


def _most_minutes(
    problem: Problem,
    worker: Worker,
    with_rest: bool,
    with_consecutive: bool,
    with_day_rules: bool,
) -> int | None:
    one = _single(problem, replace(worker, min_minutes=0))
    model = cp_model.CpModel()
    if with_day_rules:  # the last stage: every rule
        shifts = add_shift_rules(model, one)
    else:
        shifts = rules.add_shift_choices(model, one)
        rules.add_one_start_per_local_day(model, one, shifts)
        if with_rest:
            rules.add_min_rest(model, one, shifts)
        if with_consecutive:
            labour.add_max_consecutive_days(model, one, shifts)
        rules.add_weekly_hours(model, one, shifts)
    # The hours of the leanest week: min_hours must be reached in every week.
    leanest = model.new_int_var(0, worker.max_minutes, "leanest_week_minutes")
    for week_minutes in rules.minutes_per_week(one, worker, shifts.x[0]):
        model.add(leanest <= week_minutes)
    model.maximize(leanest)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 10
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        return None
    # The proven upper bound, not the best week found: out of time, a claim that "at most
    # so many hours fit" must still hold.
    return math.floor(solver.best_objective_bound + 1e-6)


def _exact_hours_possible(problem: Problem, worker: Worker) -> bool:
    model = cp_model.CpModel()
    add_shift_rules(model, _single(problem, worker))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 10
    solver.parameters.num_workers = 1
    return solver.solve(model) != cp_model.INFEASIBLE  # out of time proves nothing
