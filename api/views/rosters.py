"""Roster pages: KPI cards with publish and downloads, the week grid, the coverage charts,
and for a horizon of several weeks the hours of every agent in every week.

Figures come from `roster.kpi` (the same summary the JSON API serves) and, per week of the
horizon, from `api.views.weekly` (the same formulas over one week's intervals); downloads
are the JSON API's own renderings, opened here by the session cookie instead of a bearer
key. The grid and the charts show one planning week at a time (`?week=N`, from 1); without
one they open on the week that holds today, else on the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query, Request, Response
from markupsafe import Markup

from api.db import PublicationRow
from api.deps import ResourceId, StoreDep
from api.feeds import calendar_response
from api.store import Store
from api.tables import coverage_csv, shifts_csv
from api.views.cache import RosterCache
from api.views.charts import coverage_svg
from api.views.deps import CacheDep, manager_pages
from api.views.horizon import (
    MAX_WEEKS,
    PlanningWeek,
    pick_week,
    planning_weeks,
    week_grid_of,
    week_nav,
    week_slice,
)
from api.views.templating import render, see_other
from api.views.weekgrid import WeekFilters, filter_options, week_grid
from api.views.weekly import (
    CoverageArrays,
    CoverageFigures,
    agent_hours,
    coverage_figures,
    week_totals,
)
from roster.kpi import QueueSummary, RosterSummary, ShortPeriod
from roster.model import Queue, Scenario
from roster.result import Roster, roster_json_text

router = manager_pages()

WeekNumber = Annotated[int | None, Query(ge=1, le=MAX_WEEKS)]

# How long a page waits for a KPI summary still being computed before it says so instead.
SUMMARY_WAIT_SECONDS = 1.5
SUMMARY_REFRESH_SECONDS = 3


@dataclass(frozen=True)
class QueueChart:
    queue: Queue
    svg: Markup
    week: CoverageFigures  # the week shown
    summary: QueueSummary | None  # the whole horizon; None while it is being computed
    short_periods: list[ShortPeriod]  # of the summary, those that touch the week shown


@dataclass(frozen=True)
class WeekPublications:
    """One week of a roster's horizon: the roster current for it and its publications."""

    week: PlanningWeek
    current_roster_id: int | None
    publications: list[PublicationRow]  # newest first


@router.get("/ui/rosters/{roster_id}")
def overview(request: Request, roster_id: ResourceId, store: StoreDep, cache: CacheDep) -> Response:
    context = _roster_context(store, cache, roster_id)
    scenario, roster = context["scenario"], context["roster"]
    context["summary"] = cache.summary(roster_id, SUMMARY_WAIT_SECONDS)
    context["published_now"] = request.query_params.get("published") == "1"
    published = context["info"].state == "published"
    context["boundary_conflicts"] = (
        store.boundary_conflicts(roster_id, (scenario, roster)) if published else []
    )
    context["week_publications"] = week_publications(store, scenario)
    context["agent_names"] = {agent.id: agent.name for agent in scenario.agents}
    context["week_totals"] = (
        week_totals(scenario, roster, cache.coverage_arrays(roster_id))
        if scenario.weeks > 1
        else []
    )
    return render(request, "roster.html", context)


@router.get("/ui/rosters/{roster_id}/week")
def week_page(
    request: Request,
    roster_id: ResourceId,
    store: StoreDep,
    cache: CacheDep,
    zone: str = "planning",
    language: str = "",
    tier: str = "",
    timezone: str = "",
    contract: str = "",
    week: WeekNumber = None,
) -> Response:
    context = _roster_context(store, cache, roster_id)
    scenario = context["scenario"]
    shown = pick_week(scenario, week, store.clock())
    filters = WeekFilters(zone, language, tier, timezone, contract)
    context["grid"] = week_grid(scenario, context["roster"], filters, shown)
    context["nav"] = week_nav(scenario, shown, f"/ui/rosters/{roster_id}/week", filters.params())
    return render(request, "week.html", context)


