"""The planning week as a grid of UTC intervals, and local-time helpers.

The week starts at 00:00 of `week_start` in the planning zone and ends seven local days
later, so a week in which the planning zone changes offset lasts 167 or 169 hours. Every
instant inside the project is UTC; agents' zones are only consulted for rules stated in
local time and for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; raises KeyError for a name that is not an IANA zone."""
    if name not in _iana_names():
        raise KeyError(name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise KeyError(name) from exc


@lru_cache(maxsize=1)
def _iana_names() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


def is_iana_zone(name: str) -> bool:
    try:
        zone(name)
    except KeyError:
        return False
    return True


def local_datetime(instant: datetime, tz: str) -> datetime:
    """`instant` (aware) as wall-clock time in zone `tz`."""
    return instant.astimezone(zone(tz))


def local_midnight_utc(day: date, tz: str) -> datetime:
    """The UTC instant at which local date `day` begins in zone `tz`.

    Where clocks go back over midnight (00:00 happens twice, America/Havana in November)
    the day begins at the first 00:00; where midnight is skipped, at the end of the gap.
    A plain datetime with fold=0 means exactly that (pendulum would take the second 00:00).
    """
    return datetime(day.year, day.month, day.day, tzinfo=zone(tz)).astimezone(UTC)


def window_opening_utc(day: date, minute: int, tz: str) -> datetime:
    """The earliest instant at which the local clock in `tz` reads `minute` after midnight
    of `day` (minute 1440 is the next midnight) or later: where clocks go back, the first
    of the two such readings; where they spring forward over it, the end of the gap."""
    by_old_offset, by_new_offset = wall_readings_utc(day, minute, tz)
    if by_old_offset <= by_new_offset:  # an ordinary or a repeated clock time
        return by_old_offset
    return _offset_change_between(by_new_offset, by_old_offset, tz)


def window_closing_utc(day: date, minute: int, tz: str) -> datetime:
    """The latest instant at which the local clock in `tz` reads `minute` after midnight of
    `day` or earlier: where clocks go back, the second of the two such readings; where
    they spring forward over it, the start of the gap (the clock reads later from then)."""
    by_old_offset, by_new_offset = wall_readings_utc(day, minute, tz)
    if by_old_offset <= by_new_offset:
        return by_new_offset
    return _offset_change_between(by_new_offset, by_old_offset, tz)


def wall_readings_utc(day: date, minute: int, tz: str) -> tuple[datetime, datetime]:
    """The clock time read with the offset before (fold=0) and after (fold=1) a change of
    offset, as UTC instants (PEP 495). The two are equal on most days, in order where the
    clock time happens twice and reversed where it is skipped."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minute)
    zoned = wall.replace(tzinfo=zone(tz))
    return zoned.replace(fold=0).astimezone(UTC), zoned.replace(fold=1).astimezone(UTC)


def _offset_change_between(before: datetime, after: datetime, tz: str) -> datetime:
    """The instant, to the second, in (before, after] at which the offset of `tz` changes
    to the one it has at `after`; zoneinfo does not publish its transitions."""
    offset_after = after.astimezone(zone(tz)).utcoffset()
    low, high = int(before.timestamp()), int(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(zone(tz)).utcoffset() == offset_after:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 timestamp that carries an offset (or Z) into aware UTC.

    Raises ValueError when the text is not ISO 8601, has no offset, or names an instant
    before 0001-01-01 or after 9999-12-31 in UTC (0001-01-01T00:00:00+08:00 is one).
    """
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"timestamp '{text}' has no UTC offset")
    try:
        return value.astimezone(UTC)
    except OverflowError:  # datetime cannot hold the instant once moved to UTC
        raise ValueError(
            f"timestamp '{text}' is outside the years 0001 to 9999 once converted to UTC"
        ) from None


def iso(instant: datetime) -> str:
    """ISO 8601 with offset, seconds precision: 2026-11-30T06:00:00+00:00."""
    return instant.isoformat(timespec="seconds")


@dataclass(frozen=True)
class TimeGrid:
    """Equal UTC intervals covering the planning horizon, indexed from 0."""

    start: datetime
    end: datetime
    interval_minutes: int
    planning_timezone: str

    @classmethod
    def for_week(
        cls, week_start: date, planning_timezone: str, interval_minutes: int, weeks: int = 1
    ) -> TimeGrid:
        start = local_midnight_utc(week_start, planning_timezone)
        end = local_midnight_utc(week_start + timedelta(days=7 * weeks), planning_timezone)
        return cls(start, end, interval_minutes, planning_timezone)

    @property
    def interval(self) -> timedelta:
        return timedelta(minutes=self.interval_minutes)

    @property
    def total_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def n_intervals(self) -> int:
        """Intervals from the start; the last one is cut short by the horizon end when the
        horizon is not a whole number of them (a 60-minute grid in a week in which
        Australia/Lord_Howe moves its clocks by 30 minutes lasts 167.5 h)."""
        return -(-self.total_minutes // self.interval_minutes)

    def interval_start(self, index: int) -> datetime:
        return self.start + index * self.interval

    def interval_starts(self) -> list[datetime]:
        return [self.interval_start(i) for i in range(self.n_intervals)]

    def minutes_from_start(self, instant: datetime) -> int:
        """Whole minutes from the grid start to `instant` (negative before the start)."""
        return int((instant - self.start).total_seconds() // 60)

    def index_of(self, instant: datetime) -> int | None:
        """Interval index that starts exactly at `instant`, or None when off-grid or outside."""
        seconds = (instant - self.start).total_seconds()
        step = self.interval_minutes * 60
        if seconds < 0 or seconds % step or instant >= self.end:
            return None
        return int(seconds // step)

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


def local_dates_touched(grid: TimeGrid, tz: str) -> list[date]:
    """Local calendar dates in `tz` on which some instant of the grid falls, in order."""
    first = local_datetime(grid.start, tz).date()
    last = local_datetime(grid.end - timedelta(microseconds=1), tz).date()
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]
