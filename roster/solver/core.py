"""Builds the CP-SAT model from the rule functions, solves it, and reads the roster back.

The rules are listed once, in `build_model`; the objective is assembled once, in
`set_objective`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from roster.solver import rules
from roster.solver.construct import construct
from roster.solver.problem import Problem, Progress, ShiftOption, Solution, SolverSettings


@dataclass
class BuiltModel:
    model: cp_model.CpModel
    shifts: rules.ShiftVars
    coverage: rules.CoverageVars
    penalties: list[rules.Penalty]


def build_model(problem: Problem) -> BuiltModel:
    model = cp_model.CpModel()
    shifts = rules.add_shift_choices(model, problem)  # hard
    rules.add_one_start_per_local_day(model, problem, shifts)  # hard
    rules.add_min_rest(model, problem, shifts)  # hard
    for days in shifts.works_day:
        rules.add_max_consecutive_days(model, days, problem.max_consecutive_days)  # hard
    rules.add_weekly_hours(model, problem, shifts)  # hard
    coverage = rules.add_queue_assignment(model, problem, shifts)  # hard
    penalties = [
        *rules.floor_shortage_terms(model, problem, coverage),  # soft, weighs most
        *rules.erlang_shortage_terms(model, problem, coverage),  # soft
        *rules.cost_terms(problem, shifts),  # soft
        *rules.preference_terms(problem, shifts),  # soft
        *rules.fairness_terms(model, problem, shifts),  # soft
        *rules.overstaffing_terms(model, problem, coverage),  # soft
    ]
    set_objective(model, penalties)
    return BuiltModel(model, shifts, coverage, penalties)


def set_objective(model: cp_model.CpModel, penalties: list[rules.Penalty]) -> None:
    model.minimize(sum(p.weight * p.expr for p in penalties))


def add_hint(built: BuiltModel, problem: Problem, chosen: dict[str, list[ShiftOption]]) -> None:
    """Hint a known roster (e.g. the constructive one) so the search starts from it."""
    for wi, worker in enumerate(problem.workers):
        picked = set(chosen.get(worker.id, []))
        for k, option in enumerate(worker.options):
            built.model.add_hint(built.shifts.x[wi][k], option in picked)


class _ProgressCallback(cp_model.CpSolverSolutionCallback):
    def __init__(
        self,
        on_progress: Callable[[Progress], None] | None,
        stop: threading.Event | None,
        started: float,
    ):
        super().__init__()
        self._on_progress = on_progress
        self._stop = stop
        self._started = started
        self.best_bound = 0.0
        self.solutions = 0
        self.first_solution_seconds: float | None = None

    def on_solution_callback(self) -> None:
        self.solutions += 1
        elapsed = time.monotonic() - self._started
        if self.first_solution_seconds is None:
            self.first_solution_seconds = elapsed
        if self._on_progress is not None:
            self._on_progress(
                Progress(self.solutions, self.objective_value, self.best_objective_bound, elapsed)
            )
        if self._stop is not None and self._stop.is_set():
            self.stop_search()


def solve_problem(
    problem: Problem,
    settings: SolverSettings,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    hint: dict[str, list[ShiftOption]] | None = None,
) -> tuple[str, Solution | None]:
    """Solve; returns the CP-SAT status name and the solution (None when there is none)."""
    started = time.monotonic()
    if hint is None:
        hint = construct(problem)
    built = build_model(problem)
    if hint:
        add_hint(built, problem, hint)
    solver = cp_model.CpSolver()
    _apply_settings(solver, settings)
    callback = _ProgressCallback(on_progress, stop, started)
    status = solver.solve(built.model, callback)
    name = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return name, _read_solution(solver, built, problem, name, started, callback)
    if hint and name == "UNKNOWN":
        return "FEASIBLE", _fixed_solution(problem, hint, started, callback)
    return name, None


def _fixed_solution(
    problem: Problem, roster: dict[str, list[ShiftOption]], started: float, callback
) -> Solution:
    """Score a known roster (shifts fixed, queue assignment still optimised)."""
    built = build_model(problem)
    for wi, worker in enumerate(problem.workers):
        picked = set(roster.get(worker.id, []))
        for k, option in enumerate(worker.options):
            built.model.add(built.shifts.x[wi][k] == int(option in picked))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    status = solver.solve(built.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError("the constructive roster breaks a hard rule of the model")
    if callback.first_solution_seconds is None:
        callback.first_solution_seconds = time.monotonic() - started
    solution = _read_solution(solver, built, problem, "FEASIBLE", started, callback)
    solution.bound = callback.best_bound
    return solution


def _apply_settings(solver: cp_model.CpSolver, settings: SolverSettings) -> None:
    params = solver.parameters
    params.num_workers = settings.workers
    params.random_seed = settings.seed
    params.log_search_progress = settings.log_search
    if settings.deterministic:
        params.interleave_search = True
        params.max_deterministic_time = settings.time_limit_seconds
        # A wall-clock ceiling all the same, so a slow machine cannot run away.
        params.max_time_in_seconds = settings.time_limit_seconds * 4
    else:
        params.max_time_in_seconds = settings.time_limit_seconds


def _read_solution(
    solver: cp_model.CpSolver,
    built: BuiltModel,
    problem: Problem,
    status: str,
    started: float,
    callback: _ProgressCallback,
) -> Solution:
    chosen = {
        worker.id: [
            o for k, o in enumerate(worker.options) if solver.boolean_value(built.shifts.x[wi][k])
        ]
        for wi, worker in enumerate(problem.workers)
    }
    served: dict[tuple[int, int], np.ndarray] = {}
    for (g, q, i), var in built.coverage.served.items():
        row = served.setdefault((g, q), np.zeros(problem.n_intervals, dtype=int))
        row[i] = solver.value(var)
    terms: dict[str, float] = {}
    for penalty in built.penalties:
        value = penalty.expr if isinstance(penalty.expr, int) else solver.value(penalty.expr)
        terms[penalty.name] = terms.get(penalty.name, 0.0) + penalty.weight * value
    return Solution(
        status=status,
        objective=solver.objective_value,
        bound=solver.best_objective_bound,
        solve_seconds=time.monotonic() - started,
        first_solution_seconds=callback.first_solution_seconds,
        chosen=chosen,
        served=served,
        groups=built.coverage.groups,
        objective_terms=terms,
    )
