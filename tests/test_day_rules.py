"""Day-based labour rules: each rule on a few hand-built day patterns, held and broken.

A pattern is a string, one character per day: "1" worked, "0" off. The rule is stated on
Boolean variables fixed to the pattern, so the model is feasible exactly when the pattern
keeps the rule; soft rules are scored by minimising their penalties on the fixed pattern.
"""

from __future__ import annotations

import itertools

import pytest
from ortools.sat.python import cp_model

from roster.solver import day_rules, rules


def _fixed_days(model: cp_model.CpModel, pattern: str) -> list[cp_model.IntVar]:
    days = [model.new_bool_var(f"d{i}") for i in range(len(pattern))]
    for lit, char in zip(days, pattern, strict=True):
        model.add(lit == int(char))
    return days


def _feasible(model: cp_model.CpModel) -> bool:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _penalty(model: cp_model.CpModel, penalties: list[rules.Penalty]) -> int:
    model.minimize(sum(p.weight * p.expr for p in penalties))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def _keeps(rule, pattern: str, *args, **kwargs) -> bool:
    model = cp_model.CpModel()
    rule(model, _fixed_days(model, pattern), *args, **kwargs)
    return _feasible(model)


# ---------------------------------------------------------------- minimum consecutive days


@pytest.mark.parametrize("pattern", ["0110000", "0111100", "0000000", "0011011"])
def test_runs_of_work_at_least_the_minimum_are_accepted(pattern):
    assert _keeps(day_rules.add_min_consecutive_days, pattern, 2)


@pytest.mark.parametrize("pattern", ["0100000", "0011010", "0110100"])
def test_a_single_worked_day_between_days_off_breaks_a_minimum_of_two(pattern):
    assert not _keeps(day_rules.add_min_consecutive_days, pattern, 2)


@pytest.mark.parametrize("pattern", ["1001100", "0011001", "1000001"])
def test_short_runs_touching_the_horizon_edges_are_exempt_with_open_ends(pattern):
    assert _keeps(day_rules.add_min_consecutive_days, pattern, 2)


@pytest.mark.parametrize("pattern", ["1001100", "0011001"])
def test_short_runs_touching_the_edges_break_the_rule_with_closed_ends(pattern):
    assert not _keeps(day_rules.add_min_consecutive_days, pattern, 2, open_ends=False)


def test_a_run_reaching_the_last_day_is_exempt_only_if_it_really_reaches_it():
    # min 3: a run of 1 on day 5 of 7 stops before the end (day 6 off), so it is short.
    assert not _keeps(day_rules.add_min_consecutive_days, "0000010", 3)
    assert _keeps(day_rules.add_min_consecutive_days, "0000011", 3)


def test_soft_minimum_run_costs_weight_times_days_short_per_run():
    # min 3, weight 5: run on day 1 is 2 short (10), run on days 3-4 is 1 short (5),
    # run on days 6-8 is long enough; the run on day 10 touches the end (exempt).
    model = cp_model.CpModel()
    days = _fixed_days(model, "01011011101")
    penalties = day_rules.add_min_consecutive_days(model, days, 3, weight=5)
    assert _penalty(model, penalties) == 15


def test_soft_minimum_run_costs_nothing_when_every_run_is_long_enough():
    model = cp_model.CpModel()
    days = _fixed_days(model, "0111011100")
    assert _penalty(model, day_rules.add_min_consecutive_days(model, days, 3, weight=5)) == 0


# ---------------------------------------------------------------- minimum consecutive days off


@pytest.mark.parametrize("pattern", ["1100111", "1000110", "0111111", "1111110"])
def test_runs_of_days_off_at_least_the_minimum_are_accepted(pattern):
    assert _keeps(day_rules.add_min_consecutive_days_off, pattern, 2)


@pytest.mark.parametrize("pattern", ["1101111", "1100101"])
def test_a_single_day_off_between_worked_days_breaks_a_minimum_of_two(pattern):
    assert not _keeps(day_rules.add_min_consecutive_days_off, pattern, 2)


def test_short_days_off_at_the_edges_break_the_rule_with_closed_ends():
    assert not _keeps(day_rules.add_min_consecutive_days_off, "0111111", 2, open_ends=False)
    assert not _keeps(day_rules.add_min_consecutive_days_off, "1111110", 2, open_ends=False)


