"""The Curtois-Qu benchmark stated with the project's shared rule functions, solved by CP-SAT.

One Boolean per (employee, day, shift type) that can be worked at all: a day off or a
shift type with a maximum of 0 gets no variable, which is how `add_days_off` and
`add_max_shifts_of_kind` would fix it anyway, minus the variables presolve would remove.
Every staff rule is hard; the objective is the benchmark's: the weight of each unmet
shift-on request and each violated shift-off request, plus per day and shift type the
cover rows' weights times the people short and beyond the requirement.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from roster.curtois.parser import Cover, Instance, Staff
from roster.solver import day_rules, rules
from roster.solver.core import set_objective, stopped_when
from roster.solver.day_rules import DayLiteral

Assignment = tuple[str, int, str]  # (employee id, day, shift type id)
# Filling in the rules' variables for a given roster is propagation; this is a ceiling.
HINT_COMPLETION_SECONDS = 30.0
Key = tuple[int, int, int]  # (employee index, day, shift type index)


@dataclass
class CurtoisModel:
    instance: Instance
    model: cp_model.CpModel
    shifts: dict[Key, cp_model.IntVar]  # only the (employee, day, type) that can be worked
    works: dict[int, list[cp_model.IntVar]]  # per employee index, per day
    penalties: list[rules.Penalty]

    def kind_days(self, e: int, t: int) -> list[cp_model.IntVar | int]:
        """Employee e's "works shift type t on day d" per day (0 where it cannot)."""
        return [self.shifts.get((e, d, t), 0) for d in range(self.instance.days)]


def build_model(instance: Instance) -> CurtoisModel:
    """The whole benchmark: every employee's hard rules and the benchmark's objective."""
    built = _model_with_rules(instance, range(len(instance.staff)))
    built.penalties = [
        *day_rules.request_terms(_requests(built)),  # soft
        *_unmeetable_on_requests(built),  # soft, constant
        *_cover_terms(built),  # soft
    ]
    set_objective(built.model, built.penalties)
    return built


def build_employee_model(
    instance: Instance, e: int, shift_cost: Mapping[tuple[int, int], int]
) -> CurtoisModel:
    """Employee e alone: the same hard rules, objective its own requests plus
    `shift_cost[day, type]` for each shift it works (what that shift changes in cover)."""
    built = _model_with_rules(instance, [e])
    _set_employee_objective(built, shift_cost)
    return built


def build_types_model(
    instance: Instance, e: int, shift_cost: Mapping[tuple[int, int], int], working_days: set[int]
) -> CurtoisModel:
    """Employee e's shift types on days already chosen (which met every rule on days:
    days off, runs, weekends): one type per working day, within the per-type maxima and
    the minutes, no forbidden succession. Objective as in `build_employee_model`."""
    model = cp_model.CpModel()
    shifts = _shift_literals(model, instance, [e], working_days)
    built = CurtoisModel(instance, model, shifts, {}, [])
    staff, types = instance.staff[e], open_types(instance, e)
    by_day = [[shifts[e, d, t] for t in types if (e, d, t) in shifts] for d in sorted(working_days)]
    for works in day_rules.add_one_shift_per_day(model, by_day, staff.id):  # hard
        model.add(works == 1)
    for t, shift in enumerate(instance.shifts):
        limit = staff.max_shifts.get(shift.id, instance.days)
        day_rules.add_max_shifts_of_kind(model, built.kind_days(e, t), limit)
    minutes = [(lit, instance.shifts[t].minutes) for (_, _, t), lit in shifts.items()]
    day_rules.add_total_minutes_between(
        model, minutes, staff.min_total_minutes, staff.max_total_minutes
    )
    _add_shift_successions(built, e)
    _set_employee_objective(built, shift_cost)
    return built


def _set_employee_objective(built: CurtoisModel, shift_cost: Mapping[tuple[int, int], int]) -> None:
    cover = [
        rules.Penalty("cover", lit, shift_cost[d, t])
        for (_, d, t), lit in built.shifts.items()
        if shift_cost.get((d, t))
    ]
    built.penalties = [*day_rules.request_terms(_requests(built)), *cover]
    set_objective(built.model, built.penalties)


Plan = Mapping[int, Mapping[int, int]]  # employee index -> {day: shift type index worked}


