"""Every rule of the CP-SAT model, one function each, named after the rule.

Hard rules add constraints. Soft rules add no constraint to the objective themselves: they
return `Penalty` terms (name, expression, weight) and `roster.solver.core` sums them in
one place, so a report can say which soft rule cost what.

Rules that only need "does this worker work on day d" take plain lists of day literals, so
other models (the Curtois benchmark) share them unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from roster.solver.problem import DEMAND_SCALE, Problem, ShiftOption, Worker

LinearExpr = cp_model.LinearExprT


@dataclass(frozen=True)
class Penalty:
    name: str
    expr: LinearExpr
    weight: int


@dataclass
class ShiftVars:
    """Decision variables of the shift choice: x[w][k] works option k of worker w."""

    x: list[list[cp_model.IntVar]]
    works_day: list[list[cp_model.IntVar]]  # per worker, per local day


@dataclass
class CoverageVars:
    """Agents on shift and serving; variables, or plain counts for a roster whose shifts
    and queue assignment are already known (`fixed_queue_assignment`)."""

    groups: list[tuple[int, ...]]  # skill tuple per group index
    on_shift: dict[tuple[int, int], LinearExpr]  # (group, interval) -> agents on shift
    served: dict[tuple[int, int, int], LinearExpr]  # (group, demand, interval)
    scheduled: dict[tuple[int, int], LinearExpr]  # (demand, interval) -> agents serving


# ---------------------------------------------------------------- hard rules


def add_shift_choices(model: cp_model.CpModel, problem: Problem) -> ShiftVars:
    """Hard: shifts are chosen among each worker's options (length, start grid, window,
    time off are already applied when the options are made)."""
    x = [
        [model.new_bool_var(f"x[{w.id},{o.start}+{o.minutes}]") for o in w.options]
        for w in problem.workers
    ]
    works_day = [
        [model.new_bool_var(f"day[{w.id},{d}]") for d in range(w.n_days)] for w in problem.workers
    ]
    return ShiftVars(x, works_day)


def add_one_start_per_local_day(model: cp_model.CpModel, problem: Problem, v: ShiftVars) -> None:
    """Hard: at most one shift starts on each local calendar day; works_day mirrors it."""
    for wi, worker in enumerate(problem.workers):
        per_day = _options_by_day(worker)
        for day, lit in enumerate(v.works_day[wi]):
            model.add(sum(v.x[wi][k] for k in per_day.get(day, [])) == lit)


def add_min_rest(model: cp_model.CpModel, problem: Problem, v: ShiftVars) -> None:
    """Hard: no overlap, and `min_rest_minutes` between one shift's end and the next start.

    Two options clash exactly when their spans stretched by the rest, [start, end + rest),
    overlap. Those stretched spans form an interval graph, so "at most one option per
    maximal clique" states the rule exactly and gives the LP relaxation its tightest form.
    """
    for wi, worker in enumerate(problem.workers):
        for clique in rest_cliques(worker.options, problem.min_rest_minutes):
            if len(clique) > 1:
                model.add_at_most_one(v.x[wi][k] for k in clique)


def rest_cliques(options: tuple[ShiftOption, ...], rest_minutes: int) -> list[list[int]]:
    """Maximal sets of options that pairwise clash (spans stretched by the rest overlap).

    A sweep over start times: the options running at a start form a clique, and that
    clique is maximal when one of them stops before the next start adds anyone.
    """
    by_start: dict[int, list[int]] = defaultdict(list)
    for k, o in enumerate(options):
        by_start[o.start].append(k)
    stop = [o.end + rest_minutes for o in options]
    starts = sorted(by_start)
    active: list[int] = []
    cliques = []
    for n, t in enumerate(starts):
        active = [k for k in active if stop[k] > t] + by_start[t]
        following = starts[n + 1] if n + 1 < len(starts) else None
        if following is None or min(stop[k] for k in active) <= following:
            cliques.append(list(active))
    return cliques


def add_max_consecutive_days(
    model: cp_model.CpModel, day_literals: list[cp_model.IntVar], max_days: int
) -> None:
    """Hard: no more than `max_days` worked days in a row."""
    window = max_days + 1
    for first in range(len(day_literals) - window + 1):
        model.add(sum(day_literals[first : first + window]) <= max_days)


def add_weekly_hours(model: cp_model.CpModel, problem: Problem, v: ShiftVars) -> None:
    """Hard: worked minutes within [min_minutes, max_minutes] for every worker and week."""
    for wi, worker in enumerate(problem.workers):
        for total in minutes_per_week(problem, worker, v.x[wi]):
            model.add_linear_constraint(total, worker.min_minutes, worker.max_minutes)


def minutes_per_week(
    problem: Problem, worker: Worker, x: list[cp_model.IntVar]
) -> list[LinearExpr]:
    """The worker's worked minutes in each week of the horizon (by shift start)."""
    totals: list[list[LinearExpr]] = [[] for _ in range(problem.n_weeks)]
    for k, o in enumerate(worker.options):
        totals[problem.week_of(o.start)].append(o.minutes * x[k])
    return [sum(terms) for terms in totals]


