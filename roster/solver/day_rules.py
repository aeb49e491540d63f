"""Labour rules stated on days: one function per rule, named after it, shared by every model.

Each function takes plain lists of day literals ("works on day d", or "works a shift of
kind K on day d"), so the helpdesk model and the Curtois benchmark call the same code.
A list entry may also be a constant (`0`/`1`, `False`/`True`): days fixed in advance,
such as the last days of the previously published roster prepended as history. Rules
never constrain a pattern made of constants only, since the past cannot be changed.

Hard rules add constraints. Soft rules return `rules.Penalty` terms and never touch the
objective; the caller sums them in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from roster.solver.rules import LinearExpr, Penalty

DayLiteral = cp_model.IntVar | int | bool  # a Boolean variable, or a day fixed in advance


# ---------------------------------------------------------------- hard rules


def add_one_shift_per_day(
    model: cp_model.CpModel, shifts_by_day: Sequence[Sequence[cp_model.IntVar]], name: str
) -> list[cp_model.IntVar]:
    """Hard: at most one shift per day. Returns the "works on day d" literal of each day."""
    works = []
    for day, shifts in enumerate(shifts_by_day):
        lit = model.new_bool_var(f"works[{name},{day}]")
        model.add(sum(shifts) == lit)
        works.append(lit)
    return works


def add_days_off(
    model: cp_model.CpModel, day_literals: Sequence[DayLiteral], days: Iterable[int]
) -> None:
    """Hard: no work on the given day indices."""
    for day in days:
        if _is_variable(day_literals[day]):
            model.add(day_literals[day] == 0)
        elif day_literals[day]:
            raise ValueError(f"day {day} is fixed as worked but must be off")


def add_max_shifts_of_kind(
    model: cp_model.CpModel, kind_literals: Sequence[DayLiteral], max_shifts: int
) -> None:
    """Hard: at most `max_shifts` shifts of one kind (one literal per day) in the horizon."""
    if any(map(_is_variable, kind_literals)):
        model.add(sum(kind_literals) <= max_shifts)


def add_total_minutes_between(
    model: cp_model.CpModel,
    minutes_by_literal: Iterable[tuple[cp_model.IntVar, int]],
    min_minutes: int,
    max_minutes: int,
) -> None:
    """Hard: worked minutes (literal times its shift length) within [min, max]."""
    total = sum(minutes * lit for lit, minutes in minutes_by_literal)
    model.add_linear_constraint(total, min_minutes, max_minutes)


def add_min_consecutive_days(
    model: cp_model.CpModel,
    day_literals: Sequence[DayLiteral],
    min_days: int,
    *,
    open_ends: bool = True,
    weight: int | None = None,
) -> list[Penalty]:
    """Hard (or soft with `weight`): every run of worked days lasts at least `min_days`.

    `open_ends=True` exempts a run touching the first or the last day, as it may continue
    outside the horizon (the Curtois-Qu convention: the horizon is preceded and followed
    by endless work). With `open_ends=False` the days outside count as off.
    Soft: returns one penalty per too-short run, `weight` times the days it is short.
    """
    runs = [_as_literal(lit) for lit in day_literals]
    return _min_run_length(model, runs, min_days, open_ends, weight, "short run of work")


def add_min_consecutive_days_off(
    model: cp_model.CpModel,
    day_literals: Sequence[DayLiteral],
    min_days: int,
    *,
    open_ends: bool = True,
    weight: int | None = None,
) -> list[Penalty]:
    """Hard (or soft with `weight`): every run of days off lasts at least `min_days`.

    `open_ends=True` exempts a run of days off touching the first or the last day (the
    Curtois-Qu convention: endless days off before and after the horizon). With
    `open_ends=False` the days outside count as worked.
    Soft: returns one penalty per too-short run, `weight` times the days it is short.
    """
    runs = [_negated(_as_literal(lit)) for lit in day_literals]
    return _min_run_length(model, runs, min_days, open_ends, weight, "short run of days off")


def add_run_lengths_automaton(
    model: cp_model.CpModel,
    day_literals: Sequence[DayLiteral],
    min_work: int,
    max_work: int,
    min_off: int,
    *,
    open_ends: bool = True,
) -> None:
    """Hard, redundant: the three run-length rules (runs of work within
    [min_work, max_work], runs of days off at least min_off) as one automaton.

    It adds nothing `rules.add_max_consecutive_days`, `add_min_consecutive_days` and
    `add_min_consecutive_days_off` do not already say, but CP-SAT encodes an automaton as
    a flow through (day, state) whose paths are exactly the allowed patterns, so its LP
    relaxation is the convex hull of the patterns. With it the LP bound and the search
    both improve a lot (Curtois Instance5: bound about 900 -> 1138 of 1141). `open_ends`
    has the meaning of the single rules: runs touching the horizon's edges are exempt
    from the minimums.
    """
    states = _RunStates(max_work, max(1, min_off))
    transitions = states.transitions(min_work, open_ends)
    finals = states.finals(min_work, open_ends)
    model.add_automaton(
        [int(x) if not _is_variable(x) else x for x in day_literals],
        states.start,
        finals,
        transitions,
    )


def add_max_weekends(
    model: cp_model.CpModel,
    day_literals: Sequence[DayLiteral],
    weekends: Sequence[Sequence[int]],
    max_weekends: int,
) -> list[cp_model.IntVar]:
    """Hard: at most `max_weekends` weekends worked; a weekend (its day indices, e.g.
    Saturday and Sunday) is worked when any of its days is. Returns "weekend k worked"."""
    worked = []
    for k, days in enumerate(weekends):
        lit = model.new_bool_var(f"weekend[{k}]")
        lits = [day_literals[d] for d in days]
        model.add_max_equality(lit, [int(x) if not _is_variable(x) else x for x in lits])
        worked.append(lit)
    model.add(sum(worked) <= max_weekends)
    return worked


def add_forbidden_successions(
    model: cp_model.CpModel,
    first_kind: Sequence[DayLiteral | LinearExpr],
    next_kind: Sequence[DayLiteral | LinearExpr],
) -> None:
    """Hard: no shift of the first kind on day d followed by one of the next kind on d+1.

    An entry may be a sum of literals that exclude each other (several shift kinds of one
    day), so one constraint per day covers every forbidden successor at once.
    """
    for day in range(len(first_kind) - 1):
        before, after = first_kind[day], next_kind[day + 1]
        if _is_variable(before) or _is_variable(after):
            model.add(before + after <= 1)


# ---------------------------------------------------------------- soft rules


@dataclass(frozen=True)
class DayRequest:
    """A worker's wish about one day: `wanted` True asks for the literal to hold (a day
    on, or a shift kind), False asks for it not to (a day off, or not that kind)."""

    literal: cp_model.IntVar
    wanted: bool
    weight: int
    label: str


def request_terms(requests: Iterable[DayRequest]) -> list[Penalty]:
    """Soft: each request's weight when it is not granted."""
    return [
        Penalty(r.label, (1 - r.literal) if r.wanted else r.literal, r.weight)
        for r in requests
        if r.weight
    ]


