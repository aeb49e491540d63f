"""Every hard rule on the shifts a worker works, listed once.

The full model (`core.build_model`), the one-worker week of the constructive start and the
infeasibility diagnosis all state a worker's week through `add_shift_rules`, so a rule
added here holds everywhere at once. A worker's past days (`Worker.past`, the previous
roster's last days) enter the day rules through `labour`; rest and one start per local day
against the previous shifts are already settled in the worker's options.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from roster.solver import labour, rules
from roster.solver.problem import Problem


def add_shift_rules(model: cp_model.CpModel, problem: Problem) -> rules.ShiftVars:
    shifts = rules.add_shift_choices(model, problem)  # hard: lengths, grid, window, time off
    rules.add_one_start_per_local_day(model, problem, shifts)  # hard
    rules.add_min_rest(model, problem, shifts)  # hard
    labour.add_max_consecutive_days(model, problem, shifts)  # hard
    labour.add_min_consecutive_days(model, problem, shifts)  # hard
    labour.add_min_consecutive_days_off(model, problem, shifts)  # hard
    labour.add_max_weekends(model, problem, shifts)  # hard
    labour.add_max_shifts_per_kind(model, problem, shifts)  # hard
    labour.add_forbidden_successions(model, problem, shifts)  # hard
    rules.add_weekly_hours(model, problem, shifts)  # hard
    return shifts
