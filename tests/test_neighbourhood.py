"""Neighbourhood moves: a group of workers re-planned over a window, the rest held fixed.

What must hold whatever the moves find: a move is kept only when the whole roster gets
cheaper, the objective the moves keep track of is the full model's objective of the roster
they end with (the small model's objective differs from the full one by a constant only),
and shifts outside the window stay as they were.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from ortools.sat.python import cp_model

from roster.check import check_roster
from roster.engine import SolveOptions, solve, translate
from roster.generate import generate_scenario
from roster.result import Roster
from roster.scenario import load_scenario
from roster.solver import core, neighbourhood, rules
from roster.solver.construct import construct
from roster.solver.problem import Demand, Problem, ShiftOption, Worker
from roster.solver.shift_rules import add_shift_rules


def test_a_move_hands_the_shift_to_the_cheaper_worker_who_can_take_it(monkeypatch) -> None:
    # 60-minute intervals over two days; one queue wants one agent in hours 0-7 of day 0.
    # Both workers can work exactly that 8-hour shift: the dear one (3 per hour) works it,
    # the cheap one (1 per hour) is idle. Handing it over saves 8 x 2 = 16.
    required = np.zeros(48, dtype=int)
    required[:8] = 100
    demand = Demand("en-L1", required, np.zeros(48, dtype=int), 1000, 1000)
    dear_shift, cheap_shift = ShiftOption(0, 480, 0, 24), ShiftOption(0, 480, 0, 8)
    dear = Worker("dear", (dear_shift,), (0,), 0, 960, 2)
    cheap = Worker("cheap", (cheap_shift,), (0,), 0, 960, 2)
    problem = Problem(60, 48, (dear, cheap), (demand,), 0, 6)
    served = {(0, 0): np.array([1] * 8 + [0] * 40)}
    start = neighbourhood.incumbent_of(
        problem, {"dear": [dear_shift], "cheap": []}, served, [(0,)], objective=24.0
    )
    monkeypatch.setattr(neighbourhood, "WINDOW_MINUTES", 48 * 60)  # the window is the horizon

    better = neighbourhood.improve(problem, start, seed=0, out_of_time=lambda spent: spent > 0)

    assert better.chosen == {"dear": [], "cheap": [cheap_shift]}
    assert better.objective == 8.0


def test_a_shortage_move_takes_hours_from_a_day_without_demand(monkeypatch) -> None:
    # The worker may work one 8-hour shift (max 8 h). It works day 1, when nobody is
    # needed, while the queue is short of one agent through hours 0-7 of day 0: 800 short
    # hundredths at 1,000 each, 8 idle hours at 100 x 1 overstaffing, 8 of pay = 800,808.
    # Moving the shift to day 0 leaves the pay alone: 8. No window move can do it (a
    # window either frees day 0, where the worker is at max hours, or day 1).
    required = np.zeros(48, dtype=int)
    required[:8] = 100
    demand = Demand("en-L1", required, np.zeros(48, dtype=int), 1000, 1000)
    day0, day1 = ShiftOption(0, 480, 0, 8), ShiftOption(1440, 1920, 1, 8)
    worker = Worker("w", (day0, day1), (0,), 0, 480, 2)
    problem = Problem(60, 48, (worker,), (demand,), 0, 6)
    start = neighbourhood.incumbent_of(problem, {"w": [day1]}, {}, [(0,)], objective=800_808)
    monkeypatch.setattr(neighbourhood, "SHORTAGE_EVERY", 1)

    better = neighbourhood.improve(problem, start, seed=0, out_of_time=lambda spent: spent > 0)

    assert better.chosen == {"w": [day0]}
    assert better.objective == 8


def test_a_shortage_move_re_plans_the_week_of_the_short_interval_only(monkeypatch) -> None:
    # Two one-day "weeks" (week_starts 0 and 1440), at most one 8-hour shift each. The
    # queue is short through hours 0-7 of day 0 while the worker idles 12-19 that day: 8
    # of pay + 800 overstaffing + 800 hundredths short x 1,000; its day-1 shift idles too
    # (8 + 800): 801,616. The move over week 0 moves the day-0 shift onto the shortage
    # (8); the day-1 shift, in another week, is not the move's to drop: 816 (a move over
    # the whole horizon would also drop it, 8).
    required = np.zeros(48, dtype=int)
    required[:8] = 100
    demand = Demand("en-L1", required, np.zeros(48, dtype=int), 1000, 1000)
    early, late, next_day = (
        ShiftOption(0, 480, 0, 8),
        ShiftOption(720, 1200, 0, 8),
        ShiftOption(1440, 1920, 1, 8),
    )
    worker = Worker("w", (early, late, next_day), (0,), 0, 480, 2)
    problem = Problem(60, 48, (worker,), (demand,), 0, 6, week_starts=(0, 1440))
    start = neighbourhood.incumbent_of(
        problem, {"w": [late, next_day]}, {}, [(0,)], objective=801_616
    )
    monkeypatch.setattr(neighbourhood, "SHORTAGE_EVERY", 1)

    better = neighbourhood.improve(problem, start, seed=0, out_of_time=lambda spent: spent > 0)

    assert set(better.chosen["w"]) == {early, next_day}
    assert better.objective == 816


def test_the_busiest_count_of_workers_left_out_of_a_move_is_paid_whatever_it_does() -> None:
    # One worker of fairness group "night desk" is in the move, with one night shift on
    # offer; the others, left out, work at most 3 nights. Working that night leaves the
    # busiest at 3 (paid 3), not 1; and a group of one in the move still counts.
    night = ShiftOption(22 * 60, 30 * 60, 0, 0, night=True)
    worker = Worker("w", (night,), (0,), 0, 960, 2, fairness_group="night desk")
    part = Problem(60, 48, (worker,), (), 0, 6)
    model = cp_model.CpModel()
    shifts = add_shift_rules(model, part)
    model.add(shifts.x[0][0] == 1)
    fixed = {("night desk", "night"): 3, ("night desk", "weekend"): 0}
    terms = rules.fairness_terms(model, part, shifts, fixed)
    model.minimize(sum(t.weight * t.expr for t in terms))
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    assert [t.name for t in terms] == ["unfair night shifts"]
    assert solver.objective_value == 3
    assert rules.fairness_terms(cp_model.CpModel(), part, shifts) == []  # alone, no term


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory):
    folder = generate_scenario(tmp_path_factory.mktemp("hood") / "s", agents=16, seed=3)
    return load_scenario(folder)


@pytest.mark.parametrize("threads", [1, 2])
def test_the_objective_kept_is_the_full_models_objective_of_the_roster(week, threads) -> None:
    problem = translate(week).problem
    first = core._score_roster(problem, construct(problem), core._ProgressCallback(None, None, 0))
    assert first is not None
    start = neighbourhood.incumbent_of(
        problem, first.chosen, first.served, first.groups, first.objective
    )
    better = neighbourhood.improve(
        problem, start, seed=1, out_of_time=lambda spent: spent >= 1.5, threads=threads
    )

    assert better.objective < first.objective  # the greedy roster leaves much to gain
    assert better.objective == full_objective(problem, better)


def full_objective(problem: Problem, roster: neighbourhood.Incumbent) -> float:
    """The full model's objective with every shift and queue assignment fixed as given."""
    built = core.build_model(problem)
    for wi, worker in enumerate(problem.workers):
        worked = set(roster.chosen.get(worker.id, []))
        for k, option in enumerate(worker.options):
            built.model.add(built.shifts.x[wi][k] == int(option in worked))
    assert built.coverage.groups == roster.groups
    for (g, q, i), var in built.coverage.served.items():
        row = roster.served.get((g, q))
        built.model.add(var == (0 if row is None else int(row[i])))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(built.model) == cp_model.OPTIMAL
    return solver.objective_value


