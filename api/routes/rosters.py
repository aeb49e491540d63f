"""Rosters: upload or list them, read them as roster.json, CSV, KPIs or .ics; publish."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status

from api.deps import BaseUrl, OptionalId, ResourceId, StoreDep, require_manager
from api.errors import NotFound
from api.feeds import calendar_response
from api.schemas import (
    PublicationOut,
    RosterOut,
    WeekOut,
    publication_out,
    roster_out,
    week_out,
)
from api.tables import coverage_csv, shifts_csv
from api.uploads import roster_json_body
from roster.kpi import summarize
from roster.result import roster_json_text

router = APIRouter(tags=["rosters"], dependencies=[Depends(require_manager)])

CSV = "text/csv"
# The body is read by `roster_json_body` (clear messages for every unusable body), so
# OpenAPI is told its shape here.
ROSTER_BODY = {
    "requestBody": {
        "required": True,
        "description": "a roster.json of this scenario",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


@router.post(
    "/scenarios/{scenario_id}/rosters",
    status_code=status.HTTP_201_CREATED,
    response_model=RosterOut,
    openapi_extra=ROSTER_BODY,
    responses={
        400: {"description": "the body is not JSON"},
        415: {"description": "the body is not sent as application/json"},
        422: {"description": "not a roster.json, or it breaks a hard rule"},
    },
)
def upload_roster(
    scenario_id: ResourceId,
    store: StoreDep,
    base: BaseUrl,
    document: Annotated[dict[str, Any], Depends(roster_json_body)],
) -> RosterOut:
    row = store.add_uploaded_roster(scenario_id, document)
    return roster_out(store.get_roster(row.id), base)


@router.get("/rosters", response_model=list[RosterOut])
def list_rosters(store: StoreDep, base: BaseUrl, scenario_id: OptionalId = None) -> list[RosterOut]:
    return [roster_out(info, base) for info in store.list_rosters(scenario_id)]


@router.get("/rosters/{roster_id}", response_model=RosterOut)
def get_roster(roster_id: ResourceId, store: StoreDep, base: BaseUrl) -> RosterOut:
    return roster_out(store.get_roster(roster_id), base)


@router.get("/rosters/{roster_id}/roster.json", response_class=Response)
def roster_json(roster_id: ResourceId, store: StoreDep) -> Response:
    """The contract's roster.json, as stored (`required` with at least 2 decimals)."""
    document = store.get_roster(roster_id).row.document
    return Response(roster_json_text(document), media_type="application/json")


@router.get("/rosters/{roster_id}/shifts.csv", response_class=Response)
def roster_shifts_csv(roster_id: ResourceId, store: StoreDep) -> Response:
    scenario, roster = store.roster(roster_id)
    return Response(shifts_csv(scenario, roster), media_type=CSV)


@router.get("/rosters/{roster_id}/coverage.csv", response_class=Response)
def roster_coverage_csv(roster_id: ResourceId, store: StoreDep) -> Response:
    _scenario, roster = store.roster(roster_id)
    return Response(coverage_csv(roster), media_type=CSV)


@router.get("/rosters/{roster_id}/summary", response_model=dict[str, Any])
def roster_summary(roster_id: ResourceId, store: StoreDep) -> dict[str, Any]:
    return summarize(*store.roster(roster_id)).to_json()


@router.get("/rosters/{roster_id}/calendar.ics", response_class=Response)
def roster_calendar(roster_id: ResourceId, request: Request, store: StoreDep) -> Response:
    feed = store.roster_calendar(roster_id)
    return calendar_response(request, feed, download=f"roster-{roster_id}.ics")


@router.post("/rosters/{roster_id}/publish", response_model=PublicationOut)
def publish_roster(roster_id: ResourceId, store: StoreDep) -> PublicationOut:
    """Make the roster current for each week of its horizon; the answer is the first
    week's publication, with any rule it breaks across the boundary with its neighbours."""
    publication = store.publish(roster_id)
    return publication_out(publication, store.boundary_conflicts(roster_id))


@router.get("/weeks", response_model=list[WeekOut])
def list_weeks(store: StoreDep) -> list[WeekOut]:
    return [week_out(week, publications) for week, publications in store.weeks()]


@router.get("/weeks/{day}", response_model=WeekOut, responses={404: {"description": "no week"}})
def get_week(day: date, store: StoreDep) -> WeekOut:
    """The published week that starts on `day` or holds it, and the roster current for it.

    A roster of several weeks is published for each of its weeks, so this finds it for
    any of them; a roster published later for one of those weeks is current there only.
    """
    found = store.week_containing(day)
    if found is None:
        raise NotFound(f"no published week starts on or holds {day.isoformat()}")
    return week_out(*found)
