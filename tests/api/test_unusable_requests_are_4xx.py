"""Requests the service cannot use get a 4xx in the app's error shape saying what is wrong
and where, never a 500: dates at the calendar's edge, ids beyond what the database holds,
JSON nested deeper than the parser goes, text that is not Unicode, a roster.json sent as
another content type, and two requests creating the same agent's link at once."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from contextlib import closing
from typing import Any

from sqlalchemy import event

from api.settings import Settings
from tests.api.helpers import (
    AUTH,
    TestClient,
    domain_scenario,
    page_text,
    roster_document,
    scenario_files,
    upload_json,
)

JSON = {**AUTH, "Content-Type": "application/json"}
DEEP = b"[" * 50_000 + b"]" * 50_000  # 100 kB, under the tests' upload limit
LONE_SURROGATE = chr(0xD800)  # what the JSON escape "\ud800" decodes to


def test_the_first_and_last_days_of_the_calendar_are_404_not_500(client: TestClient) -> None:
    for day in ("0001-01-01", "0001-01-06", "9999-12-31"):
        response = client.get(f"/weeks/{day}", headers=AUTH)
        assert response.status_code == 404, response.text
        assert response.json() == {"detail": f"no published week starts on or holds {day}"}


def test_a_history_roster_id_beyond_what_the_database_holds_is_422(client: TestClient) -> None:
    scenario_id = upload_json(client, scenario_files())
    for history in (2**63, 2**70):
        response = client.post(
            f"/scenarios/{scenario_id}/jobs", json={"history": history}, headers=AUTH
        )
        assert response.status_code == 422, response.text
        assert "history" in response.json()["detail"]
        assert "less than or equal to 9223372036854775807" in response.json()["detail"]
    assert client.get("/jobs", headers=AUTH).json() == []


def test_json_nested_too_deeply_is_400_saying_so(pages: TestClient) -> None:
    client = pages  # the JSON API and the pages
    scenario_id = upload_json(client, scenario_files())
    for path in ("/scenarios", f"/scenarios/{scenario_id}/rosters"):
        response = client.post(path, content=DEEP, headers=JSON)
        assert response.status_code == 400, response.text
        assert response.json() == {
            "detail": "request body is not valid JSON for this server: its arrays or "
            "objects are nested too deeply"
        }
    page = client.post("/ui/scenarios", content=DEEP, headers={"Content-Type": "application/json"})
    assert page.status_code == 400
    assert "nested too deeply" in page_text(page.text)
    assert [s["id"] for s in client.get("/scenarios", headers=AUTH).json()] == [scenario_id]


def test_a_scenario_file_with_a_lone_surrogate_is_422_naming_the_file_and_line(
    pages: TestClient,
) -> None:
    client = pages  # the JSON API and the pages
    files = scenario_files()
    files["scenario.toml"] = files["scenario.toml"].replace(
        'name = "Tiny helpdesk"', f'name = "Tiny {LONE_SURROGATE} helpdesk"'
    )
    body = json.dumps({"files": files})  # ASCII: the surrogate travels as "\ud800"
    assert "\\ud800" in body

    response = client.post("/scenarios", content=body, headers=JSON)
    assert response.status_code == 422, response.text
    answer = response.json()
    assert (answer["file"], answer["row"]) == ("scenario.toml", 1)
    # 'name = "Tiny ' is 13 characters: the surrogate is the 14th.
    assert answer["detail"].startswith(
        "scenario.toml, row 1: text is not valid Unicode: line 1, character 14 is a lone "
        "surrogate escape"
    )
    page = client.post("/ui/scenarios", content=body, headers={"Content-Type": "application/json"})
    assert page.status_code == 422
    assert "line 1, character 14 is a lone surrogate escape" in page_text(page.text)
    assert client.get("/scenarios", headers=AUTH).json() == []


def test_a_file_name_with_a_lone_surrogate_is_400(client: TestClient) -> None:
    files: dict[str, Any] = scenario_files()
    files[f"notes{LONE_SURROGATE}.txt"] = "hello"
    response = client.post("/scenarios", content=json.dumps({"files": files}), headers=JSON)
    assert response.status_code == 400, response.text
    assert response.json() == {
        "detail": "files: the file name 'notes\\ud800.txt' is not valid Unicode text"
    }


def test_a_roster_json_with_a_lone_surrogate_is_422_naming_where(client: TestClient) -> None:
    files = scenario_files()
    scenario_id = upload_json(client, files)
    shift = ("a01", "2026-11-30T08:00:00", "2026-11-30T16:00:00", "en-L1")
    document = roster_document(domain_scenario(files), [shift])
    document["shifts"][0]["agent_id"] = LONE_SURROGATE
    response = client.post(
        f"/scenarios/{scenario_id}/rosters", content=json.dumps(document), headers=JSON
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith(
        "roster.json: shifts[0].agent_id is not valid Unicode text"
    )


def test_a_roster_sent_as_another_content_type_is_415_asking_for_json(
    client: TestClient,
) -> None:
    files = scenario_files()
    scenario_id = upload_json(client, files)
    shift = ("a01", "2026-11-30T08:00:00", "2026-11-30T16:00:00", "en-L1")
    body = json.dumps(roster_document(domain_scenario(files), [shift]))
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        response = client.post(
            f"/scenarios/{scenario_id}/rosters",
            content=body,
            headers={**AUTH, "Content-Type": content_type},
        )
        assert response.status_code == 415, response.text
        assert response.json() == {
            "detail": f"unsupported content type '{content_type}': send roster.json with "
            "Content-Type: application/json"
        }
    assert client.get("/rosters", headers=AUTH).json() == []
    sent_as_json = client.post(f"/scenarios/{scenario_id}/rosters", content=body, headers=JSON)
    assert sent_as_json.status_code == 201, sent_as_json.text


def test_a_link_issued_while_another_request_creates_the_same_link_is_not_a_500(
    client: TestClient, settings: Settings
) -> None:
    """Two first links for one agent at once: the other request's row appears between this
    one's look and its write (the race twelve concurrent requests ran into)."""
    scenario_id = upload_json(client, scenario_files())
    engine = client.app.state.store.engine
    database = settings.database_url.removeprefix("sqlite:///")
    other_hash = "0" * 64
    done = []

    def other_request_writes_first(_conn, _cursor, statement: str, *_args: object) -> None:
        if done or not re.match(r"\s*(INSERT INTO|UPDATE) agent_tokens", statement):
            return
        done.append(True)
        with closing(sqlite3.connect(database, timeout=0)) as other:
            other.execute(
                "INSERT INTO agent_tokens (agent_id, token_hash, created_at) VALUES (?, ?, ?)",
                ("a02", other_hash, "2026-11-25 09:30:00.000000"),
            )
            other.commit()

    event.listen(engine, "before_cursor_execute", other_request_writes_first)
    try:
        response = client.post(f"/scenarios/{scenario_id}/agents/a02/link", headers=AUTH)
    finally:
        event.remove(engine, "before_cursor_execute", other_request_writes_first)
    assert done
    assert response.status_code == 201, response.text
    token = response.json()["token"]
    # This request's link is the one that works; the other one's was rotated away.
    assert client.get(f"/agent/{token}").status_code == 200
    with closing(sqlite3.connect(database)) as db:
        rows = list(db.execute("SELECT agent_id, token_hash FROM agent_tokens"))
    assert rows == [("a02", hashlib.sha256(token.encode()).hexdigest())]
