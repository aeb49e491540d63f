"""Availability windows on DST nights: the window opens at the first instant the local
clock reads its opening time (or later) and closes at the last instant it reads its
closing time (or earlier). America/New_York, 2026: clocks go back on 1 November at 02:00
EDT (06:00Z), so 01:00-02:00 happens twice (05:00Z-06:00Z EDT, 06:00Z-07:00Z EST); they
spring forward on 8 March at 02:00 EST (07:00Z) to 03:00 EDT, so 02:00-03:00 never happens.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from roster.check import check_availability
from roster.shift_options import candidate_shifts
from roster.timegrid import window_closing_utc, window_opening_utc
from tests.builders import agent, roster, scenario, shift, utc

NEW_YORK = "America/New_York"
FALL_BACK = date(2026, 11, 1)
SPRING_FORWARD = date(2026, 3, 8)


def test_a_repeated_opening_time_opens_the_window_at_its_first_reading() -> None:
    assert window_opening_utc(FALL_BACK, 60, NEW_YORK) == utc("2026-11-01T05:00")  # 01:00 EDT


def test_a_repeated_closing_time_closes_the_window_at_its_second_reading() -> None:
    assert window_closing_utc(FALL_BACK, 60, NEW_YORK) == utc("2026-11-01T06:00")  # 01:00 EST


def test_a_skipped_clock_time_opens_and_closes_the_window_at_the_clock_change() -> None:
    # 02:30 never happens; the clock reads 03:00 EDT from 07:00Z on.
    assert window_opening_utc(SPRING_FORWARD, 150, NEW_YORK) == utc("2026-03-08T07:00")
    assert window_closing_utc(SPRING_FORWARD, 150, NEW_YORK) == utc("2026-03-08T07:00")


def test_an_ordinary_day_has_one_instant_for_both_ends() -> None:
    # 9 March: 02:30 EDT is 06:30Z; a closing minute past 1440 is the next day's clock.
    assert window_opening_utc(date(2026, 3, 9), 150, NEW_YORK) == utc("2026-03-09T06:30")
    assert window_closing_utc(date(2026, 3, 8), 1440 + 150, NEW_YORK) == utc("2026-03-09T06:30")


def test_a_half_hour_clock_change_is_found_to_the_minute() -> None:
    # Lord Howe moves from +10:30 to +11:00 at 02:00 local on 4 October 2026: 02:10 is
    # skipped and the clock reads 02:30 from 15:30Z on 3 October.
    opening = window_opening_utc(date(2026, 10, 4), 130, "Australia/Lord_Howe")
    assert opening == utc("2026-10-03T15:30")


def fold_week():
    return scenario(
        agent(timezone=NEW_YORK, window=("01:00", "09:00")), week_start=date(2026, 10, 26)
    )


def gap_week():
    return scenario(
        agent(timezone=NEW_YORK, window=("02:30", "10:30")), week_start=date(2026, 3, 2)
    )


def test_check_accepts_a_shift_from_the_first_one_oclock_of_the_autumn_night() -> None:
    # 05:00Z-13:00Z is 01:00 EDT to 08:00 EST: 8 real hours inside 01:00-09:00 by the clock.
    week = fold_week()
    assert check_availability(week, roster(shift("2026-11-01T05:00", "2026-11-01T13:00"))) == []


def test_check_accepts_a_shift_from_the_end_of_a_skipped_opening_time() -> None:
    # 07:00Z-14:00Z is 03:00 to 10:00 EDT: the first clock reading after 02:30 that exists.
    week = gap_week()
    assert check_availability(week, roster(shift("2026-03-08T07:00", "2026-03-08T14:00"))) == []


def test_check_rejects_a_shift_ending_after_a_closing_time_inside_the_gap() -> None:
    # Window 18:00-02:30; 23:00Z-07:00Z runs 18:00 EST to 03:00 EDT: the clock reads 03:00,
    # later than 02:30, when the shift ends.
    week = scenario(
        agent(timezone=NEW_YORK, window=("18:00", "02:30")), week_start=date(2026, 3, 2)
    )
    (found,) = check_availability(week, roster(shift("2026-03-07T23:00", "2026-03-08T07:00")))
    assert found.rule == "availability"
    # Ending 06:55Z (01:55 EST) is inside it.
    assert check_availability(week, roster(shift("2026-03-07T23:00", "2026-03-08T06:55"))) == []


def test_the_solver_is_offered_only_shifts_inside_the_window_on_every_reading() -> None:
    # 01:00 happens twice: from the first (05:00Z, EDT) a checker reading 01:00 as the
    # second would find the shift early, so it is not offered; from the second it is.
    week = fold_week()
    spans = {(c.start, c.end) for c in candidate_shifts(week, week.agents[0])}
    assert (utc("2026-11-01T05:00"), utc("2026-11-01T13:00")) not in spans
    assert (utc("2026-11-01T06:00"), utc("2026-11-01T14:00")) in spans  # 01:00-09:00 EST


def test_the_solver_does_not_start_a_shift_in_the_hour_after_a_skipped_opening_time() -> None:
    # 02:30 is skipped; read as 02:30 EST it is 07:30Z (03:30 EDT), so a 03:00 EDT start
    # is not offered, but the next start on the hourly grid, 04:00 EDT, is.
    week = gap_week()
    week = replace(week, rules=replace(week.rules, shift_hours=(6,)))
    spans = {(c.start, c.end) for c in candidate_shifts(week, week.agents[0])}
    assert (utc("2026-03-08T07:00"), utc("2026-03-08T13:00")) not in spans
    assert (utc("2026-03-08T08:00"), utc("2026-03-08T14:00")) in spans