@dataclass(frozen=True)
class Part:
    """The part of a roster left free: some employees over a range of days (inclusive)."""

    employees: tuple[int, ...]
    first_day: int
    last_day: int


@dataclass
class PartModel:
    """`build_part_model`'s result: the model, its shift literals, and the starting
    roster's value for every variable with that roster's objective in this model."""

    model: cp_model.CpModel
    shifts: dict[Key, cp_model.IntVar]
    hint: dict[int, int]  # variable index -> value for the plan it was built from
    hint_objective: int


def build_part_model(instance: Instance, plan: Plan, part: Part) -> PartModel:
    """The benchmark with everything outside `part` fixed to `plan`, a valid roster.

    Its objective is the benchmark's up to a constant, so a better solution here is a
    better roster. Only the days the rules can see from the part are modelled: a margin
    longer than any run rule on each side (the runs there are the plan's, so a run
    cannot reach across it), widened to whole weeks; beyond it the plan only enters as
    totals (shifts per type, minutes, weekends) taken off the limits.
    """
    first, last = _cropped_days(instance, part)
    builder = _PartBuilder(instance, plan, part, first, last)
    for e in part.employees:
        builder.add_employee(e)
    builder.add_requests()
    builder.add_cover()
    penalties = [*day_rules.request_terms(builder.requests), *builder.cover]
    set_objective(builder.model, penalties)
    builder.hint_constants()
    objective = builder.model.proto.objective
    terms = zip(objective.vars, objective.coeffs, strict=True)
    value = objective.offset + sum(c * builder.hint[v] for v, c in terms)
    hint = builder.model.proto.solution_hint
    hint.vars.extend(list(builder.hint))
    hint.values.extend(list(builder.hint.values()))
    return PartModel(builder.model, builder.shifts, builder.hint, round(value))


def _cropped_days(instance: Instance, part: Part) -> tuple[int, int]:
    staff = [instance.staff[e] for e in part.employees]
    margin = 1 + max(
        max(s.max_consecutive_shifts, s.min_consecutive_shifts, s.min_consecutive_days_off)
        for s in staff
    )
    first = max(0, part.first_day - margin)
    last = min(instance.days - 1, part.last_day + margin)
    return first - first % 7, min(instance.days - 1, last + 6 - last % 7)


