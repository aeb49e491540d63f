"""Shifts as RFC 5545 calendars: one VEVENT per shift, with UIDs that survive re-publishing.

A shift's identity is (agent id, start instant). Its UID is derived from that identity
alone, so publishing a new roster for the same week keeps the UID of every shift that
still starts at the same instant for the same agent. What a later roster may change about
such a shift (its end, its queue, the agent's languages, tier, zone or name) raises its
SEQUENCE by one and moves its DTSTAMP to the moment of that publication. A shift that a
later roster no longer has stays in the store as CANCELLED (SEQUENCE raised again), so a
subscribed calendar removes it instead of keeping a stale copy; if a yet later roster
brings it back, it is confirmed again under the same UID.

Revisions are made week by week (`events_by_week`): publishing a roster revises only the
weeks of its horizon, so a later roster for one week of a longer published horizon
replaces that week's shifts and leaves the other weeks alone.

`revise` computes those revisions; `build_calendar` writes the calendar. Both are pure:
no HTTP, no SQL. Times are UTC (DTSTART/DTEND with Z); the agent's own clock times are in
the description.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from urllib.parse import quote

from icalendar import Calendar, Event

from roster.model import Scenario
from roster.result import Roster
from roster.timegrid import local_datetime

PRODID = "-//roster//follow-the-sun shifts//EN"
REFRESH_INTERVAL = timedelta(hours=1)
CANCELLED_PREFIX = "Cancelled: "

Identity = tuple[str, datetime]  # (agent_id, start in UTC)


@dataclass(frozen=True)
class ShiftEvent:
    """One shift as a calendar event, with its revision state."""

    agent_id: str
    agent_name: str
    start: datetime
    end: datetime
    queue: str | None
    languages: tuple[str, ...]
    tier: str
    timezone: str
    stamp: datetime  # when this revision was published: DTSTAMP and LAST-MODIFIED
    sequence: int = 0
    cancelled: bool = False

    @property
    def identity(self) -> Identity:
        return (self.agent_id, self.start)

    def content(self) -> tuple:
        """Everything a calendar shows; a change here is a new revision of the event."""
        return (
            self.end,
            self.queue,
            self.languages,
            self.tier,
            self.timezone,
            self.agent_name,
        )


def shift_events(scenario: Scenario, roster: Roster, stamp: datetime) -> list[ShiftEvent]:
    """The roster's shifts as first revisions, described with the scenario's agent data."""
    events = []
    for shift in roster.shifts:
        agent = scenario.agents_by_id[shift.agent_id]
        events.append(
            ShiftEvent(
                agent_id=agent.id,
                agent_name=agent.name,
                start=shift.start,
                end=shift.end,
                queue=shift.queue,
                languages=agent.languages,
                tier=agent.tier,
                timezone=agent.timezone,
                stamp=stamp,
            )
        )
    return sorted(events, key=event_order)


def events_by_week(
    scenario: Scenario, events: Iterable[ShiftEvent]
) -> dict[date, list[ShiftEvent]]:
    """The events grouped by the week of the scenario's horizon in which each starts, keyed
    by that week's first local date (week_start + 7 k days), in order.

    Every week of the horizon has a key, an empty list when no shift starts in it, so that
    publishing a week without shifts still cancels what an earlier roster had there.
    """
    firsts = [scenario.week_start + timedelta(days=7 * k) for k in range(scenario.weeks)]
    weeks: dict[date, list[ShiftEvent]] = {first: [] for first in firsts}
    for event in events:
        weeks[firsts[scenario.week_of(event.start)]].append(event)
    return weeks


def revise(
    previous: Iterable[ShiftEvent], current: Iterable[ShiftEvent], stamp: datetime
) -> list[ShiftEvent]:
    """The events of a week after publishing `current` over the `previous` stored events.

    Unchanged shifts keep their SEQUENCE and DTSTAMP; changed or revived ones get
    SEQUENCE + 1 and `stamp`; new ones start at 0; shifts missing from `current` become
    CANCELLED with SEQUENCE + 1 (once: an already cancelled event is left as it is).
    """
    before = {event.identity: event for event in previous}
    after: dict[Identity, ShiftEvent] = {}
    for event in current:
        old = before.get(event.identity)
        if old is None:
            after[event.identity] = replace(event, stamp=stamp, sequence=0, cancelled=False)
        elif old.cancelled or old.content() != event.content():
            after[event.identity] = replace(
                event, stamp=stamp, sequence=old.sequence + 1, cancelled=False
            )
        else:
            after[event.identity] = old
    for identity, old in before.items():
        if identity not in after:
            after[identity] = (
                old
                if old.cancelled
                else replace(old, stamp=stamp, sequence=old.sequence + 1, cancelled=True)
            )
    return sorted(after.values(), key=event_order)


def shift_uid(agent_id: str, start: datetime, domain: str) -> str:
    """UID of the shift (agent_id, start): readable, unique per agent and start instant."""
    return f"shift-{start:%Y%m%dT%H%M%SZ}-{quote(agent_id, safe='')}@{domain}"


def event_summary(event: ShiftEvent, with_name: bool = False) -> str:
    """'Shift en-L1 · en fr · L2': the queue served, the agent's languages and tier."""
    parts = [f"Shift {event.queue}" if event.queue else "Shift"]
    parts.append(" ".join(event.languages))
    parts.append(event.tier)
    text = " · ".join(parts)
    if with_name:
        text = f"{event.agent_name}: {text}"
    return CANCELLED_PREFIX + text if event.cancelled else text


def event_description(event: ShiftEvent) -> str:
    start = local_datetime(event.start, event.timezone)
    end = local_datetime(event.end, event.timezone)
    hours = (event.end - event.start).total_seconds() / 3600
    lines = [
        f"Local time ({event.timezone}): {start:%a %d %b %H:%M} - {end:%a %d %b %H:%M}"
        f" ({hours:g} h)",
        f"Queue: {event.queue or 'any'}",
        f"Languages: {' '.join(event.languages)}",
        f"Tier: {event.tier}",
    ]
    if event.cancelled:
        lines.insert(0, "This shift was removed from the published roster.")
    return "\n".join(lines)


def build_calendar(
    name: str,
    events: Iterable[ShiftEvent],
    *,
    uid_domain: str,
    with_names: bool = False,
    description: str | None = None,
) -> bytes:
    """An RFC 5545 VCALENDAR (bytes, CRLF lines) with one VEVENT per event, in start order."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("x-wr-caldesc", description)
    # How often subscribers should poll: Outlook reads the first, Apple and others the second.
    calendar.add("x-published-ttl", "PT1H")
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    for event in sorted(events, key=event_order):
        calendar.add_component(_vevent(event, uid_domain, with_names))
    return calendar.to_ical()


def event_order(event: ShiftEvent) -> tuple[datetime, str]:
    return (event.start, event.agent_id)


def _vevent(event: ShiftEvent, uid_domain: str, with_name: bool) -> Event:
    vevent = Event()
    vevent.add("uid", shift_uid(event.agent_id, event.start, uid_domain))
    vevent.add("dtstamp", event.stamp)
    vevent.add("last-modified", event.stamp)
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.end)
    vevent.add("sequence", event.sequence)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT" if event.cancelled else "OPAQUE")
    vevent.add("summary", event_summary(event, with_name))
    vevent.add("description", event_description(event))
    if event.queue:
        vevent.add("categories", [event.queue])
    return vevent
