"""Rosters: upload, every representation (roster.json, CSV, KPIs), publishing and versions."""

from __future__ import annotations

import csv
import io
import json
import re

from tests.api.helpers import (
    AUTH,
    TestClient,
    domain_scenario,
    publish,
    roster_document,
    scenario_files,
    upload_json,
    upload_roster,
)

ANA = ("a01", "2026-11-30T01:00:00", "2026-11-30T09:00:00", "en-L2")  # Manila 09:00-17:00
BEN = ("a02", "2026-12-01T08:00:00", "2026-12-01T18:00:00", "en-L1")  # Paris 09:00-19:00


def stored_roster(client: TestClient, shifts: list) -> tuple[int, int, dict]:
    files = scenario_files()
    scenario_id = upload_json(client, files)
    document = roster_document(domain_scenario(files), shifts)
    return scenario_id, upload_roster(client, scenario_id, document), document


def test_roster_json_is_returned_as_uploaded(client: TestClient) -> None:
    _, roster_id, document = stored_roster(client, [ANA, BEN])
    response = client.get(f"/rosters/{roster_id}/roster.json", headers=AUTH)
    assert response.json() == document
    assert response.headers["content-type"] == "application/json"
    # As the contract writes it: `required` with at least 2 decimals.
    assert re.findall(r'"required": ([^,}]+)', response.text) == [
        f"{row['required']:.2f}" for row in document["coverage"]
    ]
    info = client.get(f"/rosters/{roster_id}", headers=AUTH).json()
    assert (info["state"], info["source"], info["shifts"], info["status"]) == (
        "draft",
        "upload",
        2,
        "FEASIBLE",
    )


def test_an_objective_with_float_noise_is_listed_to_two_decimals(client: TestClient) -> None:
    files = scenario_files()
    scenario_id = upload_json(client, files)
    document = roster_document(domain_scenario(files), [ANA, BEN])
    document["objective"] = 30807040.000000004
    roster_id = upload_roster(client, scenario_id, document)
    info = client.get(f"/rosters/{roster_id}", headers=AUTH).json()
    assert info["objective"] == 30807040.0


def test_shifts_csv_has_utc_and_local_times(client: TestClient) -> None:
    _, roster_id, _ = stored_roster(client, [ANA, BEN])
    response = client.get(f"/rosters/{roster_id}/shifts.csv", headers=AUTH)
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [
        (r["agent_id"], r["start_utc"], r["start_local"], r["end_local"], r["hours"], r["queue"])
        for r in rows
    ] == [
        (
            "a01",
            "2026-11-30T01:00:00+00:00",
            "2026-11-30T09:00:00+08:00",
            "2026-11-30T17:00:00+08:00",
            "8.0",
            "en-L2",
        ),
        (
            "a02",
            "2026-12-01T08:00:00+00:00",
            "2026-12-01T09:00:00+01:00",
            "2026-12-01T19:00:00+01:00",
            "10.0",
            "en-L1",
        ),
    ]


def test_coverage_csv_has_one_row_per_interval_and_queue(client: TestClient) -> None:
    _, roster_id, _ = stored_roster(client, [ANA])
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/rosters/{roster_id}/coverage.csv", headers=AUTH).text)
        )
    )
    assert len(rows) == 7 * 24 * 2  # a UTC week of hours, two queues
    scheduled_l2 = [int(r["scheduled"]) for r in rows if r["tier"] == "L2"]
    assert sum(scheduled_l2) == 8  # Ana's 8 hours on en-L2
    assert {r["required"] for r in rows} == {"0.00"}


def test_summary_reports_hours_and_cost(client: TestClient) -> None:
    _, roster_id, _ = stored_roster(client, [ANA, BEN])
    summary = client.get(f"/rosters/{roster_id}/summary", headers=AUTH).json()
    assert summary["total_hours"] == 18.0
    assert summary["total_cost"] == 8 * 25.0 + 10 * 18.5
    assert {q["queue"] for q in summary["queues"]} == {"en-L1", "en-L2"}


def test_roster_breaking_a_hard_rule_is_422_with_the_rule(client: TestClient) -> None:
    files = scenario_files()
    scenario_id = upload_json(client, files)
    document = roster_document(domain_scenario(files), [ANA])
    document["shifts"][0]["end"] = "2026-11-30T10:00:00+00:00"  # 9 h: not an allowed length
    response = client.post(f"/scenarios/{scenario_id}/rosters", json=document, headers=AUTH)
    assert response.status_code == 422
    assert "shift_length" in response.json()["detail"]
    assert client.get("/rosters", headers=AUTH).json() == []


