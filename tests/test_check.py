"""The independent validator: one hand-built roster per rule that holds, one that breaks it.

Scenarios are tiny (1-3 agents, 60-minute intervals, no forecast), so `required` is each
queue's `min_agents` while open, a number known without any Erlang maths.
"""

from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

import pytest

import roster.check as check_module
from roster.check import (
    HARD_RULES,
    Violation,
    check_availability,
    check_coverage_realisable,
    check_coverage_rows,
    check_known_agents,
    check_max_consecutive_days,
    check_min_rest,
    check_no_overlap,
    check_one_start_per_local_day,
    check_roster,
    check_shift_length,
    check_shift_queues,
    check_start_grid,
    check_status,
    check_time_off,
    check_weekly_hours,
    check_within_week,
    format_violations,
    run_check,
)
from roster.errors import ScenarioError
from roster.model import Agent, OpenHours, QueueKey, Scenario, TimeOff
from roster.result import CoverageRow, Shift
from tests.builders import (
    EN_L1,
    EN_L2,
    FR_L1,
    agent,
    queue,
    roster,
    scenario,
    shift,
    utc,
)


def full_coverage(
    week: Scenario,
    required: dict[QueueKey, float],
    scheduled: dict[tuple[str, QueueKey], int] | None = None,
) -> list[CoverageRow]:
    """One row per interval and queue; `scheduled` is keyed by ('YYYY-MM-DDTHH:MM' UTC, queue)."""
    scheduled = scheduled or {}
    rows = []
    for start in week.grid.interval_starts():
        for key, needed in required.items():
            count = scheduled.get((start.strftime("%Y-%m-%dT%H:%M"), key), 0)
            rows.append(CoverageRow(start, key[0], key[1], needed, count))
    return rows


def only(violations: list[Violation], rule: str) -> Violation:
    assert len(violations) == 1, violations
    assert violations[0].rule == rule
    return violations[0]


# --- the module itself -----------------------------------------------------------------


def test_validator_never_imports_the_solver_or_engine():
    tree = ast.parse(Path(check_module.__file__).read_text(encoding="utf-8"))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [m for m in imported if m and m.startswith(("roster.solver", "roster.engine"))]


def test_every_rule_function_is_listed_once_in_hard_rules():
    names = [rule.__name__ for rule in HARD_RULES]
    assert len(names) == len(set(names)) == 20
    assert {n for n in dir(check_module) if n.startswith("check_") and n != "check_roster"} == set(
        names
    )


# --- status and agents ------------------------------------------------------------------


def test_feasible_status_is_accepted():
    assert check_status(scenario(), roster(status="FEASIBLE")) == []


def test_unknown_status_is_rejected():
    found = only(check_status(scenario(), roster(status="UNKNOWN")), "status")
    assert "'UNKNOWN'" in found.message


def test_shift_of_agent_missing_from_agents_csv_is_rejected():
    week = roster(shift("2026-12-01T08:00", "2026-12-01T16:00", "ghost"))
    found = only(check_known_agents(scenario(), week), "known_agents")
    assert found.agent_id == "ghost"
    assert "'ghost' has 1 shift(s)" in found.message


def test_shifts_of_known_agents_pass_the_agent_check():
    week = roster(shift("2026-12-01T08:00", "2026-12-01T16:00"))
    assert check_known_agents(scenario(), week) == []


def queued_shift(queue_label: str | None) -> Shift:
    return Shift("a01", utc("2026-12-01T08:00"), utc("2026-12-01T16:00"), queue_label)


def test_shifts_naming_a_queue_their_agent_serves_or_none_pass():
    week = scenario(queues=(queue(EN_L1), queue(FR_L1)))
    assert check_shift_queues(week, roster(queued_shift("en-L1"), queued_shift(None))) == []


def test_shift_naming_a_queue_the_scenario_does_not_have_is_rejected():
    week = scenario(queues=(queue(EN_L1), queue(FR_L1)))
    found = only(check_shift_queues(week, roster(queued_shift("xx-L9"))), "shift_queue")
    assert found.agent_id == "a01"
    assert found.message.startswith("agent a01: shift 2026-12-01T08:00:00+00:00 to ")
    assert found.message.endswith(
        "names queue 'xx-L9', which is not a queue of the scenario (en-L1, fr-L1)"
    )


def test_shift_naming_a_queue_its_agent_cannot_serve_is_rejected():
    # a01 speaks only en; the scenario has fr-L1.
    week = scenario(queues=(queue(EN_L1), queue(FR_L1)))
    found = only(check_shift_queues(week, roster(queued_shift("fr-L1"))), "shift_queue")
    assert found.message.endswith("names queue fr-L1, which agent a01 cannot serve")


# --- length, start grid, week -------------------------------------------------------------


