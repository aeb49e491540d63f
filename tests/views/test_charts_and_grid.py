"""The pieces behind the pages: the coverage SVG and the week grid's shift bars."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pytest

from api.views.charts import ShortRun, coverage_svg, short_runs
from api.views.weekgrid import day_bars
from roster.result import Shift
from roster.timegrid import TimeGrid
from tests.api.helpers import utc


def test_short_runs_group_consecutive_short_intervals_and_sum_their_hours() -> None:
    required = np.array([1.0, 1.0, 0.5, 1.0, 2.0, 2.0])
    scheduled = np.array([1, 0, 0, 1, 1, 2])
    # Short in 1 (1.0) and 2 (0.5) -> one run; in 4 (1.0) -> another; 30-minute intervals.
    assert short_runs(required, scheduled, 30) == [ShortRun(1, 2, 0.75), ShortRun(4, 4, 0.5)]


def test_a_gap_within_rounding_is_not_a_shortfall() -> None:
    assert short_runs(np.array([1.004, 2.0]), np.array([1, 2]), 60) == []


def week_grid_utc() -> TimeGrid:
    return TimeGrid.for_week(date(2026, 11, 30), "UTC", 60)


def test_svg_draws_one_red_rectangle_per_short_interval_and_one_band_per_run() -> None:
    grid = week_grid_utc()
    required = np.full(grid.n_intervals, 2.0)
    scheduled = np.full(grid.n_intervals, 2)
    scheduled[10:13] = 1  # 3 short intervals in one run
    scheduled[50] = 0  # and one more
    svg = str(
        coverage_svg(
            chart_id="c", title="en-L1 <test>", required=required, scheduled=scheduled, grid=grid
        )
    )
    shortage = re.search(r'<path class="shortage" d="([^"]+)"', svg)
    assert shortage is not None and shortage.group(1).count("Z") == 4
    assert svg.count('class="short-band"') == 2
    assert '<title id="c-title">en-L1 &lt;test&gt;</title>' in svg
    assert "Short of the requirement in 2 periods, 5.0 agent-hours in all" in svg
    assert 'aria-labelledby="c-title c-desc"' in svg and 'role="img"' in svg


def test_svg_axis_counts_whole_agents_up_to_the_peak() -> None:
    grid = week_grid_utc()
    required = np.zeros(grid.n_intervals)
    required[5] = 3.4
    svg = str(
        coverage_svg(
            chart_id="c",
            title="t",
            required=required,
            scheduled=np.zeros(grid.n_intervals, dtype=int),
            grid=grid,
        )
    )
    ticks = re.findall(r'class="tick"[^>]*>(\d+)</text>', svg)
    assert ticks == ["0", "1", "2", "3", "4"]
    days = re.findall(r'class="day-label"[^>]*>([^<]+)</text>', svg)
    assert days == ["Mon 30", "Tue 1", "Wed 2", "Thu 3", "Fri 4", "Sat 5", "Sun 6"]


def test_svg_of_a_fully_covered_queue_has_no_red() -> None:
    grid = week_grid_utc()
    svg = str(
        coverage_svg(
            chart_id="c",
            title="t",
            required=np.ones(grid.n_intervals),
            scheduled=np.ones(grid.n_intervals, dtype=int),
            grid=grid,
        )
    )
    assert "short-band" not in svg and 'class="shortage"' not in svg
    assert "meet the requirement in every interval" in svg


def bars(start: str, end: str, tz: str) -> list[tuple[date, float, float, bool]]:
    shift = Shift("a", utc(start), utc(end), "en-L1")
    return [
        (day, round(bar.left_pct, 2), round(bar.width_pct, 2), bar.is_start)
        for day, bar in day_bars(shift, tz)
    ]


def test_a_shift_past_midnight_continues_on_the_next_date() -> None:
    # 22:00-06:00 UTC: 22/24 across on the first date for 2 h, then 6 h from midnight.
    assert bars("2026-12-01T22:00:00", "2026-12-02T06:00:00", "UTC") == [
        (date(2026, 12, 1), 91.67, 8.33, True),
        (date(2026, 12, 2), 0.0, 25.0, False),
    ]


def test_a_shift_ending_at_midnight_stays_on_its_date() -> None:
    assert bars("2026-12-01T16:00:00", "2026-12-02T00:00:00", "UTC") == [
        (date(2026, 12, 1), 66.67, 33.33, True)
    ]


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        # 21:00 UTC on Sat 28 March 2026 is 22:00 in Paris (UTC+1); eight hours later it is
        # 07:00 on Sunday, summer time (UTC+2): nine hours of wall clock, as the agent sees it.
        (
            "Europe/Paris",
            [(date(2026, 3, 28), 91.67, 8.33, True), (date(2026, 3, 29), 0.0, 29.17, False)],
        ),
        # Manila has no DST: 05:00 to 13:00 on Sunday.
        ("Asia/Manila", [(date(2026, 3, 29), 20.83, 33.33, True)]),
    ],
)
def test_bars_follow_the_wall_clock_across_a_dst_change(
    tz: str, expected: list[tuple[date, float, float, bool]]
) -> None:
    assert bars("2026-03-28T21:00:00", "2026-03-29T05:00:00", tz) == expected


@pytest.mark.parametrize(
    ("start", "end", "text", "next_day"),
    [
        ("2026-12-01T16:00:00", "2026-12-02T00:00:00", "24:00", False),
        ("2026-12-01T22:00:00", "2026-12-02T06:00:00", "06:00", True),
        ("2026-12-01T08:00:00", "2026-12-01T16:00:00", "16:00", False),
    ],
)
def test_a_shift_ending_at_midnight_reads_24_00_not_the_next_day(
    start: str, end: str, text: str, next_day: bool
) -> None:
    (_day, bar), *_rest = day_bars(Shift("a", utc(start), utc(end), None), "UTC")
    assert (bar.end_clock, bar.ends_next_day) == (text, next_day)
