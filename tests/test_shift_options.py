"""Night minutes of a candidate shift, read on the agent's wall clock (22:00-06:00)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from roster.shift_options import night_minutes

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("clock", "minutes", "expected"),
    [
        ((9, 0), 480, 0),  # 09:00-17:00: daytime
        ((20, 0), 480, 360),  # 20:00-04:00: 22:00-04:00
        ((23, 0), 600, 420),  # 23:00-09:00: 23:00-06:00
        ((2, 0), 480, 240),  # 02:00-10:00: 02:00-06:00, last night's period
        ((5, 30), 360, 30),  # 05:30-11:30: half an hour
        ((14, 0), 600, 120),  # 14:00-00:00: 22:00-00:00
        ((21, 30), 1440, 480),  # a whole day from 21:30: one night period in full
    ],
)
def test_night_minutes_follow_the_wall_clock(clock, minutes, expected) -> None:
    # Any day alike, the spring-forward one too (29 March 2026 in Paris): the share of
    # night is a soft preference, read from the start's clock time and the length.
    for day in (3, 28, 29):
        start = datetime(2026, 3, day, *clock, tzinfo=PARIS)
        assert night_minutes(start, minutes) == expected
