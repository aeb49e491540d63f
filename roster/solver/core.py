"""Builds the CP-SAT model from the rule functions, solves it, and reads the roster back.

The rules are listed once, in `build_model` and `soft_rules`; the objective is assembled
once, in `set_objective`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model

from roster.solver import labour, neighbourhood, rules
from roster.solver.bounds import flow_lower_bound
from roster.solver.construct import NoWeekForWorker, construct, recreate
from roster.solver.problem import Problem, Progress, ShiftOption, Solution, SolverSettings
from roster.solver.relaxation import Relaxation, solve_relaxation
from roster.solver.service import best_service, group_on_shift
from roster.solver.shift_rules import add_shift_rules

FIXED_ROSTER_DETERMINISTIC_SECONDS = 2.0  # to complete a known roster into a full hint
WALL_CLOCK_CEILING = 2.0
STOP_POLL_SECONDS = 0.2  # deterministic mode still stops at this multiple of the limit
# The LP relaxation bounds problems with more shift options than this, where CP-SAT's own
# bound stays far off; above RELAXATION_UP_TO_OPTIONS merely stating it takes too much
# memory and time. On those problems CP-SAT's search is skipped: the neighbourhood moves
# improve the first roster while the LP is solved on the other core.
RELAXATION_ABOVE_OPTIONS = 10_000
RELAXATION_UP_TO_OPTIONS = 600_000
# Of a wall-clock time limit, at most, for the LP relaxation. With a deterministic limit its
# wall-clock cap is the search's ceiling instead (HiGHS's iteration cap bounds it too); the
# LP only bounds, so when it ends never changes the roster.
RELAXATION_SHARE = 0.6
# Once the search is over, the LP gets at most this share of the time limit more (wall
# seconds) before its last iterate is taken. With a deterministic limit it may run to twice
# the limit, and on long horizons it needs that and more (12 weeks of 100 agents: a
# 30-second run took 84 s, mostly waiting for an LP cut off at 60 s that bounded no
# better than the flow): the bound is not worth overrunning the limit that much.
RELAXATION_GRACE_SHARE = 0.2
# Of the search time, the share CP-SAT's own search gets before the neighbourhood moves of
# `roster.solver.neighbourhood` take over from its best roster.
CP_SAT_SHARE = 0.3
# Of the time limit, the share that re-making pairs of workers' weeks with the greedy
# (`construct.recreate`) gets on large problems, before the moves. 60 deterministic
# seconds, seeds 0-1: 4 weeks of 60 agents 29.6 / 32.2 M against 34.4 / 36.0 M without it,
# 200 agents 16.11 / 16.09 M against 16.23 / 16.27 M. Shares of 0.05 / 0.15 / 0.3 (in a
# first version, same rounds): 4 weeks 31.5 / 30.8, 30.9 / 29.2 and 31.6 / 31.4 M; 200
# agents 16.27 / 16.03, 16.07 / 16.08 and 16.17 / 16.12 M; the fixture within its spread.
RECREATE_SHARE = 0.15


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
    penalties = soft_rules(model, problem, shifts, coverage)
    set_objective(model, penalties)
    return BuiltModel(model, shifts, coverage, penalties)


def soft_rules(
    model: cp_model.CpModel,
    problem: Problem,
    shifts: rules.ShiftVars,
    coverage: rules.CoverageVars,
) -> list[rules.Penalty]:
    return [
        *rules.floor_shortage_terms(model, problem, coverage),  # weighs most
        *rules.erlang_shortage_terms(model, problem, coverage),
        *rules.cost_terms(problem, shifts),
        *rules.preference_terms(problem, shifts),
        *labour.request_terms(problem, shifts),
        *rules.fairness_terms(model, problem, shifts),
        *rules.overstaffing_terms(model, problem, coverage),
    ]


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
        self.started = started
        self.solutions = 0
        self.first_solution_seconds: float | None = None

        self.proven_bound = 0.0  # proven outside CP-SAT's search (the LP relaxation)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def on_solution_callback(self) -> None:
        self.report(self.objective_value, max(self.best_objective_bound, self.proven_bound))
        if self._stop is not None and self._stop.is_set():
            self.stop_search()

    def report(self, objective: float, bound: float) -> None:
        self.solutions += 1
        elapsed = self.elapsed()
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

    On large problems the LP relaxation (`roster.solver.relaxation`) is solved in the
    background for the bound, while neighbourhood moves (`roster.solver.neighbourhood`)
    improve the first roster; on smaller ones CP-SAT searches every option for a share of
    the time first, and the moves take the rest unless it proved the optimum.
    """
    started = time.monotonic()
    budget = _Budget(settings, started)
    callback = _ProgressCallback(on_progress, stop, started)
    try:
        start = start_from if start_from is not None else construct(problem)
    except NoWeekForWorker:
        return "INFEASIBLE", None  # the caller names the worker and the rule
    background = _BackgroundRelaxation.start(problem, settings, stop)
    try:
        return _solve_phases(problem, settings, callback, budget, stop, start, background)
    finally:
        if background is not None:
            background.close()


