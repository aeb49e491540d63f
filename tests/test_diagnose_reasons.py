"""The exit-3 reason names the rule really at fault: the shift lengths when no sum of
whole shifts lands in [min_hours, max_hours], the start grid when it never lets a shift
fit a window that would otherwise hold one."""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from roster import diagnose, engine
from roster.diagnose import agent_conflicts
from roster.model import Agent, Scenario, TimeOff
from tests.builders import agent, scenario, utc


def with_shift_hours(*agents: Agent, hours: tuple[float, ...], step: int = 60) -> Scenario:
    week = scenario(*agents)
    rules = replace(week.rules, shift_hours=hours, shift_start_step_minutes=step)
    # The step must be a multiple of the interval, as scenario.toml requires.
    return replace(week, rules=rules, interval_minutes=min(step, week.interval_minutes))


def reasons(week: Scenario) -> list[str]:
    return agent_conflicts(week, engine.translate(week).problem)


def test_hours_no_sum_of_shift_lengths_can_hit_are_blamed_on_the_lengths() -> None:
    # Whole 8 h shifts give 24 or 32 h, neither in [30, 31]; the window (any time) and one
    # shift a day would allow 56 h.
    week = with_shift_hours(agent(min_hours=30, max_hours=31), hours=(8,))
    assert reasons(week) == [
        "agent a01 (A01): min_hours 30 cannot be reached: no combination of shift lengths "
        "gives between 30 and 31 h"
    ]


def test_agents_are_named_in_the_scenario_order_whatever_order_they_are_looked_at_in(
    monkeypatch,
) -> None:
    # Both fail as above. b01, with a 9-hour window, has fewer options than a01 and is
    # looked at first, so that within the time limit as many agents as possible are.
    looked_at = []
    first_blocking_rule = diagnose._first_blocking_rule

    def recording(scenario, agent, problem, worker, deadline):
        looked_at.append(worker.id)
        return first_blocking_rule(scenario, agent, problem, worker, deadline)

    monkeypatch.setattr(diagnose, "_first_blocking_rule", recording)
    week = with_shift_hours(
        agent(min_hours=30, max_hours=31),
        agent("b01", min_hours=30, max_hours=31, window=("08:00", "17:00")),
        hours=(8,),
    )
    named = reasons(week)
    assert looked_at == ["b01", "a01"]
    assert [reason.split()[1] for reason in named] == ["a01", "b01"]


def test_a_38_hour_cap_with_8_hour_shifts_and_36_hours_minimum_names_the_lengths() -> None:
    # 4 x 8 = 32 < 36 and 5 x 8 = 40 > 38.
    week = with_shift_hours(agent(min_hours=36, max_hours=38), hours=(8,))
    (reason,) = reasons(week)
    assert reason.endswith("no combination of shift lengths gives between 36 and 38 h")


def test_a_window_that_truly_holds_too_few_hours_is_still_named() -> None:
    # 09:00-17:00 holds one 8 h shift a day, 7 local days: 56 h < 60 h.
    week = with_shift_hours(
        agent(window=("09:00", "17:00"), min_hours=60, max_hours=60), hours=(8,)
    )
    (reason,) = reasons(week)
    assert reason.endswith(
        "with its availability window, time off and one shift per local day at most 56 h fit"
    )


def test_a_start_grid_off_the_agents_hours_is_named_with_where_it_falls() -> None:
    # Kathmandu is UTC+05:45: hourly starts from 00:00 UTC fall at :45 local, so no 8 h
    # shift fits 09:00-17:00; one starting at 09:00 local would.
    kathmandu = agent(timezone="Asia/Kathmandu", window=("09:00", "17:00"), min_hours=16)
    assert reasons(with_shift_hours(kathmandu, hours=(8,))) == [
        "agent a01 (A01): min_hours 16 cannot be reached: no start of the shift start grid "
        "lets a shift fit its availability window 09:00-17:00: starts fall every 60 min from "
        "the week start in UTC, i.e. at :45 past the hour in Asia/Kathmandu, while a shift "
        "of 8 h would fit from 09:00 local"
    ]


def test_a_half_hour_grid_lists_both_minutes_past_the_hour() -> None:
    kathmandu = agent(timezone="Asia/Kathmandu", window=("09:00", "17:00"), min_hours=16)
    (reason,) = reasons(with_shift_hours(kathmandu, hours=(8,), step=30))
    assert "every 30 min from the week start in UTC, i.e. at :15, :45 past the hour" in reason


def test_the_grid_is_not_blamed_when_no_start_at_all_would_fit() -> None:
    # A 6 h window cannot hold an 8 h shift wherever it starts.
    short = agent(timezone="Asia/Kathmandu", window=("09:00", "15:00"), min_hours=16)
    (reason,) = reasons(with_shift_hours(short, hours=(8,)))
    assert reason.endswith(
        "no shift of an allowed length fits its availability window and time off this week"
    )


def test_a_minimum_run_of_days_worth_more_than_max_hours_names_the_day_rules() -> None:
    # One 8 h shift alone lands in [8, 12], but every run of worked days must last two
    # days (16 h), more than 12: the lengths are not to blame, the day rules are. (Time off
    # on the first and last days: a run touching the week's edge may go on beyond it.)
    week = with_shift_hours(agent(min_hours=8, max_hours=12), hours=(8,))
    edges = (
        TimeOff("a01", utc("2026-11-30T00:00:00Z"), utc("2026-12-01T00:00:00Z")),
        TimeOff("a01", utc("2026-12-06T00:00:00Z"), utc("2026-12-07T00:00:00Z")),
    )
    week = replace(week, rules=replace(week.rules, min_consecutive_days=2), time_off=edges)
    (reason,) = reasons(week)
    assert reason.endswith("with min_consecutive_days no week keeps between 8 and 12 h")


def test_a_stage_out_of_time_before_proving_anything_claims_nothing(monkeypatch) -> None:
    # min_hours 8 fits easily. A stage stopped before CP-SAT proved anything reports a
    # bound of 0: read as a bound, it named the agent with "at most 0 h fit" (12 weeks at
    # 15 minutes, whose stage with rest takes 12 s against its 10).
    week = with_shift_hours(agent(min_hours=8, max_hours=40), hours=(8,))
    problem = engine.translate(week).problem

    def stopped_at_once(deadline: float) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = 0.0
        return solver

    monkeypatch.setattr(diagnose, "_stage_solver", stopped_at_once)
    assert agent_conflicts(week, problem) == []


def test_the_diagnosis_stops_when_its_time_is_up_naming_no_agent_unchecked() -> None:
    week = with_shift_hours(agent(min_hours=30, max_hours=31), hours=(8,))
    problem = engine.translate(week).problem
    assert agent_conflicts(week, problem, seconds=0) == []
    assert len(agent_conflicts(week, problem, seconds=60)) == 1