class _PartBuilder:
    """Builds `build_part_model` employee by employee; days are counted from `first`."""

    def __init__(self, instance: Instance, plan: Plan, part: Part, first: int, last: int):
        self.instance, self.plan, self.part = instance, plan, part
        self.first, self.last = first, last
        self.model = cp_model.CpModel()
        self.shifts: dict[Key, cp_model.IntVar] = {}
        self.hint: dict[int, int] = {}
        self.requests: list[day_rules.DayRequest] = []
        self.cover: list[rules.Penalty] = []
        self.window = range(part.first_day, part.last_day + 1)

    def _hinted(self, var: cp_model.IntVar, value: int) -> cp_model.IntVar:
        self.hint[var.index] = int(value)
        return var

    def hint_constants(self) -> None:
        """The variables CP-SAT makes for constants (days of the plan given to the
        automaton, say) take their only value."""
        for index, var in enumerate(self.model.proto.variables):
            if index not in self.hint and len(var.domain) == 2 and var.domain[0] == var.domain[1]:
                self.hint[index] = var.domain[0]

    def add_employee(self, e: int) -> None:
        instance, staff, worked = self.instance, self.instance.staff[e], self.plan[e]
        types = open_types(instance, e)
        off = instance.days_off[staff.id]
        by_day = []
        for d in self.window:
            open_here = [] if d in off else types
            for t in open_here:
                name = f"x[{staff.id},{d},{instance.shifts[t].id}]"
                self.shifts[e, d, t] = self._hinted(
                    self.model.new_bool_var(name), worked.get(d) == t
                )
            by_day.append([self.shifts[e, d, t] for t in open_here])
        works = day_rules.add_one_shift_per_day(self.model, by_day, staff.id)  # hard
        for d, lit in zip(self.window, works, strict=True):
            self._hinted(lit, d in worked)
        days = [self._day(e, d, works) for d in range(self.first, self.last + 1)]
        self._add_staff_rules(e, days)

    def _day(self, e: int, d: int, works: list[cp_model.IntVar]) -> DayLiteral:
        return works[d - self.part.first_day] if d in self.window else int(d in self.plan[e])

    def _kind_days(self, e: int, t: int, days: range) -> list[DayLiteral]:
        worked = self.plan[e]
        return [
            self.shifts.get((e, d, t), 0) if d in self.window else int(worked.get(d) == t)
            for d in days
        ]

    def _add_staff_rules(self, e: int, days: list[DayLiteral]) -> None:
        """The rules of `_add_staff_rules` on the cropped days, totals net of the rest."""
        instance, model, staff = self.instance, self.model, self.instance.staff[e]
        outside = [(d, t) for d, t in self.plan[e].items() if d not in self.window]
        cropped_off = [
            d - self.first for d in instance.days_off[staff.id] if self.first <= d <= self.last
        ]
        day_rules.add_days_off(model, days, cropped_off)
        for t, shift in enumerate(instance.shifts):
            limit = staff.max_shifts.get(shift.id, instance.days)
            inside = [self.shifts[k] for k in self._keys(e, t)]
            done = sum(1 for _, u in outside if u == t)
            day_rules.add_max_shifts_of_kind(model, inside, limit - done)
        minutes = [
            (self.shifts[k], shift.minutes)
            for t, shift in enumerate(instance.shifts)
            for k in self._keys(e, t)
        ]
        done = sum(instance.shifts[t].minutes for _, t in outside)
        day_rules.add_total_minutes_between(
            model, minutes, staff.min_total_minutes - done, staff.max_total_minutes - done
        )
        add_run_rules(model, days, staff)
        self._add_weekends(e, days)
        self._add_successions(e)

    def _keys(self, e: int, t: int) -> list[Key]:
        return [(e, d, t) for d in self.window if (e, d, t) in self.shifts]

    def _add_weekends(self, e: int, days: list[DayLiteral]) -> None:
        staff, worked = self.instance.staff[e], self.plan[e]
        inside = [
            (sat, sun)
            for sat, sun in self.instance.weekends
            if self.first <= sat and sun <= self.last
        ]
        done = sum(
            1
            for sat, sun in self.instance.weekends
            if (sat, sun) not in inside and (sat in worked or sun in worked)
        )
        cropped = [(sat - self.first, sun - self.first) for sat, sun in inside]
        flags = day_rules.add_max_weekends(self.model, days, cropped, staff.max_weekends - done)
        for (sat, sun), flag in zip(inside, flags, strict=True):
            self._hinted(flag, sat in worked or sun in worked)

    def _add_successions(self, e: int) -> None:
        """Only the pairs of days touching the window: the plan's own pairs elsewhere
        already keep the rule (on a one-day window of Instance13 the margin's pairs were
        more than half of the build)."""
        days = range(
            max(self.first, self.part.first_day - 1), min(self.last, self.part.last_day + 1) + 1
        )
        kinds = [self._kind_days(e, t, days) for t in range(len(self.instance.shifts))]
        _add_successions_of_kinds(self.model, self.instance, kinds)

    def add_requests(self) -> None:
        """The requests of the part's employees on the part's days."""
        employees, types = _indices(self.instance)
        free = set(self.part.employees)
        for wanted, rows in (
            (True, self.instance.on_requests),
            (False, self.instance.off_requests),
        ):
            label = "shift-on request" if wanted else "shift-off request"
            for r in rows:
                e = employees[r.employee]
                lit = self.shifts.get((e, r.day, types[r.shift])) if e in free else None
                if lit is not None:
                    self.requests.append(day_rules.DayRequest(lit, wanted, r.weight, label))

    def add_cover(self) -> None:
        """Cover on the part's days against what everybody outside the part provides."""
        _, types = _indices(self.instance)
        free = set(self.part.employees)
        others: dict[tuple[int, int], int] = {}
        for e, worked in self.plan.items():
            if e not in free:
                for d in self.window:
                    if d in worked:
                        others[d, worked[d]] = others.get((d, worked[d]), 0) + 1
        for c in self.instance.cover:
            if c.day in self.window:
                self._add_cover_row(c, types[c.shift], others.get((c.day, types[c.shift]), 0))

    def _add_cover_row(self, c: Cover, t: int, others: int) -> None:
        on = [self.shifts[e, c.day, t] for e in self.part.employees if (e, c.day, t) in self.shifts]
        present = sum(self.hint[lit.index] for lit in on)
        left = c.requirement - others
        if left < 0:  # already over: each one more is over too
            self.cover += [rules.Penalty("cover over", lit, c.over_weight) for lit in on]
            return
        label = f"cover {c.shift} day {c.day}"
        terms = day_rules.cover_terms(self.model, on, left, c.under_weight, c.over_weight, label)
        if on:  # the terms' expressions are the new under and over variables
            self._hinted(terms[0].expr, max(0, left - present))
            self._hinted(terms[1].expr, max(0, present - left))
        self.cover += terms


