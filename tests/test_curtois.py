"""The Curtois-Qu benchmark: parser, independent evaluator, model and bench.

The evaluator is checked on a seven-day instance small enough to score by hand; the
model on Instance1, whose optimum (607) is published and proven (lower bound = upper).
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from roster.curtois import lns
from roster.curtois.arguments import DATA_DIR, add_bench_curtois_arguments
from roster.curtois.bench import main_bench_curtois, parse_instance_numbers
from roster.curtois.construct import construct
from roster.curtois.evaluate import evaluate, evaluate_file, write_roster_csv
from roster.curtois.model import (
    Part,
    Settings,
    _solve_until_stalled,
    add_roster_hint,
    build_model,
    build_part_model,
    solve,
)
from roster.curtois.parser import read_instance
from roster.errors import ScenarioError

INSTANCE1 = DATA_DIR / "Instance1.txt"

# Seven days from a Monday (the weekend is days 5 and 6). L cannot be followed by E.
# A: E up to 7, L up to 2; 1440..2880 minutes; runs of work 2..3; days off at least 2;
#    one weekend; day 3 off.
# B: L only; 600..3000 minutes; runs of work 1..4; days off at least 1; no weekend;
#    day 0 off.
TINY = """\
# a hand-made instance
SECTION_HORIZON
7

SECTION_SHIFTS
E,480,
L,600,E

SECTION_STAFF
A,E=7|L=2,2880,1440,3,2,2,1
B,E=0|L=7,3000,600,4,1,1,0

SECTION_DAYS_OFF
A,3
B,0

SECTION_SHIFT_ON_REQUESTS
A,0,E,2
A,6,E,2
B,2,L,3

SECTION_SHIFT_OFF_REQUESTS
A,1,E,4
B,5,L,1

