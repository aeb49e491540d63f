"""Scenarios: upload (multipart files, zip or JSON), list, get, delete; their agents."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response, status

from api.deps import BaseUrl, ResourceId, StoreDep, require_manager
from api.schemas import (
    ScenarioAgentOut,
    ScenarioFilesIn,
    ScenarioOut,
    scenario_agent_out,
    scenario_out,
)
from api.uploads import scenario_files

router = APIRouter(prefix="/scenarios", tags=["scenarios"], dependencies=[Depends(require_manager)])

UPLOAD_BODIES = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "scenario.toml, agents.csv, forecast.csv, "
                            "time_off.csv, or one .zip of the folder",
                        }
                    },
                }
            },
            "application/zip": {"schema": {"type": "string", "format": "binary"}},
            "application/json": {"schema": ScenarioFilesIn.model_json_schema()},
        },
    }
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ScenarioOut,
    openapi_extra=UPLOAD_BODIES,
    responses={422: {"description": "the scenario breaks the contract (file, row, column)"}},
)
async def upload_scenario(request: Request, store: StoreDep, base: BaseUrl) -> ScenarioOut:
    files = await scenario_files(request, store.settings.max_upload_bytes)
    row = store.create_scenario(files)
    return scenario_out(row, base, store.scenario(row.id).warnings)


@router.get("", response_model=list[ScenarioOut])
def list_scenarios(store: StoreDep, base: BaseUrl) -> list[ScenarioOut]:
    return [scenario_out(row, base) for row in store.list_scenarios()]


@router.get("/{scenario_id}", response_model=ScenarioOut)
def get_scenario(scenario_id: ResourceId, store: StoreDep, base: BaseUrl) -> ScenarioOut:
    row = store.get_scenario(scenario_id)
    return scenario_out(row, base, store.scenario(scenario_id).warnings)


@router.delete("/{scenario_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_scenario(scenario_id: ResourceId, store: StoreDep) -> Response:
    store.delete_scenario(scenario_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{scenario_id}/agents", response_model=list[ScenarioAgentOut])
def list_agents(scenario_id: ResourceId, store: StoreDep) -> list[ScenarioAgentOut]:
    scenario, linked = store.scenario_agents(scenario_id)
    return [scenario_agent_out(agent, agent.id in linked) for agent in scenario.agents]