def _solve_phases(
    problem: Problem,
    settings: SolverSettings,
    callback: _ProgressCallback,
    budget: _Budget,
    stop: threading.Event | None,
    start: dict[str, list[ShiftOption]] | None,
    background: _BackgroundRelaxation | None,
) -> tuple[str, Solution | None]:
    """The phases of `solve_problem`: the first roster; CP-SAT's search of every option,
    except on large weeks (RELAXATION_ABOVE_OPTIONS options or more), where it gains
    little (the LP bounds those it can state instead); then neighbourhood moves for the
    rest of the time."""
    started = callback.started
    best: Solution | None = None
    status = "UNKNOWN"
    if _option_count(problem) >= RELAXATION_ABOVE_OPTIONS and start is not None:
        # Scored on a model of its own shifts: building and presolving the model of every
        # option only to fix it took most of the time to the first roster on large weeks.
        # Also past the LP's own limit: there the model of every option is larger still
        # (2.1 M options, 12 weeks of 300 agents at 15 minutes: 7.6 GB, and no roster
        # within 10 s).
        best = _score_roster(problem, start, callback)
        if best is not None:
            status = best.status
            callback.report(best.objective, callback.proven_bound)
            best = _recreated(problem, best, settings, budget, callback, stop)
    if best is None:  # no LP: CP-SAT searches first (or the start could not be scored)
        status, best = _search(
            problem,
            start,
            settings=settings,
            budget=budget,
            callback=callback,
            stop=stop,
            share=CP_SAT_SHARE,
        )
    if best is None:
        return status, None
    if best.status != "OPTIMAL" and budget.left() > 0 and not _is_set(stop):
        best = _improve_by_neighbourhoods(
            problem, best, settings, budget, callback, stop, background
        )
    if background is not None:
        relaxation = background.result(stop, RELAXATION_GRACE_SHARE * settings.time_limit_seconds)
        if relaxation is not None:
            callback.proven_bound = max(callback.proven_bound, relaxation.bound)
    best.solve_seconds = time.monotonic() - started
    if best.status == "OPTIMAL":
        best.bound_source = "CP-SAT, which proved the roster optimal"
    else:
        best.bound, best.bound_source = _strongest_bound(problem, best, callback)
    return best.status, best


def _recreated(
    problem: Problem,
    best: Solution,
    settings: SolverSettings,
    budget: _Budget,
    callback: _ProgressCallback,
    stop: threading.Event | None,
) -> Solution:
    """The first roster improved by `construct.recreate` for its share of the time
    (charged to a deterministic limit as the clock would charge it)."""
    effort = RECREATE_SHARE * settings.time_limit_seconds
    budget.spent_deterministic += effort
    roster = recreate(problem, best.chosen, effort, settings.seed, lambda: _is_set(stop))
    if roster == best.chosen:  # nothing kept: scoring it again would cost seconds
        return best
    better = _kept_if_cheaper(problem, best, roster, callback)
    if better is not best:
        callback.report(better.objective, callback.proven_bound)
    return better


def _strongest_bound(
    problem: Problem, best: Solution, callback: _ProgressCallback
) -> tuple[float, str]:
    """The highest lower bound proven, and what proved it: reported with the gap, since a
    weak relaxation (the flow's, on long horizons) can make a good roster look far off."""
    bound, source = max(
        (best.bound, "CP-SAT's search"),
        (callback.proven_bound, "the LP relaxation"),
        (flow_lower_bound(problem), "the min-cost flow relaxation"),
        key=lambda proven: proven[0],
    )
    return min(best.objective, bound), source