def add_queue_assignment(model: cp_model.CpModel, problem: Problem, v: ShiftVars) -> CoverageVars:
    """Hard: in each interval every on-shift worker serves at most one queue it is skilled for.

    Workers with the same skills are interchangeable for the assignment, so it is made per
    skill group: agents of group g serving queue q never exceed agents of g on shift.
    """
    groups, members = skill_groups(problem)
    on_shift = {}
    for g, worker_indices in enumerate(members):
        on_shift.update(_running_on_shift(model, problem, v, g, worker_indices))
    served, scheduled_terms = {}, defaultdict(list)
    for g, skills in enumerate(groups):
        for i in range(problem.n_intervals):
            here = assign_group(model, problem, g, skills, i, len(members[g]), on_shift[g, i])
            served.update(here)
            for (_, q, _), var in here.items():
                scheduled_terms[q, i].append(var)
    scheduled = {key: sum(terms) for key, terms in scheduled_terms.items()}
    return CoverageVars(groups, on_shift, served, scheduled)


def fixed_queue_assignment(
    problem: Problem, on_shift: np.ndarray, served: dict[tuple[int, int, int], int]
) -> CoverageVars:
    """The coverage of a roster already made, as counts: `on_shift[group, interval]` and
    the agents of each group serving each queue, keyed as `add_queue_assignment` keys its
    variables. Scoring a known roster then needs no assignment variables (a 12-week
    15-minute horizon of 60 agents has 300,000 of them)."""
    groups, _ = skill_groups(problem)
    scheduled: dict[tuple[int, int], int] = defaultdict(int)
    counts: dict[tuple[int, int, int], int] = {}
    for g, skills in enumerate(groups):
        for q in skills:
            demand = problem.demands[q]
            for i in map(int, np.flatnonzero((demand.required > 0) | (demand.floor > 0))):
                counts[g, q, i] = served.get((g, q, i), 0)
                scheduled[q, i] += counts[g, q, i]
    on = {(g, i): int(n) for (g, i), n in np.ndenumerate(on_shift)}
    return CoverageVars(groups, on, counts, dict(scheduled))


def assign_group(
    model: cp_model.CpModel,
    problem: Problem,
    g: int,
    skills: tuple[int, ...],
    i: int,
    size: int,
    on_shift: LinearExpr,
) -> dict[tuple[int, int, int], cp_model.IntVar]:
    """Hard, for one skill group and interval: its agents serving each queue that wants
    anyone then, together no more than `on_shift`. Returns (group, demand, interval) ->
    agents serving."""
    here = [q for q in skills if problem.has_demand(q, i)]
    served = {(g, q, i): model.new_int_var(0, size, f"served[{g},{q},{i}]") for q in here}
    if served:
        model.add(sum(served.values()) <= on_shift)
    return served


