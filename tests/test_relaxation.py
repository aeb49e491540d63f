"""The LP relaxation: a bound hand-computed on toys and never above an optimum, duals that
bound whatever their quality, and the path of large weeks, which it bounds.

Toy (as in test_bounds): 60-minute intervals; one queue needs agents in intervals 0-9 of
day 0. A cheap worker (1 per hour) has a 4-hour option from 00:00, a dear one (3 per hour)
an 8-hour option from 00:00. One hundredth of an agent-interval short costs 1.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest
from ortools.sat.python import cp_model
from scipy.sparse import csc_matrix

from roster.check import check_roster
from roster.engine import SolveOptions, solve, translate
from roster.kpi import format_summary, summarize
from roster.model import Request, ShiftKind
from roster.result import Roster
from roster.solver import core, relaxation
from roster.solver.bounds import flow_lower_bound
from roster.solver.problem import (
    Demand,
    Problem,
    ShiftOption,
    SolverSettings,
    Weights,
    Worker,
    WorkerRequest,
)
from roster.solver.relaxation import _dual_bound, _Lp, solve_relaxation
from tests.builders import agent, hhmm, queue, scenario


def option(day: int, start_hour: int, hours: int, cost_per_hour: int) -> ShiftOption:
    start = (24 * day + start_hour) * 60
    return ShiftOption(start, start + hours * 60, day, cost_per_hour * hours)


def toy(required_agents: float, shortage_weight: int = 1) -> Problem:
    required = np.zeros(48, dtype=int)
    required[:10] = round(required_agents * 100)
    cheap = Worker("cheap", (option(0, 0, 4, 1),), (0,), 0, 480, 2)
    dear = Worker("dear", (option(0, 0, 8, 3),), (0,), 0, 960, 2)
    demand = Demand("en-L1", required, np.zeros(48, dtype=int), shortage_weight, 1)
    return Problem(60, 48, (cheap, dear), (demand,), 0, 6)


def test_the_dear_long_shift_is_worked_and_the_cheap_one_would_only_overstaff() -> None:
    # 1 agent for 10 hours at 100 per hundredth short: the dear 8-hour shift (24) leaves
    # hours 8-9 short (2 x 100 hundredths x 100). The cheap shift would cover hours 0-3 a
    # second time: 4 of money plus 4 x 100 hundredths of overstaffing (weight 1) for nothing.
    relaxed = solve_relaxation(toy(1, shortage_weight=100), time_limit_seconds=10)
    assert relaxed is not None
    assert relaxed.bound == pytest.approx(24 + 2 * 100 * 100, rel=1e-6)
    assert relaxed.values["cheap"] == pytest.approx([0.0], abs=1e-4)
    assert relaxed.values["dear"] == pytest.approx([1.0], abs=1e-4)


def test_a_shift_dearer_than_the_shortage_it_closes_is_left_out() -> None:
    # At 1 per hundredth short, a whole agent-hour short costs 100: the cheap shift (4 for
    # 4 hours) pays, and the dear one (24 for 8 hours, closing 6 hours more: 600) too; with
    # 0.01 agents needed, each hour short costs only 1: no shift pays for itself.
    relaxed = solve_relaxation(toy(0.01), time_limit_seconds=10)
    assert relaxed is not None
    assert relaxed.bound == pytest.approx(10 * 1, rel=1e-6)
    assert relaxed.values["dear"] == pytest.approx([0.0], abs=1e-4)


def evening(day: int, cost_per_hour: int, night: bool = False) -> ShiftOption:
    start = (24 * day + 20) * 60
    return ShiftOption(start, start + 240, day, 4 * cost_per_hour, night=night)


def evenings_wanted(days: list[int]) -> Demand:
    """One agent in hours 20-23 of each listed day; a hundredth short costs 1,000."""
    required = np.zeros(48, dtype=int)
    for day in days:
        required[24 * day + 20 : 24 * day + 24] = 100
    return Demand("en-L1", required, np.zeros(48, dtype=int), 1000, 1000)


def optimum(problem: Problem) -> float:
    built = core.build_model(problem)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(built.model) == cp_model.OPTIMAL
    return solver.objective_value


def test_the_busiest_workers_night_shifts_are_in_the_bound() -> None:
    # Two comparable workers, a night shift wanted on each of two evenings (4 of pay
    # each). However the LP splits them, one worker has at least one night: 8 of pay plus
    # the fairness weight 50 once; one worker on both nights would pay it twice.
    workers = tuple(
        Worker(name, (evening(0, 1, night=True), evening(1, 1, night=True)), (0,), 0, 480, 2)
        for name in ("ana", "ben")
    )
    problem = Problem(60, 48, workers, (evenings_wanted([0, 1]),), 0, 6, Weights(fairness=50))
    relaxed = solve_relaxation(problem, time_limit_seconds=10)
    assert relaxed is not None
    assert relaxed.bound == pytest.approx(8 + 50, rel=1e-6)
    assert relaxed.bound <= optimum(problem) + 1e-6


def test_requests_are_in_the_bound() -> None:
    # Evening 1 wants one agent. Ana (4) asked for day 1 off (30), so Ben (12) works it;
    # Ben asked to work day 0 (20), where nobody is needed: working it would overstaff
    # 4 hours (400), so it is denied. 12 + 20; without the requests the LP would say 4.
    ana = Worker(
        "ana", (evening(1, 1),), (0,), 0, 480, 2, requests=(WorkerRequest(1, None, False, 30),)
    )
    ben = Worker(
        "ben",
        (evening(0, 3), evening(1, 3)),
        (0,),
        0,
        480,
        2,
        requests=(WorkerRequest(0, None, True, 20),),
    )
    problem = Problem(60, 48, (ana, ben), (evenings_wanted([1]),), 0, 6)
    relaxed = solve_relaxation(problem, time_limit_seconds=10)
    assert relaxed is not None
    assert relaxed.bound == pytest.approx(12 + 20, rel=1e-6)
    assert optimum(problem) == pytest.approx(12 + 20)


def test_any_duals_give_a_bound_below_the_optimum() -> None:
    # min x + 2 y  with  x + y >= 3,  x <= 2,  0 <= x, y <= 5: optimum 4 (x = 2, y = 1).
    lp = _Lp()
    x, y = lp.column(1.0, 0.0, 5.0), lp.column(2.0, 0.0, 5.0)
    lp.row([(x, 1.0), (y, 1.0)], 3.0, np.inf)
    lp.row([(x, 1.0)], -np.inf, 2.0)
    matrix = csc_matrix((lp.coefs, (lp.rows, lp.cols)), shape=(2, 2))
    assert _dual_bound(matrix, lp, np.array([2.0, -1.0])) == pytest.approx(4.0)  # optimal
    rng = np.random.default_rng(7)
    for duals in rng.normal(0.0, 3.0, size=(200, 2)):
        assert _dual_bound(matrix, lp, duals) <= 4.0 + 1e-9


def test_an_implied_upper_bound_keeps_overshooting_duals_finite() -> None:
    # min b  with  b - c >= 0,  c fixed at 1,  b in [0, 5] (5 implied, HiGHS not told):
    # optimum 1. Duals that overshoot (1.5, as an inexact iterate may) price b below zero;
    # with b unbounded above they would prove nothing, with its implied 5 they still bound:
    # 1.5 * 0 + (1 - 1.5) * 5 + (0 + 1.5) * 1 = -1.
    lp = _Lp()
    b, c = lp.column(1.0, 0.0, 5.0, implied=True), lp.column(0.0, 1.0, 1.0)
    lp.row([(b, 1.0), (c, -1.0)], 0.0, np.inf)
    matrix = csc_matrix((lp.coefs, (lp.rows, lp.cols)), shape=(1, 2))
    assert lp.implied_upper == [b]
    assert _dual_bound(matrix, lp, np.array([1.0])) == pytest.approx(1.0)  # optimal
    assert _dual_bound(matrix, lp, np.array([1.5])) == pytest.approx(-1.0)


def night_pair() -> Problem:
    workers = tuple(
        Worker(name, (evening(0, 1, night=True), evening(1, 1, night=True)), (0,), 0, 480, 2)
        for name in ("ana", "ben")
    )
    return Problem(60, 48, workers, (evenings_wanted([0, 1]),), 0, 6, Weights(fairness=50))


def test_when_highs_stalls_the_lp_without_fairness_still_bounds(monkeypatch) -> None:
    # HiGHS's interior point stalled ("no progress") on a 15-minute week of 60 agents
    # with the fairness rows in, and solved it without them. Here the first solve is
    # made to stall: the bound is then the pay alone, 8 (with fairness it is 8 + 50).
    real_solve, calls = relaxation._solve, []

    def stalls_first(lp, seconds, interrupted):
        calls.append(len(lp.cost))
        if len(calls) == 1:
            raise relaxation.NoProgress("after 13 iterations")
        return real_solve(lp, seconds, interrupted)

    monkeypatch.setattr(relaxation, "_solve", stalls_first)
    relaxed = solve_relaxation(night_pair(), time_limit_seconds=10)
    assert relaxed is not None
    assert relaxed.bound == pytest.approx(8, rel=1e-6)
    assert calls[1] < calls[0]  # the second LP has no busiest-count columns


def test_when_highs_stalls_twice_there_is_no_bound(monkeypatch) -> None:
    def stalls(lp, seconds, interrupted):
        raise relaxation.NoProgress("after 13 iterations")

    monkeypatch.setattr(relaxation, "_solve", stalls)
    assert solve_relaxation(night_pair(), time_limit_seconds=10) is None


def small_week():
    return scenario(
        agent("a01", max_hours=40, min_hours=16),
        agent("a02", timezone="Asia/Tokyo", max_hours=40, min_hours=8),
        agent("a03", timezone="America/New_York", max_hours=24),
        queues=(queue(min_agents=1),),
    )


def test_relaxation_never_exceeds_a_proven_optimum() -> None:
    week = small_week()
    result = solve(week, SolveOptions(time_limit_seconds=60, workers=1))
    assert result.status == "OPTIMAL"
    relaxed = solve_relaxation(translate(week).problem, time_limit_seconds=30)
    assert relaxed is not None
    assert 0 < relaxed.bound <= result.objective + 1e-6


def test_with_requests_and_fairness_the_bound_stays_below_a_proven_optimum() -> None:
    # Through the scenario's own translation: a day off, a day on and an early shift
    # asked for, two comparable agents sharing the nights of a 24/7 queue.
    early = ShiftKind("early", hhmm("06:00"), hhmm("10:00"))
    week = small_week()
    monday = week.week_start
    requests = (
        Request("a01", monday + timedelta(days=2), "off", 1.0),
        Request("a02", monday + timedelta(days=1), "on", 2.0),
        Request("a03", monday + timedelta(days=5), "early", 3.0),
    )
    week = replace(week, rules=replace(week.rules, shift_kinds=(early,)), requests=requests)
    result = solve(week, SolveOptions(time_limit_seconds=60, workers=1))
    assert result.status == "OPTIMAL"
    assert check_roster(week, Roster.from_json(result.to_json())) == []
    relaxed = solve_relaxation(translate(week).problem, time_limit_seconds=30)
    assert relaxed is not None
    assert 0 < relaxed.bound <= result.objective + 1e-6


@pytest.mark.parametrize("deterministic", [True, False])
def test_the_large_week_path_gives_a_valid_roster_and_an_honest_status(
    monkeypatch, deterministic
) -> None:
    # With a wall-clock limit the moves run one at a time while the LP solves, then two.
    monkeypatch.setattr(core, "RELAXATION_ABOVE_OPTIONS", 0)  # take the large-problem path
    week = small_week()
    options = SolveOptions(time_limit_seconds=5, workers=2, deterministic=deterministic)
    result = solve(week, options)
    assert check_roster(week, Roster.from_json(result.to_json())) == []
    monkeypatch.undo()
    optimum = solve(week, SolveOptions(time_limit_seconds=60, workers=1))
    assert optimum.status == "OPTIMAL"
    # Only neighbourhood moves search there, which prove nothing: the bound is the LP's.
    assert result.status == "FEASIBLE"
    assert result.objective >= optimum.objective - 1e-6
    assert result.bound <= optimum.objective + 1e-6


def test_the_large_week_path_runs_without_a_greedy_start(monkeypatch) -> None:
    # The greedy start can fail where a roster exists (a one-agent model out of time); a
    # CP-SAT search of every option then finds the first roster.
    monkeypatch.setattr(core, "RELAXATION_ABOVE_OPTIONS", 0)
    monkeypatch.setattr(core, "construct", lambda problem: None)
    week = small_week()
    result = solve(week, SolveOptions(time_limit_seconds=20, workers=1))
    assert check_roster(week, Roster.from_json(result.to_json())) == []


def test_a_week_too_large_for_the_lp_is_still_searched_by_moves_not_by_the_full_model(
    monkeypatch,
) -> None:
    # Past the LP's limit the model of every option is larger still: building it took
    # 7.6 GB and found no roster in 10 s on 12 weeks of 300 agents at 15 minutes.
    monkeypatch.setattr(core, "RELAXATION_ABOVE_OPTIONS", 0)
    monkeypatch.setattr(core, "RELAXATION_UP_TO_OPTIONS", 0)

    def no_full_search(*args, **kwargs):
        raise AssertionError("CP-SAT's search of every option ran")

    monkeypatch.setattr(core, "_search", no_full_search)
    week = small_week()
    result = solve(week, SolveOptions(time_limit_seconds=5, workers=1))
    assert result.status == "FEASIBLE"
    assert check_roster(week, Roster.from_json(result.to_json())) == []


def test_the_summary_says_which_relaxation_proved_the_bound(monkeypatch) -> None:
    # Past the LP's limit only the flow bounds (CP-SAT's search, which might, is skipped),
    # so a long horizon's large gap is read as the flow's weakness, not the roster's.
    monkeypatch.setattr(core, "RELAXATION_ABOVE_OPTIONS", 0)
    monkeypatch.setattr(core, "RELAXATION_UP_TO_OPTIONS", 0)
    week = small_week()
    result = solve(week, SolveOptions(time_limit_seconds=2, workers=1))
    assert result.extra["bound_source"] == "the min-cost flow relaxation"
    assert result.bound == pytest.approx(flow_lower_bound(translate(week).problem))
    summary = summarize(week, Roster.from_json(result.to_json()))
    assert summary.to_json()["bound_source"] == "the min-cost flow relaxation"
    assert "(from the min-cost flow relaxation)" in format_summary(summary).splitlines()[0]


def test_a_roster_proven_optimal_says_so_beside_its_bound() -> None:
    result = solve(small_week(), SolveOptions(time_limit_seconds=30, workers=1))
    assert result.status == "OPTIMAL"
    assert result.extra["bound_source"] == "CP-SAT, which proved the roster optimal"


def test_a_stop_during_the_lp_phase_interrupts_it_and_returns_the_first_roster(
    monkeypatch,
) -> None:
    monkeypatch.setattr(core, "RELAXATION_ABOVE_OPTIONS", 0)
    stop, lp_interrupted = threading.Event(), threading.Event()
    problem = translate(small_week()).problem

    def slow_relaxation(problem, time_limit_seconds, interrupted):
        # An LP that would run for 30 s, as on a large week, unless it is interrupted.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if interrupted():
                lp_interrupted.set()
                return None
            time.sleep(0.01)
        return None

    monkeypatch.setattr(core, "solve_relaxation", slow_relaxation)
    settings = SolverSettings(time_limit_seconds=60, workers=1)
    started = time.monotonic()
    status, solution = core.solve_problem(problem, settings, lambda _: stop.set(), stop)
    # The first roster came back without waiting out the LP or searching any further, and
    # the LP's thread was interrupted and ended before solve_problem returned.
    assert time.monotonic() - started < 20
    assert lp_interrupted.is_set()
    assert status == "FEASIBLE"
    assert solution is not None and solution.chosen


def test_an_lp_still_running_when_the_search_ends_is_hurried_not_waited_out(
    monkeypatch,
) -> None:
    # With a deterministic limit the LP may run to twice the limit in wall time; once the
    # search is over it gets a grace of a fifth of the limit, then its iterate is taken.
    monkeypatch.setattr(core, "RELAXATION_ABOVE_OPTIONS", 0)
    problem = translate(small_week()).problem
    hurried = threading.Event()

    def slow_relaxation(problem, time_limit_seconds, interrupted):
        deadline = time.monotonic() + 30  # an LP that needs 30 s, as on a long horizon
        while time.monotonic() < deadline:
            if interrupted():
                hurried.set()
                return None  # its iterate: unusable here, so the bound is the others'
            time.sleep(0.01)
        return None

    monkeypatch.setattr(core, "solve_relaxation", slow_relaxation)
    settings = SolverSettings(time_limit_seconds=2, workers=1, deterministic=True)
    started = time.monotonic()
    status, solution = core.solve_problem(problem, settings)
    assert hurried.is_set()
    assert time.monotonic() - started < 15  # not the LP's 30 s
    assert status == "FEASIBLE" and solution is not None and solution.chosen


def test_highs_stops_at_the_next_iteration_once_interrupted_keeping_a_valid_bound() -> None:
    problem = translate(small_week()).problem
    solved = solve_relaxation(problem, 60, interrupted=lambda: False)
    assert solved is not None
    started = time.monotonic()
    hurried = solve_relaxation(problem, 60, interrupted=lambda: True)
    assert time.monotonic() - started < solved.seconds + 1
    # Its first iterate, if usable, bounds no higher than the optimum (weak duality).
    assert hurried is None or hurried.bound <= solved.bound + 1e-6


def test_solving_the_relaxation_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    # HiGHS prints its banner from C++ straight to file descriptor 1, past sys.stdout:
    # a `roster solve --quiet` would show it.
    assert solve_relaxation(toy(1), time_limit_seconds=10) is not None
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
