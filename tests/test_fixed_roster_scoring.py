"""Scoring a roster whose shifts are known (the first roster, the moves' last one).

The fast path counts the coverage instead of stating assignment variables. Its objective
must be what CP-SAT finds when it is left to assign the queues itself on the model of
every option, with the roster's shifts fixed: the least objective of those shifts.
"""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from ortools.sat.python import cp_model

from roster.engine import translate
from roster.generate import generate_scenario
from roster.scenario import load_scenario
from roster.solver import core
from roster.solver.construct import construct
from roster.solver.problem import Problem, ShiftOption


@pytest.fixture(scope="module")
def fortnight(tmp_path_factory: pytest.TempPathFactory) -> Problem:
    folder = generate_scenario(
        tmp_path_factory.mktemp("fixed") / "s", agents=14, seed=8, interval_minutes=60, weeks=2
    )
    return translate(load_scenario(folder)).problem


def _least_objective(problem: Problem, roster: dict[str, list[ShiftOption]]) -> float:
    built = core.build_model(problem)
    for wi, worker in enumerate(problem.workers):
        picked = set(roster.get(worker.id, []))
        for k, option in enumerate(worker.options):
            built.model.add(built.shifts.x[wi][k] == int(option in picked))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2  # its LP proves the assignment in a second
    solver.parameters.max_time_in_seconds = 60
    assert solver.solve(built.model) == cp_model.OPTIMAL
    return round(solver.objective_value)  # every weight and term is whole


def _callback() -> core._ProgressCallback:
    return core._ProgressCallback(None, None, time.monotonic())


def test_a_known_roster_scores_its_least_objective(fortnight: Problem) -> None:
    assert any(d.floor.any() for d in fortnight.demands)  # the floors' terms are exercised
    roster = construct(fortnight)

    scored = core._score_roster(fortnight, roster, _callback())

    assert scored is not None
    assert scored.objective == _least_objective(fortnight, roster)
    assert scored.objective == sum(scored.objective_terms.values())
    assert scored.chosen == {w.id: roster.get(w.id, []) for w in fortnight.workers}


def test_the_assignment_read_back_serves_no_more_than_are_on_shift(fortnight: Problem) -> None:
    roster = construct(fortnight)

    scored = core._score_roster(fortnight, roster, _callback())

    assert scored is not None
    on_shift = core.group_on_shift(fortnight, scored.groups, roster)
    for g in range(len(scored.groups)):
        serving = sum(row for (group, _), row in scored.served.items() if group == g)
        assert (serving <= on_shift[g]).all()


def test_a_roster_breaking_the_rest_rule_is_not_scored(fortnight: Problem) -> None:
    # Without minimum hours, one worker's two shifts on different days are a roster alone,
    # unless there is less than the minimum rest between them.
    free = replace(fortnight, workers=tuple(replace(w, min_minutes=0) for w in fortnight.workers))
    pairs = [
        (w, a, b)
        for w in free.workers
        for a in w.options
        for b in w.options
        if a.day != b.day and a.end <= b.start
    ]
    worker, first, too_soon = next(
        p for p in pairs if p[2].start - p[1].end < free.min_rest_minutes
    )
    other, rested, later = next(p for p in pairs if p[2].start - p[1].end >= free.min_rest_minutes)

    assert core._score_roster(free, {worker.id: [first, too_soon]}, _callback()) is None
    assert core._score_roster(free, {other.id: [rested, later]}, _callback()) is not None