# ---------------------------------------------------------------- soft rules


def floor_shortage_terms(
    model: cp_model.CpModel, problem: Problem, c: CoverageVars
) -> list[Penalty]:
    """Soft (weighs most): agents below an open queue's `min_agents` floor."""
    terms = []
    for q, demand in enumerate(problem.demands):
        for i in map(int, demand.floor.nonzero()[0]):
            scheduled = c.scheduled.get((q, i), 0)
            if isinstance(scheduled, int):  # a known roster's coverage
                short = max(0, int(demand.floor[i]) - scheduled)
                terms.append(Penalty("min_agents floor shortage", short, demand.floor_weight))
                continue
            short = model.new_int_var(0, int(demand.floor[i]), f"floor_short[{q},{i}]")
            model.add(short >= int(demand.floor[i]) - scheduled)
            terms.append(Penalty("min_agents floor shortage", short, demand.floor_weight))
    return terms


def erlang_shortage_terms(
    model: cp_model.CpModel, problem: Problem, c: CoverageVars
) -> list[Penalty]:
    """Soft: hundredths of an agent below the Erlang C requirement (L2 weighs more).

    Staff come in whole agents, so with need = 100 k + r the shortage is r at k agents and
    0 at k + 1. Stating `short >= r (k + 1 - scheduled)` as well (a mixed-integer rounding
    cut) keeps the LP relaxation from covering the fraction r with a fraction of an agent.
    """
    terms = []
    for q, demand in enumerate(problem.demands):
        for i in map(int, demand.required.nonzero()[0]):
            need = int(demand.required[i])
            scheduled = c.scheduled.get((q, i), 0)
            if isinstance(scheduled, int):  # a known roster's coverage; the cut never binds
                short = max(0, need - DEMAND_SCALE * scheduled)
                terms.append(Penalty(f"{demand.label} shortage", short, demand.shortage_weight))
                continue
            short = model.new_int_var(0, need, f"short[{q},{i}]")
            model.add(short >= need - DEMAND_SCALE * scheduled)
            whole, fraction = divmod(need, DEMAND_SCALE)
            if fraction:
                model.add(short >= fraction * (whole + 1) - fraction * scheduled)
            terms.append(Penalty(f"{demand.label} shortage", short, demand.shortage_weight))
    return terms


def cost_terms(problem: Problem, v: ShiftVars) -> list[Penalty]:
    """Soft: money paid for every shift hour."""
    return [
        Penalty("cost", sum(o.cost * v.x[wi][k] for k, o in enumerate(w.options)), 1)
        for wi, w in enumerate(problem.workers)
    ]


def preference_terms(problem: Problem, v: ShiftVars) -> list[Penalty]:
    """Soft: follow the sun, i.e. shifts in the worker's local daytime (option penalties)."""
    return [
        Penalty("night work (follow-the-sun)", v.x[wi][k], o.penalty)
        for wi, w in enumerate(problem.workers)
        for k, o in enumerate(w.options)
        if o.penalty
    ]


def fairness_terms(
    model: cp_model.CpModel,
    problem: Problem,
    v: ShiftVars,
    fixed: dict[tuple[str, str], int] | None = None,
) -> list[Penalty]:
    """Soft: night and weekend shifts spread over comparable workers.

    Penalising the busiest worker's count in each group pushes the load onto the others.
    `fixed` gives, per (group, "night" or "weekend"), the busiest count among the group's
    workers left out of `problem` (a neighbourhood of a larger roster): that many is paid
    for whatever the workers in the model do.
    """
    fixed = fixed or {}
    terms = []
    by_group: dict[str, list[int]] = defaultdict(list)
    for wi, worker in enumerate(problem.workers):
        by_group[worker.fairness_group].append(wi)
    for group, indices in by_group.items():
        if len(indices) < 2 and not any(g == group for g, _ in fixed):
            continue
        for flag in ("night", "weekend"):
            counts = [_count_options(v, problem.workers[wi], wi, flag) for wi in indices]
            if all(isinstance(c, int) for c in counts):
                continue
            most_days = max(problem.workers[wi].n_days for wi in indices)
            floor = fixed.get((group, flag), 0)
            busiest = model.new_int_var(floor, max(floor, most_days), f"most_{flag}[{group}]")
            for count in counts:
                model.add(busiest >= count)
            terms.append(Penalty(f"unfair {flag} shifts", busiest, problem.weights.fairness))
    return terms


