"""Solve jobs in worker processes: progress, results checked by the validator, parallel
solves, cancelling, failures, and what a restart does to unfinished jobs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from api.app import create_app
from api.db import create_schema, make_engine
from api.settings import Settings
from api.store import Store
from roster.check import check_roster
from roster.result import Roster
from roster.scenario import load_scenario
from tests.api.helpers import (
    AUTH,
    FakeClock,
    TestClient,
    domain_scenario,
    publish,
    roster_document,
    scenario_files,
    upload_json,
    upload_roster,
    wait_for_job,
)

SMALL = Path(__file__).resolve().parents[2] / "fixtures" / "small"
OTHER_TEAM = [
    "b01,Dara Kim,Asia/Seoul,en,L1,employee,24,40,30.00,06:00,22:00",
    "b02,Eli Sousa,America/Sao_Paulo,en,L2,employee,24,40,28.00,06:00,22:00",
]


def start_job(client: TestClient, scenario_id: int, **body: object) -> dict:
    response = client.post(f"/scenarios/{scenario_id}/jobs", json=body, headers=AUTH)
    assert response.status_code == 202, response.text
    assert response.headers["location"].endswith(f"/jobs/{response.json()['id']}")
    return response.json()


def solved_roster(client: TestClient, job: dict) -> Roster:
    document = client.get(f"/rosters/{job['roster_id']}/roster.json", headers=AUTH).json()
    return Roster.from_json(document)


def test_solve_runs_in_a_worker_and_stores_a_valid_roster(client: TestClient) -> None:
    files = scenario_files(min_hours=16)
    scenario_id = upload_json(client, files)

    job = start_job(client, scenario_id, time_limit_seconds=2, seed=3)
    assert job["state"] in ("queued", "running")
    assert client.get("/health").status_code == 200  # the API answers while it solves
    job = wait_for_job(client, job["id"])

    assert job["state"] == "succeeded", job
    assert job["progress"]["objective"] is not None
    assert job["time_limit_seconds"] == 2 and job["seed"] == 3
    roster = solved_roster(client, job)
    assert check_roster(domain_scenario(files), roster) == []
    hours = {
        a: sum(s.hours for s in roster.shifts if s.agent_id == a) for a in ("a01", "a02", "a03")
    }
    assert all(16 <= h <= 40 for h in hours.values()), hours
    info = client.get(f"/rosters/{job['roster_id']}", headers=AUTH).json()
    assert (info["source"], info["job_id"], info["state"]) == ("solve", job["id"], "draft")


def test_two_solves_at_once_do_not_interfere(client: TestClient) -> None:
    files_a = scenario_files(min_hours=16)
    files_b = scenario_files(week_start="2026-12-07", timezone="Asia/Seoul", agents=OTHER_TEAM)
    scenario_a, scenario_b = upload_json(client, files_a), upload_json(client, files_b)

    job_a = start_job(client, scenario_a, time_limit_seconds=2)
    job_b = start_job(client, scenario_b, time_limit_seconds=2)
    job_a, job_b = wait_for_job(client, job_a["id"]), wait_for_job(client, job_b["id"])

    assert job_a["state"] == job_b["state"] == "succeeded"
    assert job_b["started_at"] < job_a["finished_at"]  # they overlapped
    roster_a, roster_b = solved_roster(client, job_a), solved_roster(client, job_b)
    assert {s.agent_id for s in roster_a.shifts} <= {"a01", "a02", "a03"}
    assert {s.agent_id for s in roster_b.shifts} == {"b01", "b02"}
    assert check_roster(domain_scenario(files_a), roster_a) == []
    assert check_roster(domain_scenario(files_b), roster_b) == []


@pytest.fixture
def one_at_a_time(settings: Settings, clock: FakeClock) -> Iterator[TestClient]:
    with TestClient(create_app(replace(settings, max_parallel_solves=1), clock)) as client:
        yield client


def test_cancel_stops_a_queued_job_at_once_and_a_running_one_with_its_best_roster(
    one_at_a_time: TestClient,
) -> None:
    client = one_at_a_time
    small = load_scenario(SMALL)
    small_id = upload_json(client, {p.name: p.read_text() for p in SMALL.iterdir()})
    tiny_id = upload_json(client, scenario_files())
    running = start_job(client, small_id, time_limit_seconds=30)
    queued = start_job(client, tiny_id, time_limit_seconds=5)

    cancelled = client.post(f"/jobs/{queued['id']}/cancel", headers=AUTH)
    assert cancelled.status_code == 202
    assert cancelled.json()["state"] == "cancelled"
    deadline = time.monotonic() + 20
    while client.get(f"/jobs/{running['id']}", headers=AUTH).json()["progress"]["solutions"] < 1:
        assert time.monotonic() < deadline, "no solution within 20 s"
        time.sleep(0.2)
    assert client.post(f"/jobs/{running['id']}/cancel", headers=AUTH).status_code == 202
    job = wait_for_job(client, running["id"], timeout=15)

    assert job["state"] == "cancelled"
    assert job["progress"]["elapsed_seconds"] < 25  # stopped well before its 30 s
    if job["roster_id"] is None:
        # The engine looks at the stop flag only when it finds a solution; when none came
        # within the worker's grace period the worker ended the search without a roster.
        assert job["error"] == "cancelled; the search did not stop in time to keep a roster"
    else:
        assert check_roster(small, solved_roster(client, job)) == []
    assert client.post(f"/jobs/{running['id']}/cancel", headers=AUTH).status_code == 409
    assert client.get(f"/jobs/{queued['id']}", headers=AUTH).json()["state"] == "cancelled"


def test_infeasible_scenario_fails_the_job_naming_the_agent(client: TestClient) -> None:
    files = scenario_files(min_hours=8)
    files["time_off.csv"] = "agent_id,start,end\na02,2026-11-29T00:00:00Z,2026-12-08T00:00:00Z\n"
    job = start_job(client, upload_json(client, files), time_limit_seconds=5)
    job = wait_for_job(client, job["id"])
    assert job["state"] == "failed"
    assert "a02" in job["error"] and job["roster_id"] is None


def test_bad_solve_requests_are_4xx(client: TestClient) -> None:
    scenario_id = upload_json(client, scenario_files())
    path = f"/scenarios/{scenario_id}/jobs"
    assert client.post("/scenarios/99/jobs", json={}, headers=AUTH).status_code == 404
    for body in (
        {"time_limit_seconds": -1},
        {"time_limit_seconds": "soon"},
        {"seed": "x"},
        {"time_limit_seconds": 61},
        {"colour": "red"},
    ):
        response = client.post(path, json=body, headers=AUTH)
        assert response.status_code == 422, (body, response.text)
    broken = client.post(path, content=b"{", headers={**AUTH, "Content-Type": "application/json"})
    assert broken.status_code == 400
    assert "not valid JSON" in broken.json()["detail"]
    assert client.get("/jobs/99", headers=AUTH).status_code == 404
    assert client.post("/jobs/99/cancel", headers=AUTH).status_code == 404
    assert client.get("/jobs", headers=AUTH).json() == []


def test_restart_fails_unfinished_jobs_and_keeps_published_rosters(
    settings: Settings, clock: FakeClock
) -> None:
    files = scenario_files()
    with TestClient(create_app(settings, clock)) as client:
        scenario_id = upload_json(client, files)
        document = roster_document(
            domain_scenario(files), [("a02", "2026-12-01T08:00:00", "2026-12-01T16:00:00", "en-L1")]
        )
        roster_id = upload_roster(client, scenario_id, document)
        publish(client, roster_id)
    # A server that died mid-solve leaves a running and a queued job behind.
    engine = make_engine(settings.database_url)
    create_schema(engine)
    store = Store(engine, settings, clock)
    running = store.create_job(scenario_id, 5, 0)
    store.claim_queued_jobs(1)
    queued = store.create_job(scenario_id, 5, 0)
    engine.dispose()

    with TestClient(create_app(settings, clock)) as client:
        for job_id in (running.id, queued.id):
            job = client.get(f"/jobs/{job_id}", headers=AUTH).json()
            assert (job["state"], job["error"]) == ("failed", "server restarted during the solve")
        assert client.get(f"/rosters/{roster_id}", headers=AUTH).json()["state"] == "published"
        week = client.get("/agents/a02/shifts", params={"week": "2026-11-30"}, headers=AUTH)
        assert [s["start_utc"] for s in week.json()["shifts"]] == ["2026-12-01T08:00:00Z"]
