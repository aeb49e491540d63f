"""What an agent's page shows: every week from this one to the last with a published shift
or a published day, Monday to Sunday in the agent's own zone (at least this week and
next), and what the latest publication changed in the agent's shifts. Pure functions over
calendar events.

Each shift is shown in the zone the agent had in the scenario of the roster that published
it (`ShiftEvent.timezone`, as in the calendar feed): an agent who worked in Manila one
week and in Berlin the next sees each week's times as they were worked. The weeks
themselves run Monday to Sunday in the zone of the agent's latest published roster.

A day is "published" when a published planning week holds its date; the page says "Off"
only for those, and "not published yet" for the others, so an agent never mistakes a
week nobody has planned yet for a week off.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from api.views.wallclock import end_clock, ends_next_day
from roster.calendar import ShiftEvent
from roster.timegrid import local_datetime, local_midnight_utc

MIN_WEEKS_SHOWN = 2  # this week and next, published or not
NEAR_TITLES = ("This week", "Next week")


@dataclass(frozen=True)
class AgentShift:
    """A shift as the agent reads it: local wall clock first, UTC in small print."""

    event: ShiftEvent
    start_local: datetime
    end_local: datetime

    @classmethod
    def of(cls, event: ShiftEvent) -> AgentShift:
        """The shift in the zone the agent had in the roster that published it."""
        tz = event.timezone
        return cls(event, local_datetime(event.start, tz), local_datetime(event.end, tz))

    @property
    def zone(self) -> str:
        return self.event.timezone

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
    published: bool = True


@dataclass(frozen=True)
class AgentWeekView:
    offset: int  # weeks after this one
    first_day: date  # a Monday in the agent's zone
    days: tuple[AgentDay, ...]

    @property
    def title(self) -> str:
        if self.offset < len(NEAR_TITLES):
            return NEAR_TITLES[self.offset]
        return f"Week of {self.first_day:%A} {self.first_day.day} {self.first_day:%B}"

    @property
    def anchor(self) -> str:
        return f"week-{self.first_day.isoformat()}"

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=6)

    @property
    def published(self) -> bool:
        """Some day of the week is published (or holds a shift)."""
        return any(d.published or d.shifts for d in self.days)

    @property
    def hours(self) -> float:
        return sum(s.hours for d in self.days for s in d.shifts)

    @property
    def shifts(self) -> int:
        return sum(len(d.shifts) for d in self.days)

    @property
    def zones(self) -> list[str]:
        """The zones of the week's shifts, in the order they first appear."""
        return list(dict.fromkeys(s.zone for d in self.days for s in d.shifts))


@dataclass(frozen=True)
class ShiftChange:
    kind: str  # "added", "changed" or "removed"
    before: AgentShift | None
    after: AgentShift | None
    # For "changed": what changed besides the times and queue that the line shows anyway,
    # e.g. "zone Europe/Berlin, was Asia/Manila".
    details: tuple[str, ...] = ()

    @property
    def start_local(self) -> datetime:
        shift = self.after or self.before
        assert shift is not None
        return shift.start_local


def local_monday(now: datetime, tz: str) -> date:
    today = local_datetime(now, tz).date()
    return today - timedelta(days=today.weekday())


def shown_from(now: datetime, tz: str) -> datetime:
    """The UTC instant of local Monday 00:00 of this week: the page starts there."""
    return local_midnight_utc(local_monday(now, tz), tz)


def published_dates(week_starts: Iterable[date]) -> set[date]:
    """The dates of the published planning weeks that start on `week_starts`."""
    return {first + timedelta(days=k) for first in week_starts for k in range(7)}


def agent_weeks(
    events: list[ShiftEvent], tz: str, now: datetime, published: set[date]
) -> list[AgentWeekView]:
    """Monday-to-Sunday weeks in zone `tz` from this one to the last that holds a shift or
    a `published` date, at least this week and next; every day listed. A shift is on the
    local date it starts on in its own zone; shifts before this week are left out."""
    monday = local_monday(now, tz)
    by_day: dict[date, list[AgentShift]] = defaultdict(list)
    for event in sorted(events, key=lambda e: e.start):
        shift = AgentShift.of(event)
        if not event.cancelled and shift.start_local.date() >= monday:
            by_day[shift.start_local.date()].append(shift)
    last = max([*by_day, *(d for d in published if d >= monday)], default=monday)
    count = max(MIN_WEEKS_SHOWN, (last - monday).days // 7 + 1)
    weeks = []
    for offset in range(count):
        first = monday + timedelta(days=7 * offset)
        dates = [first + timedelta(days=k) for k in range(7)]
        days = tuple(AgentDay(d, tuple(by_day.get(d, ())), d in published) for d in dates)
        weeks.append(AgentWeekView(offset, first, days))
    return weeks


def shift_changes(previous: list[ShiftEvent], current: list[ShiftEvent]) -> list[ShiftChange]:
    """The agent's shifts the latest publication added, changed or removed.

    A shift is known by its start (as in the calendar feed, where it keeps its UID). It has
    changed when something the agent sees of it has: its end, queue, zone, languages or
    tier. The agent's name is not shown with a shift, so a change of name alone is not
    listed (the calendar still revises the event, whose data holds the name).
    """
    before = {e.start: e for e in previous if not e.cancelled}
    after = {e.start: e for e in current if not e.cancelled}
    changes = []
    for start in sorted(before.keys() | after.keys()):
        old, new = before.get(start), after.get(start)
        if old is None:
            changes.append(ShiftChange("added", None, AgentShift.of(new)))
        elif new is None:
            changes.append(ShiftChange("removed", AgentShift.of(old), None))
        elif _seen_by_agent(old) != _seen_by_agent(new):
            details = _changed_details(old, new)
            changes.append(ShiftChange("changed", AgentShift.of(old), AgentShift.of(new), details))
    return changes


def _seen_by_agent(event: ShiftEvent) -> tuple:
    return (event.end, event.queue, event.timezone, event.languages, event.tier)


def _changed_details(old: ShiftEvent, new: ShiftEvent) -> tuple[str, ...]:
    """What changed that the 'now ... was ...' times and queue do not show."""
    shown = (
        ("zone", old.timezone, new.timezone),
        ("languages", " ".join(old.languages), " ".join(new.languages)),
        ("tier", old.tier, new.tier),
    )
    return tuple(f"{what} {now}, was {was}" for what, was, now in shown if was != now)