def overstaffing_terms(model: cp_model.CpModel, problem: Problem, c: CoverageVars) -> list[Penalty]:
    """Soft: agents on shift beyond what all queues together need, per interval."""
    on_by_interval: dict[int, list[LinearExpr]] = defaultdict(list)
    for (_, i), var in c.on_shift.items():
        on_by_interval[i].append(var)
    terms = []
    for i, on in sorted(on_by_interval.items()):
        need = sum(int(d.required[i]) for d in problem.demands)
        total = sum(on)
        if isinstance(total, int):  # a known roster's coverage
            over_need = max(0, DEMAND_SCALE * total - need)
            terms.append(Penalty("overstaffing", over_need, problem.weights.overstaffing))
            continue
        over = model.new_int_var(0, DEMAND_SCALE * len(problem.workers), f"over[{i}]")
        model.add(over >= DEMAND_SCALE * total - need)
        terms.append(Penalty("overstaffing", over, problem.weights.overstaffing))
    return terms


# ---------------------------------------------------------------- helpers


def _options_by_day(worker: Worker) -> dict[int, list[int]]:
    per_day: dict[int, list[int]] = defaultdict(list)
    for k, option in enumerate(worker.options):
        per_day[option.day].append(k)
    return per_day


def skill_groups(problem: Problem) -> tuple[list[tuple[int, ...]], list[list[int]]]:
    """The distinct skill tuples in order of first appearance, and each one's workers."""
    index: dict[tuple[int, ...], int] = {}
    members: list[list[int]] = []
    for wi, worker in enumerate(problem.workers):
        if not worker.skills:
            continue
        g = index.setdefault(worker.skills, len(index))
        if g == len(members):
            members.append([])
        members[g].append(wi)
    return list(index), members


def _running_on_shift(
    model: cp_model.CpModel, problem: Problem, v: ShiftVars, g: int, worker_indices: list[int]
) -> dict[tuple[int, int], cp_model.IntVar]:
    step = problem.interval_minutes
    starting: dict[int, list] = defaultdict(list)
    ending: dict[int, list] = defaultdict(list)
    for wi in worker_indices:
        for k, option in enumerate(problem.workers[wi].options):
            starting[option.start // step].append(v.x[wi][k])
            ending[option.end // step].append(v.x[wi][k])
    counts = running_count(model, starting, ending, range(problem.n_intervals), len(worker_indices))
    return {(g, i): var for i, var in counts.items()}


def running_count(
    model: cp_model.CpModel,
    starting: dict[int, list],
    ending: dict[int, list],
    intervals: range,
    most: int,
) -> dict[int, cp_model.IntVar]:
    """Shifts on per interval as a running count, starts minus ends (shift literals listed
    by the interval they start and end in; none may start before `intervals`).

    Each shift then appears in two terms instead of one per interval it covers, which keeps
    the model small and presolve fast on large weeks.
    """
    counts = {}
    previous: LinearExpr = 0
    for i in intervals:
        var = model.new_int_var(0, most, f"on[{i}]")
        model.add(var == previous + sum(starting.get(i, [])) - sum(ending.get(i, [])))
        counts[i] = var
        previous = var
    return counts


def _count_options(v: ShiftVars, worker: Worker, wi: int, flag: str) -> LinearExpr:
    return sum(v.x[wi][k] for k, o in enumerate(worker.options) if getattr(o, flag))