def test_eight_hour_shift_has_an_allowed_length():
    assert (
        check_shift_length(scenario(), roster(shift("2026-12-01T08:00", "2026-12-01T16:00"))) == []
    )


def test_seven_hour_shift_is_rejected():
    found = only(
        check_shift_length(scenario(), roster(shift("2026-12-01T08:00", "2026-12-01T15:00"))),
        "shift_length",
    )
    assert "lasts 7.0 h, not one of shift_hours 6, 8, 10" in found.message
    assert "2026-12-01T08:00:00+00:00 to 2026-12-01T15:00:00+00:00" in found.message


def test_shift_across_spring_forward_is_eight_real_hours_not_nine_local():
    # 23:00 CET to 08:00 CEST reads as 9 hours on the wall but lasts 8 real hours.
    paris = scenario(
        agent(timezone="Europe/Paris"),
        week_start=date(2026, 3, 23),
        planning_timezone="Europe/Paris",
    )
    overnight = roster(shift("2026-03-28T22:00", "2026-03-29T06:00"))
    assert check_shift_length(paris, overnight) == []


def test_start_on_the_half_hour_step_is_accepted():
    week = scenario(step_minutes=30)
    assert check_start_grid(week, roster(shift("2026-12-01T06:30", "2026-12-01T14:30"))) == []


def test_start_off_the_step_is_rejected_with_its_offset():
    week = scenario(step_minutes=30)
    found = only(
        check_start_grid(week, roster(shift("2026-11-30T06:15", "2026-11-30T14:15"))), "start_grid"
    )
    # 6 h 15 min after the week start 2026-11-30T00:00Z.
    assert "starts 375 min after the week start" in found.message
    assert "shift_start_step_minutes 30" in found.message


def test_start_grid_counts_from_the_local_week_start():
    # The Paris week of 2026-03-23 starts at 2026-03-22T23:00Z: 06:00Z is on a 60-min step,
    # 06:30Z is not.
    paris = scenario(week_start=date(2026, 3, 23), planning_timezone="Europe/Paris")
    assert check_start_grid(paris, roster(shift("2026-03-23T06:00", "2026-03-23T14:00"))) == []
    found = only(
        check_start_grid(paris, roster(shift("2026-03-23T06:30", "2026-03-23T14:30"))),
        "start_grid",
    )
    assert "starts 450 min after the week start 2026-03-22T23:00:00+00:00" in found.message


def test_shift_ending_exactly_at_the_week_end_is_inside():
    week = roster(shift("2026-12-06T16:00", "2026-12-07T00:00"))
    assert check_within_week(scenario(), week) == []


def test_shift_running_past_the_week_end_is_rejected():
    week = roster(shift("2026-12-06T20:00", "2026-12-07T04:00"))
    found = only(check_within_week(scenario(), week), "within_week")
    assert "2026-11-30T00:00:00+00:00 to 2026-12-07T00:00:00+00:00" in found.message


def test_shift_starting_before_the_week_is_rejected():
    week = roster(shift("2026-11-29T20:00", "2026-11-30T04:00"))
    assert only(check_within_week(scenario(), week), "within_week").agent_id == "a01"


# --- availability ---------------------------------------------------------------------------


def test_shift_filling_a_day_window_is_accepted():
    day_worker = scenario(agent(window=("09:00", "17:00")))
    assert (
        check_availability(day_worker, roster(shift("2026-12-01T09:00", "2026-12-01T17:00"))) == []
    )


def test_shift_ending_after_a_day_window_is_rejected():
    day_worker = scenario(agent(window=("09:00", "17:00")))
    found = only(
        check_availability(day_worker, roster(shift("2026-12-01T10:00", "2026-12-01T18:00"))),
        "availability",
    )
    assert "availability window 09:00-17:00" in found.message


def test_wrapping_window_accepts_a_shift_from_22_to_06_local():
    # Paris is UTC+1 in December: 22:00-06:00 local is 21:00Z-05:00Z.
    night = scenario(agent(timezone="Europe/Paris", window=("22:00", "06:00")))
    assert check_availability(night, roster(shift("2026-12-01T21:00", "2026-12-02T05:00"))) == []


def test_wrapping_window_rejects_a_shift_from_21_to_05_local():
    night = scenario(agent(timezone="Europe/Paris", window=("22:00", "06:00")))
    found = only(
        check_availability(night, roster(shift("2026-12-01T20:00", "2026-12-02T04:00"))),
        "availability",
    )
    assert "(local 2026-12-01T21:00:00+01:00 to 2026-12-02T05:00:00+01:00 Europe/Paris)" in (
        found.message
    )
    assert "22:00-06:00" in found.message


def test_wrapping_window_opened_the_previous_evening_covers_a_shift_after_midnight():
    night = scenario(agent(timezone="Europe/Paris", window=("22:00", "06:00")))
    # 00:00-06:00 local on 2 December lies in the occurrence that opened on 1 December.
    assert check_availability(night, roster(shift("2026-12-01T23:00", "2026-12-02T05:00"))) == []


