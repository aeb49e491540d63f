"""Who may see what: manager keys for everything but an agent's own link; links that
open only their own agent; 401 for bad keys, 404 for bad links, never a hint of existence."""

from __future__ import annotations

import base64
import sqlite3

import pytest

from api.settings import Settings
from tests.api.helpers import (
    AUTH,
    TestClient,
    agent_link,
    domain_scenario,
    publish,
    roster_document,
    scenario_files,
    upload_json,
    upload_roster,
)

MANAGER_ROUTES = [
    ("POST", "/scenarios"),
    ("GET", "/scenarios"),
    ("GET", "/scenarios/1"),
    ("DELETE", "/scenarios/1"),
    ("GET", "/scenarios/1/agents"),
    ("POST", "/scenarios/1/jobs"),
    ("GET", "/jobs"),
    ("GET", "/jobs/1"),
    ("POST", "/jobs/1/cancel"),
    ("POST", "/scenarios/1/rosters"),
    ("GET", "/rosters"),
    ("GET", "/rosters/1"),
    ("GET", "/rosters/1/roster.json"),
    ("GET", "/rosters/1/shifts.csv"),
    ("GET", "/rosters/1/coverage.csv"),
    ("GET", "/rosters/1/summary"),
    ("GET", "/rosters/1/calendar.ics"),
    ("POST", "/rosters/1/publish"),
    ("GET", "/weeks"),
    ("GET", "/agents/a01/shifts?week=2026-11-30"),
    ("POST", "/scenarios/1/agents/a01/link"),
    ("DELETE", "/agents/a01/link"),
    ("GET", "/team/calendar.ics"),
    ("POST", "/keys"),
]
WEEK = "2026-11-30"
ANA_SHIFT = ("a01", "2026-11-30T01:00:00", "2026-11-30T09:00:00", "en-L2")
BEN_SHIFT = ("a02", "2026-12-01T08:00:00", "2026-12-01T16:00:00", "en-L1")


@pytest.fixture
def published(client: TestClient) -> dict:
    """Scenario 1 with roster 1 published and a job; links for a01 (Ana) and a02 (Ben)."""
    files = scenario_files()
    scenario_id = upload_json(client, files)
    roster_id = upload_roster(
        client, scenario_id, roster_document(domain_scenario(files), [ANA_SHIFT, BEN_SHIFT])
    )
    publish(client, roster_id)
    return {
        "scenario_id": scenario_id,
        "roster_id": roster_id,
        "ana": agent_link(client, scenario_id, "a01"),
        "ben": agent_link(client, scenario_id, "a02"),
    }


@pytest.mark.parametrize(("method", "path"), MANAGER_ROUTES)
def test_manager_routes_refuse_missing_wrong_and_agent_credentials(
    client: TestClient, published: dict, method: str, path: str
) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer not-the-key"},
        {"Authorization": f"Bearer {published['ana']}"},
        {"Authorization": "Basic bWFuYWdlcjpwYXNzd29yZA=="},
    ):
        response = client.request(method, path, headers=headers)
        assert response.status_code == 401, (method, path, headers, response.text)
        assert response.headers["www-authenticate"] == "Bearer"
    # Nothing was changed by the refused requests.
    assert client.get("/rosters/1", headers=AUTH).json()["state"] == "published"
    assert client.get("/jobs", headers=AUTH).json() == []


def test_a_stored_key_works_and_is_kept_only_as_a_hash(
    client: TestClient, settings: Settings
) -> None:
    key = client.post("/keys", headers=AUTH).json()["key"]
    assert client.get("/scenarios", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    with sqlite3.connect(settings.database_url.removeprefix("sqlite:///")) as db:
        hashes = [row[0] for row in db.execute("SELECT key_hash FROM api_keys")]
    assert len(hashes) == 1 and key not in hashes[0]


def test_agent_link_is_url_safe_with_at_least_128_random_bits(
    client: TestClient, published: dict, settings: Settings
) -> None:
    token = published["ana"]
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) >= 16
    assert published["ana"] != published["ben"]
    with sqlite3.connect(settings.database_url.removeprefix("sqlite:///")) as db:
        stored = " ".join(row[0] for row in db.execute("SELECT token_hash FROM agent_tokens"))
    assert token not in stored