def test_soft_minimum_days_off_costs_weight_times_days_short():
    # min 3, weight 2: day off 1 is 2 short (4), days off 3-4 are 1 short (2).
    model = cp_model.CpModel()
    days = _fixed_days(model, "1010011")
    penalties = day_rules.add_min_consecutive_days_off(model, days, 3, weight=2)
    assert _penalty(model, penalties) == 6


# ---------------------------------------------------------------- history as constants


def test_history_days_given_as_constants_bind_the_first_days_of_the_horizon():
    # Last published days: off, worked. A minimum of 2 then forces horizon day 0 on.
    model = cp_model.CpModel()
    horizon = [model.new_bool_var(f"d{i}") for i in range(3)]
    model.add(horizon[0] == 0)
    day_rules.add_min_consecutive_days(model, [False, True, *horizon], 2)
    assert not _feasible(model)


def test_a_short_run_entirely_in_the_history_is_not_held_against_the_horizon():
    model = cp_model.CpModel()
    horizon = [model.new_bool_var(f"d{i}") for i in range(3)]
    day_rules.add_min_consecutive_days(model, [False, True, False, *horizon], 2)
    assert _feasible(model)


# ---------------------------------------------------------------- run-length automaton


def _runs(pattern: str, char: str) -> list[tuple[int, int]]:
    """(first day, length) of each maximal run of `char` in the pattern."""
    runs, start = [], None
    for day, value in enumerate(pattern + "#"):
        if value == char and start is None:
            start = day
        elif value != char and start is not None:
            runs.append((start, day - start))
            start = None
    return runs


def _pattern_allowed(pattern: str, min_work: int, max_work: int, min_off: int) -> bool:
    """The three run-length rules with open ends, straight from their definition."""
    n = len(pattern)
    for start, length in _runs(pattern, "1"):
        interior = start > 0 and start + length < n
        if length > max_work or (interior and length < min_work):
            return False
    for start, length in _runs(pattern, "0"):
        if start > 0 and start + length < n and length < min_off:
            return False
    return True


def test_run_lengths_automaton_accepts_exactly_the_patterns_the_rules_allow():
    for bits in itertools.product("01", repeat=8):
        pattern = "".join(bits)
        model = cp_model.CpModel()
        day_rules.add_run_lengths_automaton(model, _fixed_days(model, pattern), 2, 3, 2)
        assert _feasible(model) == _pattern_allowed(pattern, 2, 3, 2), pattern


@pytest.mark.parametrize(
    "pattern",
    [
        "1001100",  # a single worked day at the start
        "0110011",  # a single day off at the start
        "1100110",  # a single day off at the end
    ],
)
def test_run_lengths_automaton_with_closed_ends_holds_edge_runs_to_the_minimums(pattern):
    rule = day_rules.add_run_lengths_automaton
    assert _keeps(rule, pattern, 2, 3, 2)
    assert not _keeps(rule, pattern, 2, 3, 2, open_ends=False)


def test_run_lengths_automaton_with_closed_ends_accepts_long_enough_edge_runs():
    assert _keeps(day_rules.add_run_lengths_automaton, "0011000", 2, 3, 2, open_ends=False)


# ---------------------------------------------------------------- weekends, kinds, successions

WEEKENDS = [(5, 6), (12, 13)]  # two weeks starting on a Monday


def test_working_one_day_of_each_of_two_weekends_counts_two_weekends():
    pattern = "00000100000001"  # Saturday of week 1, Sunday of week 2
    assert not _keeps(day_rules.add_max_weekends, pattern, WEEKENDS, 1)
    assert _keeps(day_rules.add_max_weekends, pattern, WEEKENDS, 2)


def test_working_saturday_and_sunday_of_one_weekend_counts_one_weekend():
    assert _keeps(day_rules.add_max_weekends, "11111110000000", WEEKENDS, 1)


def test_max_weekends_returns_which_weekends_are_worked():
    model = cp_model.CpModel()
    worked = day_rules.add_max_weekends(model, _fixed_days(model, "00000010000000"), WEEKENDS, 2)
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    assert [solver.value(w) for w in worked] == [1, 0]