def _improve_by_neighbourhoods(
    problem: Problem,
    best: Solution,
    settings: SolverSettings,
    budget: _Budget,
    callback: _ProgressCallback,
    stop: threading.Event | None,
    background: _BackgroundRelaxation | None,
) -> Solution:
    """The rest of the time to neighbourhood moves (`roster.solver.neighbourhood`: a group
    of workers re-planned over a window of hours) from the best roster so far; the roster
    they end with is scored in full, the bound so far kept."""
    incumbent = neighbourhood.incumbent_of(
        problem, best.chosen, best.served, best.groups, best.objective
    )
    limit = budget.left()
    wall_ceiling = time.monotonic() + limit * WALL_CLOCK_CEILING
    spent = [0.0]

    def out_of_time(deterministic_seconds: float) -> bool:
        spent[0] = deterministic_seconds
        if _is_set(stop) or time.monotonic() > wall_ceiling:
            return True
        if settings.deterministic:
            return deterministic_seconds >= limit
        return budget.left() <= 0

    def threads_now() -> int:
        # One move at a time while the LP runs, so that it keeps a core to itself and ends
        # within its share of the time (its bound is the gap's other half). Only with a
        # wall-clock limit: with a deterministic one, when the LP ends must not change the
        # roster.
        lp_running = background is not None and not background.done.is_set()
        return 1 if lp_running else settings.workers

    def report(better: neighbourhood.Incumbent) -> None:
        relaxation = background.finished() if background is not None else None
        if relaxation is not None:
            callback.proven_bound = max(callback.proven_bound, relaxation.bound)
        callback.report(better.objective, callback.proven_bound)

    improved = neighbourhood.improve(
        problem,
        incumbent,
        seed=settings.seed,
        out_of_time=out_of_time,
        on_improvement=report,
        threads=settings.workers,
        threads_now=None if settings.deterministic else threads_now,
    )
    budget.spent_deterministic += spent[0]
    if improved.objective >= best.objective:
        return best
    return _kept_if_cheaper(problem, best, improved.chosen, callback)


def _kept_if_cheaper(
    problem: Problem,
    best: Solution,
    roster: dict[str, list[ShiftOption]],
    callback: _ProgressCallback,
) -> Solution:
    """`roster` scored in full, with the bound so far, when it is cheaper than `best`;
    else `best`."""
    scored = _score_roster(problem, roster, callback)
    if scored is None or scored.objective >= best.objective:
        return best
    scored.bound = best.bound
    return scored


def _option_count(problem: Problem) -> int:
    return sum(len(w.options) for w in problem.workers)


def _score_roster(
    problem: Problem, roster: dict[str, list[ShiftOption]], callback: _ProgressCallback
) -> Solution | None:
    """A roster as a full `Solution` (queue assignment, objective terms), or None if it
    breaks a rule. Scored on a model of its own shifts only (the objective does not depend
    on the options left unworked), with its best queue assignment as counts: the model of
    every option took most of the time to the first roster on large weeks, and assignment
    variables for the own shifts most of the time to score a 12-week 15-minute horizon."""
    workers = tuple(replace(w, options=tuple(roster.get(w.id, []))) for w in problem.workers)
    own = replace(problem, workers=workers)
    groups, _ = rules.skill_groups(own)
    on_shift = group_on_shift(own, groups, roster)
    served = best_service(own, groups, _nonzero(on_shift))
    if served is None:  # costs beyond the flow's 64 bits: CP-SAT assigns the queues
        scored = _score_fixed_roster(build_model(own), own, roster, callback)
        return None if scored is None else scored[1]
    return _score_counted(own, rules.fixed_queue_assignment(own, on_shift, served), callback)


def _score_counted(
    own: Problem, coverage: rules.CoverageVars, callback: _ProgressCallback
) -> Solution | None:
    """`own` (every option a shift of the roster) scored with its coverage given as counts;
    None if its shifts break a rule."""
    model = cp_model.CpModel()
    shifts = add_shift_rules(model, own)
    for x in shifts.x:
        model.add_bool_and(x)
    penalties = soft_rules(model, own, shifts, coverage)
    set_objective(model, penalties)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = FIXED_ROSTER_DETERMINISTIC_SECONDS
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    terms = _terms(solver, penalties)
    return Solution(
        status="FEASIBLE",
        # Summed here: CP-SAT adds the constant terms as a floating-point offset, which is
        # off by a rounding error on a 12-week horizon's 234,818,739.
        objective=sum(terms.values()),
        bound=0.0,
        solve_seconds=callback.elapsed(),
        first_solution_seconds=callback.first_solution_seconds,
        chosen={w.id: list(w.options) for w in own.workers},
        served=_served_rows(own, coverage.served),
        groups=coverage.groups,
        objective_terms=terms,
    )


