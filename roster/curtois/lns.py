"""Large-neighbourhood search driving CP-SAT on the benchmark's rules.

CP-SAT alone, on the whole model, proves the small instances optimal but improves the
larger ones slowly: its LP is strong (the run-length automaton gives each employee the
hull of its work patterns) yet each node is expensive, and its generic neighbourhoods
do not know that a roster is employees times days. Here CP-SAT re-solves one part of
the roster at a time with the rest fixed: a window of days for everybody, some
employees over a few weeks, or a few employees over the whole horizon, placed around a
day and shift type whose cover is wrong half the time. Each part is
`model.build_part_model`: the same rule functions, the benchmark's objective up to a
constant, the current roster as a complete hint. A part whose result is no worse
replaces its piece of the roster, so the roster never gets worse.

Part sizes adapt as in CP-SAT's own LNS: a part solved to optimality makes the next one
of its kind larger, one that runs out of work makes it smaller. Work is counted in
CP-SAT's deterministic seconds, so with a work limit instead of a deadline the search
is reproducible on a loaded machine.

Each sub-solve has one CP-SAT worker. With more threads the searches run as islands,
each on its own copy of the roster, all continuing from the best copy every few seconds.
Solving two parts of one shared roster at once wasted most of the second thread: a
window holds every employee, so the other result was usually stale (Instance11: 3,897
from one thread spending 30 deterministic seconds, 4,199 to 4,809 from two spending
30 to 60).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.sat.python import cp_model

from roster.curtois.model import Assignment, Part, build_part_model, open_types
from roster.curtois.parser import Instance

Plan = dict[int, dict[int, int]]  # employee index -> {day: shift type index}

# Each sub-solve stops after this much work (CP-SAT's deterministic seconds, so that
# the search behaves the same on a loaded machine) even when its part is not closed.
SUB_SOLVE_WORK = 1.0
# Part sizes, in free shift literals, start here and adapt within these limits.
START_FREE_LITERALS = 400
MIN_FREE_LITERALS = 40
GROW, SHRINK = 1.15, 0.85
# How often each kind of part is drawn (NEIGHBOURHOODS). A window of every employee
# gains the most per unit of work on 12-19 (Instance13: 139 per unit against 35 for blocks
# and 27 for a few employees' whole horizon); half the parts windows, the rest as before:
# 12-19 summed over seeds 0-3, 30 units from the same starts, 136,811 against 139,391.
KIND_WEIGHTS = {"window": 2, "block": 1, "staff": 1}
# How often a part is placed around a badly covered day and shift type.
TARGETED_SHARE = 0.5
# Below this much time left no part is started.
MIN_SUB_SOLVE_SECONDS = 0.05
# With several threads, how often the islands continue from the best roster.
SYNC_SECONDS = 5.0


@dataclass(frozen=True)
class SubResult:
    part: Part
    kind: str
    closed: bool  # solved to optimality: nothing better within the part
    assignment: dict[tuple[int, int], int] | None  # (employee, day) -> type; None: no gain
    work: float  # deterministic seconds spent
    gain: int = 0  # how much the objective went down


def improve(
    instance: Instance,
    roster: list[Assignment],
    deadline: float,
    seed: int = 0,
    work_limit: float | None = None,
    threads: int = 1,
) -> list[Assignment]:
    """Improve a roster that keeps every hard rule until `deadline` (time.monotonic),
    or, with one thread, until the sub-solves have spent `work_limit` deterministic
    seconds (the search is then reproducible).

    Several threads run as islands: each its own search from the same roster, and every
    SYNC_SECONDS all continue from the best one's roster."""
    shape = _Shape(instance)
    plan = plan_of(instance, roster)
    islands = [_Island(shape, plan, seed + i) for i in range(threads)]
    if threads == 1:
        islands[0].run(deadline, work_limit)
        return roster_of(instance, islands[0].plan)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        while deadline - time.monotonic() > MIN_SUB_SOLVE_SECONDS:
            until = min(deadline, time.monotonic() + SYNC_SECONDS)
            for job in [pool.submit(island.run, until) for island in islands]:
                job.result()
            best = max(islands, key=lambda island: island.gain)
            for island in islands:
                island.adopt(best)
    return roster_of(instance, islands[0].plan)


class _Island:
    """One search: its roster, how much it has gained, its part sizes and its dice."""

    def __init__(self, shape: _Shape, plan: Plan, seed: int) -> None:
        self.shape = shape
        self.plan = _copy(plan)
        self.gain = 0
        self.rng = random.Random(seed)
        self.sizes = {kind: float(START_FREE_LITERALS) for kind in NEIGHBOURHOODS}

    def run(self, deadline: float, work_limit: float | None = None) -> None:
        spent = 0.0
        while (left := deadline - time.monotonic()) > MIN_SUB_SOLVE_SECONDS and (
            work_limit is None or spent < work_limit
        ):
            kind = self.rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
            target = _target(self.shape, self.plan, self.rng)
            part = NEIGHBOURHOODS[kind](self.shape, round(self.sizes[kind]), target, self.rng)
            seed = self.rng.randrange(1 << 30)
            result = solve_part(self.shape.instance, self.plan, part, kind, left, seed)
            self.sizes[kind] = _resized(self.sizes[kind], result.closed, self.shape)
            spent += result.work
            if result.assignment is not None:
                _apply(self.plan, result)
                self.gain += result.gain

    def adopt(self, other: _Island) -> None:
        if other is not self:
            self.plan, self.gain = _copy(other.plan), other.gain


