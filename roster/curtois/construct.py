"""A starting roster for the benchmark: one employee at a time, each solved on its own.

Every hard rule of the benchmark concerns one employee; only cover ties employees
together. So a roster meeting every hard rule comes from solving each employee's own
model (the same rule functions) in turn, with the cover still missing priced in: a
shift where people are short earns its under-cover weight, one already full costs its
over-cover weight. The roster hints the full model, and is the fallback when the full
model finds nothing in its time (the year-long instances).

CP-SAT finds one employee's year slowly when it decides days and shift types at once
(the minutes window is tight and long shifts forbid most successors), but fast in two
steps: the working days on their own, then the shift types on those days. The whole
employee model is the fallback when the types cannot fit the chosen days.
"""

from __future__ import annotations

import random
import time
from itertools import accumulate

from ortools.sat.python import cp_model

from roster.curtois.model import (
    Assignment,
    CurtoisModel,
    add_roster_hint,
    build_employee_model,
    build_group_model,
    read_roster,
)
from roster.curtois.parser import Instance
from roster.solver import day_rules, rules

MIN_SECONDS_PER_STEP = 0.05
# Time for re-solving one employee of a group in `improve`.
GROUP_SECONDS = 0.5
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


def improve(
    instance: Instance,
    roster: list[Assignment],
    budget_seconds: float,
    seed: int = 0,
    groups: bool = True,
) -> list[Assignment]:
    """Re-solve a few employees at a time against everyone else's shifts while time is
    left: first each employee alone in turn until none improves, then (with `groups`)
    groups of two to four.

    With the others fixed, the group's model is the objective up to a constant, and the
    current schedules are its hint, so a group's result is kept only when it is better:
    the roster never gets worse.
    """
    deadline = time.monotonic() + budget_seconds
    ids = [s.id for s in instance.staff]
    schedules = {who: [a for a in roster if a[0] == who] for who in ids}
    rng = random.Random(seed)
    singles = _employee_order(instance, seed)
    while time.monotonic() < deadline:
        changed = [_improve_group(instance, schedules, [e], deadline, seed) for e in singles]
        if not any(changed):
            break
    while groups and time.monotonic() < deadline and len(ids) > 1:
        group = _group_around_a_gap(instance, schedules, rng)
        _improve_group(instance, schedules, group, deadline, seed)
    return sorted(a for schedule in schedules.values() for a in schedule)


def _group_around_a_gap(
    instance: Instance, schedules: dict[str, list[Assignment]], rng: random.Random
) -> list[int]:
    """Two to four employees; half the time all able to work a shift that is short of
    people (so the group can move someone onto it), otherwise any."""
    size = rng.randint(2, min(4, len(instance.staff)))
    on: dict[tuple[int, str], int] = {}
    for schedule in schedules.values():
        for _, day, shift in schedule:
            on[day, shift] = on.get((day, shift), 0) + 1
    short = [c for c in instance.cover if on.get((c.day, c.shift), 0) < c.requirement]
    if short and rng.random() < 0.5:
        gap = rng.choice(short)
        able = [
            e
            for e, staff in enumerate(instance.staff)
            if staff.max_shifts.get(gap.shift, instance.days) > 0
            and gap.day not in instance.days_off[staff.id]
        ]
        if len(able) >= size:
            return rng.sample(able, size)
    return rng.sample(range(len(instance.staff)), size)


def _improve_group(
    instance: Instance,
    schedules: dict[str, list[Assignment]],
    group: list[int],
    deadline: float,
    seed: int,
) -> bool:
    """Re-solve `group` with everyone else fixed; True when its schedules got better."""
    seconds = min(GROUP_SECONDS * len(group), deadline - time.monotonic())
    if seconds <= 0:
        return False
    members = {instance.staff[e].id for e in group}
    others_on: dict[tuple[int, str], int] = {}
    for who, schedule in schedules.items():
        if who not in members:
            for _, day, shift in schedule:
                others_on[day, shift] = others_on.get((day, shift), 0) + 1
    built = build_group_model(instance, group, others_on)
    current = add_roster_hint(built, [a for who in members for a in schedules[who]])
    solver = _default_solver(seconds, seed)
    if solver.solve(built.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    if current is not None and solver.objective_value >= current:
        return False
    for who in members:
        schedules[who] = []
    for assignment in read_roster(solver, built):
        schedules[assignment[0]].append(assignment)
    return True


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
    keys = {e: (len(_open_types(instance, e)), rng.random()) for e in range(len(instance.staff))}
    return sorted(keys, key=keys.__getitem__)


def _open_types(instance: Instance, e: int) -> list[int]:
    staff = instance.staff[e]
    return [
        t
        for t, shift in enumerate(instance.shifts)
        if staff.max_shifts.get(shift.id, instance.days) > 0
        and shift.minutes <= staff.max_total_minutes
    ]


def _employee_schedule(
    instance: Instance, e: int, cost: Cost, seconds: float, seed: int
) -> list[Assignment] | None:
    days = _working_days(instance, e, cost, seconds / 2, seed)
    if days is not None:
        types = build_employee_model(instance, e, cost, working_days=days)
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
    open_types = _open_types(instance, e)
    if not open_types:
        return set()
    model = cp_model.CpModel()
    days = [model.new_bool_var(f"works[{d}]") for d in range(instance.days)]
    day_rules.add_days_off(model, days, instance.days_off[staff.id])
    rules.add_max_consecutive_days(model, days, staff.max_consecutive_shifts)
    day_rules.add_min_consecutive_days(model, days, staff.min_consecutive_shifts)
    day_rules.add_min_consecutive_days_off(model, days, staff.min_consecutive_days_off)
    day_rules.add_max_weekends(model, days, instance.weekends, staff.max_weekends)
    model.add_linear_constraint(sum(days), *_day_count_window(instance, e, open_types))
    day_cost = [min(cost.get((d, t), 0) for t in open_types) for d in range(instance.days)]
    model.minimize(sum(c * lit for c, lit in zip(day_cost, days, strict=True)))
    solver = _default_solver(seconds, seed)
    if _solve_with_first_answer(solver, model):
        return {d for d, lit in enumerate(days) if solver.boolean_value(lit)}
    return None


def _day_count_window(instance: Instance, e: int, open_types: list[int]) -> tuple[int, int]:
    """How many days to work. n days can reach the employee's minutes when the n shortest
    shifts the per-type maxima allow do not exceed the maximum and the n longest reach the
    minimum. Within that, prefer counts the shortest shifts alone bring into the window:
    long shifts tend to forbid more successors, so leaning on them can leave the chosen
    days without a valid sequence of shift types."""
    staff = instance.staff[e]
    lengths = sorted(
        length
        for t in open_types
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