def _is_set(stop: threading.Event | None) -> bool:
    return stop is not None and stop.is_set()


class _Budget:
    """The search time still left, in the unit the settings limit (deterministic or wall)."""

    def __init__(self, settings: SolverSettings, started: float):
        self.settings = settings
        self.started = started
        self.spent_deterministic = 0.0

    def left(self) -> float:
        if self.settings.deterministic:
            return max(0.0, self.settings.time_limit_seconds - self.spent_deterministic)
        return max(0.0, self.settings.time_limit_seconds - (time.monotonic() - self.started))


class _BackgroundRelaxation:
    """The LP relaxation solved in a thread (HiGHS releases the GIL while it works)."""

    def __init__(self, problem: Problem, time_limit_seconds: float, stop: threading.Event | None):
        self.done = threading.Event()
        self._result: Relaxation | None = None
        self._cancel = threading.Event()
        self._hurry = threading.Event()  # end now, with the last iterate
        self._stop = stop
        self._thread = threading.Thread(
            target=self._run, args=(problem, time_limit_seconds), name="roster-lp", daemon=True
        )
        self._thread.start()

    @classmethod
    def start(
        cls, problem: Problem, settings: SolverSettings, stop: threading.Event | None
    ) -> _BackgroundRelaxation | None:
        """Started only on problems large enough for CP-SAT's own bound to stay far off,
        and small enough for the LP to be stated."""
        if not RELAXATION_ABOVE_OPTIONS <= _option_count(problem) <= RELAXATION_UP_TO_OPTIONS:
            return None
        share = WALL_CLOCK_CEILING if settings.deterministic else RELAXATION_SHARE
        return cls(problem, settings.time_limit_seconds * share, stop)

    def close(self) -> None:
        """Interrupt the LP if it still runs and wait for its thread: a thread left inside
        HiGHS when the interpreter exits aborts the process."""
        self._cancel.set()
        self._thread.join()

    def _interrupted(self) -> bool:
        stopped = self._stop is not None and self._stop.is_set()
        return self._cancel.is_set() or self._hurry.is_set() or stopped

    def _run(self, problem: Problem, time_limit_seconds: float) -> None:
        try:
            self._result = solve_relaxation(problem, time_limit_seconds, self._interrupted)
        except (MemoryError, RuntimeError, ValueError):
            # The LP only bounds: without it the bound is the flow's and the search's.
            self._result = None
        finally:
            self.done.set()

    def finished(self) -> Relaxation | None:
        """The relaxation if already solved, without waiting."""
        return self._result if self.done.is_set() else None

    def result(self, stop: threading.Event | None, grace_seconds: float) -> Relaxation | None:
        """The relaxation once solved, or, if that takes more than `grace_seconds`, the
        interior point's iterate then (a weaker bound); None if it failed or `stop` was set
        first."""
        hurry_at = time.monotonic() + grace_seconds
        while not self.done.wait(STOP_POLL_SECONDS):
            if stop is not None and stop.is_set():
                return None
            if time.monotonic() >= hurry_at:
                self._hurry.set()
        return self._result


def _search(
    problem: Problem,
    start: dict[str, list[ShiftOption]] | None,
    *,
    settings: SolverSettings,
    budget: _Budget,
    callback: _ProgressCallback,
    stop: threading.Event | None,
    share: float = 1.0,
) -> tuple[str, Solution | None]:
    """One CP-SAT search of `problem` from `start` within `share` of what is left of the
    budget (all of it when `start` is no roster), or until `stop` is set."""
    built = build_model(problem)
    fallback = _score_fixed_roster(built, problem, start, callback) if start else None
    if fallback is not None:
        _hint_everything(built.model, fallback[0])
        callback.report(fallback[1].objective, callback.proven_bound)
    solver = cp_model.CpSolver()
    # Without a roster to fall back on, finding one is the search's whole task.
    limit = max(0.1, budget.left() * (share if fallback is not None else 1.0))
    _apply_settings(solver, replace(settings, time_limit_seconds=limit))
    with _stopped_by(solver, stop):
        status = solver.solve(built.model, callback)
    budget.spent_deterministic += solver.deterministic_time
    name = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solution = _read_solution(solver, built, problem, name, callback)
    elif fallback is not None and name == "UNKNOWN":
        solution = fallback[1]
        solution.status = "FEASIBLE"
        solution.bound = max(solution.bound, solver.best_objective_bound)
    else:
        return name, None
    return solution.status, solution