def test_shift_spanning_two_occurrences_of_a_window_is_rejected():
    # 20:00-04:00 window; a shift 02:00-10:00 local starts in one occurrence, ends after it.
    late = scenario(agent(window=("20:00", "04:00")))
    found = only(
        check_availability(late, roster(shift("2026-12-02T02:00", "2026-12-02T10:00"))),
        "availability",
    )
    assert found.agent_id == "a01"


def test_any_time_window_accepts_a_shift_across_midnight():
    anytime = scenario(agent(window=("00:00", "24:00")))
    assert check_availability(anytime, roster(shift("2026-12-01T20:00", "2026-12-02T04:00"))) == []


def test_availability_reads_the_clock_across_the_autumn_clock_change():
    # London repeats 01:00-02:00 on 25 October 2026 (BST 00:00Z-01:00Z, then GMT).
    autumn = date(2026, 10, 19)
    early = scenario(agent(timezone="Europe/London", window=("01:30", "09:30")), week_start=autumn)
    assert check_availability(early, roster(shift("2026-10-25T01:30", "2026-10-25T09:30"))) == []
    # 00:40Z is 01:40 BST, the first 01:40 of the night: the clock reads inside the window
    # (the window opens at the first 01:30, 00:30Z), and 08:40 GMT ends inside it too.
    assert check_availability(early, roster(shift("2026-10-25T00:40", "2026-10-25T08:40"))) == []
    # 01:10Z is 01:10 GMT, the second 01:10: before 01:30 on the clock.
    found = only(
        check_availability(early, roster(shift("2026-10-25T01:10", "2026-10-25T09:10"))),
        "availability",
    )
    assert "local 2026-10-25T01:10:00+00:00 to 2026-10-25T09:10:00+00:00" in found.message
    # 18:00-01:30 window: a shift ending 00:40Z ends before the instant 01:30 GMT, but at
    # 01:40 BST on the wall, after the window closes.
    late = scenario(agent(timezone="Europe/London", window=("18:00", "01:30")), week_start=autumn)
    found = only(
        check_availability(late, roster(shift("2026-10-24T17:00", "2026-10-25T00:40"))),
        "availability",
    )
    assert "window 18:00-01:30" in found.message


# --- the DST week: Paris planning, London and New York agents ------------------------------

DST_WEEK = date(2026, 3, 23)  # Europe switches to summer time on Sunday 29 March 01:00Z


def dst_scenario(**kwargs) -> Scenario:
    london = agent("lon", timezone="Europe/London", window=("09:00", "17:00"), max_hours=40)
    new_york = agent("nyc", timezone="America/New_York", window=("18:00", "02:00"), max_hours=40)
    return scenario(
        london, new_york, week_start=DST_WEEK, planning_timezone="Europe/Paris", **kwargs
    )


def test_paris_week_across_spring_forward_has_167_hourly_intervals():
    week = dst_scenario()
    assert week.grid.start == utc("2026-03-22T23:00")
    assert week.grid.end == utc("2026-03-29T22:00")
    assert week.grid.n_intervals == 167


def test_london_window_follows_the_clock_change():
    # 09:00-17:00 London is 09:00Z-17:00Z on Saturday (GMT), 08:00Z-16:00Z on Sunday (BST).
    week = roster(
        shift("2026-03-28T09:00", "2026-03-28T17:00", "lon"),
        shift("2026-03-29T08:00", "2026-03-29T16:00", "lon"),
    )
    assert check_availability(dst_scenario(), week) == []


def test_london_shift_at_the_old_utc_time_is_outside_the_window_after_the_change():
    week = roster(shift("2026-03-29T09:00", "2026-03-29T17:00", "lon"))
    found = only(check_availability(dst_scenario(), week), "availability")
    assert "local 2026-03-29T10:00:00+01:00 to 2026-03-29T18:00:00+01:00 Europe/London" in (
        found.message
    )


def test_new_york_evening_window_wraps_into_the_next_utc_day():
    # New York is on EDT (UTC-4) since 8 March: 18:00-02:00 local is 22:00Z-06:00Z.
    week = roster(shift("2026-03-23T22:00", "2026-03-24T06:00", "nyc"))
    assert check_availability(dst_scenario(), week) == []


def test_rest_across_spring_forward_is_elapsed_not_wall_clock():
    # 22:00 GMT Saturday to 09:00 BST Sunday is 11 on the wall but only 10 real hours.
    london = dst_scenario()
    short = roster(
        shift("2026-03-28T14:00", "2026-03-28T22:00", "lon"),
        shift("2026-03-29T08:00", "2026-03-29T16:00", "lon"),
    )
    found = only(check_min_rest(london, short), "min_rest")
    assert "is 10.0 h, below min_rest_hours 11" in found.message
    enough = roster(
        shift("2026-03-28T14:00", "2026-03-28T22:00", "lon"),
        shift("2026-03-29T09:00", "2026-03-29T17:00", "lon"),
    )
    assert check_min_rest(london, enough) == []


