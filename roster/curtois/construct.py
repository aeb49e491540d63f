"""A starting roster for the benchmark: one employee at a time, each solved on its own.

Every hard rule of the benchmark concerns one employee; only cover ties employees
together. So a roster meeting every hard rule comes from solving each employee's own
model (the same rule functions) in turn, with the cover still missing priced in: a
shift where people are short earns its under-cover weight, plus a bonus when few of the
employees still to come could fill it, and one already full costs its over-cover weight.
While the budget lasts, each employee is then re-solved against all the others. The
roster hints the full model and is where the large-neighbourhood search (`lns`) starts.

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
# An employee's whole model gets at least this long: with the LP most close in 0.1 to
# 0.2 s (Instance13), and one stopped short is settled by a second, first-answer solve.
ONE_STEP_MIN_SECONDS = 0.3
# Each step may overrun its share until it has a first answer, up to this long.
FIRST_ANSWER_SECONDS = 30.0

# The most a missing person's reward grows when few employees still to come could fill
# the cell (weights are 100 per person short).
SCARCITY_BONUS = 50

Cost = dict[tuple[int, int], int]  # (day, shift type index) -> objective change


def construct(instance: Instance, budget_seconds: float, seed: int = 0) -> list[Assignment] | None:
    """A roster meeting every hard rule, or None when some employee has no schedule.

    The budget is shared out over the employees still to do; an employee whose share
    runs out before any schedule is found still gets its first one.
    """
    deadline = time.monotonic() + budget_seconds
    missing = {(c.day, c.shift): c.requirement for c in instance.cover}
    schedules: dict[int, list[Assignment]] = {}
    order = _employee_order(instance, seed)
    supply = _Supply(instance)
    for position, e in enumerate(order):
        share = (deadline - time.monotonic()) / (len(order) - position)
        supply.remove(e)
        cost = _shift_costs(instance, missing, supply)
        schedule = _employee_schedule(instance, e, cost, share, seed)
        if schedule is None:
            return None
        _put_in(missing, schedule)
        schedules[e] = schedule
    _best_responses(instance, schedules, missing, deadline, seed)
    return sorted(a for schedule in schedules.values() for a in schedule)


def _best_responses(
    instance: Instance,
    schedules: dict[int, list[Assignment]],
    missing: dict[tuple[int, str], int],
    deadline: float,
    seed: int,
) -> None:
    """While the budget lasts, re-solve each employee in turn against everybody else's
    schedule, keeping the new one when it costs less: the first pass fixed the early
    employees before knowing where the later ones would leave holes."""
    improved = True
    while improved:
        improved = False
        for e, schedule in schedules.items():
            if time.monotonic() >= deadline:
                return
            _put_in(missing, schedule, -1)
            cost = _shift_costs(instance, missing, None)
            left = deadline - time.monotonic()
            # One step (the LP solver stops once optimal) may have all that is left; the
            # days step of two would take all it is given, so it gets a share.
            seconds = left if instance.days <= ONE_STEP_MAX_DAYS else left / len(schedules)
            new = _employee_schedule(instance, e, cost, seconds, seed)
            before = _value(instance, e, schedule, cost)
            if new is not None and _value(instance, e, new, cost) < before:
                schedules[e], improved = new, True
            _put_in(missing, schedules[e])


def _value(instance: Instance, e: int, schedule: list[Assignment], cost: Cost) -> int:
    """A schedule's cost in employee e's model: cover as priced, plus its requests."""
    index = {s.id: t for t, s in enumerate(instance.shifts)}
    who = instance.staff[e].id
    worked = {(day, shift) for _, day, shift in schedule}
    on = sum(
        r.weight
        for r in instance.on_requests
        if r.employee == who and (r.day, r.shift) not in worked
    )
    off = sum(
        r.weight for r in instance.off_requests if r.employee == who and (r.day, r.shift) in worked
    )
    return on + off + sum(cost.get((day, index[shift]), 0) for _, day, shift in schedule)


class _Supply:
    """How many people the employees still to schedule are expected to bring to each
    (day, shift type): each spreads the shifts its maximum minutes allow evenly over
    its available days and open types, weekend days no more than its maximum weekends
    hold. A cell that few of them can fill is scarce."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.weekend_days = {d for pair in instance.weekends for d in pair}
        self.expected: dict[tuple[int, int], float] = {}
        self.share: dict[int, dict[tuple[int, int], float]] = {}
        for e in range(len(instance.staff)):
            self.share[e] = self._share_of(e)
            for cell, x in self.share[e].items():
                self.expected[cell] = self.expected.get(cell, 0.0) + x

    def _share_of(self, e: int) -> dict[tuple[int, int], float]:
        staff, types = self.instance.staff[e], open_types(self.instance, e)
        days = [d for d in range(self.instance.days) if d not in self.instance.days_off[staff.id]]
        if not types or not days:
            return {}
        mean_minutes = sum(self.instance.shifts[t].minutes for t in types) / len(types)
        shifts = min(len(days), staff.max_total_minutes / mean_minutes)
        weekend = self.weekend_days.intersection(days)
        # Spread evenly, but no more weekend days than the weekends allowed hold: where
        # those maxima bind (12-19), weekend cells are scarcer than they look.
        on_weekends = min(shifts * len(weekend) / len(days), 2 * staff.max_weekends)
        weekdays = len(days) - len(weekend)
        worked = {
            d: on_weekends / len(weekend)
            if d in weekend
            else min(1.0, (shifts - on_weekends) / weekdays)
            for d in days
        }
        return {(d, t): worked[d] / len(types) for d in days for t in types}

    def remove(self, e: int) -> None:
        for cell, x in self.share.pop(e).items():
            self.expected[cell] -= x

    def scarcity(self, day: int, shift_type: int, missing: int) -> float:
        """0 (plenty of people to come) to 1 (nobody left who could fill it)."""
        return missing / (missing + max(0.0, self.expected.get((day, shift_type), 0.0)))


