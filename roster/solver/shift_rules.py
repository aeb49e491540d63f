"""Every hard rule on the shifts a worker works, listed once.

The full model (`core.build_model`), the one-worker week of the constructive start and the
infeasibility diagnosis all state a worker's week through `HARD_RULES`, so a rule added
there holds everywhere at once. A worker's past days (`Worker.past`, the previous roster's
last days) enter the day rules through `labour`; rest and one start per local day against
the previous shifts are already settled in the worker's options.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from roster.solver import labour, rules
from roster.solver.problem import Problem

Rule = Callable[[cp_model.CpModel, Problem, rules.ShiftVars], None]

# Beyond the choices themselves (lengths, grid, window, time off), each with the name a
# user knows it by. The diagnosis adds them one at a time, in this order (weekly hours and
# one shift per local day from the start), to name the first that leaves an agent short.
HARD_RULES: tuple[tuple[str, Rule], ...] = (
    ("one shift per local day", rules.add_one_start_per_local_day),
    ("min_rest_hours", rules.add_min_rest),
    ("max_consecutive_days", labour.add_max_consecutive_days),
    ("min_consecutive_days", labour.add_min_consecutive_days),
    ("min_consecutive_days_off", labour.add_min_consecutive_days_off),
    ("max_weekends", labour.add_max_weekends),
    ("max_per_week of shift kinds", labour.add_max_shifts_per_kind),
    ("forbidden successions of shift kinds", labour.add_forbidden_successions),
    ("weekly hours", rules.add_weekly_hours),
)


def add_shift_rules(model: cp_model.CpModel, problem: Problem) -> rules.ShiftVars:
    shifts = rules.add_shift_choices(model, problem)  # hard: lengths, grid, window, time off
    for _, add_rule in HARD_RULES:
        add_rule(model, problem, shifts)
    return shifts