def test_new_york_starts_on_one_utc_day_but_two_local_days_are_fine():
    # 03:00Z and 20:00Z on 24 March are 23:00 on the 23rd and 16:00 on the 24th in New York.
    week = roster(
        shift("2026-03-24T03:00", "2026-03-24T09:00", "nyc"),
        shift("2026-03-24T20:00", "2026-03-25T02:00", "nyc"),
    )
    assert check_one_start_per_local_day(dst_scenario(), week) == []


def test_new_york_two_starts_on_one_local_day_are_rejected_though_utc_days_differ():
    # 04:00Z on the 23rd and 01:00Z on the 24th are 00:00 and 21:00 on 23 March in New York.
    week = roster(
        shift("2026-03-23T04:00", "2026-03-23T10:00", "nyc"),
        shift("2026-03-24T01:00", "2026-03-24T07:00", "nyc"),
    )
    found = only(check_one_start_per_local_day(dst_scenario(), week), "one_start_per_local_day")
    assert found.agent_id == "nyc"
    assert "2 shifts start on local day 2026-03-23 (America/New_York)" in found.message
    assert "2026-03-24T01:00:00+00:00 (local 2026-03-23T21:00:00-04:00)" in found.message


def test_consecutive_days_are_counted_in_the_agents_local_calendar():
    # Starts at 03:00Z 24th, 20:00Z 24th, 03:00Z 26th: UTC days 24, 24, 26 (no run of 3),
    # but New York days 23, 24, 25.
    week = roster(
        shift("2026-03-24T03:00", "2026-03-24T09:00", "nyc"),
        shift("2026-03-24T20:00", "2026-03-25T02:00", "nyc"),
        shift("2026-03-26T03:00", "2026-03-26T09:00", "nyc"),
    )
    found = only(
        check_max_consecutive_days(dst_scenario(max_consecutive_days=2), week),
        "max_consecutive_days",
    )
    assert "3 consecutive local days (2026-03-23 to 2026-03-25, America/New_York)" in found.message
    assert "above max_consecutive_days 2" in found.message


def test_valid_roster_in_the_dst_week_passes_every_rule():
    week = dst_scenario(queues=(queue(EN_L1, min_agents=0),))
    shifts = (
        shift("2026-03-23T22:00", "2026-03-24T06:00", "nyc"),
        shift("2026-03-24T22:00", "2026-03-25T06:00", "nyc"),
        shift("2026-03-28T09:00", "2026-03-28T17:00", "lon"),
        shift("2026-03-29T08:00", "2026-03-29T16:00", "lon"),
    )
    scheduled = {
        ("2026-03-23T22:00", EN_L1): 1,
        ("2026-03-28T12:00", EN_L1): 1,
        ("2026-03-29T15:00", EN_L1): 1,
    }
    coverage = full_coverage(week, {EN_L1: 0.0}, scheduled)
    assert check_roster(week, roster(*shifts, coverage=coverage)) == []


# --- time off, overlap, rest -----------------------------------------------------------------


def absence(start: str, end: str, agent_id: str = "a01") -> TimeOff:
    return TimeOff(agent_id, utc(start), utc(end))


def test_shift_straddling_time_off_is_rejected():
    week = scenario(time_off=(absence("2026-12-01T10:00", "2026-12-01T12:00"),))
    found = only(
        check_time_off(week, roster(shift("2026-12-01T06:00", "2026-12-01T14:00"))), "time_off"
    )
    assert "overlaps time off 2026-12-01T10:00:00+00:00 to 2026-12-01T12:00:00+00:00" in (
        found.message
    )


def test_shifts_touching_time_off_at_either_end_are_accepted():
    week = scenario(time_off=(absence("2026-12-01T10:00", "2026-12-01T12:00"),))
    before = shift("2026-12-01T04:00", "2026-12-01T10:00")
    after = shift("2026-12-02T12:00", "2026-12-02T20:00")
    assert check_time_off(week, roster(before, after)) == []


def test_time_off_of_another_agent_does_not_matter():
    week = scenario(
        agent("a01"),
        agent("a02"),
        time_off=(absence("2026-12-01T10:00", "2026-12-01T12:00", "a02"),),
    )
    assert check_time_off(week, roster(shift("2026-12-01T06:00", "2026-12-01T14:00"))) == []


def test_overlapping_shifts_are_rejected_with_the_overlap():
    week = roster(
        shift("2026-12-01T06:00", "2026-12-01T14:00"), shift("2026-12-01T12:00", "2026-12-01T20:00")
    )
    found = only(check_no_overlap(scenario(), week), "no_overlap")
    assert "overlap by 2.0 h" in found.message


