"""Why no roster exists: which agent's own hard rules cannot be met, and which rule breaks.

Agents are only coupled through the objective, so the model is infeasible exactly when
some agent alone cannot reach `min_hours` (in every week of the horizon). For such an
agent we add its rules one at a time and report the first that makes `min_hours`
unreachable, leaving out the rules the scenario does not set. With a previous roster as
history its last days take part in every stage: the options already rest after its
shifts, and the day rules count its days.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from datetime import timedelta

from ortools.sat.python import cp_model

from roster.model import MINUTES_PER_DAY, Agent, Scenario
from roster.shift_options import candidate_shifts
from roster.solver import rules
from roster.solver.problem import Problem, Worker
from roster.solver.shift_rules import HARD_RULES, Rule
from roster.timegrid import local_datetime

MAX_DAYS_IN_A_WEEK = 8  # local days a week can touch (a zone's clock change included)
# All agents together get at most this long, and one agent's stage at most STAGE_SECONDS:
# on long horizons each one-agent model takes seconds, and agents are looked at in turn
# (12 weeks of 300 agents at 15 minutes would have taken hours). Agents not reached in
# time are not named; the stages of an agent cut short claim only what they proved.
DIAGNOSIS_SECONDS = 60.0
STAGE_SECONDS = 10.0
# The first stage holds a worker's choices (lengths, grid, window, time off) with these
# rules; each later stage adds one more rule of HARD_RULES to those before it.
FIRST_STAGE = "its availability window, time off and one shift per local day"
_FROM_THE_START = ("one shift per local day", "weekly hours")


def agent_conflicts(
    scenario: Scenario, problem: Problem, seconds: float = DIAGNOSIS_SECONDS
) -> list[str]:
    deadline = time.monotonic() + seconds
    reasons = {}
    # Fewest options first: within the time, as many agents as possible are looked at (one
    # with 24,000 options over 12 weeks takes seconds a stage; most take a fraction).
    for worker in sorted(problem.workers, key=lambda w: len(w.options)):
        if worker.min_minutes <= 0 and not worker.past.worked:
            continue  # an empty week keeps every rule
        if time.monotonic() >= deadline:
            break
        agent = scenario.agents_by_id[worker.id]
        reason = _first_blocking_rule(scenario, agent, problem, worker, deadline)
        if reason:
            if worker.min_minutes > 0:
                what = f"min_hours {agent.min_hours:g} cannot be reached"
            else:  # a run the previous roster ends with may have to go on
                what = "no week keeps its rules"
            reasons[worker.id] = f"agent {worker.id} ({agent.name}): {what}: {reason}"
    return [reasons[w.id] for w in problem.workers if w.id in reasons]


def _first_blocking_rule(
    scenario: Scenario, agent: Agent, problem: Problem, worker: Worker, deadline: float
) -> str | None:
    after_past = " after the previous roster's last days" if worker.past.worked else ""
    if not worker.options and worker.min_minutes > 0:
        return _start_grid_reason(scenario, agent) or (
            "no shift of an allowed length fits its availability window and time off "
            f"this week{after_past}"
        )
    stages = _rule_stages(_single(problem, worker))
    for label, stage in stages:
        try:
            best = _most_minutes(problem, worker, stage, deadline=deadline)
        except _Unproven:  # later stages hold more rules: they would take longer still
            return None
        if best is None:  # only the previous roster's days can leave no week at all
            return f"with {label}{after_past} no week is possible"
        if best < worker.min_minutes:
            where = " in some week of the horizon" if problem.n_weeks > 1 else ""
            return f"with {label}{after_past} at most {best / 60:g} h fit{where}"
    return _weekly_range_reason(problem, worker, stages, after_past, deadline)


def _weekly_range_reason(
    problem: Problem,
    worker: Worker,
    stages: list[tuple[str, tuple[Rule, ...]]],
    after_past: str,
    deadline: float,
) -> str | None:
    """Why no week lands within [min_hours, max_hours] although min_hours alone fits: the
    shift lengths cannot add up to it, or the first stage of rules that cannot keep a week
    within it (a minimum run of days worth more hours than max_hours, say)."""
    between = f"between {worker.min_minutes / 60:g} and {worker.max_minutes / 60:g} h"
    if not _lengths_can_sum(worker, problem):
        return f"no combination of shift lengths gives {between}"
    for label, stage in stages:
        if not _range_possible(problem, worker, stage, deadline=deadline):
            return f"with {label}{after_past} no week keeps {between}"
    return None


def _start_grid_reason(scenario: Scenario, agent: Agent) -> str | None:
    """Why no shift is on offer when the start grid is to blame: shifts do fit the window
    and time off, but no start of the grid (every `shift_start_step_minutes` from the week
    start in the planning zone) falls where one fits, as when the agent's zone is 45
    minutes off the planning zone's hours. None when the grid is not the cause."""
    if candidate_shifts(scenario, agent):
        return None  # the grid offers shifts: what took them away was the previous roster
    every_minute = replace(scenario.rules, shift_start_step_minutes=1)
    off_grid = candidate_shifts(replace(scenario, rules=every_minute), agent)
    if not off_grid:
        return None
    step = scenario.rules.shift_start_step_minutes
    fitting = off_grid[0]
    fitting_start = local_datetime(fitting.start, agent.timezone)
    window = f"{_clock(agent.available_from_minute)}-{_clock(agent.available_to_minute)}"
    return (
        f"no start of the shift start grid lets a shift fit its availability window {window}: "
        f"starts fall every {step} min from the week start in {scenario.planning_timezone}, "
        f"i.e. {_grid_phase(scenario, agent)} in {agent.timezone}, while a shift of "
        f"{fitting.minutes / 60:g} h would fit from {fitting_start:%H:%M} local"
    )


