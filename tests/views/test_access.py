"""Who may open which page: manager pages need a session opened with an API key; the
agent page opens only with the agent's current link and shows nobody else."""

from __future__ import annotations

from datetime import timedelta
from http.cookies import SimpleCookie

import pytest

from api.views.session import COOKIE_NAME, SESSION_MAX_AGE_SECONDS
from tests.api.helpers import (
    AUTH,
    MANAGER_KEY,
    FakeClock,
    TestClient,
    domain_scenario,
    publish,
    roster_document,
    scenario_files,
    upload_json,
    upload_roster,
)
from tests.views.helpers import agent_page_path, log_in, text_of

SHIFTS = [
    ("a01", "2026-11-30T00:00:00", "2026-11-30T08:00:00", "en-L2"),
    ("a02", "2026-11-30T08:00:00", "2026-11-30T16:00:00", "en-L1"),
    ("a03", "2026-11-30T16:00:00", "2026-12-01T00:00:00", "en-L1"),
]


def stored_roster(client: TestClient) -> tuple[int, int]:
    files = scenario_files()
    scenario_id = upload_json(client, files)
    roster_id = upload_roster(client, scenario_id, roster_document(domain_scenario(files), SHIFTS))
    return scenario_id, roster_id


def roster_state(client: TestClient, roster_id: int) -> str:
    return client.get(f"/rosters/{roster_id}", headers=AUTH).json()["state"]


def manager_page_paths(scenario_id: int, roster_id: int) -> list[str]:
    roster = f"/ui/rosters/{roster_id}"
    return [
        "/ui/scenarios",
        f"/ui/scenarios/{scenario_id}",
        "/ui/jobs/1",
        "/ui/jobs/1/progress",
        roster,
        f"{roster}/week?zone=utc",
        f"{roster}/coverage",
        f"{roster}/shifts.csv",
        f"{roster}/coverage.csv",
        f"{roster}/calendar.ics",
        f"{roster}/roster.json",
    ]


def test_every_manager_page_without_a_session_redirects_to_the_login_form(
    client: TestClient,
) -> None:
    scenario_id, roster_id = stored_roster(client)
    for path in manager_page_paths(scenario_id, roster_id):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/ui/login?next="), path
    response = client.get(f"/ui/rosters/{roster_id}/week?zone=utc", follow_redirects=False)
    assert (
        response.headers["location"]
        == f"/ui/login?next=%2Fui%2Frosters%2F{roster_id}%2Fweek%3Fzone%3Dutc"
    )


def test_the_bearer_key_alone_does_not_open_the_pages(client: TestClient) -> None:
    _scenario_id, roster_id = stored_roster(client)
    response = client.get(f"/ui/rosters/{roster_id}", headers=AUTH, follow_redirects=False)
    assert response.status_code == 303


