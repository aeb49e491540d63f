"""What a roster achieves, on a hand-built week whose figures can be counted by hand.

One agent (09:00-17:00 UTC window, 40 h max) and one 24/7 queue with a floor of one agent
and no tickets: 168 required agent-hours, one per hour of the week.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from roster.check import check_roster
from roster.kpi import summarize
from roster.result import CoverageRow, Roster, Shift
from tests.builders import agent, queue, scenario, utc

WEEK = scenario(agent(window=("09:00", "17:00"), max_hours=40), queues=(queue(min_agents=1),))
MONDAY_9 = utc("2026-11-30T09:00")


def five_day_roster() -> Roster:
    shifts = [
        Shift("a01", MONDAY_9 + timedelta(days=d), MONDAY_9 + timedelta(days=d, hours=8))
        for d in range(5)
    ]
    coverage = []
    for start in WEEK.grid.interval_starts():
        on = any(s.start <= start < s.end for s in shifts)
        coverage.append(CoverageRow(start, "en", "L1", 1.0, int(on)))
    return Roster("FEASIBLE", 10.0, 8.0, 1.0, shifts, coverage)


def test_the_hand_built_roster_is_valid() -> None:
    assert check_roster(WEEK, five_day_roster()) == []


def test_coverage_counts_covered_required_hours() -> None:
    summary = summarize(WEEK, five_day_roster())
    assert summary.coverage_pct == pytest.approx(100 * 40 / 168)
    assert summary.shortage_agent_hours == pytest.approx(128)
    assert summary.total_hours == 40 and summary.total_cost == 40 * 20.0
    assert summary.gap == pytest.approx(0.2)


def test_night_shortage_is_explained_by_the_window() -> None:
    (en,) = summarize(WEEK, five_day_roster()).queues
    night = next(p for p in en.short_periods if p.start == utc("2026-11-30T17:00"))
    assert night.end == utc("2026-12-01T09:00")  # 16 h until Tuesday's shift
    assert night.shortage_agent_hours == pytest.approx(16)
    assert night.reason.startswith("no qualified agent can work then")


def test_weekend_shortage_in_the_window_is_explained_by_max_hours() -> None:
    (en,) = summarize(WEEK, five_day_roster()).queues
    saturday = next(p for p in en.short_periods if p.start == utc("2026-12-05T09:00"))
    assert saturday.end == utc("2026-12-05T17:00")
    assert saturday.reason == "not enough hours: the one qualified agent free then is at max_hours"


def test_no_tickets_means_no_predicted_service_level() -> None:
    (en,) = summarize(WEEK, five_day_roster()).queues
    assert en.predicted_service_level is None


def test_predicted_service_level_counts_only_tickets_that_arrive_while_open() -> None:
    import numpy as np

    from roster.model import OpenHours

    # Open Mon-Fri 09:00-17:00 UTC; ten tickets an hour around the clock, so two thirds of
    # them arrive while the queue is closed. The roster puts 4 agents on every open hour.
    office = OpenHours("Mon-Fri 09:00-17:00 UTC", False, frozenset(range(1, 6)), 540, 1020, "UTC")
    base = scenario(agent(max_hours=60), queues=(queue(open_hours=office),))
    week = type(base)(**{**base.__dict__, "forecast": {("en", "L1"): np.full(168, 10.0)}})
    coverage = [
        CoverageRow(t, "en", "L1", 0.0, 4 if office.is_open(t) else 0)
        for t in week.grid.interval_starts()
    ]
    (en,) = summarize(week, Roster("FEASIBLE", 0, 0, 0, [], coverage)).queues
    # By hand: shrinkage 0.3 leaves floor(4 x 0.7) = 2 agents on A = 10 x 300 / 3600 = 5/6
    # Erlang; Erlang C gives P(wait) = 0.2451, so SL = 1 - 0.2451 exp(-(2 - 5/6) 60/300)
    # = 0.806. Counting closed-hour tickets as missed would give about a third of that.
    assert en.predicted_service_level == pytest.approx(0.806, abs=1e-3)