def test_shifts_with_a_long_break_do_not_overlap():
    week = roster(
        shift("2026-12-01T06:00", "2026-12-01T14:00"), shift("2026-12-02T06:00", "2026-12-02T14:00")
    )
    assert check_no_overlap(scenario(), week) == []


def test_rest_shorter_than_11h_is_rejected():
    week = roster(
        shift("2026-12-01T14:00", "2026-12-01T22:00"), shift("2026-12-02T07:00", "2026-12-02T15:00")
    )
    found = only(check_min_rest(scenario(), week), "min_rest")
    assert found.message.startswith(
        "agent a01: rest between shift ending 2026-12-01T22:00:00+00:00"
    )
    assert "shift starting 2026-12-02T07:00:00+00:00" in found.message
    assert "is 9.0 h, below min_rest_hours 11" in found.message


def test_rest_of_exactly_11h_is_accepted():
    week = roster(
        shift("2026-12-01T14:00", "2026-12-01T22:00"), shift("2026-12-02T09:00", "2026-12-02T17:00")
    )
    assert check_min_rest(scenario(), week) == []


def test_rest_is_measured_between_shifts_of_the_same_agent_only():
    two = scenario(agent("a01"), agent("a02"))
    week = roster(
        shift("2026-12-01T14:00", "2026-12-01T22:00", "a01"),
        shift("2026-12-02T07:00", "2026-12-02T15:00", "a02"),
    )
    assert check_min_rest(two, week) == []


# --- local days and weekly hours ------------------------------------------------------------


def daily_shifts(days: int, agent_id: str = "a01") -> list[Shift]:
    return [
        shift(f"2026-12-0{d}T08:00", f"2026-12-0{d}T16:00", agent_id) for d in range(1, days + 1)
    ]


def test_one_start_per_local_day_holds_for_daily_shifts():
    assert check_one_start_per_local_day(scenario(), roster(*daily_shifts(3))) == []


def test_six_consecutive_days_are_allowed():
    assert check_max_consecutive_days(scenario(), roster(*daily_shifts(6))) == []


def test_seven_consecutive_days_are_rejected():
    week = roster(*daily_shifts(6), shift("2026-11-30T08:00", "2026-11-30T16:00"))
    found = only(check_max_consecutive_days(scenario(), week), "max_consecutive_days")
    assert "7 consecutive local days (2026-11-30 to 2026-12-06, UTC)" in found.message
    assert "above max_consecutive_days 6" in found.message


def test_a_day_off_breaks_the_run():
    # Days 1-3 and 5-6 of December: runs of 3 and 2 with max 3.
    shifts = [s for s in daily_shifts(6) if s.start.day != 4]
    assert check_max_consecutive_days(scenario(max_consecutive_days=3), roster(*shifts)) == []


def test_weekly_hours_within_bounds_are_accepted():
    week = scenario(agent(min_hours=16, max_hours=24))
    assert check_weekly_hours(week, roster(*daily_shifts(3))) == []


def test_weekly_hours_above_max_are_rejected():
    week = scenario(agent(min_hours=16, max_hours=24))
    found = only(check_weekly_hours(week, roster(*daily_shifts(4))), "weekly_hours")
    assert "32.0 h of shifts in the week, above max_hours 24" in found.message


def test_agent_without_shifts_below_min_hours_is_rejected():
    week = scenario(agent("a01"), agent("a02", min_hours=16))
    found = only(check_weekly_hours(week, roster(*daily_shifts(1))), "weekly_hours")
    assert found.agent_id == "a02"
    assert "0.0 h of shifts in the week, below min_hours 16" in found.message


def test_weekly_hours_count_elapsed_time_across_dst():
    # 23:00 CET to 08:00 CEST: 8 real hours, exactly min_hours.
    paris = scenario(
        agent(timezone="Europe/Paris", min_hours=8, max_hours=8),
        week_start=date(2026, 3, 23),
        planning_timezone="Europe/Paris",
    )
    assert check_weekly_hours(paris, roster(shift("2026-03-28T22:00", "2026-03-29T06:00"))) == []


# --- coverage rows ------------------------------------------------------------------------------


def two_queue_scenario(*agents: Agent) -> Scenario:
    return scenario(*agents, queues=(queue(EN_L1, min_agents=2), queue(FR_L1, min_agents=0)))


def test_complete_coverage_with_min_agents_as_required_is_accepted():
    week = two_queue_scenario()
    rows = full_coverage(week, {EN_L1: 2.0, FR_L1: 0.0})
    assert len(rows) == 2 * 168
    assert check_coverage_rows(week, roster(coverage=rows)) == []


def test_required_rounded_to_two_decimals_is_accepted():
    week = two_queue_scenario()
    assert (
        check_coverage_rows(week, roster(coverage=full_coverage(week, {EN_L1: 2.004, FR_L1: 0.0})))
        == []
    )