def test_unreadable_roster_json_is_422(client: TestClient) -> None:
    scenario_id = upload_json(client, scenario_files())
    for body in (
        {"status": "OPTIMAL"},
        {"status": "OPTIMAL", "shifts": [{"agent_id": "a01"}], "coverage": []},
        [1],
    ):
        response = client.post(f"/scenarios/{scenario_id}/rosters", json=body, headers=AUTH)
        assert response.status_code == 422, response.text
    broken = client.post(
        f"/scenarios/{scenario_id}/rosters",
        content=b"{not json",
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert broken.status_code == 400
    assert "not valid JSON" in broken.json()["detail"]


def test_roster_naming_unknown_agents_is_422(client: TestClient) -> None:
    files = scenario_files()
    scenario_id = upload_json(client, files)
    document = roster_document(domain_scenario(files), [ANA])
    document["shifts"][0]["agent_id"] = "ghost"
    response = client.post(f"/scenarios/{scenario_id}/rosters", json=document, headers=AUTH)
    assert response.status_code == 422
    assert "ghost" in response.json()["detail"]


def test_publishing_keeps_earlier_versions_and_names_the_current_one(client: TestClient) -> None:
    files = scenario_files()
    scenario_id = upload_json(client, files)
    scenario = domain_scenario(files)
    first = upload_roster(client, scenario_id, roster_document(scenario, [ANA]))
    second = upload_roster(client, scenario_id, roster_document(scenario, [ANA, BEN]))
    publish(client, first)
    publish(client, second)

    states = {r["id"]: r["state"] for r in client.get("/rosters", headers=AUTH).json()}
    assert states == {first: "superseded", second: "published"}
    weeks = client.get("/weeks", headers=AUTH).json()
    assert [(w["week_start"], w["current_roster_id"]) for w in weeks] == [("2026-11-30", second)]
    assert [p["roster_id"] for p in weeks[0]["publications"]] == [first, second]
    assert client.get(f"/rosters/{first}/roster.json", headers=AUTH).status_code == 200

    publish(client, first)
    states = {r["id"]: r["state"] for r in client.get("/rosters", headers=AUTH).json()}
    assert states == {first: "published", second: "superseded"}


def test_manager_sees_an_agents_draft_week_by_roster_id(client: TestClient) -> None:
    _, roster_id, _ = stored_roster(client, [ANA, BEN])
    week = client.get("/agents/a01/shifts", params={"roster_id": roster_id}, headers=AUTH).json()
    assert week["shifts"] == [
        {
            "start_utc": "2026-11-30T01:00:00Z",
            "end_utc": "2026-11-30T09:00:00Z",
            "start_local": "2026-11-30T09:00:00+08:00",
            "end_local": "2026-11-30T17:00:00+08:00",
            "timezone": "Asia/Manila",
            "hours": 8.0,
            "queue": "en-L2",
        }
    ]
    unpublished = client.get("/agents/a01/shifts", params={"week": "2026-11-30"}, headers=AUTH)
    assert unpublished.json()["shifts"] == [] and unpublished.json()["roster_id"] is None


def test_asking_an_agents_shifts_by_week_and_roster_at_once_is_422(client: TestClient) -> None:
    _, roster_id, _ = stored_roster(client, [ANA, BEN])
    both = {"roster_id": roster_id, "week": "2026-11-30"}
    response = client.get("/agents/a01/shifts", params=both, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["detail"] == "give week=YYYY-MM-DD or roster_id, not both"


def test_unknown_rosters_agents_and_bad_parameters_are_4xx(client: TestClient) -> None:
    _, roster_id, _ = stored_roster(client, [ANA])
    for path in (
        "/rosters/77",
        "/rosters/77/roster.json",
        "/rosters/77/shifts.csv",
        "/rosters/77/summary",
        "/rosters/77/calendar.ics",
    ):
        assert client.get(path, headers=AUTH).status_code == 404, path
    assert client.post("/rosters/77/publish", headers=AUTH).status_code == 404
    assert client.post("/scenarios/77/rosters", json={}, headers=AUTH).status_code == 404
    assert (
        client.get("/agents/zz/shifts", params={"week": "2026-11-30"}, headers=AUTH).status_code
        == 404
    )
    assert (
        client.get("/agents/zz/shifts", params={"roster_id": roster_id}, headers=AUTH).status_code
        == 404
    )
    assert client.get("/agents/a01/shifts", headers=AUTH).status_code == 422
    assert (
        client.get("/agents/a01/shifts", params={"week": "30/11/2026"}, headers=AUTH).status_code
        == 422
    )
    assert client.get("/rosters/x", headers=AUTH).status_code == 422


def test_non_finite_numbers_in_roster_json_are_422_not_stored(client: TestClient) -> None:
    files = scenario_files()
    scenario_id = upload_json(client, files)
    text = json.dumps(roster_document(domain_scenario(files), [ANA]))
    for bad in (
        text.replace('"objective": 100.0', '"objective": NaN'),
        text.replace('"bound": 100.0', '"bound": Infinity'),
    ):
        response = client.post(
            f"/scenarios/{scenario_id}/rosters",
            content=bad,
            headers={**AUTH, "Content-Type": "application/json"},
        )
        assert response.status_code == 422, response.text
        assert "finite" in response.json()["detail"]
    assert client.get("/rosters", headers=AUTH).json() == []


def test_ids_beyond_what_the_database_holds_are_422(client: TestClient) -> None:
    huge = str(2**64)
    for path in (
        f"/scenarios/{huge}",
        f"/rosters/{huge}",
        f"/jobs/{huge}",
        f"/jobs?scenario_id={huge}",
        f"/agents/a01/shifts?roster_id={huge}",
        "/rosters/0",
        "/scenarios/-1",
    ):
        assert client.get(path, headers=AUTH).status_code == 422, path
    scenario_id = upload_json(client, scenario_files())
    response = client.post(f"/scenarios/{scenario_id}/jobs", json={"seed": 2**80}, headers=AUTH)
    assert response.status_code == 422