def open_types(instance: Instance, e: int) -> list[int]:
    """Shift types employee e can work at all (allowed, and not longer than its maximum)."""
    staff = instance.staff[e]
    return [
        t
        for t, shift in enumerate(instance.shifts)
        if staff.max_shifts.get(shift.id, instance.days) > 0
        and shift.minutes <= staff.max_total_minutes
    ]


def _model_with_rules(instance: Instance, employees: Iterable[int]) -> CurtoisModel:
    model = cp_model.CpModel()
    employees = list(employees)
    shifts = _shift_literals(model, instance, employees)
    built = CurtoisModel(instance, model, shifts, {}, [])
    for e in employees:
        by_day = [
            [shifts[e, d, t] for t in range(len(instance.shifts)) if (e, d, t) in shifts]
            for d in range(instance.days)
        ]
        staff = instance.staff[e]
        built.works[e] = day_rules.add_one_shift_per_day(model, by_day, staff.id)  # hard
        _add_staff_rules(built, e, staff)
    return built


def _add_staff_rules(built: CurtoisModel, e: int, staff: Staff) -> None:
    """Every hard rule of one employee, listed once."""
    instance, model, days = built.instance, built.model, built.works[e]
    day_rules.add_days_off(model, days, instance.days_off[staff.id])
    for t, shift in enumerate(instance.shifts):
        limit = staff.max_shifts.get(shift.id, instance.days)
        day_rules.add_max_shifts_of_kind(model, built.kind_days(e, t), limit)
    minutes = [
        (lit, shift.minutes)
        for t, shift in enumerate(instance.shifts)
        for lit in built.kind_days(e, t)
        if not isinstance(lit, int)
    ]
    day_rules.add_total_minutes_between(
        model, minutes, staff.min_total_minutes, staff.max_total_minutes
    )
    add_run_rules(model, days, staff)
    day_rules.add_max_weekends(model, days, instance.weekends, staff.max_weekends)
    _add_shift_successions(built, e)


def _add_shift_successions(built: CurtoisModel, e: int) -> None:
    kinds = [built.kind_days(e, t) for t in range(len(built.instance.shifts))]
    _add_successions_of_kinds(built.model, built.instance, kinds)


def _add_successions_of_kinds(
    model: cp_model.CpModel, instance: Instance, kinds: list[list[DayLiteral]]
) -> None:
    """`add_forbidden_successions` for every shift type, given each type's day entries.
    Types never worked are left out of the sums, and types with the same successors
    share one list of sums (the long horizons build much faster)."""
    index = {s.id: t for t, s in enumerate(instance.shifts)}
    worked = [any(not isinstance(x, int) or x for x in entries) for entries in kinds]
    sums: dict[tuple[int, ...], list[cp_model.LinearExprT]] = {}
    for t, shift in enumerate(instance.shifts):
        followers = tuple(index[f] for f in shift.cannot_follow if worked[index[f]])
        if worked[t] and followers:
            if followers not in sums:
                sums[followers] = _sums_by_day([kinds[f] for f in followers])
            day_rules.add_forbidden_successions(model, kinds[t], sums[followers])


def _sums_by_day(kinds: list[list[DayLiteral]]) -> list[cp_model.LinearExprT]:
    """Per day, the sum of several kinds' entries (constants for days that are fixed).
    Summing only the variables keeps the long horizons fast to build."""
    sums = []
    for entries in zip(*kinds, strict=True):
        variables = [x for x in entries if not isinstance(x, int)]
        constant = sum(x for x in entries if isinstance(x, int))
        sums.append(cp_model.LinearExpr.sum(variables) + constant if variables else constant)
    return sums


