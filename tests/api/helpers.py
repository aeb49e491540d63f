"""Tiny hand-written scenarios and rosters for the API tests, plus small client helpers.

The scenarios have no forecast and queues with min_agents 0, so `required` is 0 in every
interval (no Erlang maths involved) and any roster that keeps the labour rules is valid.
"""

from __future__ import annotations

import re
import time
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from roster.check import check_roster
from roster.model import Scenario
from roster.result import CoverageRow, Roster, Shift
from roster.scenario import load_scenario_files
from roster.staffing import required_agents

with warnings.catch_warnings():
    # Starlette asks for `httpx2`; it still works with the `httpx` the project installs.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

MANAGER_KEY = "manager-key-for-the-api-tests"
AUTH = {"Authorization": f"Bearer {MANAGER_KEY}"}

# id, name, timezone, languages, tier, contract, min_hours, max_hours, cost, from, to
AGENTS = [
    "a01,Ana Reyes,Asia/Manila,en fr,L2,employee,0,40,25.00,00:00,24:00",
    "a02,Ben Okafor,Europe/Paris,en,L1,freelance,0,40,18.50,00:00,24:00",
    "a03,Chloé Girard,America/New_York,en,L1,employee,0,40,21.00,00:00,24:00",
]
AGENTS_HEADER = (
    "id,name,timezone,languages,tier,contract,min_hours,max_hours,hourly_cost,"
    "available_from,available_to"
)


@dataclass
class FakeClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def scenario_files(
    *,
    week_start: str = "2026-11-30",
    timezone: str = "UTC",
    name: str = "Tiny helpdesk",
    agents: list[str] | None = None,
    min_hours: float | None = None,
) -> dict[str, str]:
    rows = agents or AGENTS
    if min_hours is not None:
        rows = [_with_min_hours(row, min_hours) for row in rows]
    toml = f"""name = "{name}"
week_start = "{week_start}"
planning_timezone = "{timezone}"
interval_minutes = 60

[staffing]
shrinkage = 0.0
max_occupancy = 0.85
escalation_rate = 0.0

[rules]
shift_hours = [8, 10]
shift_start_step_minutes = 60
min_rest_hours = 11
max_consecutive_days = 6

[[queue]]
language = "en"
tier = "L1"
aht_seconds = 300
service_level = 0.8
answer_seconds = 60
min_agents = 0

[[queue]]
language = "en"
tier = "L2"
aht_seconds = 900
service_level = 0.8
answer_seconds = 300
min_agents = 0
"""
    return {
        "scenario.toml": toml,
        "agents.csv": "\n".join([AGENTS_HEADER, *rows]) + "\n",
        "forecast.csv": "start,language,tier,tickets\n",
    }


def _with_min_hours(row: str, hours: float) -> str:
    cells = row.split(",")
    cells[6] = f"{hours:g}"
    return ",".join(cells)


def domain_scenario(files: dict[str, str]) -> Scenario:
    return load_scenario_files(files)


def roster_document(
    scenario: Scenario, shifts: list[tuple[str, str, str, str]], objective: float = 100.0
) -> dict:
    """roster.json for hand-picked (agent, start UTC, end UTC, queue) shifts; each on-shift
    agent counts in the queue its shift names. Asserts the roster is valid."""
    picked = [Shift(a, utc(s), utc(e), q) for a, s, e, q in shifts]
    required = required_agents(scenario)
    grid = scenario.grid
    scheduled = {q.key: np.zeros(grid.n_intervals, dtype=int) for q in scenario.queues}
    for shift in picked:
        language, tier = shift.queue.split("-")
        for i, start in enumerate(grid.interval_starts()):
            if shift.start <= start < shift.end:
                scheduled[(language, tier)][i] += 1
    coverage = [
        CoverageRow(start, q.language, q.tier, float(required[q.key][i]), int(scheduled[q.key][i]))
        for i, start in enumerate(grid.interval_starts())
        for q in scenario.queues
    ]
    roster = Roster("FEASIBLE", objective, objective, 1.0, picked, coverage)
    assert check_roster(scenario, roster) == []
    return roster.to_json()


def upload_json(client: TestClient, files: dict[str, str]) -> int:
    response = client.post("/scenarios", json={"files": files}, headers=AUTH)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def upload_roster(client: TestClient, scenario_id: int, document: dict) -> int:
    response = client.post(f"/scenarios/{scenario_id}/rosters", json=document, headers=AUTH)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def publish(client: TestClient, roster_id: int) -> dict:
    response = client.post(f"/rosters/{roster_id}/publish", headers=AUTH)
    assert response.status_code == 200, response.text
    return response.json()


def agent_link(client: TestClient, scenario_id: int, agent_id: str) -> str:
    response = client.post(f"/scenarios/{scenario_id}/agents/{agent_id}/link", headers=AUTH)
    assert response.status_code == 201, response.text
    return response.json()["token"]


def wait_for_job(client: TestClient, job_id: int, timeout: float = 40.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}", headers=AUTH).json()
        if job["state"] not in ("queued", "running"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still {job['state']} after {timeout} s")


def page_text(html: str) -> str:
    """A page's text with tags dropped and whitespace collapsed, for exact phrases."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def log_in(client: TestClient) -> None:
    """Open a manager session for the pages (/ui/...)."""
    response = client.post("/ui/login", data={"api_key": MANAGER_KEY}, follow_redirects=False)
    assert response.status_code == 303, response.text