SECTION_COVER
0,E,1,100,1
1,E,2,100,1
2,L,1,100,1
4,E,0,100,1
5,L,0,100,1
6,E,1,100,1
"""

# A works E on days 0, 1, 4, 5; B works L on days 1, 2, 4. Every hard rule holds
# (A's run on 0-1 touches the start, its day off 6 touches the end). By hand:
#   on requests:  A day 6 E not worked                          2
#   off requests: A works E on day 1                             4
#   cover:        day 1 E has 1 of 2, day 6 E has 0 of 1    2 x 100
#                 day 4 E has 1 of 0                         1 x 1
#   total                                                       207
GOOD_ROSTER = [
    ("A", 0, "E"),
    ("A", 1, "E"),
    ("A", 4, "E"),
    ("A", 5, "E"),
    ("B", 1, "L"),
    ("B", 2, "L"),
    ("B", 4, "L"),
]


@pytest.fixture
def tiny(tmp_path: Path):
    path = tmp_path / "Tiny.txt"
    path.write_text(TINY, encoding="utf-8")
    return read_instance(path)


def _changed(remove: list[tuple[str, int, str]], add: list[tuple[str, int, str]]):
    return [a for a in GOOD_ROSTER if a not in remove] + add


# ---------------------------------------------------------------- parser


def test_instance1_is_read_section_by_section():
    instance = read_instance(INSTANCE1)
    assert instance.name == "Instance1"
    assert instance.days == 14
    assert [(s.id, s.minutes, s.cannot_follow) for s in instance.shifts] == [("D", 480, ())]
    assert len(instance.staff) == 8
    a = instance.staff[0]
    assert (a.id, dict(a.max_shifts), a.max_total_minutes, a.min_total_minutes) == (
        "A",
        {"D": 14},
        4320,
        3360,
    )
    assert (a.max_consecutive_shifts, a.min_consecutive_shifts) == (5, 2)
    assert (a.min_consecutive_days_off, a.max_weekends) == (2, 1)
    assert instance.days_off["A"] == {0} and instance.days_off["H"] == {7}
    assert len(instance.on_requests) == 21 and len(instance.off_requests) == 5
    first = instance.on_requests[0]
    assert (first.employee, first.day, first.shift, first.weight) == ("A", 2, "D", 2)
    assert len(instance.cover) == 14
    day1 = instance.cover[1]
    assert (day1.day, day1.shift, day1.requirement, day1.under_weight, day1.over_weight) == (
        1,
        "D",
        7,
        100,
        1,
    )
    assert instance.weekends == [(5, 6), (12, 13)]


def test_successions_and_several_shift_limits_are_read(tiny):
    assert tiny.shift("L").cannot_follow == ("E",)
    assert dict(tiny.staff[0].max_shifts) == {"E": 7, "L": 2}


def test_a_cover_row_for_an_unknown_shift_names_its_line(tmp_path: Path):
    path = tmp_path / "Bad.txt"
    path.write_text(TINY.replace("6,E,1,100,1", "6,X,1,100,1"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"Bad.txt, row 32, column 'ShiftID'"):
        read_instance(path)


def test_a_staff_row_with_missing_fields_is_rejected(tmp_path: Path):
    path = tmp_path / "Bad.txt"
    path.write_text(TINY.replace("B,E=0|L=7,3000,600,4,1,1,0", "B,E=0|L=7,3000"), "utf-8")
    with pytest.raises(ScenarioError, match="row 11.*8 fields, found 3"):
        read_instance(path)


# ---------------------------------------------------------------- evaluator


def test_hand_scored_roster_gets_the_hand_computed_objective(tiny):
    evaluation = evaluate(tiny, GOOD_ROSTER)
    assert evaluation.violations == []
    assert (evaluation.on_requests, evaluation.off_requests) == (2, 4)
    assert (evaluation.under_cover, evaluation.over_cover) == (200, 1)
    assert evaluation.objective == 207


def test_roster_csv_round_trip_keeps_the_score(tiny, tmp_path: Path):
    path = tmp_path / "Tiny.roster.csv"
    write_roster_csv(path, GOOD_ROSTER)
    assert path.read_text().splitlines()[0] == "employee,day,shift"
    assert evaluate_file(tiny, path).objective == 207


def test_runs_touching_the_horizon_edges_are_exempt_from_minimums(tiny):
    # A: a single worked day 0 (touches the start), then days 4-6 (touch the end).
    roster = _changed([("A", 1, "E")], [("A", 6, "E")])
    assert evaluate(tiny, roster).violations == []


@pytest.mark.parametrize(
    ("remove", "add", "message"),
    [
        ([], [("A", 3, "E")], "A: works on day 3, a required day off"),
        (
            [("A", 4, "E"), ("A", 5, "E")],
            [("A", 4, "L"), ("A", 5, "L"), ("A", 6, "L")],
            "A: 3 L shifts, max 2",
        ),
        (
            [("B", 1, "L"), ("B", 2, "L"), ("B", 4, "L")],
            [],
            "B: 0 minutes worked, allowed 600..3000",
        ),
        ([], [("B", 3, "L"), ("B", 5, "L")], "B: 5 shifts in a row from day 1, max 4"),
        ([("A", 5, "E")], [], "A: 1 shifts in a row from day 4, min 2"),
        ([], [("A", 2, "E")], "A: 1 days off in a row from day 3, min 2"),
        ([], [("B", 6, "L")], "B: 1 weekends worked, max 0"),
        ([("A", 4, "E")], [("A", 4, "L")], "A: E on day 5 cannot follow L"),
        ([], [("A", 0, "L")], "A: more than one shift on day 0"),
        ([], [("Z", 0, "E")], "unknown employee 'Z'"),
        ([], [("A", 7, "E")], "A: day 7 is outside the 7-day horizon"),
    ],
)
def test_each_broken_hard_rule_is_reported(tiny, remove, add, message):
    assert message in evaluate(tiny, _changed(remove, add)).violations


def test_unreadable_csv_rows_are_violations(tiny, tmp_path: Path):
    path = tmp_path / "bad.csv"
    path.write_text("employee,day,shift\nA,first,E\n", encoding="utf-8")
    assert "bad.csv row 2: expected employee,day,shift" in evaluate_file(tiny, path).violations


# ---------------------------------------------------------------- model and construction


def test_model_objective_matches_the_independent_evaluator(tiny):
    outcome = solve(build_model(tiny), Settings(time_limit_seconds=10, workers=1))
    assert outcome.status == "OPTIMAL"
    evaluation = evaluate(tiny, outcome.roster)
    assert evaluation.violations == []
    assert evaluation.objective == outcome.objective
    assert outcome.objective <= 207  # the hand roster is one feasible answer


def test_constructed_roster_keeps_every_hard_rule():
    instance = read_instance(INSTANCE1)
    roster = construct(instance, budget_seconds=2)
    assert roster is not None
    assert evaluate(instance, roster).violations == []


def test_hinting_a_roster_reports_its_objective_as_the_evaluator_scores_it(tiny):
    built = build_model(tiny)
    assert add_roster_hint(built, GOOD_ROSTER) == 207


@pytest.mark.parametrize("extra", [("A", 3, "E"), ("A", 2, "E")])  # day off; 1 day off
def test_hinting_a_roster_that_breaks_a_rule_reports_no_objective(tiny, extra):
    built = build_model(tiny)
    assert add_roster_hint(built, [*GOOD_ROSTER, extra]) is None


def test_part_model_scores_a_part_against_the_rest_fixed(tiny):
    # B alone over the whole week, A fixed. What B's choice can change is scored: B's
    # requests (both granted) and cover on every day: day 1 E short by 1 (100), day 6 E
    # short by 1 (100), day 2 L met by B. Terms fixed by A alone (A's requests 6, A over
    # on day 4 E 1) are constants and left out: 207 - 6 - 1 = 200.
    plan = lns.plan_of(tiny, GOOD_ROSTER)
    assert build_part_model(tiny, plan, Part((1,), 0, 6)).hint_objective == 200


def test_part_model_scores_only_the_days_of_the_part(tiny):
    # A alone on days 4-6, B fixed: A's request for E on day 6 (2), day 4 E over by A (1),
    # day 5 L met (nobody, none needed), day 6 E short by 1 (100).
    plan = lns.plan_of(tiny, GOOD_ROSTER)
    assert build_part_model(tiny, plan, Part((0,), 4, 6)).hint_objective == 103


@pytest.mark.parametrize(
    "part", [Part((0, 1), 0, 6), Part((1,), 0, 6), Part((0,), 2, 5), Part((0, 1), 5, 6)]
)
def test_solving_a_part_keeps_every_rule_and_gains_what_the_evaluator_sees(tiny, part):
    plan = lns.plan_of(tiny, GOOD_ROSTER)
    result = lns.solve_part(tiny, plan, part, "test", seconds=10, seed=0)
    assert result.closed
    lns._apply(plan, result)
    after = evaluate(tiny, lns.roster_of(tiny, plan))
    assert after.violations == []
    assert after.objective == 207 - result.gain


def test_a_part_of_a_long_horizon_sees_the_rules_across_its_edges():
    # Instance16 has 56 days; a window in the middle is modelled on cropped days with the
    # totals of the rest netted out. Its best gain must equal that of the full model with
    # everything outside the window fixed to the same roster.
    instance = read_instance(DATA_DIR / "Instance16.txt")
    roster = construct(instance, budget_seconds=2)
    plan = lns.plan_of(instance, roster)
    part = Part(tuple(range(len(instance.staff))), 24, 29)
    result = lns.solve_part(instance, plan, part, "test", seconds=20, seed=0)
    assert result.closed
    built = build_model(instance)
    start = add_roster_hint(built, roster)
    worked = set(roster)
    for (e, d, t), lit in built.shifts.items():
        if not 24 <= d <= 29:
            on = (instance.staff[e].id, d, instance.shifts[t].id) in worked
            built.model.add(lit == int(on))
    outcome = solve(built, Settings(time_limit_seconds=20, workers=1))
    assert outcome.status == "OPTIMAL"
    assert start - outcome.objective == result.gain


def test_a_short_weekend_cell_is_offered_to_whoever_works_the_other_day_of_it(tiny):
    plan = lns.plan_of(tiny, GOOD_ROSTER)
    shape = lns._Shape(tiny)
    early, a = 0, 0
    # A works E on Saturday (day 5), not on Sunday, where E is one short.
    assert shape.on_half_the_weekend(plan, 6, early) == (a,)
    assert shape.on_half_the_weekend(plan, 5, early) == ()  # A already works day 5
    assert shape.on_half_the_weekend(plan, 1, early) == ()  # not a weekend day


def test_a_short_cell_is_offered_to_whoever_has_minutes_unused_but_not_a_shift_more(tiny):
    # A: E on days 0, 1, 4, 5 and L on day 2, 2,520 of its 2,880 minutes: the 360 left
    # take neither another E (480) nor another L (600). B: L on days 1, 2, 4, 1,800 of
    # 3,000: room for another L. B works no E.
    early, late, a, b = 0, 1, 0, 1
    roster = [("A", d, "E") for d in (0, 1, 4, 5)] + [("A", 2, "L")]
    plan = lns.plan_of(tiny, roster + [("B", d, "L") for d in (1, 2, 4)])
    shape = lns._Shape(tiny)
    assert shape.short_of_their_maximum(plan, early) == (a,)
    assert shape.with_spare_minutes(plan, early) == ()
    assert shape.short_of_their_maximum(plan, late) == (a,)
    assert shape.with_spare_minutes(plan, late) == (b,)
    # B at its maximum (five L, 3,000 minutes) has no minutes unused at all.
    full = lns.plan_of(tiny, roster + [("B", d, "L") for d in (1, 2, 3, 4, 6)])
    assert shape.short_of_their_maximum(full, late) == (a,)
    assert shape.with_spare_minutes(full, late) == ()


def test_every_kind_of_part_is_drawn_with_a_weight():
    assert set(lns.KIND_WEIGHTS) == set(lns.NEIGHBOURHOODS)
    assert all(weight > 0 for weight in lns.KIND_WEIGHTS.values())


def test_lns_keeps_every_rule_and_never_scores_worse():
    instance = read_instance(INSTANCE1)
    start = construct(instance, budget_seconds=2)
    better = lns.improve(instance, start, deadline=time.monotonic() + 10, work_limit=0.5)
    assert evaluate(instance, better).violations == []
    assert evaluate(instance, better).objective <= evaluate(instance, start).objective


def test_instance1_solves_to_its_published_optimum():
    instance = read_instance(INSTANCE1)
    outcome = solve(build_model(instance), Settings(time_limit_seconds=20, workers=2))
    evaluation = evaluate(instance, outcome.roster)
    assert evaluation.violations == []
    assert evaluation.objective >= 607  # published lower bound
    assert evaluation.objective == 607  # and upper bound: proven optimal


def test_a_stalled_search_stops_long_before_its_limit():
    # Six equalities over random weights on 40 Booleans, each one's miss priced: any x is
    # a solution, none misses nothing, and proving the least miss takes CP-SAT far longer
    # than its 60 s. Told to stop once the miss has not dropped 1 % for half a second, it
    # returns its best instead of running on (plain, it runs the whole limit).
    rng = random.Random(3)
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{j}") for j in range(40)]
    misses = []
    for _ in range(6):
        weights = [rng.randrange(100) for _ in x]
        gap = model.new_int_var(-4000, 4000, "gap")
        model.add(sum(w * v for w, v in zip(weights, x, strict=True)) + gap == sum(weights) // 2)
        miss = model.new_int_var(0, 4000, "miss")
        model.add_abs_equality(miss, gap)
        misses.append(miss)
    model.minimize(sum(misses))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60
    started = time.monotonic()

    status = _solve_until_stalled(solver, model, stall_seconds=0.5)

    assert status == cp_model.FEASIBLE
    assert time.monotonic() - started < 20


# ---------------------------------------------------------------- bench


def test_instance_ranges_are_expanded_in_order_without_repeats():
    assert parse_instance_numbers("1-3,9,2") == [1, 2, 3, 9]


@pytest.mark.parametrize("text", ["0-3", "20-25", "x", ""])
def test_instance_ranges_outside_1_to_24_are_rejected(text):
    with pytest.raises(ValueError):
        parse_instance_numbers(text)


def test_bench_writes_roster_and_results_scored_by_the_evaluator(tmp_path: Path):
    data, out = tmp_path / "data", tmp_path / "out"
    data.mkdir()
    (data / "Instance1.txt").write_text(TINY, encoding="utf-8")
    (data / "best_known.csv").write_text(
        "instance,best_known_objective,lower_bound_if_known,source\nInstance1,200,,hand\n",
        encoding="utf-8",
    )
    parser = argparse.ArgumentParser()
    add_bench_curtois_arguments(parser)
    args = parser.parse_args(
        ["--instances", "1", "--time-limit", "10", "--data", str(data), "--out", str(out)]
    )
    assert main_bench_curtois(args) == 0
    with (out / "results.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["instance", "objective", "best_known", "gap_pct", "seconds", "status"]
    tiny = read_instance(data / "Instance1.txt")
    written = evaluate_file(tiny, out / "Instance1.roster.csv")
    assert written.violations == []
    assert rows[0]["objective"] == str(written.objective)
    assert rows[0]["best_known"] == "200"
    expected_gap = 100 * (written.objective - 200) / 200
    assert rows[0]["gap_pct"] == f"{expected_gap:.2f}"
    assert rows[0]["status"] in ("optimal", "feasible")
