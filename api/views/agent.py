"""The agent's own page, opened by the personal link: every upcoming week in the agent's
zone (this week and next at least, then up to the last published week), what the latest
publications changed, and the calendar subscription.

It shows only what the link's agent may see (AgentProfile and the agent's own published
shifts): no other agent, no cost, no contract, nothing from a roster not published. Each
shift is in the zone the agent had in the roster that published it. A link that opens
nothing is a 404 with the same words whether the agent exists or not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from fastapi import Request, Response

from api.db import PublicationRow
from api.deps import NOT_FOUND_FOR_TOKENS, StoreDep
from api.schemas import feed_links
from api.store import AgentProfile
from api.views.agentweek import (
    AgentWeekView,
    ShiftChange,
    agent_weeks,
    published_dates,
    shift_changes,
    shown_from,
)
from api.views.cache import RosterCache
from api.views.deps import CacheDep, public_pages
from api.views.templating import error_page, render
from roster.calendar import ShiftEvent, events_by_week, shift_events

router = public_pages()

Published = list[tuple[date, list[PublicationRow]]]  # Store.weeks()
OTHER_ZONE_MARGIN = timedelta(days=2)


@dataclass(frozen=True)
class LatestPublication:
    published_at: datetime | None
    changes: list[ShiftChange]
    republished: bool  # a shown week had an earlier publication to compare with


@router.get("/ui/agent/{token}")
def agent_page(request: Request, token: str, store: StoreDep, cache: CacheDep) -> Response:
    profile = store.agent_for_token(token)
    if profile is None:
        return error_page(request, 404, NOT_FOUND_FOR_TOKENS)
    now = store.clock()
    # A shift is placed by its own zone, which may run up to 26 hours ahead of the week's.
    since = shown_from(now, profile.timezone) - OTHER_ZONE_MARGIN
    events = store.published_events_from(profile.agent_id, since)
    # While no published roster has the agent, no week is theirs: none reads as "Off".
    published = store.weeks() if profile.published else []
    weeks = agent_weeks(
        events, profile.timezone, now, published_dates(week for week, _ in published)
    )
    context = {
        "profile": profile,
        "weeks": weeks,
        "latest": latest_publication(cache, profile, published, weeks),
        **feed_links(token, store.settings.public_base_url),
    }
    return render(request, "agent.html", context)


def latest_publication(
    cache: RosterCache, profile: AgentProfile, published: Published, weeks: list[AgentWeekView]
) -> LatestPublication:
    """Changes to the agent's shifts made by the latest publication of each week shown.

    Planning weeks start on their own local date, so any week that starts within a week
    before the first shown Monday up to the last shown day may hold shown shifts. Only the
    shifts of that planning week are compared: a roster of several weeks published before
    a one-week roster of one of them changed that week, not the others.
    """
    published_at, changes, republished = None, [], False
    first, last = weeks[0].first_day - timedelta(days=7), weeks[-1].last_day
    by_roster: dict[int, dict[date, list[ShiftEvent]]] = {}  # one roster serves many weeks

    def events(roster_id: int, week_start: date) -> list[ShiftEvent]:
        if roster_id not in by_roster:
            by_roster[roster_id] = _agent_weeks(cache, roster_id, profile)
        return by_roster[roster_id].get(week_start, [])

    for week_start, publications in published:
        if not first <= week_start <= last:
            continue
        current = publications[-1]
        published_at = max(published_at or current.published_at, current.published_at)
        if len(publications) < 2:
            continue
        republished = True
        before = events(publications[-2].roster_id, week_start)
        after = events(current.roster_id, week_start)
        changes += shift_changes(before, after)
    return LatestPublication(
        published_at, sorted(changes, key=lambda c: c.start_local), republished
    )


def _agent_weeks(
    cache: RosterCache, roster_id: int, profile: AgentProfile
) -> dict[date, list[ShiftEvent]]:
    """The agent's shifts in a stored roster, by planning week."""
    scenario, roster = cache.roster(roster_id)
    mine = replace(roster, shifts=[s for s in roster.shifts if s.agent_id == profile.agent_id])
    stamp = datetime.min  # not shown: only what the events hold is compared
    return events_by_week(scenario, shift_events(scenario, mine, stamp))