def _copy(plan: Plan) -> Plan:
    return {e: dict(days) for e, days in plan.items()}


def solve_part(
    instance: Instance, plan: Plan, part: Part, kind: str, seconds: float, seed: int
) -> SubResult:
    """Re-solve `part` of `plan` with the rest fixed; the assignment is returned when it
    is no worse than the plan's (an equal one moves the search along a plateau)."""
    built = build_part_model(instance, plan, part)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1
    params.max_time_in_seconds = seconds
    params.max_deterministic_time = SUB_SOLVE_WORK
    params.random_seed = seed
    params.linearization_level = 2
    # The whole LP from the start: on these parts it closes them sooner than adding
    # the constraints as they are violated.
    params.add_lp_constraints_lazily = False
    status = solver.solve(built.model)
    work = solver.response_proto.deterministic_time
    closed = status == cp_model.OPTIMAL
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SubResult(part, kind, closed, None, work)
    if solver.objective_value > built.hint_objective:  # cannot happen: the hint is a solution
        return SubResult(part, kind, closed, None, work)
    assignment = {(e, d): t for (e, d, t), lit in built.shifts.items() if solver.boolean_value(lit)}
    gain = built.hint_objective - round(solver.objective_value)
    return SubResult(part, kind, closed, assignment, work, gain)


def _apply(plan: Plan, result: SubResult) -> None:
    window = range(result.part.first_day, result.part.last_day + 1)
    for e in result.part.employees:
        days = {d: t for d, t in plan[e].items() if d not in window}
        days.update((d, t) for (f, d), t in result.assignment.items() if f == e)
        plan[e] = days


def _resized(size: float, closed: bool, shape: _Shape) -> float:
    size = size * GROW if closed else size * SHRINK
    return min(max(size, MIN_FREE_LITERALS), shape.literal_count)