def cover_terms(
    model: cp_model.CpModel,
    literals: Sequence[cp_model.IntVar],
    requirement: int,
    under_weight: int,
    over_weight: int,
    label: str,
) -> list[Penalty]:
    """Soft: people on one kind of shift on one day against a requirement; each one short
    costs `under_weight`, each one beyond costs `over_weight`."""
    if not literals:
        return [Penalty(f"{label} under", requirement, under_weight)]
    under = model.new_int_var(0, requirement, f"under[{label}]")
    over = model.new_int_var(0, max(0, len(literals) - requirement), f"over[{label}]")
    model.add(sum(literals) + under - over == requirement)
    return [
        Penalty(f"{label} under", under, under_weight),
        Penalty(f"{label} over", over, over_weight),
    ]


# ---------------------------------------------------------------- helpers

Literal = cp_model.IntVar | bool


def _is_variable(value: object) -> bool:
    return not isinstance(value, int)  # bool is an int; sums of variables are not


def _as_literal(value: DayLiteral) -> Literal:
    return bool(value) if isinstance(value, int) else value


def _negated(lit: Literal) -> Literal:
    return (not lit) if isinstance(lit, bool) else lit.Not()


def _min_run_length(
    model: cp_model.CpModel,
    in_run: list[Literal],
    min_len: int,
    open_ends: bool,
    weight: int | None,
    label: str,
) -> list[Penalty]:
    if min_len <= 1:
        return []
    if weight is None:
        _forbid_short_runs(model, in_run, min_len, open_ends)
        return []
    return _penalise_short_runs(model, in_run, min_len, open_ends, weight, label)