def _shift_literals(
    model: cp_model.CpModel,
    instance: Instance,
    employees: list[int],
    only_days: set[int] | None = None,
) -> dict[Key, cp_model.IntVar]:
    days = range(instance.days) if only_days is None else sorted(only_days)
    shifts = {}
    for e in employees:
        staff = instance.staff[e]
        off = instance.days_off[staff.id]
        for t, shift in enumerate(instance.shifts):
            if staff.max_shifts.get(shift.id, instance.days) == 0:
                continue
            if shift.minutes > staff.max_total_minutes:
                continue
            for d in days:
                if d not in off:
                    shifts[e, d, t] = model.new_bool_var(f"x[{staff.id},{d},{shift.id}]")
    return shifts


def _indices(instance: Instance) -> tuple[Mapping[str, int], Mapping[str, int]]:
    employees = {s.id: e for e, s in enumerate(instance.staff)}
    types = {s.id: t for t, s in enumerate(instance.shifts)}
    return employees, types


def _requests(built: CurtoisModel) -> list[day_rules.DayRequest]:
    employees, types = _indices(built.instance)
    requests = []
    for wanted, rows in ((True, built.instance.on_requests), (False, built.instance.off_requests)):
        label = "shift-on request" if wanted else "shift-off request"
        for r in rows:
            lit = built.shifts.get((employees[r.employee], r.day, types[r.shift]))
            if lit is not None:
                requests.append(day_rules.DayRequest(lit, wanted, r.weight, label))
    return requests


def _unmeetable_on_requests(built: CurtoisModel) -> list[rules.Penalty]:
    """A shift-on request for a shift the employee can never work costs its weight."""
    employees, types = _indices(built.instance)
    return [
        rules.Penalty("shift-on request", 1, r.weight)
        for r in built.instance.on_requests
        if (employees[r.employee], r.day, types[r.shift]) not in built.shifts
    ]


def _cover_terms(built: CurtoisModel) -> list[rules.Penalty]:
    _, types = _indices(built.instance)
    terms = []
    for c in built.instance.cover:
        t = types[c.shift]
        on = [
            built.shifts[e, c.day, t]
            for e in range(len(built.instance.staff))
            if (e, c.day, t) in built.shifts
        ]
        label = f"cover {c.shift} day {c.day}"
        terms += day_rules.cover_terms(
            built.model, on, c.requirement, c.under_weight, c.over_weight, label
        )
    return terms


@dataclass(frozen=True)
class Settings:
    time_limit_seconds: float = 60.0
    workers: int = 2
    seed: int = 0
    log_search: bool = False
    # Stop once the roster has not got STALL_DROP cheaper for this long (None: never).
    stall_seconds: float | None = None


# What counts as progress for `Settings.stall_seconds`: a share of the objective.
STALL_DROP = 0.01
STALL_POLL_SECONDS = 0.1  # how often a stall is looked for


@dataclass(frozen=True)
class Outcome:
    status: str  # CP-SAT status name
    roster: list[Assignment]  # empty when no roster was found
    objective: float | None
    bound: float | None


def solve(built: CurtoisModel, settings: Settings, hint: list[Assignment] | None = None) -> Outcome:
    """Solve the built model; `hint` (a whole roster) is where the search starts."""
    if hint is not None:
        add_roster_hint(built, hint)
    solver = cp_model.CpSolver()
    configure(solver, settings)
    if settings.stall_seconds is None:
        status = solver.solve(built.model)
    else:
        status = _solve_until_stalled(solver, built.model, settings.stall_seconds)
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Outcome(name, [], None, None)
    return Outcome(
        name, read_roster(solver, built), solver.objective_value, solver.best_objective_bound
    )


class _Progress(cp_model.CpSolverSolutionCallback):
    """When the objective last dropped by STALL_DROP of itself."""

    def __init__(self) -> None:
        super().__init__()
        self.level: float | None = None
        self.since = time.monotonic()

    def on_solution_callback(self) -> None:
        if self.level is None or self.objective_value <= self.level * (1 - STALL_DROP):
            self.level = self.objective_value
            self.since = time.monotonic()

    def stalled(self, seconds: float) -> bool:
        """No drop for `seconds`; never before a first roster."""
        return self.level is not None and time.monotonic() - self.since > seconds


