"""Roster pages: KPI cards with publish and downloads, the week grid, the coverage charts.

Figures come from `roster.kpi` (the same summary the JSON API serves); downloads are the
JSON API's own renderings, opened here by the session cookie instead of a bearer key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from markupsafe import Markup

from api.deps import ResourceId, StoreDep
from api.feeds import calendar_response
from api.store import RosterInfo, Store
from api.tables import coverage_csv, shifts_csv
from api.views.cache import RosterCache
from api.views.charts import coverage_svg
from api.views.deps import CacheDep, manager_pages
from api.views.templating import render, see_other
from api.views.weekgrid import WeekFilters, week_grid
from roster.kpi import QueueSummary, RosterSummary, scheduled_per_queue
from roster.model import Queue, Scenario
from roster.result import Roster
from roster.staffing import required_agents

router = manager_pages()

# How long a page waits for a KPI summary still being computed before it says so instead.
SUMMARY_WAIT_SECONDS = 1.5
SUMMARY_REFRESH_SECONDS = 3


@dataclass(frozen=True)
class QueueChart:
    queue: Queue
    svg: Markup
    summary: QueueSummary | None


@router.get("/ui/rosters/{roster_id}")
def overview(request: Request, roster_id: ResourceId, store: StoreDep, cache: CacheDep) -> Response:
    context = _roster_context(store, cache, roster_id)
    context["summary"] = cache.summary(roster_id, SUMMARY_WAIT_SECONDS)
    context["published_now"] = request.query_params.get("published") == "1"
    context["publications"] = _week_publications(store, context["info"])
    return render(request, "roster.html", context)


@router.get("/ui/rosters/{roster_id}/week")
def week(
    request: Request,
    roster_id: ResourceId,
    store: StoreDep,
    cache: CacheDep,
    zone: str = "planning",
    language: str = "",
    tier: str = "",
    timezone: str = "",
    contract: str = "",
) -> Response:
    context = _roster_context(store, cache, roster_id)
    filters = WeekFilters(zone, language, tier, timezone, contract)
    context["grid"] = week_grid(context["scenario"], context["roster"], filters)
    return render(request, "week.html", context)


@router.get("/ui/rosters/{roster_id}/coverage")
def coverage(request: Request, roster_id: ResourceId, store: StoreDep, cache: CacheDep) -> Response:
    context = _roster_context(store, cache, roster_id)
    summary = cache.summary(roster_id, SUMMARY_WAIT_SECONDS)
    context["summary"] = summary
    context["charts"] = queue_charts(context["scenario"], context["roster"], summary)
    return render(request, "coverage.html", context)


@router.post("/ui/rosters/{roster_id}/publish")
def publish(roster_id: ResourceId, store: StoreDep) -> Response:
    store.publish(roster_id)
    return see_other(f"/ui/rosters/{roster_id}?published=1")


@router.get("/ui/rosters/{roster_id}/shifts.csv")
def download_shifts(roster_id: ResourceId, store: StoreDep, cache: CacheDep) -> Response:
    scenario, roster = _stored_roster(store, cache, roster_id)
    return _download(shifts_csv(scenario, roster), f"roster-{roster_id}-shifts.csv")


@router.get("/ui/rosters/{roster_id}/coverage.csv")
def download_coverage(roster_id: ResourceId, store: StoreDep, cache: CacheDep) -> Response:
    _scenario, roster = _stored_roster(store, cache, roster_id)
    return _download(coverage_csv(roster), f"roster-{roster_id}-coverage.csv")


@router.get("/ui/rosters/{roster_id}/roster.json")
def download_json(roster_id: ResourceId, store: StoreDep) -> Response:
    document = store.get_roster(roster_id).row.document
    return Response(
        json.dumps(document, indent=1) + "\n",
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="roster-{roster_id}.json"'},
    )


@router.get("/ui/rosters/{roster_id}/calendar.ics")
def download_calendar(request: Request, roster_id: ResourceId, store: StoreDep) -> Response:
    feed = store.roster_calendar(roster_id)
    return calendar_response(request, feed, download=f"roster-{roster_id}.ics")


def queue_charts(
    scenario: Scenario, roster: Roster, summary: RosterSummary | None
) -> list[QueueChart]:
    required = required_agents(scenario)
    scheduled = scheduled_per_queue(scenario, roster)
    by_label = {q.queue: q for q in summary.queues} if summary else {}
    return [
        QueueChart(
            queue=queue,
            svg=coverage_svg(
                chart_id=f"chart-{queue.label}",
                title=f"{queue.label}: required and scheduled agents per interval",
                required=required[queue.key],
                scheduled=scheduled[queue.key],
                grid=scenario.grid,
            ),
            summary=by_label.get(queue.label),
        )
        for queue in scenario.queues
    ]


def _stored_roster(store: Store, cache: RosterCache, roster_id: int) -> tuple[Scenario, Roster]:
    store.get_roster(roster_id)  # first: a deleted roster is a 404, cached or not
    return cache.roster(roster_id)


def _roster_context(store: Store, cache: RosterCache, roster_id: int) -> dict[str, Any]:
    info = store.get_roster(roster_id)  # first: a deleted roster is a 404, cached or not
    scenario, roster = cache.roster(roster_id)
    return {
        "info": info,
        "scenario_row": store.get_scenario(info.row.scenario_id),
        "scenario": scenario,
        "roster": roster,
        "refresh_seconds": SUMMARY_REFRESH_SECONDS,
    }


def _week_publications(store: Store, info: RosterInfo) -> list:
    for week_start, publications in store.weeks():
        if week_start == info.row.week_start:
            return list(reversed(publications))
    return []


def _download(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