def _score_fixed_roster(
    built: BuiltModel,
    problem: Problem,
    roster: dict[str, list[ShiftOption]],
    callback: _ProgressCallback,
) -> tuple[list[int], Solution] | None:
    """Complete a roster into values for every model variable (queue assignment,
    shortages...) by solving the model with its shifts and their best queue assignment
    (`service.best_service`) fixed. None if it breaks a rule."""
    fixed = built.model.clone()
    for wi, worker in enumerate(problem.workers):
        picked = set(roster.get(worker.id, []))
        for k, option in enumerate(worker.options):
            var = fixed.get_bool_var_from_proto_index(built.shifts.x[wi][k].index)
            fixed.add(var == int(option in picked))
    groups = built.coverage.groups
    served = best_service(problem, groups, _agents_on_shift(problem, groups, roster))
    for key, var in built.coverage.served.items() if served is not None else ():
        fixed.add(fixed.get_int_var_from_proto_index(var.index) == served.get(key, 0))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    # Only auxiliary values are left to fill in (a second at most), but a roster breaking a
    # day rule may take long to prove so: the cap keeps that from eating the time limit.
    # It is deterministic only: a wall-clock cap (20 s) threw away a valid greedy roster of
    # 61 agents over two 15-minute weeks on a machine loaded ten times over, and the run
    # ended without a roster, asking for a longer --time-limit that would not have helped.
    solver.parameters.max_deterministic_time = FIXED_ROSTER_DETERMINISTIC_SECONDS
    status = solver.solve(fixed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    solution = _read_solution(solver, built, problem, "FEASIBLE", callback)
    solution.bound = 0.0
    return list(solver.response_proto.solution), solution


def _agents_on_shift(
    problem: Problem, groups: list[tuple[int, ...]], roster: dict[str, list[ShiftOption]]
) -> dict[tuple[int, int], int]:
    """(group, interval) -> agents of that skill group on shift in the roster."""
    return _nonzero(group_on_shift(problem, groups, roster))


def _nonzero(counts: np.ndarray) -> dict[tuple[int, int], int]:
    return {(g, i): int(n) for (g, i), n in np.ndenumerate(counts) if n}


def _served_rows(
    problem: Problem, served: dict[tuple[int, int, int], int]
) -> dict[tuple[int, int], np.ndarray]:
    """(group, queue, interval) counts as `Solution.served` rows, (group, queue) -> counts."""
    rows: dict[tuple[int, int], np.ndarray] = {}
    for (g, q, i), count in served.items():
        rows.setdefault((g, q), np.zeros(problem.n_intervals, dtype=int))[i] = count
    return rows


def _terms(solver: cp_model.CpSolver, penalties: list[rules.Penalty]) -> dict[str, float]:
    """The objective per soft rule, summed over its terms."""
    terms: dict[str, float] = {}
    for penalty in penalties:
        value = penalty.expr if isinstance(penalty.expr, int) else solver.value(penalty.expr)
        terms[penalty.name] = terms.get(penalty.name, 0.0) + penalty.weight * value
    return terms


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
    with stopped_when(solver, stop.is_set, STOP_POLL_SECONDS):
        yield


@contextmanager
def stopped_when(
    solver: cp_model.CpSolver, condition: Callable[[], bool], poll_seconds: float
) -> Iterator[None]:
    """Stop the search once `condition()` holds, asked every `poll_seconds` from a
    watcher thread (a solution callback alone would only ask when a solution arrives)."""
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(poll_seconds):
            if condition():
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
    # One worker alone would only run a tree search, hopeless on a large week (50 agents,
    # 1,200 s: 6.0 M against 4.8 M with two workers in 60 s); interleaved, that one thread
    # takes turns at every kind of search, neighbourhood moves included.
    params.interleave_search = settings.deterministic or settings.workers == 1
    if settings.deterministic:
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
    callback: _ProgressCallback,
) -> Solution:
    chosen = {
        worker.id: [
            o for k, o in enumerate(worker.options) if solver.boolean_value(built.shifts.x[wi][k])
        ]
        for wi, worker in enumerate(problem.workers)
    }
    values = {key: solver.value(var) for key, var in built.coverage.served.items()}
    served = _served_rows(problem, values)
    return Solution(
        status=status,
        objective=solver.objective_value,
        bound=solver.best_objective_bound,
        solve_seconds=callback.elapsed(),
        first_solution_seconds=callback.first_solution_seconds,
        chosen=chosen,
        served=served,
        groups=built.coverage.groups,
        objective_terms=_terms(solver, built.penalties),
    )