def _solve_until_stalled(
    solver: cp_model.CpSolver, model: cp_model.CpModel, stall_seconds: float
) -> int:
    """Solve, stopping the search once it stalls: on the middle instances the whole
    model first improves the constructive roster fast, then crawls while the parts of
    `lns` would still gain (Instance10: 5,292 -> 5,218 in 8 s, 5,117 after 25 more)."""
    progress = _Progress()
    with stopped_when(solver, lambda: progress.stalled(stall_seconds), STALL_POLL_SECONDS):
        return solver.solve(model, progress)


def configure(solver: cp_model.CpSolver, settings: Settings) -> None:
    """Time, threads and seed, plus the two settings that matter on this benchmark.

    Its LP relaxation only becomes useful with the clauses of the sequence rules in it
    (linearization level 2): the default level leaves a bound near 0 and the search
    blind. With two or more workers the full-problem worker is then `max_lp`, which
    also adds cuts; the other worker interleaves CP-SAT's LNS and local search.
    """
    params = solver.parameters
    params.num_workers = settings.workers
    params.max_time_in_seconds = max(0.01, settings.time_limit_seconds)
    params.random_seed = settings.seed
    params.log_search_progress = settings.log_search
    params.linearization_level = 2
    if settings.workers > 1:
        params.subsolvers.append("max_lp")


def add_roster_hint(built: CurtoisModel, roster: list[Assignment]) -> float | None:
    """Hint a whole roster, with a value for every variable of the model; returns the
    model's objective for that roster (None when the roster breaks a hard rule).

    CP-SAT starts from a hint only when it is complete; hinting the shift literals alone
    leaves the rules' auxiliaries (weekends, cover slack, the automaton's states)
    unknown, and on the larger instances the search then found no roster at all within a
    minute. The other values follow from the roster: solving the model with the shifts
    fixed is propagation only.
    """
    solved = _solve_with_shifts_fixed(built, roster)
    built.model.clear_hints()
    if solved is None:  # the roster breaks a hard rule: hint its shifts all the same
        worked = _worked_keys(built, roster)
        for key, lit in built.shifts.items():
            built.model.add_hint(lit, key in worked)
        return None
    values, objective = solved
    hint = built.model.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)
    return objective


def _solve_with_shifts_fixed(
    built: CurtoisModel, roster: list[Assignment]
) -> tuple[list[int], float] | None:
    worked = _worked_keys(built, roster)
    if not worked <= built.shifts.keys():  # a shift no literal stands for: a day off, say
        return None
    fixed = built.model.clone()
    for key, lit in built.shifts.items():
        domain = fixed.proto.variables[lit.index].domain
        domain[0] = domain[1] = int(key in worked)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = HINT_COMPLETION_SECONDS
    if solver.solve(fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(solver.response_proto.solution), solver.objective_value


def _worked_keys(built: CurtoisModel, roster: list[Assignment]) -> set[Key]:
    employees, types = _indices(built.instance)
    return {(employees[e], d, types[s]) for e, d, s in roster}


def read_roster(solver: cp_model.CpSolver, built: CurtoisModel) -> list[Assignment]:
    instance = built.instance
    return sorted(
        (instance.staff[e].id, d, instance.shifts[t].id)
        for (e, d, t), lit in built.shifts.items()
        if solver.boolean_value(lit)
    )


def add_run_rules(model: cp_model.CpModel, days: list[DayLiteral], staff: Staff) -> None:
    """An employee's runs of work and of days off, plus the redundant automaton over them
    that tightens the LP; the whole model and the part model state them alike."""
    rules.add_max_consecutive_days(model, days, staff.max_consecutive_shifts)
    day_rules.add_min_consecutive_days(model, days, staff.min_consecutive_shifts)
    day_rules.add_min_consecutive_days_off(model, days, staff.min_consecutive_days_off)
    day_rules.add_run_lengths_automaton(
        model,
        days,
        staff.min_consecutive_shifts,
        staff.max_consecutive_shifts,
        staff.min_consecutive_days_off,
    )