def test_shifts_starting_outside_the_window_stay_as_they_were(week, monkeypatch) -> None:
    problem = translate(week).problem
    chosen = construct(problem)
    first = core._score_roster(problem, chosen, core._ProgressCallback(None, None, 0))
    start = neighbourhood.incumbent_of(
        problem, first.chosen, first.served, first.groups, first.objective
    )
    day = 24 * 60
    window = neighbourhood._Neighbourhood(list(range(len(problem.workers))), 2 * day, 3 * day)
    monkeypatch.setattr(neighbourhood, "_disjoint_neighbourhoods", lambda *_: [window])

    def outside(roster: dict[str, list[ShiftOption]]) -> dict[str, set[ShiftOption]]:
        return {w: {o for o in shifts if not window.frees(o)} for w, shifts in roster.items()}

    kept = outside(first.chosen)
    better = neighbourhood.improve(problem, start, seed=0, out_of_time=lambda spent: spent > 0)

    assert better.objective < first.objective  # the day was re-planned
    assert outside(better.chosen) == kept


def test_a_solve_ends_with_moves_and_its_roster_passes_the_validator(
    tmp_path: Path, monkeypatch
) -> None:
    folder = generate_scenario(tmp_path / "s", agents=30, seed=5)
    week = load_scenario(folder)
    calls = []
    improve = neighbourhood.improve

    def counted(*args, **kwargs):
        found = improve(*args, **kwargs)
        calls.append(found.objective)
        return found

    monkeypatch.setattr(neighbourhood, "improve", counted)
    result = solve(week, SolveOptions(time_limit_seconds=4, workers=2))

    assert calls, "the moves had time left to run"
    assert result.objective <= calls[0]
    assert check_roster(week, Roster.from_json(result.to_json())) == []


def test_a_move_on_a_quarter_hour_grid_gets_twice_the_time() -> None:
    # Same hours, twice the intervals: the move's model is twice as large.
    def on_grid(minutes: int) -> Problem:
        return Problem(minutes, 7 * 24 * 60 // minutes, (), (), 0, 6)

    half_hour = neighbourhood.move_limit(on_grid(30))
    assert neighbourhood.move_limit(on_grid(15)) == 2 * half_hour
    assert neighbourhood.move_limit(on_grid(60)) == half_hour