def test_wrong_required_is_rejected_with_both_numbers():
    week = two_queue_scenario()
    rows = full_coverage(week, {EN_L1: 2.0, FR_L1: 0.0})
    rows[0] = CoverageRow(rows[0].start, "en", "L1", 1.5, 0)
    found = only(check_coverage_rows(week, roster(coverage=rows)), "coverage_rows")
    assert "queue en-L1" in found.message
    assert "2026-11-30T00:00:00+00:00 has 1.50, the scenario requires 2.00" in found.message


def test_required_is_zero_while_a_queue_is_closed():
    weekdays = OpenHours(
        "Mon-Fri 07:00-21:00 UTC",
        always=False,
        weekdays=frozenset(range(1, 6)),
        start_minute=7 * 60,
        end_minute=21 * 60,
        timezone="UTC",
    )
    week = scenario(queues=(queue(EN_L1, min_agents=1, open_hours=weekdays),))
    rows = full_coverage(week, {EN_L1: 1.0})  # claims 1 also at night and at the weekend
    found = only(check_coverage_rows(week, roster(coverage=rows)), "coverage_rows")
    # Closed: 10 night hours x 5 weekdays + 48 weekend hours = 98 of 168 intervals.
    assert "at 98 interval(s)" in found.message
    assert "2026-11-30T00:00:00+00:00 has 1.00, the scenario requires 0.00" in found.message


def test_missing_and_duplicate_rows_are_rejected():
    week = two_queue_scenario()
    rows = full_coverage(week, {EN_L1: 2.0, FR_L1: 0.0})
    dropped = rows.pop(1)  # fr-L1 at 2026-11-30T00:00Z
    rows.append(rows[0])  # en-L1 at 2026-11-30T00:00Z twice
    found = check_coverage_rows(week, roster(coverage=rows))
    assert [v.rule for v in found] == ["coverage_rows", "coverage_rows"]
    assert dropped.language == "fr"
    messages = "\n".join(v.message for v in found)
    assert (
        "queue en-L1 has several coverage rows at 1 interval(s): 2026-11-30T00:00:00+00:00"
        in messages
    )
    assert (
        "queue fr-L1 has no coverage rows at 1 interval(s): 2026-11-30T00:00:00+00:00" in messages
    )


def test_row_of_a_queue_outside_the_scenario_is_rejected():
    week = two_queue_scenario()
    rows = full_coverage(week, {EN_L1: 2.0, FR_L1: 0.0})
    rows.append(CoverageRow(utc("2026-11-30T05:00"), "de", "L1", 0.0, 0))
    found = only(check_coverage_rows(week, roster(coverage=rows)), "coverage_rows")
    assert "queue de-L1, which is not a queue of the scenario" in found.message


def test_row_starting_between_intervals_is_rejected():
    week = two_queue_scenario()
    rows = full_coverage(week, {EN_L1: 2.0, FR_L1: 0.0})
    rows.append(CoverageRow(utc("2026-11-30T05:30"), "en", "L1", 2.0, 0))
    found = only(check_coverage_rows(week, roster(coverage=rows)), "coverage_rows")
    assert "start at no interval of the week" in found.message
    assert "2026-11-30T05:30:00+00:00" in found.message


def test_negative_scheduled_is_rejected():
    week = two_queue_scenario()
    rows = full_coverage(week, {EN_L1: 2.0, FR_L1: 0.0})
    rows[2] = CoverageRow(rows[2].start, "en", "L1", 2.0, -1)
    found = only(check_coverage_rows(week, roster(coverage=rows)), "coverage_rows")
    assert "scheduled -1 is negative" in found.message


# --- coverage realisable --------------------------------------------------------------------


def bilingual_scenario(*agents: Agent) -> Scenario:
    return scenario(*agents, queues=(queue(EN_L1), queue(FR_L1)))


def test_one_bilingual_agent_counted_in_two_queues_at_once_is_rejected():
    # Per queue the counts look fine (one agent speaks each language), jointly they need two.
    week = bilingual_scenario(agent("a01", languages=("en", "fr")))
    scheduled = {("2026-12-01T09:00", EN_L1): 1, ("2026-12-01T09:00", FR_L1): 1}
    plan = roster(
        shift("2026-12-01T08:00", "2026-12-01T16:00"),
        coverage=full_coverage(week, {EN_L1: 0.0, FR_L1: 0.0}, scheduled),
    )
    found = only(check_coverage_realisable(week, plan), "coverage_realisable")
    assert found.message.startswith("interval 2026-12-01T09:00:00+00:00")
    assert "scheduled en-L1 1, fr-L1 1 need 2 agents" in found.message
    assert (
        "only 1 agent on shift for the whole interval can serve these queues (a01)" in found.message
    )


