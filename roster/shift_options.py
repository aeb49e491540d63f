"""The shifts each agent could work, with every rule stated in local time applied.

Local-time rules (availability window, time off, which local day a shift starts on, night
and weekend) are settled here, once per candidate shift, so the optimisation model only
sees integers on the UTC minute axis of the week.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

from roster.model import MINUTES_PER_DAY, Agent, Scenario
from roster.timegrid import (
    TimeGrid,
    local_dates_touched,
    local_datetime,
    wall_readings_utc,
)

# Night as in the EU working-time directive's night period, and a shift counts as a night
# shift when at least three of its hours fall in it.
NIGHT_START_HOUR = 22
NIGHT_END_HOUR = 6
NIGHT_SHIFT_MINUTES = 180


@dataclass(frozen=True)
class Candidate:
    agent_id: str
    start: datetime
    end: datetime
    local_day: int  # index into local_days(agent)
    night_minutes: int
    weekend: bool

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def night(self) -> bool:
        return self.night_minutes >= NIGHT_SHIFT_MINUTES


@dataclass(frozen=True)
class _Occurrence:
    open_utc: datetime
    close_utc: datetime
    open_wall: datetime
    close_wall: datetime


def local_days(grid: TimeGrid, agent: Agent) -> list[date]:
    return local_dates_touched(grid, agent.timezone)


def candidate_shifts(scenario: Scenario, agent: Agent) -> list[Candidate]:
    """Every shift of an allowed length, on the start grid, inside the week, inside one
    occurrence of the agent's local availability window and clear of its time off."""
    grid = scenario.grid
    days = local_days(grid, agent)
    windows = _window_occurrences(agent, days)
    absences = [(t.start, t.end) for t in scenario.time_off_of(agent.id)]
    rules = scenario.rules
    # Starts and ends fall on multiples of this many minutes from the week start.
    unit = math.gcd(rules.shift_start_step_minutes, *rules.shift_minutes)
    clock = _clock(grid, agent.timezone, unit)
    candidates = []
    for first in range(0, -(-grid.total_minutes // unit), rules.shift_start_step_minutes // unit):
        start, local_start, wall_start = clock[first]
        if windows is not None and not _could_open_then(agent, local_start):
            continue
        for minutes in rules.shift_minutes:
            if first + minutes // unit >= len(clock):  # ends after the week
                continue
            end, _, wall_end = clock[first + minutes // unit]
            if _overlaps_any(start, end, absences):
                continue
            if windows is not None and not _inside_one_window(
                start, end, wall_start, wall_end, windows
            ):
                continue
            candidates.append(
                Candidate(
                    agent_id=agent.id,
                    start=start,
                    end=end,
                    local_day=(wall_start.date() - days[0]).days,
                    night_minutes=night_minutes(local_start, minutes),
                    weekend=local_start.isoweekday() >= 6,
                )
            )
    return candidates


def _clock(grid: TimeGrid, tz: str, unit: int) -> tuple[tuple[datetime, ...], ...]:
    """`_clock_at_boundaries`, kept across agents and calls for steps of whole intervals
    (every scenario's own); finer ones (diagnose tries starts every minute) are rare and
    large, so they are not kept."""
    if unit % grid.interval_minutes == 0:
        return _kept_clock(grid, tz, unit)
    return _clock_at_boundaries(grid, tz, unit)


def _clock_at_boundaries(grid: TimeGrid, tz: str, unit: int) -> tuple[tuple[datetime, ...], ...]:
    """(UTC, local, local wall clock without zone) every `unit` minutes from the week's
    start up to its end. Every shift starts and ends on one of these instants, so each is
    converted once per zone rather than once per candidate of every agent there."""
    instants = (
        grid.start + timedelta(minutes=k * unit) for k in range(grid.total_minutes // unit + 1)
    )
    return tuple(
        (utc, local, local.replace(tzinfo=None))
        for utc in instants
        for local in (local_datetime(utc, tz),)
    )


_kept_clock = lru_cache(maxsize=64)(_clock_at_boundaries)


def after_previous_shifts(
    candidates: list[Candidate], earliest_start: datetime | None, first_day_taken: bool
) -> list[Candidate]:
    """The candidates a previous roster leaves: starting no earlier than `earliest_start`
    (its last shift's end plus the minimum rest), and not on the first local day when a
    previous shift already started on it (one start per local day)."""
    return [
        c
        for c in candidates
        if (earliest_start is None or c.start >= earliest_start)
        and not (first_day_taken and c.local_day == 0)
    ]


def night_minutes(local_start: datetime, minutes: int) -> int:
    """Minutes of a shift that fall in the local night period (22:00-06:00 wall clock)."""
    return _night_minutes_from(local_start.hour * 60 + local_start.minute, minutes)


@cache
def _night_minutes_from(start_minute: int, minutes: int) -> int:
    """By wall clock, so only the start's time of day matters: cached, as every agent's
    candidates repeat the same few (time of day, length) pairs all week."""
    wall_start = datetime(2000, 1, 2) + timedelta(minutes=start_minute)
    wall_end = wall_start + timedelta(minutes=minutes)
    total = 0
    for back in (1, 0):
        night_start = datetime.combine(
            wall_start.date() - timedelta(days=back), datetime.min.time()
        )
        night_start += timedelta(hours=NIGHT_START_HOUR)
        night_end = night_start + timedelta(hours=24 - NIGHT_START_HOUR + NIGHT_END_HOUR)
        overlap = min(wall_end, night_end) - max(wall_start, night_start)
        total += max(0, int(overlap.total_seconds() // 60))
    return total


def is_night_window(agent: Agent) -> bool:
    """A window that wraps midnight and opens in the evening is a night worker's window."""
    wraps = agent.available_to_minute <= agent.available_from_minute
    return wraps and agent.available_from_minute >= 18 * 60


def _could_open_then(agent: Agent, local_start: datetime) -> bool:
    """Cheap first test: the local clock time of the start lies inside the window."""
    minute = local_start.hour * 60 + local_start.minute
    opens, closes = agent.available_from_minute, agent.available_to_minute
    if opens < closes:
        return opens <= minute <= closes
    return minute >= opens or minute <= closes


def _window_occurrences(agent: Agent, days: list[date]) -> dict[date, _Occurrence] | None:
    if agent.available_any_time:
        return None
    wraps = agent.available_to_minute <= agent.available_from_minute
    occurrences = {}
    for day in [days[0] - timedelta(days=1), *days]:
        close_minute = agent.available_to_minute + (MINUTES_PER_DAY if wraps else 0)
        open_wall = datetime.combine(day, datetime.min.time()) + timedelta(
            minutes=agent.available_from_minute
        )
        close_wall = datetime.combine(day, datetime.min.time()) + timedelta(minutes=close_minute)
        occurrences[day] = _Occurrence(
            # On a DST night the window's ends can be read as two instants (a repeated or
            # skipped clock time); a shift is offered only inside it on every reading, so
            # no checker, however it reads the clock, can find it outside.
            open_utc=max(wall_readings_utc(day, agent.available_from_minute, agent.timezone)),
            close_utc=min(wall_readings_utc(day, close_minute, agent.timezone)),
            open_wall=open_wall,
            close_wall=close_wall,
        )
    return occurrences


def _inside_one_window(
    start: datetime,
    end: datetime,
    wall_start: datetime,
    wall_end: datetime,
    windows: dict[date, _Occurrence],
) -> bool:
    """Inside one occurrence by wall clock *and* by real time, so DST cannot sneak a shift
    past either reading of the window. Only the windows opening on the start's local day
    or the day before can hold it."""
    today = wall_start.date()
    nearby = (windows.get(today), windows.get(today - timedelta(days=1)))
    return any(
        w is not None
        and w.open_wall <= wall_start
        and wall_end <= w.close_wall
        and w.open_utc <= start
        and end <= w.close_utc
        for w in nearby
    )


def _overlaps_any(start: datetime, end: datetime, spans: list[tuple[datetime, datetime]]) -> bool:
    return any(start < span_end and span_start < end for span_start, span_end in spans)
