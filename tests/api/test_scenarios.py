"""Scenario upload in every form, listing, deletion, and every bad input the issue names."""

from __future__ import annotations

import io
import zipfile

from tests.api.conftest import MAX_UPLOAD_BYTES
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


def zip_bytes(entries: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def stored_ids(client: TestClient) -> list[int]:
    response = client.get("/scenarios", headers=AUTH)
    assert response.status_code == 200
    return [s["id"] for s in response.json()]


def test_json_upload_is_stored_and_described(client: TestClient) -> None:
    scenario_id = upload_json(
        client, scenario_files(week_start="2026-03-23", timezone="Europe/Paris")
    )
    body = client.get(f"/scenarios/{scenario_id}", headers=AUTH).json()
    assert body["name"] == "Tiny helpdesk"
    assert body["week_start"] == "2026-03-23"
    assert body["planning_timezone"] == "Europe/Paris"
    assert body["interval_minutes"] == 60
    assert body["agents"] == 3
    assert body["queues"] == ["en-L1", "en-L2"]
    assert body["warnings"] == []


def test_an_upload_says_which_keys_nothing_reads(client: TestClient) -> None:
    files = scenario_files()
    assert "[rules]\n" in files["scenario.toml"]
    files["scenario.toml"] = files["scenario.toml"].replace(
        "[rules]\n", "[rules]\nmax_weekend = 1\n", 1
    )
    response = client.post("/scenarios", json={"files": files}, headers=AUTH)
    assert response.status_code == 201
    expected = [
        "scenario.toml: key 'rules.max_weekend' is not one roster reads; it is ignored "
        "(did you mean 'max_weekends'?)"
    ]
    assert response.json()["warnings"] == expected
    again = client.get(f"/scenarios/{response.json()['id']}", headers=AUTH).json()
    assert again["warnings"] == expected


def test_multipart_files_upload_is_stored(client: TestClient) -> None:
    files = [
        ("files", (name, text.encode(), "text/plain")) for name, text in scenario_files().items()
    ]
    response = client.post("/scenarios", files=files, headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.json()["agents"] == 3


def test_zip_of_a_folder_upload_is_stored(client: TestClient) -> None:
    archive = zip_bytes({f"week49/{name}": text for name, text in scenario_files().items()})
    response = client.post(
        "/scenarios", content=archive, headers={**AUTH, "Content-Type": "application/zip"}
    )
    assert response.status_code == 201, response.text
    multipart = client.post(
        "/scenarios", files={"files": ("week49.zip", archive, "application/zip")}, headers=AUTH
    )
    assert multipart.status_code == 201, multipart.text
    assert len(stored_ids(client)) == 2


def test_scenario_error_is_422_with_file_row_and_column(client: TestClient) -> None:
    files = scenario_files()
    files["agents.csv"] = files["agents.csv"].replace("Asia/Manila", "Mars/Olympus")
    response = client.post("/scenarios", json={"files": files}, headers=AUTH)
    assert response.status_code == 422
    body = response.json()
    assert body["file"] == "agents.csv"
    assert body["row"] == 2
    assert body["column"] == "timezone"
    assert "Mars/Olympus" in body["detail"]
    assert stored_ids(client) == []


def test_missing_file_is_422_naming_it(client: TestClient) -> None:
    files = scenario_files()
    del files["forecast.csv"]
    response = client.post("/scenarios", json={"files": files}, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["file"] == "forecast.csv"


def test_malformed_json_is_400_and_nothing_is_stored(client: TestClient) -> None:
    upload_json(client, scenario_files())
    response = client.post(
        "/scenarios", content=b'{"files": {', headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]
    assert len(stored_ids(client)) == 1


def test_wrong_types_in_json_are_422(client: TestClient) -> None:
    for body in (
        {"files": ["scenario.toml"]},
        {"files": {"agents.csv": 3}},
        [1, 2],
        {"files": {}, "extra": 1},
    ):
        response = client.post("/scenarios", json=body, headers=AUTH)
        assert response.status_code == 422, (body, response.text)
    assert stored_ids(client) == []


def test_unknown_content_type_is_415(client: TestClient) -> None:
    response = client.post(
        "/scenarios", content=b"hello", headers={**AUTH, "Content-Type": "text/plain"}
    )
    assert response.status_code == 415


def test_oversized_upload_is_413_by_declared_length(client: TestClient) -> None:
    files = scenario_files()
    files["forecast.csv"] += "x" * (MAX_UPLOAD_BYTES + 1)
    response = client.post("/scenarios", json={"files": files}, headers=AUTH)
    assert response.status_code == 413
    assert str(MAX_UPLOAD_BYTES) in response.json()["detail"]
    assert stored_ids(client) == []


def test_oversized_upload_is_413_when_streamed_without_length(client: TestClient) -> None:
    def chunks():
        for _ in range(5):
            yield b"x" * (MAX_UPLOAD_BYTES // 4)

    response = client.post(
        "/scenarios", content=chunks(), headers={**AUTH, "Content-Type": "application/zip"}
    )
    assert response.status_code == 413
    assert stored_ids(client) == []


def test_zip_that_unpacks_beyond_the_limit_is_413(client: TestClient) -> None:
    files = scenario_files()
    files["forecast.csv"] += "0" * (MAX_UPLOAD_BYTES * 3)  # compresses to a few kB
    archive = zip_bytes(files)
    assert len(archive) < MAX_UPLOAD_BYTES
    response = client.post(
        "/scenarios", content=archive, headers={**AUTH, "Content-Type": "application/zip"}
    )
    assert response.status_code == 413
    assert stored_ids(client) == []


def test_zip_with_paths_outside_its_root_is_400_and_store_intact(client: TestClient) -> None:
    kept = upload_json(client, scenario_files())
    for evil in (
        "../agents.csv",
        "/etc/agents.csv",
        "week/../../agents.csv",
        "C:\\agents.csv",
        "..\\..\\agents.csv",
    ):
        files = dict(scenario_files())
        entries: dict[str, str | bytes] = {k: v for k, v in files.items() if k != "agents.csv"}
        entries[evil] = files["agents.csv"]
        response = client.post(
            "/scenarios",
            content=zip_bytes(entries),
            headers={**AUTH, "Content-Type": "application/zip"},
        )
        assert response.status_code == 400, (evil, response.text)
        assert "outside the upload" in response.json()["detail"]
    assert stored_ids(client) == [kept]
    assert client.get(f"/scenarios/{kept}", headers=AUTH).json()["agents"] == 3


def test_multipart_file_name_with_parent_path_is_400(client: TestClient) -> None:
    files = [
        ("files", (f"../{name}", text.encode(), "text/plain"))
        for name, text in scenario_files().items()
    ]
    response = client.post("/scenarios", files=files, headers=AUTH)
    assert response.status_code == 400
    assert stored_ids(client) == []


def test_broken_zip_is_400(client: TestClient) -> None:
    response = client.post(
        "/scenarios",
        content=b"PK\x03\x04garbage",
        headers={**AUTH, "Content-Type": "application/zip"},
    )
    assert response.status_code == 400
    assert "zip" in response.json()["detail"]


def test_unknown_and_malformed_ids_are_404_and_422(client: TestClient) -> None:
    assert client.get("/scenarios/999", headers=AUTH).status_code == 404
    assert client.delete("/scenarios/999", headers=AUTH).status_code == 404
    assert client.get("/scenarios/abc", headers=AUTH).status_code == 422
    assert client.get("/scenarios/999/agents", headers=AUTH).status_code == 404


def test_delete_removes_a_draft_scenario(client: TestClient) -> None:
    scenario_id = upload_json(client, scenario_files())
    assert client.delete(f"/scenarios/{scenario_id}", headers=AUTH).status_code == 204
    assert stored_ids(client) == []
    assert client.get(f"/scenarios/{scenario_id}", headers=AUTH).status_code == 404


def test_delete_of_a_scenario_with_a_published_roster_is_409(client: TestClient) -> None:
    files = scenario_files()
    scenario_id = upload_json(client, files)
    document = roster_document(
        domain_scenario(files),
        [("a01", "2026-11-30T01:00:00", "2026-11-30T09:00:00", "en-L2")],
    )
    publish(client, upload_roster(client, scenario_id, document))
    response = client.delete(f"/scenarios/{scenario_id}", headers=AUTH)
    assert response.status_code == 409
    assert stored_ids(client) == [scenario_id]


def test_agents_of_a_scenario_are_listed_for_managers(client: TestClient) -> None:
    scenario_id = upload_json(client, scenario_files())
    agents = client.get(f"/scenarios/{scenario_id}/agents", headers=AUTH).json()
    assert [a["agent_id"] for a in agents] == ["a01", "a02", "a03"]
    assert agents[0]["languages"] == ["en", "fr"]
    assert agents[0]["hourly_cost"] == 25.0
    assert agents[0]["has_link"] is False


def test_week_at_the_end_of_the_calendar_is_422(client: TestClient) -> None:
    files = scenario_files(week_start="9999-12-31")
    response = client.post("/scenarios", json={"files": files}, headers=AUTH)
    assert response.status_code == 422
    assert "key 'week_start': must be a date between 1970 and 9000" in response.json()["detail"]