def test_counts_needing_the_bilingual_agent_on_french_are_realisable():
    # A greedy pass putting a01 on en would fail; the only assignment is a01->fr, a02->en.
    week = bilingual_scenario(agent("a01", languages=("en", "fr")), agent("a02", languages=("en",)))
    scheduled = {("2026-12-01T09:00", EN_L1): 1, ("2026-12-01T09:00", FR_L1): 1}
    plan = roster(
        shift("2026-12-01T08:00", "2026-12-01T16:00", "a01"),
        shift("2026-12-01T08:00", "2026-12-01T16:00", "a02"),
        coverage=full_coverage(week, {EN_L1: 0.0, FR_L1: 0.0}, scheduled),
    )
    assert check_coverage_realisable(week, plan) == []


def test_l2_agent_may_fill_l1_but_l1_agent_may_not_fill_l2():
    week = scenario(
        agent("senior", tier="L2"), agent("junior", tier="L1"), queues=(queue(EN_L1), queue(EN_L2))
    )
    shifts = (
        shift("2026-12-01T08:00", "2026-12-01T16:00", "senior"),
        shift("2026-12-01T08:00", "2026-12-01T16:00", "junior"),
    )
    fine = {("2026-12-01T09:00", EN_L1): 2}
    plan = roster(*shifts, coverage=full_coverage(week, {EN_L1: 0.0, EN_L2: 0.0}, fine))
    assert check_coverage_realisable(week, plan) == []
    too_many_l2 = {("2026-12-01T09:00", EN_L2): 2}
    plan = roster(*shifts, coverage=full_coverage(week, {EN_L1: 0.0, EN_L2: 0.0}, too_many_l2))
    found = only(check_coverage_realisable(week, plan), "coverage_realisable")
    assert "scheduled en-L2 2 need 2 agents" in found.message
    assert "only 1 agent on shift" in found.message and "(senior)" in found.message


def test_agent_starting_mid_interval_does_not_count_for_that_interval():
    week = scenario(agent(), step_minutes=30)
    shifts = (shift("2026-12-01T09:30", "2026-12-01T17:30"),)
    counted_too_early = {("2026-12-01T09:00", EN_L1): 1}
    plan = roster(*shifts, coverage=full_coverage(week, {EN_L1: 0.0}, counted_too_early))
    found = only(check_coverage_realisable(week, plan), "coverage_realisable")
    assert "interval 2026-12-01T09:00:00+00:00" in found.message
    assert "only 0 agents on shift" in found.message and "(none)" in found.message
    # The last whole interval is 16:00-17:00; 17:00-18:00 is only half covered.
    whole = {("2026-12-01T10:00", EN_L1): 1, ("2026-12-01T16:00", EN_L1): 1}
    plan = roster(*shifts, coverage=full_coverage(week, {EN_L1: 0.0}, whole))
    assert check_coverage_realisable(week, plan) == []


def test_count_far_above_the_agents_on_shift_is_reported_in_full():
    week = scenario(agent())
    absurd = {("2026-12-01T09:00", EN_L1): 3_000_000_000}
    plan = roster(
        shift("2026-12-01T08:00", "2026-12-01T16:00"),
        coverage=full_coverage(week, {EN_L1: 0.0}, absurd),
    )
    found = only(check_coverage_realisable(week, plan), "coverage_realisable")
    assert "scheduled en-L1 3000000000 need 3000000000 agents, but only 1 agent" in found.message


# --- the whole check and the CLI glue ---------------------------------------------------------


def test_check_roster_collects_violations_of_several_rules():
    week = scenario(agent(min_hours=0, max_hours=60))
    plan = roster(
        shift("2026-12-01T14:00", "2026-12-01T22:00"),
        shift("2026-12-02T07:00", "2026-12-02T14:00"),
        coverage=full_coverage(week, {EN_L1: 0.0}),
    )
    assert [v.rule for v in check_roster(week, plan)] == ["shift_length", "min_rest"]


def test_format_violations_counts_and_tags_each_rule():
    text = format_violations(
        [Violation("min_rest", "agent a01: rest ...", "a01"), Violation("status", "status is 'X'")]
    )
    assert text.splitlines() == [
        "roster breaks the hard rules: 2 violations",
        "  [min_rest] agent a01: rest ...",
        "  [status] status is 'X'",
    ]


def cli_scenario() -> Scenario:
    return scenario(agent("a01"), agent("a02"))


def test_run_check_prints_ok_and_returns_0(tmp_path, monkeypatch, capsys):
    week = cli_scenario()
    monkeypatch.setattr(check_module, "load_scenario", lambda folder: week)
    path = tmp_path / "roster.json"
    roster(
        shift("2026-12-01T08:00", "2026-12-01T16:00", "a01"),
        shift("2026-12-02T08:00", "2026-12-02T16:00", "a02"),
        coverage=full_coverage(week, {EN_L1: 0.0}),
    ).write(path)
    assert run_check("scenario", str(path)) == 0
    assert capsys.readouterr().out == "roster OK: 2 shifts, 2 agents, all hard rules hold\n"


