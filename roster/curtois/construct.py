"""A starting roster for the benchmark: one employee at a time, each solved on its own.

Every hard rule of the benchmark concerns one employee; only cover ties employees
together. So a roster meeting every hard rule comes from solving each employee's own
model (the same rule functions) in turn, with the cover still missing priced in: a
shift where people are short earns its under-cover weight, one already full costs its
over-cover weight. The roster hints the full model and is where the large-neighbourhood
search (`lns`) starts.

CP-SAT finds one employee's year slowly when it decides days and shift types at once
(the minutes window is tight and long shifts forbid most successors), but fast in two
steps: the working days on their own, then the shift types on those days. The whole
employee model is the fallback when the types cannot fit the chosen days. Horizons up
to twelve weeks take the whole employee model directly: the two steps cover much worse,
since the days are chosen before knowing which types the maxima and successions allow.
"""

from __future__ import annotations

import random
import time
from itertools import accumulate

from ortools.sat.python import cp_model

from roster.curtois.model import (
    Assignment,
    CurtoisModel,
    build_employee_model,
    build_types_model,
    open_types,
    read_roster,
)
from roster.curtois.parser import Instance
from roster.solver import day_rules, rules

MIN_SECONDS_PER_STEP = 0.05
# Up to this horizon each employee's days and types are decided at once: the roster
# covers far better (Instance13: 19,000 against 71,000; Instance9: 1,840 against 6,475),
# and one employee's model is still small enough to solve within its share.
ONE_STEP_MAX_DAYS = 84
# Each step may overrun its share until it has a first answer, up to this long.
FIRST_ANSWER_SECONDS = 30.0

Cost = dict[tuple[int, int], int]  # (day, shift type index) -> objective change


def construct(instance: Instance, budget_seconds: float, seed: int = 0) -> list[Assignment] | None:
    """A roster meeting every hard rule, or None when some employee has no schedule.

    The budget is shared out over the employees still to do; an employee whose share
    runs out before any schedule is found still gets its first one.
    """
    deadline = time.monotonic() + budget_seconds
    missing = {(c.day, c.shift): c.requirement for c in instance.cover}
    roster: list[Assignment] = []
    order = _employee_order(instance, seed)
    for position, e in enumerate(order):
        share = (deadline - time.monotonic()) / (len(order) - position)
        schedule = _employee_schedule(instance, e, _shift_costs(instance, missing), share, seed)
        if schedule is None:
            return None
        _put_in(missing, schedule)
        roster += schedule
    return sorted(roster)


def _put_in(missing: dict[tuple[int, str], int], schedule: list[Assignment]) -> None:
    for _, day, shift in schedule:
        if (day, shift) in missing:
            missing[day, shift] -= 1


def _shift_costs(instance: Instance, missing: dict[tuple[int, str], int]) -> Cost:
    """What one more person on (day, type) changes in the objective, given who is there."""
    index = {s.id: t for t, s in enumerate(instance.shifts)}
    return {
        (c.day, index[c.shift]): -c.under_weight if missing[c.day, c.shift] > 0 else c.over_weight
        for c in instance.cover
    }


def _employee_order(instance: Instance, seed: int) -> list[int]:
    """The most constrained employees first (fewest shift types open), ties at random."""
    rng = random.Random(seed)
    keys = {e: (len(open_types(instance, e)), rng.random()) for e in range(len(instance.staff))}
    return sorted(keys, key=keys.__getitem__)


def _employee_schedule(
    instance: Instance, e: int, cost: Cost, seconds: float, seed: int
) -> list[Assignment] | None:
    if instance.days <= ONE_STEP_MAX_DAYS:
        return _solve(build_employee_model(instance, e, cost), _default_solver(seconds, seed))
    days = _working_days(instance, e, cost, seconds / 2, seed)
    if days is not None:
        types = build_types_model(instance, e, cost, days)
        _hint_cheapest_types(types, e, cost)
        schedule = _solve(types, _light_solver(seconds / 2, seed))
        if schedule is not None:
            return schedule
    return _solve(build_employee_model(instance, e, cost), _default_solver(seconds, seed))