def test_more_shifts_of_a_kind_than_its_maximum_are_rejected():
    assert _keeps(day_rules.add_max_shifts_of_kind, "0110000", 2)
    assert not _keeps(day_rules.add_max_shifts_of_kind, "0111000", 2)


def _succession_model(late: str, early: str) -> cp_model.CpModel:
    model = cp_model.CpModel()
    day_rules.add_forbidden_successions(model, _fixed_days(model, late), _fixed_days(model, early))
    return model


def test_early_shift_the_day_after_a_late_one_is_rejected():
    assert not _feasible(_succession_model("1000", "0100"))


def test_late_after_early_and_early_two_days_after_late_are_accepted():
    assert _feasible(_succession_model("0100", "1000"))
    assert _feasible(_succession_model("1000", "0010"))


def test_a_sum_of_successor_kinds_forbids_each_of_them():
    model = cp_model.CpModel()
    night = _fixed_days(model, "100")
    early, day = _fixed_days(model, "000"), _fixed_days(model, "010")
    after = [e + d for e, d in zip(early, day, strict=True)]
    day_rules.add_forbidden_successions(model, night, after)
    assert not _feasible(model)


# ---------------------------------------------------------------- days off, minutes, one a day


def test_work_on_a_required_day_off_is_rejected():
    assert _keeps(day_rules.add_days_off, "1101", [2])
    assert not _keeps(day_rules.add_days_off, "1111", [2])


def test_a_day_fixed_as_worked_cannot_be_a_required_day_off():
    with pytest.raises(ValueError, match="day 0"):
        day_rules.add_days_off(cp_model.CpModel(), [True], [0])


def test_total_minutes_outside_the_window_are_rejected():
    def keeps(pattern: str, low: int, high: int) -> bool:
        model = cp_model.CpModel()
        days = _fixed_days(model, pattern)
        day_rules.add_total_minutes_between(model, [(d, 480) for d in days], low, high)
        return _feasible(model)

    assert keeps("1110", 1440, 1440)  # 3 x 480 = 1440
    assert not keeps("1100", 1440, 2000)  # 960 short of the minimum
    assert not keeps("1111", 0, 1900)  # 1920 above the maximum


def test_two_shifts_on_one_day_are_rejected():
    model = cp_model.CpModel()
    early, late = _fixed_days(model, "10"), _fixed_days(model, "11")
    works = day_rules.add_one_shift_per_day(model, list(zip(early, late, strict=True)), "A")
    assert len(works) == 2
    assert not _feasible(model)


def test_one_shift_per_day_mirrors_the_shift_into_the_works_literal():
    model = cp_model.CpModel()
    early, late = _fixed_days(model, "100"), _fixed_days(model, "010")
    works = day_rules.add_one_shift_per_day(model, list(zip(early, late, strict=True)), "A")
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    assert [solver.value(w) for w in works] == [1, 1, 0]


# ---------------------------------------------------------------- requests and cover


def test_requests_cost_their_weight_only_when_not_granted():
    model = cp_model.CpModel()
    worked, free = _fixed_days(model, "10")
    requests = [
        day_rules.DayRequest(worked, wanted=True, weight=3, label="on granted"),
        day_rules.DayRequest(free, wanted=True, weight=5, label="on denied"),
        day_rules.DayRequest(worked, wanted=False, weight=7, label="off denied"),
        day_rules.DayRequest(free, wanted=False, weight=11, label="off granted"),
    ]
    assert _penalty(model, day_rules.request_terms(requests)) == 5 + 7


def test_cover_short_costs_the_under_weight_per_person():
    model = cp_model.CpModel()
    on = _fixed_days(model, "110")
    terms = day_rules.cover_terms(model, on, 4, 100, 1, "E day 0")
    assert _penalty(model, terms) == 200  # 2 people on, 4 required


def test_cover_beyond_the_requirement_costs_the_over_weight_per_person():
    model = cp_model.CpModel()
    on = _fixed_days(model, "111")
    terms = day_rules.cover_terms(model, on, 1, 100, 1, "E day 0")
    assert _penalty(model, terms) == 2


def test_cover_with_nobody_able_to_work_costs_the_whole_requirement():
    terms = day_rules.cover_terms(cp_model.CpModel(), [], 3, 100, 1, "E day 0")
    assert sum(p.weight * p.expr for p in terms) == 300
