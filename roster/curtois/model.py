"""The Curtois-Qu benchmark stated with the project's shared rule functions, solved by CP-SAT.

One Boolean per (employee, day, shift type) that can be worked at all: a day off or a
shift type with a maximum of 0 gets no variable, which is how `add_days_off` and
`add_max_shifts_of_kind` would fix it anyway, minus the variables presolve would remove.
Every staff rule is hard; the objective is the benchmark's: the weight of each unmet
shift-on request and each violated shift-off request, plus per day and shift type the
cover rows' weights times the people short and beyond the requirement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from roster.curtois.parser import Instance, Staff
from roster.solver import day_rules, rules
from roster.solver.core import set_objective

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
    instance: Instance,
    e: int,
    shift_cost: Mapping[tuple[int, int], int],
    working_days: set[int] | None = None,
) -> CurtoisModel:
    """Employee e alone: the same hard rules, objective its own requests plus
    `shift_cost[day, type]` for each shift it works (what that shift changes in cover).
    `working_days`, when given, fixes which days are worked."""
    built = _model_with_rules(instance, [e], working_days)
    if working_days is not None:
        for d, lit in enumerate(built.works[e]):
            built.model.add(lit == int(d in working_days))
    cover = [
        rules.Penalty("cover", lit, shift_cost[d, t])
        for (_, d, t), lit in built.shifts.items()
        if shift_cost.get((d, t))
    ]
    built.penalties = [*day_rules.request_terms(_requests(built)), *cover]
    set_objective(built.model, built.penalties)
    return built


def build_group_model(
    instance: Instance, employees: list[int], others_on: Mapping[tuple[int, str], int]
) -> CurtoisModel:
    """A few employees, everybody else's shifts fixed: their hard rules, their requests,
    and cover against what the others leave (`others_on[day, shift]` people already on).
    Its objective is the benchmark's objective up to a constant."""
    built = _model_with_rules(instance, employees)
    _, types = _indices(instance)
    cover = []
    for c in instance.cover:
        t = types[c.shift]
        on = [built.shifts[e, c.day, t] for e in employees if (e, c.day, t) in built.shifts]
        left = c.requirement - others_on.get((c.day, c.shift), 0)
        if left >= 0:
            label = f"cover {c.shift} day {c.day}"
            cover += day_rules.cover_terms(
                built.model, on, left, c.under_weight, c.over_weight, label
            )
        else:  # already over: each one more is over too
            cover += [rules.Penalty("cover over", lit, c.over_weight) for lit in on]
    built.penalties = [*day_rules.request_terms(_requests(built)), *cover]
    set_objective(built.model, built.penalties)
    return built


def _model_with_rules(
    instance: Instance, employees: Iterable[int], only_days: set[int] | None = None
) -> CurtoisModel:
    model = cp_model.CpModel()
    employees = list(employees)
    shifts = _shift_literals(model, instance, employees, only_days)
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
    rules.add_max_consecutive_days(model, days, staff.max_consecutive_shifts)
    day_rules.add_min_consecutive_days(model, days, staff.min_consecutive_shifts)
    day_rules.add_min_consecutive_days_off(model, days, staff.min_consecutive_days_off)
    day_rules.add_run_lengths_automaton(  # redundant, tightens the LP
        model,
        days,
        staff.min_consecutive_shifts,
        staff.max_consecutive_shifts,
        staff.min_consecutive_days_off,
    )
    day_rules.add_max_weekends(model, days, instance.weekends, staff.max_weekends)
    _add_shift_successions(built, e)


def _add_shift_successions(built: CurtoisModel, e: int) -> None:
    instance = built.instance
    index = {s.id: t for t, s in enumerate(instance.shifts)}
    for t, shift in enumerate(instance.shifts):
        if not shift.cannot_follow:
            continue
        followers = [built.kind_days(e, index[f]) for f in shift.cannot_follow]
        next_kind = [sum(kinds[d] for kinds in followers) for d in range(instance.days)]
        day_rules.add_forbidden_successions(built.model, built.kind_days(e, t), next_kind)


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
    status = solver.solve(built.model)
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Outcome(name, [], None, None)
    return Outcome(
        name, read_roster(solver, built), solver.objective_value, solver.best_objective_bound
    )


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
