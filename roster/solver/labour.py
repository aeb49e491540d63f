"""The helpdesk's labour rules on local days, stated through the shared `day_rules`.

Each function applies one rule of a `Problem` to every worker of it, reading the worker's
"works on day d" literals (`ShiftVars.works_day`) and "works a shift of kind K on day d"
sums of option literals. `shift_rules.add_shift_rules` lists them with the other hard
rules for the full model, the one-worker week of the constructive start and the
infeasibility diagnosis.

Runs touching the first or the last local day of the horizon are exempt from the minimum
run lengths (`open_ends=True`): they may continue before or after the horizon. A worker
with known past days (`Worker.past`, the previous roster's last days) has them put in
front of its days as constants, so the run rules and forbidden successions hold across the
boundary; then only a run touching the first *known* day is exempt at the start.
"""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from roster.solver import day_rules, rules
from roster.solver.day_rules import DayLiteral
from roster.solver.problem import Problem, Worker
from roster.solver.rules import LinearExpr, Penalty, ShiftVars

REQUESTS_LABEL = "requests not granted"


# ---------------------------------------------------------------- hard rules


def add_max_consecutive_days(model: cp_model.CpModel, problem: Problem, v: ShiftVars) -> None:
    """Hard: no more than `max_consecutive_days` worked local days in a row, counting the
    worked days the past ends with."""
    most = problem.max_consecutive_days
    for worker, days in zip(problem.workers, v.works_day, strict=True):
        rules.add_max_consecutive_days(model, days_with_past(worker, days, keep=most), most)


def add_min_consecutive_days(model: cp_model.CpModel, problem: Problem, v: ShiftVars) -> None:
    """Hard: runs of worked local days last at least `min_consecutive_days`; a run the past
    ends with must go on until it does."""
    for worker, days in zip(problem.workers, v.works_day, strict=True):
        day_rules.add_min_consecutive_days(
            model, days_with_past(worker, days), problem.min_consecutive_days
        )


def add_min_consecutive_days_off(model: cp_model.CpModel, problem: Problem, v: ShiftVars) -> None:
    """Hard: runs of local days off last at least `min_consecutive_days_off`, counting the
    days off the past ends with."""
    for worker, days in zip(problem.workers, v.works_day, strict=True):
        day_rules.add_min_consecutive_days_off(
            model, days_with_past(worker, days), problem.min_consecutive_days_off
        )


def add_max_weekends(model: cp_model.CpModel, problem: Problem, v: ShiftVars) -> None:
    """Hard: at most `max_weekends` weekends with a shift start on Saturday or Sunday."""
    if problem.max_weekends is None:
        return
    for wi, worker in enumerate(problem.workers):
        if worker.weekends:
            day_rules.add_max_weekends(
                model, v.works_day[wi], worker.weekends, problem.max_weekends
            )


def add_max_shifts_per_kind(model: cp_model.CpModel, problem: Problem, v: ShiftVars) -> None:
    """Hard: at most so many shifts of a kind per worker and week."""
    for wi, worker in enumerate(problem.workers):
        for kind, most in problem.max_per_kind:
            for week in range(problem.n_weeks):
                literals = [
                    v.x[wi][k]
                    for k, o in enumerate(worker.options)
                    if o.kind == kind and problem.week_of(o.start) == week
                ]
                day_rules.add_max_shifts_of_kind(model, literals, most)


def add_forbidden_successions(model: cp_model.CpModel, problem: Problem, v: ShiftVars) -> None:
    """Hard: no shift of kind A on one local day followed by kind B on the next."""
    for wi, worker in enumerate(problem.workers):
        for first, following in problem.forbidden_successions:
            day_rules.add_forbidden_successions(
                model,
                kinds_with_past(worker, kind_by_day(worker, v.x[wi], first), first),
                kinds_with_past(worker, kind_by_day(worker, v.x[wi], following), following),
            )


# ---------------------------------------------------------------- soft rules


def request_terms(problem: Problem, v: ShiftVars) -> list[Penalty]:
    """Soft: each worker request's weight when the roster does not grant it."""
    requests = []
    for wi, worker in enumerate(problem.workers):
        for r in worker.requests:
            if r.kind is None:
                literal: LinearExpr = v.works_day[wi][r.day]
            else:
                literal = kind_by_day(worker, v.x[wi], r.kind)[r.day]
            requests.append(day_rules.DayRequest(literal, r.wanted, r.weight, REQUESTS_LABEL))
    return day_rules.request_terms(requests)


# ---------------------------------------------------------------- helpers


def kind_by_day(worker: Worker, x: list[cp_model.IntVar], kind: str) -> list[LinearExpr]:
    """Per local day, the sum of the worker's option literals of `kind` (0 or 1, since
    one shift starts per day at most); the constant 0 on days without such options."""
    by_day: list[list[cp_model.IntVar]] = [[] for _ in range(worker.n_days)]
    for k, option in enumerate(worker.options):
        if option.kind == kind:
            by_day[option.day].append(x[k])
    return [sum(lits) if lits else 0 for lits in by_day]


def days_with_past(
    worker: Worker, days: Sequence[cp_model.IntVar], keep: int | None = None
) -> list[DayLiteral]:
    """The worker's "works on day d" literals after its known past days (constants); day 0
    is the constant True when a previous shift already started on it.

    `keep` caps the constants in front (past days and a taken day 0) to the latest `keep`,
    for a rule whose windows of `keep + 1` days must each hold a day still to decide.
    """
    past = worker.past
    head: list[DayLiteral] = list(days)
    if past.first_day_taken and head:
        head[0] = True
    flags = past.worked_flags()
    if keep is not None:
        room = max(0, keep - int(past.first_day_taken))
        # Fewer days may be known than `keep` (a previous roster that starts mid-day in
        # the worker's zone): then all of them count.
        flags = flags[max(0, len(flags) - room) :] if room else []
    return [*flags, *head]


def kinds_with_past(
    worker: Worker, kind_days: Sequence[LinearExpr], kind: str
) -> list[DayLiteral | LinearExpr]:
    """Per day "works a shift of `kind`" (from `kind_by_day`) after the known past days;
    day 0 is a constant when a previous shift already started on it."""
    past = worker.past
    head = list(kind_days)
    if past.first_day_taken and head:
        head[0] = past.kind_on(0) == kind
    return [*past.kind_flags(kind), *head]