def _grid_phase(scenario: Scenario, agent: Agent) -> str:
    """Where the grid's starts of the first local day fall on the agent's clock: at :45
    past the hour, or the first few clock times when the step is not a divisor of an hour."""
    grid = scenario.grid
    step = scenario.rules.shift_start_step_minutes
    first_day = [
        local_datetime(grid.start + k * timedelta(minutes=step), agent.timezone)
        for k in range(max(1, MINUTES_PER_DAY // step))
    ]
    past_the_hour = sorted({t.minute for t in first_day})
    if 60 % step == 0 or step % 60 == 0:
        return "at " + ", ".join(f":{m:02d}" for m in past_the_hour) + " past the hour"
    return "at " + ", ".join(f"{t:%H:%M}" for t in first_day[:3]) + ", ..."


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _single(problem: Problem, worker: Worker) -> Problem:
    return replace(problem, workers=(worker,), demands=())


def _rule_stages(one: Problem) -> list[tuple[str, tuple[Rule, ...]]]:
    """Each stage's label and rules: the first stage, then one rule more at a time, leaving
    out the rules that do not bind the worker of `one` at all (max_weekends unset, no shift
    kinds): naming one of those as the cause would mislead."""
    held = tuple(rule for name, rule in HARD_RULES if name in _FROM_THE_START)
    stages = [(FIRST_STAGE, held)]
    # Whether a rule binds: whether it adds a constraint to a model holding the choices.
    model = cp_model.CpModel()
    shifts = rules.add_shift_choices(model, one)
    for name, rule in HARD_RULES:
        before = len(model.proto.constraints)
        rule(model, one, shifts)
        if name not in _FROM_THE_START and len(model.proto.constraints) > before:
            held += (rule,)
            stages.append((name, held))
    return stages


def _most_minutes(
    problem: Problem, worker: Worker, stage: tuple[Rule, ...], *, deadline: float
) -> int | None:
    """The most minutes the leanest week can hold under the stage's rules. max_hours is
    lifted: a cap that whole shifts cannot meet exactly is for `_exact_hours_possible` to
    name, not a limit of the window or of the day rules."""
    uncapped = replace(
        worker, min_minutes=0, max_minutes=max(worker.max_minutes, _horizon_minutes(problem))
    )
    one = _single(problem, uncapped)
    model = cp_model.CpModel()
    shifts = _stage_rules(model, one, stage)
    # The hours of the leanest week: min_hours must be reached in every week.
    leanest = model.new_int_var(0, uncapped.max_minutes, "leanest_week_minutes")
    for week_minutes in rules.minutes_per_week(one, uncapped, shifts.x[0]):
        model.add(leanest <= week_minutes)
    model.maximize(leanest)
    solver = _stage_solver(deadline)
    status = solver.solve(model)
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        return None
    if status == cp_model.UNKNOWN:
        # Out of time before anything was proven: CP-SAT then reports a bound of 0,
        # which would claim that no hours fit (12 weeks at 15 minutes with rest, whose
        # model takes about 12 s to solve).
        raise _Unproven
    # The proven upper bound, not the best week found: out of time, a claim that "at most
    # so many hours fit" must still hold.
    return math.floor(solver.best_objective_bound + 1e-6)


class _Unproven(Exception):
    """A stage ran out of time without proving a bound."""


def _stage_solver(deadline: float) -> cp_model.CpSolver:
    """One worker, for at most STAGE_SECONDS and no later than `deadline`."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(
        0.05, min(STAGE_SECONDS, deadline - time.monotonic())
    )
    solver.parameters.num_workers = 1
    return solver


def _horizon_minutes(problem: Problem) -> int:
    return problem.n_intervals * problem.interval_minutes


def _stage_rules(model: cp_model.CpModel, one: Problem, stage: tuple[Rule, ...]) -> rules.ShiftVars:
    """The rules of a stage for the one worker of `one`, its weekly hours included (a
    caller that must not be held by them passes a worker with them lifted)."""
    shifts = rules.add_shift_choices(model, one)
    for rule in stage:
        rule(model, one, shifts)
    return shifts


def _range_possible(
    problem: Problem, worker: Worker, stage: tuple[Rule, ...], *, deadline: float
) -> bool:
    """Whether every week can land within [min_hours, max_hours] under the stage's rules."""
    one = _single(problem, worker)
    model = cp_model.CpModel()
    _stage_rules(model, one, stage)
    # Out of time proves nothing.
    return _stage_solver(deadline).solve(model) != cp_model.INFEASIBLE


def _lengths_can_sum(worker: Worker, problem: Problem) -> bool:
    """Whether some shifts of the worker's lengths, at most one a day, add up to a week
    within [min_hours, max_hours], whatever the other rules."""
    lengths = {o.minutes for o in worker.options}
    sums = {0}
    for _ in range(min(worker.n_days, MAX_DAYS_IN_A_WEEK)):
        sums |= {total + length for total in sums for length in lengths}
    return any(worker.min_minutes <= total <= worker.max_minutes for total in sums)