def test_run_check_prints_violations_and_returns_1(tmp_path, monkeypatch, capsys):
    week = cli_scenario()
    monkeypatch.setattr(check_module, "load_scenario", lambda folder: week)
    path = tmp_path / "roster.json"
    roster(
        shift("2026-12-01T14:00", "2026-12-01T22:00", "a01"),
        shift("2026-12-02T07:00", "2026-12-02T15:00", "a01"),
        coverage=full_coverage(week, {EN_L1: 0.0}),
    ).write(path)
    assert run_check("scenario", str(path)) == 1
    out = capsys.readouterr().out
    assert out.startswith("roster breaks the hard rules: 1 violation\n")
    assert "[min_rest]" in out and "9.0 h" in out


def test_run_check_reports_a_missing_roster_file_on_stderr(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(check_module, "load_scenario", lambda folder: cli_scenario())
    missing = tmp_path / "nope.json"
    assert run_check("scenario", str(missing)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{missing}: file not found" in captured.err


def test_run_check_reports_a_broken_scenario_with_its_exit_code(monkeypatch, capsys):
    def broken(folder: str) -> Scenario:
        raise ScenarioError("agents.csv", "unknown tier 'L3'", row=4, column="tier")

    monkeypatch.setattr(check_module, "load_scenario", broken)
    assert run_check("scenario", "roster.json") == 2
    assert "agents.csv, row 4, column 'tier': unknown tier 'L3'" in capsys.readouterr().err


SCENARIO_TOML = """\
name = "check end to end"
week_start = "2026-11-30"
planning_timezone = "UTC"
interval_minutes = 60

[staffing]
shrinkage = 0.30
max_occupancy = 0.85
escalation_rate = 0.20

[rules]
shift_hours = [8]
shift_start_step_minutes = 60
min_rest_hours = 11
max_consecutive_days = 6

[[queue]]
language = "en"
tier = "L1"
aht_seconds = 420
service_level = 0.80
answer_seconds = 60
min_agents = 1
open = "24/7"
"""

AGENTS_CSV = """\
id,name,timezone,languages,tier,contract,min_hours,max_hours,hourly_cost,available_from,available_to
a01,Ada,UTC,en,L1,employee,0,40,20,00:00,24:00
"""


def test_run_check_reads_a_scenario_folder_and_roster_file(tmp_path, capsys):
    folder = tmp_path / "scenario"
    folder.mkdir()
    (folder / "scenario.toml").write_text(SCENARIO_TOML, encoding="utf-8")
    (folder / "agents.csv").write_text(AGENTS_CSV, encoding="utf-8")
    (folder / "forecast.csv").write_text("start,language,tier,tickets\n", encoding="utf-8")
    path = tmp_path / "roster.json"
    week_rows = full_coverage(scenario(), {EN_L1: 1.0}, {("2026-12-01T09:00", EN_L1): 1})
    roster(shift("2026-12-01T08:00", "2026-12-01T16:00"), coverage=week_rows).write(path)
    assert run_check(str(folder), str(path)) == 0
    assert capsys.readouterr().out == "roster OK: 1 shifts, 1 agents, all hard rules hold\n"


@pytest.mark.parametrize(("queue_value", "shown"), [("xx-L9", "xx-L9"), (5, "5")])
def test_run_check_reports_a_shift_queue_the_scenario_does_not_have(
    tmp_path, capsys, queue_value, shown
):
    folder = tmp_path / "scenario"
    folder.mkdir()
    (folder / "scenario.toml").write_text(SCENARIO_TOML, encoding="utf-8")
    (folder / "agents.csv").write_text(AGENTS_CSV, encoding="utf-8")
    (folder / "forecast.csv").write_text("start,language,tier,tickets\n", encoding="utf-8")
    week_rows = full_coverage(scenario(), {EN_L1: 1.0}, {("2026-12-01T09:00", EN_L1): 1})
    doc = roster(shift("2026-12-01T08:00", "2026-12-01T16:00"), coverage=week_rows).to_json()
    doc["shifts"][0]["queue"] = queue_value
    path = tmp_path / "roster.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert run_check(str(folder), str(path)) == 1
    assert capsys.readouterr().out.splitlines() == [
        "roster breaks the hard rules: 1 violation",
        "  [shift_queue] agent a01: shift 2026-12-01T08:00:00+00:00 to 2026-12-01T16:00:00+00:00 "
        "(local 2026-12-01T08:00:00+00:00 to 2026-12-01T16:00:00+00:00 UTC) names queue "
        f"'{shown}', which is not a queue of the scenario (en-L1)",
    ]
