"""What an agent's page shows: this week and next in the agent's own zone, and what the
latest publication changed in the agent's shifts. Pure functions over calendar events."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from api.views.wallclock import end_clock, ends_next_day
from roster.calendar import ShiftEvent
from roster.timegrid import local_datetime, local_midnight_utc

WEEKS_SHOWN = 2


@dataclass(frozen=True)
class AgentShift:
    """A shift as the agent reads it: local wall clock first, UTC in small print."""

    event: ShiftEvent
    start_local: datetime
    end_local: datetime

    @classmethod
    def of(cls, event: ShiftEvent, tz: str) -> AgentShift:
        return cls(event, local_datetime(event.start, tz), local_datetime(event.end, tz))

    @property
    def hours(self) -> float:
        return (self.event.end - self.event.start).total_seconds() / 3600

    @property
    def end_clock(self) -> str:
        return end_clock(self.start_local, self.end_local)

    @property
    def ends_next_day(self) -> bool:
        return ends_next_day(self.start_local, self.end_local)

    @property
    def utc_ends_next_day(self) -> bool:
        return self.event.end.date() > self.event.start.date()


@dataclass(frozen=True)
class AgentDay:
    day: date
    shifts: tuple[AgentShift, ...]


@dataclass(frozen=True)
class AgentWeekView:
    title: str
    first_day: date
    days: tuple[AgentDay, ...]

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=6)

    @property
    def hours(self) -> float:
        return sum(s.hours for d in self.days for s in d.shifts)

    @property
    def shifts(self) -> int:
        return sum(len(d.shifts) for d in self.days)


@dataclass(frozen=True)
class ShiftChange:
    kind: str  # "added", "changed" or "removed"
    before: AgentShift | None
    after: AgentShift | None

    @property
    def start_local(self) -> datetime:
        shift = self.after or self.before
        assert shift is not None
        return shift.start_local


def local_monday(now: datetime, tz: str) -> date:
    today = local_datetime(now, tz).date()
    return today - timedelta(days=today.weekday())


def shown_range(now: datetime, tz: str) -> tuple[datetime, datetime]:
    """UTC instants from local Monday 00:00 of this week to the end of next week."""
    monday = local_monday(now, tz)
    return (
        local_midnight_utc(monday, tz),
        local_midnight_utc(monday + timedelta(days=7 * WEEKS_SHOWN), tz),
    )


def agent_weeks(events: list[ShiftEvent], tz: str, now: datetime) -> list[AgentWeekView]:
    """This week and next, Monday to Sunday in zone `tz`, every day listed (empty = off)."""
    monday = local_monday(now, tz)
    by_day: dict[date, list[AgentShift]] = defaultdict(list)
    for event in sorted(events, key=lambda e: e.start):
        if event.cancelled:
            continue
        shift = AgentShift.of(event, tz)
        by_day[shift.start_local.date()].append(shift)
    weeks = []
    for number, title in enumerate(("This week", "Next week")[:WEEKS_SHOWN]):
        first = monday + timedelta(days=7 * number)
        days = tuple(
            AgentDay(first + timedelta(days=k), tuple(by_day.get(first + timedelta(days=k), ())))
            for k in range(7)
        )
        weeks.append(AgentWeekView(title, first, days))
    return weeks


def shift_changes(
    previous: list[ShiftEvent], current: list[ShiftEvent], tz: str
) -> list[ShiftChange]:
    """The agent's shifts the latest publication added, changed or removed.

    A shift is known by its start (as in the calendar feed, where it keeps its UID); it has
    changed when anything its calendar event shows has (end, queue, languages, tier, zone).
    """
    before = {e.start: e for e in previous if not e.cancelled}
    after = {e.start: e for e in current if not e.cancelled}
    changes = []
    for start in sorted(before.keys() | after.keys()):
        old, new = before.get(start), after.get(start)
        if old is None:
            changes.append(ShiftChange("added", None, AgentShift.of(new, tz)))
        elif new is None:
            changes.append(ShiftChange("removed", AgentShift.of(old, tz), None))
        elif old.content() != new.content():
            changes.append(ShiftChange("changed", AgentShift.of(old, tz), AgentShift.of(new, tz)))
    return changes