def _forbid_short_runs(
    model: cp_model.CpModel, in_run: list[Literal], min_len: int, open_ends: bool
) -> None:
    """A run starting on day d (in on d, out on d-1) is in on d+1 .. d+min_len-1.

    Written as 3-literal clauses `out(d-1) or not in(d) or in(d+j)`, which are the
    tightest linear form of the rule. Days beyond the horizon are in (open ends) or out.
    A day fixed as out ends the run there: the clauses after it would only restate that
    clause, or, for a short run fixed in the past, wrongly ask for days after its end.
    """
    n = len(in_run)
    for start in range(n):
        if start == 0 and open_ends:
            continue
        before = [in_run[start - 1]] if start > 0 else []
        for j in range(1, min_len):
            if start + j < n:
                _add_clause(model, [*before, _negated(in_run[start]), in_run[start + j]])
                if in_run[start + j] is False:
                    break
            else:
                if not open_ends:  # the run would end at the horizon, too short
                    _add_clause(model, [*before, _negated(in_run[start])])
                break


def _penalise_short_runs(
    model: cp_model.CpModel,
    in_run: list[Literal],
    min_len: int,
    open_ends: bool,
    weight: int,
    label: str,
) -> list[Penalty]:
    """One Boolean per possible short run (exact start and length), forced on by it."""
    n = len(in_run)
    terms = []
    for start in range(n):
        if start == 0 and open_ends:
            continue
        for length in range(1, min_len):
            end = start + length  # first day after the run
            if end >= n and open_ends:
                break
            if end > n:
                break
            pattern = [_negated(in_run[start - 1])] if start > 0 else []
            pattern += in_run[start:end]
            pattern += [_negated(in_run[end])] if end < n else []
            short = _indicator(model, pattern, f"{label}[{start}+{length}]")
            if short is not None:
                terms.append(Penalty(label, short, weight * (min_len - length)))
    return terms


def _add_clause(model: cp_model.CpModel, clause: list[Literal]) -> None:
    """Adds the clause unless a constant satisfies it or it concerns constants only."""
    if any(lit is True for lit in clause):
        return
    variables = [lit for lit in clause if lit is not False]
    if variables:
        model.add_bool_or(variables)


def _indicator(
    model: cp_model.CpModel, pattern: list[Literal], name: str
) -> cp_model.IntVar | None:
    """A Boolean forced to 1 whenever every literal of `pattern` holds (None if it can't)."""
    if any(lit is False for lit in pattern):
        return None
    variables = [lit for lit in pattern if lit is not True]
    if not variables:
        return None
    flag = model.new_bool_var(name)
    model.add_bool_or([_negated(lit) for lit in variables] + [flag])
    return flag


class _RunStates:
    """States of the run-length automaton, numbered: the start, the runs touching the
    first day (exempt from minimums when the ends are open), then work run of length l
    and off run of length l (the last off state means "at least min_off")."""

    def __init__(self, max_work: int, min_off: int) -> None:
        self.max_work, self.min_off = max_work, min_off
        self.start = 0
        self.first_off = 1

    def first_work(self, length: int) -> int:
        return 1 + length

    def work(self, length: int) -> int:
        return 1 + self.max_work + length

    def off(self, length: int) -> int:
        return 1 + 2 * self.max_work + length

    def transitions(self, min_work: int, open_ends: bool) -> list[tuple[int, int, int]]:
        if open_ends:
            arcs = [(self.start, 1, self.first_work(1)), (self.start, 0, self.first_off)]
            arcs += [(self.first_off, 0, self.first_off), (self.first_off, 1, self.work(1))]
        else:
            arcs = [(self.start, 1, self.work(1)), (self.start, 0, self.off(1))]
        for length in range(1, self.max_work + 1):
            if length < self.max_work:
                arcs.append((self.work(length), 1, self.work(length + 1)))
                if open_ends:
                    arcs.append((self.first_work(length), 1, self.first_work(length + 1)))
            if length >= min_work:
                arcs.append((self.work(length), 0, self.off(1)))
            if open_ends:
                arcs.append((self.first_work(length), 0, self.off(1)))
        for length in range(1, self.min_off + 1):
            arcs.append((self.off(length), 0, self.off(min(length + 1, self.min_off))))
            if length == self.min_off:
                arcs.append((self.off(length), 1, self.work(1)))
        return arcs

    def finals(self, min_work: int, open_ends: bool) -> list[int]:
        if open_ends:
            return list(range(self.off(self.min_off) + 1))
        work = [self.work(n) for n in range(max(1, min_work), self.max_work + 1)]
        return [self.start, *work, self.off(self.min_off)]
