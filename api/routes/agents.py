"""Agents: managers see any agent's week and hand out links; an agent's link opens only
that agent's own page, week and feed (404 for any link that opens nothing).

The contract lets an agent id be any text, '/' included, so routes take it with the
`path` converter: `/agents/q%2F1/shifts` and `/agents/q/1/shifts` both name agent `q/1`.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request, Response, status

from api.deps import (
    NOT_FOUND_FOR_TOKENS,
    BaseUrl,
    LinkedAgent,
    OptionalId,
    ResourceId,
    StoreDep,
    require_manager,
)
from api.errors import NotFound, Unprocessable
from api.feeds import calendar_response
from api.schemas import (
    AgentLinkOut,
    AgentPageOut,
    AgentWeekOut,
    agent_link_out,
    agent_page_out,
    agent_week_out,
)

managers = APIRouter(tags=["agents"], dependencies=[Depends(require_manager)])
links = APIRouter(tags=["agent links"])

NOT_FOUND = {404: {"description": "unknown, rotated or revoked link"}}


@managers.get("/agents/{agent_id:path}/shifts", response_model=AgentWeekOut)
def agent_shifts(
    agent_id: str, store: StoreDep, week: date | None = None, roster_id: OptionalId = None
) -> AgentWeekOut:
    """The agent's shifts in the current roster of the published week that starts on or
    holds the day `week`, or in roster `roster_id`. An agent id may hold a '/'."""
    if roster_id is not None and week is not None:
        # Either names a roster of its own; answering with one would leave the other unheard.
        raise Unprocessable("give week=YYYY-MM-DD or roster_id, not both")
    if roster_id is not None:
        return agent_week_out(store.agent_roster_week(agent_id, roster_id))
    if week is None:
        raise Unprocessable("give week=YYYY-MM-DD (a published week) or roster_id")
    return agent_week_out(store.agent_week(store.agent_profile(agent_id), week))


@managers.post(
    "/scenarios/{scenario_id}/agents/{agent_id:path}/link",
    status_code=status.HTTP_201_CREATED,
    response_model=AgentLinkOut,
)
def issue_link(
    scenario_id: ResourceId, agent_id: str, store: StoreDep, base: BaseUrl
) -> AgentLinkOut:
    """A new personal link for the agent; any earlier link stops working."""
    token = store.issue_agent_token(scenario_id, agent_id)
    return agent_link_out(agent_id, token, base)


@managers.delete("/agents/{agent_id:path}/link", status_code=status.HTTP_204_NO_CONTENT)
def revoke_link(agent_id: str, store: StoreDep) -> Response:
    store.revoke_agent_token(agent_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@links.get("/agent/{token}", response_model=AgentPageOut, responses=NOT_FOUND)
def agent_page(token: str, agent: LinkedAgent, store: StoreDep, base: BaseUrl) -> AgentPageOut:
    return agent_page_out(agent, token, store.upcoming_events(agent.agent_id), base)


@links.get("/agent/{token}/shifts", response_model=AgentWeekOut, responses=NOT_FOUND)
def agent_own_week(agent: LinkedAgent, store: StoreDep, week: date) -> AgentWeekOut:
    """The agent's shifts of the published week that starts on or holds the day `week`."""
    return agent_week_out(store.agent_week(agent, week))


@links.head("/calendar/{token}.ics", include_in_schema=False)
@links.get(
    "/calendar/{token}.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, **NOT_FOUND},
)
def agent_feed(token: str, request: Request, store: StoreDep) -> Response:
    """The agent's published shifts, 14 days back to 91 days ahead (webcal-ready)."""
    feed = store.agent_feed_for_token(token)
    if feed is None:
        raise NotFound(NOT_FOUND_FOR_TOKENS)
    return calendar_response(request, feed)


@managers.head("/team/calendar.ics", include_in_schema=False)
@managers.get(
    "/team/calendar.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def team_feed(request: Request, store: StoreDep) -> Response:
    """Every agent's published shifts in the same window as the agents' feeds."""
    return calendar_response(request, store.team_feed())