class _Shape:
    """How many shift literals each employee has per day, who can work what, and the
    cover rows by day."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.days = instance.days
        self.employees = len(instance.staff)
        types = {s.id: t for t, s in enumerate(instance.shifts)}
        self.open_types = [open_types(instance, e) for e in range(self.employees)]
        self.literal_count = sum(
            len(self.open_types[e]) * (self.days - len(instance.days_off[s.id]))
            for e, s in enumerate(instance.staff)
        )
        self.weekend_partner = {
            day: other
            for saturday, sunday in instance.weekends
            for day, other in ((saturday, sunday), (sunday, saturday))
        }
        self.cover: dict[int, list[tuple[int, int, int, int]]] = {}  # day -> rows
        for c in instance.cover:
            row = (types[c.shift], c.requirement, c.under_weight, c.over_weight)
            self.cover.setdefault(c.day, []).append(row)

    def literals_per_day(self, employees: list[int] | range) -> float:
        return sum(len(self.open_types[e]) for e in employees)

    def badly_covered(self, plan: Plan) -> list[tuple[int, int, bool]]:
        """(day, shift type, whether short) whose cover is short or over."""
        on: dict[tuple[int, int], int] = {}
        for days in plan.values():
            for d, t in days.items():
                on[d, t] = on.get((d, t), 0) + 1
        return [
            (d, t, on.get((d, t), 0) < need)
            for d, rows in self.cover.items()
            for t, need, _, _ in rows
            if on.get((d, t), 0) != need
        ]

    def unused_minutes(self, plan: Plan, e: int) -> int:
        """How far employee e works below its maximum minutes."""
        worked = sum(self.instance.shifts[t].minutes for t in plan[e].values())
        return self.instance.staff[e].max_total_minutes - worked

    def with_spare_minutes(self, plan: Plan, shift_type: int) -> tuple[int, ...]:
        """Employees whose minutes leave room for one more shift of this type."""
        length = self.instance.shifts[shift_type].minutes
        return tuple(
            e
            for e in range(self.employees)
            if shift_type in self.open_types[e] and self.unused_minutes(plan, e) >= length
        )

    def short_of_their_maximum(self, plan: Plan, shift_type: int) -> tuple[int, ...]:
        """Employees able to work this shift type with minutes unused, too few for one
        more shift of it. On the instances where the minutes are tight (8-10, 12, 13) most
        employees work to within a shift of their maximum: with a different mix of
        shifts, or by trading days with others, they can use those minutes."""
        length = self.instance.shifts[shift_type].minutes
        return tuple(
            e
            for e in range(self.employees)
            if shift_type in self.open_types[e] and 0 < self.unused_minutes(plan, e) < length
        )

    def on_half_the_weekend(self, plan: Plan, day: int, shift_type: int) -> tuple[int, ...]:
        """Employees able to work this shift type on this weekend day who work the other
        day of its weekend but not this one: the weekend already counts against their
        maximum, so they can fill the cell without spending another. On 12-19 the
        searched rosters work every weekend the maxima allow, yet 1-38 of those weekends
        on one day only, while most of the people short are on weekends."""
        partner = self.weekend_partner.get(day)
        if partner is None:
            return ()
        return tuple(
            e for e in self.able(day, shift_type) if partner in plan[e] and day not in plan[e]
        )

    def able(self, day: int, shift_type: int) -> list[int]:
        """Employees who could work this shift type on this day."""
        return [
            e
            for e, s in enumerate(self.instance.staff)
            if shift_type in self.open_types[e] and day not in self.instance.days_off[s.id]
        ]


@dataclass(frozen=True)
class _Cell:
    """A day and shift type whose cover is wrong, which a part is placed around, and,
    where people are short, the employees with minutes to spare for one more shift of
    that type, those with fewer minutes unused, and those working the other day of its
    weekend."""

    day: int
    shift_type: int
    spare: tuple[int, ...]
    short_of_maximum: tuple[int, ...] = ()
    half_weekend: tuple[int, ...] = ()


Target = _Cell | None


def _target(shape: _Shape, plan: Plan, rng: random.Random) -> Target:
    """Half the time a day and shift type whose cover is wrong, else none."""
    if rng.random() >= TARGETED_SHARE:
        return None
    bad = shape.badly_covered(plan)
    if not bad:
        return None
    day, shift_type, short = rng.choice(bad)
    if not short:
        return _Cell(day, shift_type, ())
    return _Cell(
        day,
        shift_type,
        shape.with_spare_minutes(plan, shift_type),
        shape.short_of_their_maximum(plan, shift_type),
        shape.on_half_the_weekend(plan, day, shift_type),
    )


def _days_around(shape: _Shape, width: int, target: Target, rng: random.Random) -> range:
    width = max(1, min(shape.days, width))
    centre = target.day if target else rng.randrange(shape.days)
    first = min(max(0, centre - rng.randrange(width)), shape.days - width)
    return range(first, first + width)


def _window(shape: _Shape, size: int, target: Target, rng: random.Random) -> Part:
    """Every employee over a window of days."""
    width = round(size / shape.literals_per_day(range(shape.employees)))
    days = _days_around(shape, width, target, rng)
    return Part(tuple(range(shape.employees)), days.start, days.stop - 1)


def _block(shape: _Shape, size: int, target: Target, rng: random.Random) -> Part:
    """Some employees over one to four weeks: as many as the size allows."""
    days = _days_around(shape, 7 * rng.randint(1, 4), target, rng)
    per_employee = shape.literals_per_day(range(shape.employees)) / shape.employees
    count = round(size / (per_employee * len(days)))
    return Part(_employees_around(shape, count, target, rng), days.start, days.stop - 1)


def _staff(shape: _Shape, size: int, target: Target, rng: random.Random) -> Part:
    """A few employees over the whole horizon."""
    per_employee = shape.literals_per_day(range(shape.employees)) / shape.employees
    count = round(size / (per_employee * shape.days))
    return Part(_employees_around(shape, count, target, rng), 0, shape.days - 1)


def _employees_around(
    shape: _Shape, count: int, target: Target, rng: random.Random
) -> tuple[int, ...]:
    """`count` employees (at least two). Around a cell short of people: a quarter who
    work the other day of its weekend (when it is on a weekend), up to half with minutes
    to spare (where the missing capacity is: on Instance8 the people short are exactly
    the minutes left unused), up to half with fewer minutes unused, the others able to
    fill it. Around a cell over, half able to work it, the rest at random, as without a
    target."""
    count = max(2, min(shape.employees, count))
    chosen: set[int] = set()

    def take(pool: Iterable[int], most: int) -> None:
        free = [e for e in pool if e not in chosen]
        chosen.update(rng.sample(free, max(0, min(len(free), most, count - len(chosen)))))

    if target is not None:
        take(target.half_weekend, max(1, count // 4))
        take(target.spare, max(1, count // 2))
        take(target.short_of_maximum, max(1, count // 2))
        able = shape.able(target.day, target.shift_type)
        take(able, count - len(chosen) if target.spare else max(1, count // 2))
    take(range(shape.employees), count)
    return tuple(sorted(chosen))


NEIGHBOURHOODS: dict[str, Callable[[_Shape, int, Target, random.Random], Part]] = {
    "window": _window,
    "block": _block,
    "staff": _staff,
}


def plan_of(instance: Instance, roster: list[Assignment]) -> Plan:
    employees = {s.id: e for e, s in enumerate(instance.staff)}
    types = {s.id: t for t, s in enumerate(instance.shifts)}
    plan: Plan = {e: {} for e in range(len(instance.staff))}
    for who, day, shift in roster:
        plan[employees[who]][day] = types[shift]
    return plan


def roster_of(instance: Instance, plan: Plan) -> list[Assignment]:
    return sorted(
        (instance.staff[e].id, d, instance.shifts[t].id)
        for e, days in plan.items()
        for d, t in days.items()
    )