@router.get("/ui/rosters/{roster_id}/hours")
def hours_page(
    request: Request,
    roster_id: ResourceId,
    store: StoreDep,
    cache: CacheDep,
    language: str = "",
    tier: str = "",
    timezone: str = "",
    contract: str = "",
) -> Response:
    """Every agent's hours in every week of the horizon, against the weekly bounds."""
    context = _roster_context(store, cache, roster_id)
    scenario = context["scenario"]
    filters = WeekFilters("planning", language, tier, timezone, contract)
    agents = [a for a in scenario.agents if filters.matches(a)]
    context["rows"] = agent_hours(scenario, context["roster"], agents)
    context["weeks"] = planning_weeks(scenario)
    context["filters"] = filters
    context["options"] = filter_options(scenario)
    return render(request, "hours.html", context)


@router.get("/ui/rosters/{roster_id}/coverage")
def coverage_page(
    request: Request,
    roster_id: ResourceId,
    store: StoreDep,
    cache: CacheDep,
    week: WeekNumber = None,
) -> Response:
    context = _roster_context(store, cache, roster_id)
    scenario = context["scenario"]
    shown = pick_week(scenario, week, store.clock())
    summary = cache.summary(roster_id, SUMMARY_WAIT_SECONDS)
    arrays = cache.coverage_arrays(roster_id)
    context["summary"] = summary
    context["week"] = shown
    context["charts"] = queue_charts(scenario, arrays, summary, shown)
    context["nav"] = week_nav(scenario, shown, f"/ui/rosters/{roster_id}/coverage", {})
    context["week_totals"] = (
        week_totals(scenario, context["roster"], arrays) if scenario.weeks > 1 else []
    )
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
        roster_json_text(document),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="roster-{roster_id}.json"'},
    )


@router.get("/ui/rosters/{roster_id}/calendar.ics")
def download_calendar(request: Request, roster_id: ResourceId, store: StoreDep) -> Response:
    feed = store.roster_calendar(roster_id)
    return calendar_response(request, feed, download=f"roster-{roster_id}.ics")


def queue_charts(
    scenario: Scenario,
    arrays: CoverageArrays,
    summary: RosterSummary | None,
    week: PlanningWeek,
) -> list[QueueChart]:
    """One chart per queue over the intervals of `week`."""
    part, grid = week_slice(scenario, week), week_grid_of(scenario, week)
    by_label = {q.queue: q for q in summary.queues} if summary else {}
    which = f", {week.label.lower()}" if week.count > 1 else ""
    charts = []
    for queue in scenario.queues:
        required = arrays.required[queue.key][part]
        scheduled = arrays.scheduled[queue.key][part]
        horizon = by_label.get(queue.label)
        charts.append(
            QueueChart(
                queue=queue,
                svg=coverage_svg(
                    chart_id=f"chart-{queue.label}",
                    title=f"{queue.label}{which}: required and scheduled agents per interval",
                    required=required,
                    scheduled=scheduled,
                    grid=grid,
                ),
                week=coverage_figures(required, scheduled, scenario.interval_minutes),
                summary=horizon,
                short_periods=[
                    p for p in (horizon.short_periods if horizon else []) if _touches(p, week)
                ],
            )
        )
    return charts


def week_publications(store: Store, scenario: Scenario) -> list[WeekPublications]:
    """Each week of the scenario's horizon with the roster current for it, if any."""
    published = dict(store.weeks())
    weeks = []
    for week in planning_weeks(scenario):
        rows = published.get(week.first_day, [])
        current = rows[-1].roster_id if rows else None
        weeks.append(WeekPublications(week, current, list(reversed(rows))))
    return weeks


def _touches(period: ShortPeriod, week: PlanningWeek) -> bool:
    return period.start < week.end and period.end > week.start


def _stored_roster(store: Store, cache: RosterCache, roster_id: int) -> tuple[Scenario, Roster]:
    store.roster_info(roster_id)  # first: a deleted roster is a 404, cached or not
    return cache.roster(roster_id)


def _roster_context(store: Store, cache: RosterCache, roster_id: int) -> dict[str, Any]:
    info = store.roster_info(roster_id)  # first: a deleted roster is a 404, cached or not
    scenario, roster = cache.roster(roster_id)
    return {
        "info": info,
        "scenario_row": store.get_scenario(info.row.scenario_id),
        "scenario": scenario,
        "roster": roster,
        "refresh_seconds": SUMMARY_REFRESH_SECONDS,
    }


def _download(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
