"""Scenario pages: the list with the upload forms, one scenario with its agents, solves
and rosters, and handing an agent a personal link."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response

from api.db import ScenarioRow
from api.deps import ResourceId, StoreDep
from api.errors import ApiError
from api.schemas import feed_links
from api.store import Store
from api.uploads import scenario_files
from api.views.deps import manager_pages
from api.views.templating import render, see_other
from roster.errors import ScenarioError

router = manager_pages()


@dataclass(frozen=True)
class UploadProblem:
    """Why an upload was refused; where in the scenario, when the engine says so."""

    problem: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    key: str | None = None


@router.get("/ui/scenarios")
def scenario_list(request: Request, store: StoreDep) -> Response:
    return _list_page(request, store)


@router.post("/ui/scenarios")
async def upload(request: Request, store: StoreDep) -> Response:
    """The engine validates the upload; its file/row/column message is shown in place."""
    try:
        files = await scenario_files(request, store.settings.max_upload_bytes)
        row = store.create_scenario(files)
    except ScenarioError as error:
        problem = UploadProblem(error.problem, error.file, error.row, error.column, error.key)
        return _list_page(request, store, upload_error=problem, status_code=422)
    except ApiError as error:
        problem = UploadProblem(error.detail)
        return _list_page(request, store, upload_error=problem, status_code=error.status_code)
    return see_other(f"/ui/scenarios/{row.id}?uploaded=1")


@router.get("/ui/scenarios/{scenario_id}")
def scenario_page(request: Request, scenario_id: ResourceId, store: StoreDep) -> Response:
    return render(request, "scenario.html", scenario_context(store, scenario_id))


@router.post("/ui/scenarios/{scenario_id}/agents/{agent_id:path}/link")
def issue_link(
    request: Request, scenario_id: ResourceId, agent_id: str, store: StoreDep
) -> Response:
    """A new personal link for the agent, shown once; any earlier link stops working."""
    token = store.issue_agent_token(scenario_id, agent_id)
    base = store.settings.public_base_url
    scenario = store.scenario(scenario_id)
    context = {
        "scenario_id": scenario_id,
        "scenario_name": scenario.name,
        "agent": scenario.agents_by_id[agent_id],
        **feed_links(token, base),
    }
    return render(request, "agent_link.html", context)


def scenario_context(store: Store, scenario_id: int, **extra: Any) -> dict[str, Any]:
    row = store.get_scenario(scenario_id)
    scenario, linked = store.scenario_agents(scenario_id)
    return {
        "row": row,
        "scenario": scenario,
        "linked": linked,
        "jobs": list(reversed(store.list_jobs(scenario_id))),
        "rosters": list(reversed(store.roster_infos(scenario_id))),
        "settings": store.settings,
        "solve_error": None,
        **extra,
    }


def _list_page(
    request: Request,
    store: Store,
    upload_error: UploadProblem | None = None,
    status_code: int = 200,
) -> Response:
    scenarios = list(reversed(store.list_scenarios()))
    context = {
        "scenarios": scenarios,
        "weeks": {row.id: horizon_weeks(row) for row in scenarios},
        "upload_error": upload_error,
        "max_upload_mb": store.settings.max_upload_bytes / 1_000_000,
    }
    return render(request, "scenarios.html", context, status_code)


def horizon_weeks(row: ScenarioRow) -> int:
    """The scenario's `weeks`, read from its stored scenario.toml (validated on upload):
    loading every listed scenario just for this number would cost far more."""
    return int(tomllib.loads(row.files["scenario.toml"]).get("weeks", 1))