def _put_in(missing: dict[tuple[int, str], int], schedule: list[Assignment], sign: int = 1) -> None:
    """Count a schedule's people as present (sign 1) or take them out again (-1)."""
    for _, day, shift in schedule:
        if (day, shift) in missing:
            missing[day, shift] -= sign


def _shift_costs(
    instance: Instance, missing: dict[tuple[int, str], int], supply: _Supply | None
) -> Cost:
    """What one more person on (day, type) changes in the objective, given who is there;
    where people are missing, a bonus the scarcer the cell is among the employees still
    to come (all of it when nobody is), so that each takes the shifts the others could
    not fill."""
    index = {s.id: t for t, s in enumerate(instance.shifts)}
    cost = {}
    for c in instance.cover:
        t, short = index[c.shift], missing[c.day, c.shift]
        if short > 0:
            scarcity = 1.0 if supply is None else supply.scarcity(c.day, t, short)
            bonus = round(SCARCITY_BONUS * scarcity)
            cost[c.day, t] = -c.under_weight - bonus
        else:
            cost[c.day, t] = c.over_weight
    return cost


def _employee_order(instance: Instance, seed: int) -> list[int]:
    """The most constrained employees first (fewest shift types open), ties at random."""
    rng = random.Random(seed)
    keys = {e: (len(open_types(instance, e)), rng.random()) for e in range(len(instance.staff))}
    return sorted(keys, key=keys.__getitem__)


def _employee_schedule(
    instance: Instance, e: int, cost: Cost, seconds: float, seed: int
) -> list[Assignment] | None:
    if instance.days <= ONE_STEP_MAX_DAYS:
        seconds = max(seconds, ONE_STEP_MIN_SECONDS)
        return _solve(build_employee_model(instance, e, cost), _lp_solver(seconds, seed))
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


def _lp_solver(seconds: float, seed: int) -> cp_model.CpSolver:
    """One worker with the rules' LP (the run-length automaton's hull): one employee's
    four weeks of Instance13 are proven optimal in about 0.1 s, where CP-SAT's defaults
    on two workers have not closed them after a second."""
    solver = _default_solver(seconds, seed)
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2
    # The whole LP from the start, as in the search's parts: Instance13's pass in 12.4 s
    # instead of 16.6 s, and with the budget left the best responses go further
    # (Instance19: 7,029 against 12,188; 12: 5,557 against 5,925).
    solver.parameters.add_lp_constraints_lazily = False
    # One presolve pass and no probing: the model is small and its LP does the work
    # (30 of Instance13's employees in 2.1 s instead of 3.2 s, the same optima).
    solver.parameters.max_presolve_iterations = 1
    solver.parameters.cp_model_probing_level = 0
    return solver


def _light_solver(seconds: float, seed: int) -> cp_model.CpSolver:
    """One worker, no presolve: with the days fixed the type choice is easy, and presolve
    would take longer than the search."""
    solver = _default_solver(seconds, seed)
    solver.parameters.num_workers = 1
    solver.parameters.cp_model_presolve = False
    return solver