def _hint_cheapest_types(built: CurtoisModel, e: int, cost: Cost) -> None:
    """Hint each worked day's cheapest shift type, so that even the first schedule the
    search settles for covers where people are missing (rules permitting)."""
    by_day: dict[int, list[tuple[int, int]]] = {}
    for _, d, t in built.shifts:
        by_day.setdefault(d, []).append((cost.get((d, t), 0), t))
    for d, options in by_day.items():
        cheapest = min(options)[1]
        for _, t in options:
            built.model.add_hint(built.shifts[e, d, t], t == cheapest)


def _working_days(
    instance: Instance, e: int, cost: Cost, seconds: float, seed: int
) -> set[int] | None:
    """Which days employee e works: the rules on days alone, each day valued at its
    cheapest open shift type, the number of days bounded by what the minutes allow."""
    staff = instance.staff[e]
    types = open_types(instance, e)
    if not types:
        return set()
    model = cp_model.CpModel()
    days = [model.new_bool_var(f"works[{d}]") for d in range(instance.days)]
    day_rules.add_days_off(model, days, instance.days_off[staff.id])
    rules.add_max_consecutive_days(model, days, staff.max_consecutive_shifts)
    day_rules.add_min_consecutive_days(model, days, staff.min_consecutive_shifts)
    day_rules.add_min_consecutive_days_off(model, days, staff.min_consecutive_days_off)
    day_rules.add_max_weekends(model, days, instance.weekends, staff.max_weekends)
    model.add_linear_constraint(sum(days), *_day_count_window(instance, e, types))
    day_cost = [min(cost.get((d, t), 0) for t in types) for d in range(instance.days)]
    model.minimize(sum(c * lit for c, lit in zip(day_cost, days, strict=True)))
    solver = _default_solver(seconds, seed)
    if _solve_with_first_answer(solver, model):
        return {d for d, lit in enumerate(days) if solver.boolean_value(lit)}
    return None


def _day_count_window(instance: Instance, e: int, types: list[int]) -> tuple[int, int]:
    """How many days to work. n days can reach the employee's minutes when the n shortest
    shifts the per-type maxima allow do not exceed the maximum and the n longest reach the
    minimum. Within that, prefer counts the shortest shifts alone bring into the window:
    long shifts tend to forbid more successors, so leaning on them can leave the chosen
    days without a valid sequence of shift types."""
    staff = instance.staff[e]
    lengths = sorted(
        length
        for t in types
        for length in [instance.shifts[t].minutes]
        * min(instance.days, staff.max_shifts.get(instance.shifts[t].id, instance.days))
    )
    low, high = staff.min_total_minutes, staff.max_total_minutes
    shortest = [0, *accumulate(lengths)]  # shortest[n]: minutes of the n shortest shifts
    longest = [0, *accumulate(reversed(lengths))]
    possible = [n for n in range(len(lengths) + 1) if shortest[n] <= high and longest[n] >= low]
    preferred = [n for n in possible if low <= shortest[n] <= high]
    counts = preferred or possible or [0]
    return min(counts), min(max(counts), instance.days)


def _solve(built: CurtoisModel, solver: cp_model.CpSolver) -> list[Assignment] | None:
    if _solve_with_first_answer(solver, built.model):
        return read_roster(solver, built)
    return None


def _solve_with_first_answer(solver: cp_model.CpSolver, model: cp_model.CpModel) -> bool:
    """Solve within the solver's limit; out of time without an answer, settle for the
    first one (up to FIRST_ANSWER_SECONDS). True when there is a solution."""
    status = solver.solve(model)
    if status == cp_model.UNKNOWN:
        solver.parameters.max_time_in_seconds = FIRST_ANSWER_SECONDS
        solver.parameters.stop_after_first_solution = True
        status = solver.solve(model)
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _default_solver(seconds: float, seed: int) -> cp_model.CpSolver:
    """CP-SAT's defaults on two workers: its local search finds working days fastest."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(MIN_SECONDS_PER_STEP, seconds)
    return solver


def _light_solver(seconds: float, seed: int) -> cp_model.CpSolver:
    """One worker, no presolve: with the days fixed the type choice is easy, and presolve
    would take longer than the search."""
    solver = _default_solver(seconds, seed)
    solver.parameters.num_workers = 1
    solver.parameters.cp_model_presolve = False
    return solver