def test_unknown_links_are_404_with_the_same_answer_as_revoked_ones(
    client: TestClient, published: dict
) -> None:
    unknown = "x" * 43
    answers = set()
    for path in (
        f"/calendar/{unknown}.ics",
        f"/agent/{unknown}",
        f"/agent/{unknown}/shifts?week={WEEK}",
    ):
        response = client.get(path)
        assert response.status_code == 404
        answers.add(response.text)
    assert client.delete("/agents/a01/link", headers=AUTH).status_code == 204
    revoked = client.get(f"/calendar/{published['ana']}.ics")
    assert revoked.status_code == 404
    answers.add(revoked.text)
    assert len(answers) == 1


def test_rotating_a_link_revokes_the_old_one(client: TestClient, published: dict) -> None:
    old = published["ben"]
    assert client.get(f"/calendar/{old}.ics").status_code == 200
    new = agent_link(client, published["scenario_id"], "a02")
    assert new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/agent/{old}").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_link_for_an_agent_not_in_the_scenario_is_404(client: TestClient, published: dict) -> None:
    response = client.post(f"/scenarios/{published['scenario_id']}/agents/zz99/link", headers=AUTH)
    assert response.status_code == 404
    assert client.post("/scenarios/42/agents/a01/link", headers=AUTH).status_code == 404


def test_agent_link_shows_no_other_agent_cost_or_rate(client: TestClient, published: dict) -> None:
    token = published["ben"]
    page = client.get(f"/agent/{token}")
    week = client.get(f"/agent/{token}/shifts", params={"week": WEEK})
    feed = client.get(f"/calendar/{token}.ics")
    assert page.status_code == week.status_code == feed.status_code == 200
    assert set(page.json()) == {
        "agent_id",
        "name",
        "timezone",
        "languages",
        "tier",
        "feed_url",
        "webcal_url",
        "upcoming",
    }
    assert [s["start_utc"] for s in page.json()["upcoming"]] == ["2026-12-01T08:00:00Z"]
    assert [s["start_utc"] for s in week.json()["shifts"]] == ["2026-12-01T08:00:00Z"]
    for text in (page.text, week.text, feed.text):
        for secret in (
            "a01",
            "Ana",
            "Reyes",
            "Chlo",
            "18.5",
            "hourly",
            "cost",
            "freelance",
            "objective",
            "rate",
        ):
            assert secret not in text, (secret, text)


def test_agent_token_opens_no_manager_view_of_other_agents(
    client: TestClient, published: dict
) -> None:
    as_ben = {"Authorization": f"Bearer {published['ben']}"}
    assert (
        client.get("/agents/a01/shifts", params={"week": WEEK}, headers=as_ben).status_code == 401
    )
    assert (
        client.get("/agents/a02/shifts", params={"week": WEEK}, headers=as_ben).status_code == 401
    )
    assert client.get("/team/calendar.ics", headers=as_ben).status_code == 401


def test_health_and_openapi_need_no_key(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    spec = client.get("/openapi.json").json()
    assert "/calendar/{token}.ics" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_link_of_an_agent_whose_only_scenario_was_deleted_opens_nothing(
    client: TestClient,
) -> None:
    scenario_id = upload_json(client, scenario_files())
    token = agent_link(client, scenario_id, "a03")
    assert client.get(f"/calendar/{token}.ics").status_code == 200
    assert client.delete(f"/scenarios/{scenario_id}", headers=AUTH).status_code == 204
    for path in (f"/calendar/{token}.ics", f"/agent/{token}"):
        response = client.get(path)
        assert (response.status_code, response.json()) == (404, {"detail": "not found"})
