"""Builds the CP-SAT model from the rule functions, solves it, and reads the roster back.

The rules are listed once, in `build_model`; the objective is assembled once, in
`set_objective`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from roster.solver import labour, rules
from roster.solver.bounds import flow_lower_bound
from roster.solver.construct import construct
from roster.solver.problem import Problem, Progress, ShiftOption, Solution, SolverSettings
from roster.solver.shift_rules import add_shift_rules

FIXED_ROSTER_DETERMINISTIC_SECONDS = 2.0  # to complete a known roster into a full hint
WALL_CLOCK_CEILING = 2.0
STOP_POLL_SECONDS = 0.2  # deterministic mode still stops at this multiple of the limit


@dataclass
class BuiltModel:
    model: cp_model.CpModel
    shifts: rules.ShiftVars
    coverage: rules.CoverageVars
    penalties: list[rules.Penalty]


def build_model(problem: Problem) -> BuiltModel:
    model = cp_model.CpModel()
    shifts = add_shift_rules(model, problem)  # hard: every rule on a worker's shifts
    coverage = rules.add_queue_assignment(model, problem, shifts)  # hard
    penalties = [
        *rules.floor_shortage_terms(model, problem, coverage),  # soft, weighs most
        *rules.erlang_shortage_terms(model, problem, coverage),  # soft
        *rules.cost_terms(problem, shifts),  # soft
        *rules.preference_terms(problem, shifts),  # soft
        *labour.request_terms(problem, shifts),  # soft
        *rules.fairness_terms(model, problem, shifts),  # soft
        *rules.overstaffing_terms(model, problem, coverage),  # soft
    ]
    set_objective(model, penalties)
    return BuiltModel(model, shifts, coverage, penalties)


def set_objective(model: cp_model.CpModel, penalties: list[rules.Penalty]) -> None:
    model.minimize(sum(p.weight * p.expr for p in penalties))


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
        self.solutions = 0
        self.first_solution_seconds: float | None = None

    def on_solution_callback(self) -> None:
        self.report(self.objective_value, self.best_objective_bound)
        if self._stop is not None and self._stop.is_set():
            self.stop_search()

    def report(self, objective: float, bound: float) -> None:
        self.solutions += 1
        elapsed = time.monotonic() - self._started
        if self.first_solution_seconds is None:
            self.first_solution_seconds = elapsed
        if self._on_progress is not None:
            self._on_progress(Progress(self.solutions, objective, bound, elapsed))


def solve_problem(
    problem: Problem,
    settings: SolverSettings,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    start_from: dict[str, list[ShiftOption]] | None = None,
) -> tuple[str, Solution | None]:
    """Solve; returns the CP-SAT status name and the solution (None when there is none).

    The search starts from `start_from`, or else from the constructive roster; that roster
    is also the answer when the search finds nothing better within the limits.
    """
    started = time.monotonic()
    built = build_model(problem)
    callback = _ProgressCallback(on_progress, stop, started)
    start = start_from if start_from is not None else construct(problem)
    fallback = _score_fixed_roster(built, problem, start, started, callback) if start else None
    if fallback is not None:
        _hint_everything(built.model, fallback[0])
        callback.report(fallback[1].objective, 0.0)
    solver = cp_model.CpSolver()
    _apply_settings(solver, settings)
    with _stopped_by(solver, stop):
        status = solver.solve(built.model, callback)
    name = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solution = _read_solution(solver, built, problem, name, started, callback)
    elif fallback is not None and name == "UNKNOWN":
        solution = fallback[1]
        solution.status = "FEASIBLE"
        solution.bound = max(solution.bound, solver.best_objective_bound)
        solution.solve_seconds = time.monotonic() - started
    else:
        return name, None
    if solution.status != "OPTIMAL":
        proven = max(solution.bound, flow_lower_bound(problem))
        solution.bound = min(solution.objective, proven)
    return solution.status, solution


def _score_fixed_roster(
    built: BuiltModel,
    problem: Problem,
    roster: dict[str, list[ShiftOption]],
    started: float,
    callback: _ProgressCallback,
) -> tuple[list[int], Solution] | None:
    """Complete a roster into values for every model variable (queue assignment,
    shortages...) by solving the model with its shifts fixed. None if it breaks a rule."""
    fixed = built.model.clone()
    for wi, worker in enumerate(problem.workers):
        picked = set(roster.get(worker.id, []))
        for k, option in enumerate(worker.options):
            var = fixed.get_bool_var_from_proto_index(built.shifts.x[wi][k].index)
            fixed.add(var == int(option in picked))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    # Shifts fixed, only the queue assignment is left: good answers come within a second or
    # two, proving them optimal can take far longer and is not needed for a start.
    solver.parameters.max_deterministic_time = FIXED_ROSTER_DETERMINISTIC_SECONDS
    solver.parameters.max_time_in_seconds = 10 * FIXED_ROSTER_DETERMINISTIC_SECONDS
    status = solver.solve(fixed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    solution = _read_solution(solver, built, problem, "FEASIBLE", started, callback)
    solution.bound = 0.0
    return list(solver.response_proto.solution), solution


def _hint_everything(model: cp_model.CpModel, values: list[int]) -> None:
    model.clear_hints()
    for index, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(index), value)


@contextmanager
def _stopped_by(solver: cp_model.CpSolver, stop: threading.Event | None) -> Iterator[None]:
    """Stop the search as soon as `stop` is set, not only when a solution arrives."""
    if stop is None:
        yield
        return
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(STOP_POLL_SECONDS):
            if stop.is_set():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, name="roster-stop-watch", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        finished.set()
        watcher.join()


def _apply_settings(solver: cp_model.CpSolver, settings: SolverSettings) -> None:
    params = solver.parameters
    params.num_workers = settings.workers
    params.random_seed = settings.seed
    params.log_search_progress = settings.log_search
    if settings.deterministic:
        params.interleave_search = True
        params.max_deterministic_time = settings.time_limit_seconds
        # A wall-clock ceiling all the same, so a slow machine cannot run away.
        params.max_time_in_seconds = settings.time_limit_seconds * WALL_CLOCK_CEILING
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