def test_writes_without_a_session_redirect_and_change_nothing(client: TestClient) -> None:
    scenario_id, roster_id = stored_roster(client)
    posts = [
        f"/ui/rosters/{roster_id}/publish",
        f"/ui/scenarios/{scenario_id}/solve",
        f"/ui/scenarios/{scenario_id}/agents/a01/link",
        "/ui/jobs/1/cancel",
    ]
    for path in posts:
        response = client.post(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/ui/login"), path
    assert roster_state(client, roster_id) == "draft"
    assert client.get("/jobs", headers=AUTH).json() == []
    agents = client.get(f"/scenarios/{scenario_id}/agents", headers=AUTH).json()
    assert [a["has_link"] for a in agents] == [False, False, False]


def test_a_wrong_api_key_gets_the_form_again_and_no_cookie(client: TestClient) -> None:
    response = client.post(
        "/ui/login", data={"api_key": "not-the-key-at-all-0000"}, follow_redirects=False
    )
    assert response.status_code == 401
    assert "set-cookie" not in response.headers
    assert "That API key is not valid." in response.text
    assert client.get("/ui/scenarios", follow_redirects=False).status_code == 303


def test_login_sets_a_secure_httponly_lax_session_cookie_without_the_key(
    client: TestClient,
) -> None:
    response = client.post("/ui/login", data={"api_key": MANAGER_KEY}, follow_redirects=False)
    assert response.status_code == 303
    header = response.headers["set-cookie"]
    cookie = SimpleCookie(header)[COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "lax"
    assert cookie["path"] == "/"
    assert int(cookie["max-age"]) == 12 * 3600
    assert MANAGER_KEY not in header
    assert client.get("/ui/scenarios").status_code == 200


def test_a_tampered_cookie_opens_nothing(client: TestClient) -> None:
    log_in(client)
    genuine = client.cookies[COOKIE_NAME]
    client.cookies.clear()
    client.cookies.set(COOKIE_NAME, genuine)
    assert client.get("/ui/scenarios", follow_redirects=False).status_code == 200
    issued, key_hash, signature = genuine.split(".")
    forged = [
        f"{int(issued) + 3600}.{key_hash}.{signature}",  # a later issue time
        f"{issued}.{'0' * 64}.{signature}",  # another key's hash
        f"{issued}.{key_hash}.{signature[:-2]}AA",  # a changed signature
        "garbage",
    ]
    for value in forged:
        client.cookies.clear()
        client.cookies.set(COOKIE_NAME, value)
        assert client.get("/ui/scenarios", follow_redirects=False).status_code == 303, value


def test_a_session_ends_after_twelve_hours(client: TestClient, clock: FakeClock) -> None:
    log_in(client)
    clock.now += timedelta(seconds=SESSION_MAX_AGE_SECONDS - 1)
    assert client.get("/ui/scenarios", follow_redirects=False).status_code == 200
    clock.now += timedelta(seconds=2)
    assert client.get("/ui/scenarios", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(client: TestClient) -> None:
    log_in(client)
    response = client.post("/ui/logout", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/login"
    assert client.get("/ui/scenarios", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("asked", "landing"),
    [
        ("/ui/rosters/7/week?zone=utc", "/ui/rosters/7/week?zone=utc"),
        ("https://evil.example/ui/", "/ui/scenarios"),
        ("//evil.example/ui/", "/ui/scenarios"),
        ("/ui/\\evil.example", "/ui/scenarios"),
        ("/docs", "/ui/scenarios"),
    ],
)
def test_login_returns_only_to_a_page_of_this_site(
    client: TestClient, asked: str, landing: str
) -> None:
    response = client.post(
        "/ui/login", data={"api_key": MANAGER_KEY, "next": asked}, follow_redirects=False
    )
    assert response.headers["location"] == landing


def test_a_post_from_another_site_is_refused(client: TestClient) -> None:
    _scenario_id, roster_id = stored_roster(client)
    log_in(client)
    response = client.post(
        f"/ui/rosters/{roster_id}/publish",
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert roster_state(client, roster_id) == "draft"
    same_site = client.post(
        f"/ui/rosters/{roster_id}/publish",
        headers={"Origin": "https://testserver"},
        follow_redirects=False,
    )
    assert same_site.status_code == 303
    assert roster_state(client, roster_id) == "published"


def test_agent_page_with_an_unknown_or_rotated_token_is_404(client: TestClient) -> None:
    scenario_id, roster_id = stored_roster(client)
    publish(client, roster_id)
    log_in(client)
    old = agent_page_path(client, scenario_id, "a02")
    assert client.get(old).status_code == 200
    new = agent_page_path(client, scenario_id, "a02")  # rotates: the old link stops
    unknown = client.get("/ui/agent/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    rotated = client.get(old)
    assert (unknown.status_code, rotated.status_code) == (404, 404)
    assert text_of(unknown.text) == text_of(rotated.text)  # never tells which
    assert "Ben Okafor" not in rotated.text
    assert client.get(new).status_code == 200


def test_agent_page_needs_no_session_and_shows_no_other_agent(client: TestClient) -> None:
    scenario_id, roster_id = stored_roster(client)
    publish(client, roster_id)
    log_in(client)
    path = agent_page_path(client, scenario_id, "a02")
    client.cookies.clear()
    page = client.get(path)
    assert page.status_code == 200
    assert "Ben Okafor" in page.text
    for secret in ("Ana Reyes", "Chloé Girard", "Asia/Manila", "America/New_York", "en-L2"):
        assert secret not in page.text, secret
    for private in ("18.50", "18.5", "freelance", "hourly", "cost"):
        assert private not in page.text.lower(), private
