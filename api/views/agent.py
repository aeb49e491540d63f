"""The agent's own page, opened by the personal link: this week and next in the agent's
zone, what the latest publication changed, and the calendar subscription.

It shows only what the link's agent may see (AgentProfile and the agent's own published
shifts): no other agent, no cost, no contract. A link that opens nothing is a 404 with the
same words whether the agent exists or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fastapi import Request, Response

from api.deps import NOT_FOUND_FOR_TOKENS, StoreDep
from api.schemas import feed_links
from api.store import AgentProfile, Store
from api.views.agentweek import (
    ShiftChange,
    agent_weeks,
    local_monday,
    shift_changes,
    shown_range,
)
from api.views.cache import RosterCache
from api.views.deps import CacheDep, public_pages
from api.views.templating import error_page, render
from roster.calendar import ShiftEvent, shift_events

router = public_pages()


@dataclass(frozen=True)
class LatestPublication:
    published_at: datetime | None
    changes: list[ShiftChange]
    republished: bool  # the week had an earlier publication to compare with


@router.get("/ui/agent/{token}")
def agent_page(request: Request, token: str, store: StoreDep, cache: CacheDep) -> Response:
    profile = store.agent_for_token(token)
    if profile is None:
        return error_page(request, 404, NOT_FOUND_FOR_TOKENS)
    now = store.clock()
    start, end = shown_range(now, profile.timezone)
    events = [e for e in store.upcoming_events(profile.agent_id) if start <= e.start < end]
    context = {
        "profile": profile,
        "weeks": agent_weeks(events, profile.timezone, now),
        "latest": latest_publication(store, cache, profile, local_monday(now, profile.timezone)),
        **feed_links(token, store.settings.public_base_url),
    }
    return render(request, "agent.html", context)


def latest_publication(
    store: Store, cache: RosterCache, profile: AgentProfile, monday: date
) -> LatestPublication:
    """Changes to the agent's shifts made by the latest publication of each week shown.

    Planning weeks start on their own local date, so any week that starts within a week
    before the first shown Monday up to the last shown day may hold shown shifts.
    """
    published_at, changes, republished = None, [], False
    first, last = monday - timedelta(days=7), monday + timedelta(days=14)
    for week_start, publications in store.weeks():
        if not first <= week_start < last:
            continue
        current = publications[-1]
        published_at = max(published_at or current.published_at, current.published_at)
        if len(publications) < 2:
            continue
        republished = True
        before = _agent_events(cache, publications[-2].roster_id, profile.agent_id)
        after = _agent_events(cache, current.roster_id, profile.agent_id)
        changes += shift_changes(before, after, profile.timezone)
    return LatestPublication(
        published_at, sorted(changes, key=lambda c: c.start_local), republished
    )


def _agent_events(cache: RosterCache, roster_id: int, agent_id: str) -> list[ShiftEvent]:
    scenario, roster = cache.roster(roster_id)
    stamp = datetime.min  # not shown: only what the events hold is compared
    return [e for e in shift_events(scenario, roster, stamp) if e.agent_id == agent_id]
