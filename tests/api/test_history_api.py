"""Solve jobs take the previous published roster as history: automatically, not at all,
or a roster named in the request; the job and the roster say which one was used.

Week 1 (Mon 23 Nov 2026, UTC) has agent a01 on a late shift Sunday 15:00-23:00. Week 2
wants cover Monday 06:00-14:00: alone the solver takes 06:00-14:00, but 11 h rest after
Sunday 23:00 puts the first start at 10:00, and 10:00-16:00 is the cheapest shift then.
"""

from __future__ import annotations

from roster.check import check_roster
from roster.history import history_from_roster
from roster.result import Roster
from tests.api.helpers import (
    AUTH,
    TestClient,
    domain_scenario,
    publish,
    roster_document,
    upload_json,
    upload_roster,
    wait_for_job,
)
from tests.test_history import SCENARIO_TOML
from tests.views.helpers import log_in

AGENTS_CSV = (
    "id,name,timezone,languages,tier,contract,min_hours,max_hours,hourly_cost,"
    "available_from,available_to\na01,Ana Reyes,UTC,en,L1,employee,0,40,20,00:00,24:00\n"
)
LATE_SUNDAY = [("a01", "2026-11-29T15:00", "2026-11-29T23:00", "en-L1")]


def week_files(week_start: str) -> dict[str, str]:
    # The desk of tests/test_history.py (cover Monday 06:00-14:00, 11 h rest), moved.
    toml = SCENARIO_TOML.replace('week_start = "2026-11-30"', f'week_start = "{week_start}"')
    return {
        "scenario.toml": toml,
        "agents.csv": AGENTS_CSV,
        "forecast.csv": "start,language,tier,tickets\n",
    }


def published_week_1(client: TestClient) -> int:
    files = week_files("2026-11-23")
    scenario_id = upload_json(client, files)
    roster_id = upload_roster(
        client, scenario_id, roster_document(domain_scenario(files), LATE_SUNDAY)
    )
    publish(client, roster_id)
    return roster_id


def solve(client: TestClient, scenario_id: int, **body: object) -> dict:
    response = client.post(
        f"/scenarios/{scenario_id}/jobs", json={"time_limit_seconds": 5, **body}, headers=AUTH
    )
    assert response.status_code == 202, response.text
    job = wait_for_job(client, response.json()["id"])
    assert job["state"] == "succeeded", job
    return job


def shift_spans(client: TestClient, roster_id: int) -> list[tuple[str, str]]:
    document = client.get(f"/rosters/{roster_id}/roster.json", headers=AUTH).json()
    return [(s["start"][:16], s["end"][:16]) for s in document["shifts"]]


def test_solving_the_week_after_a_published_one_keeps_rest_across_the_boundary(
    client: TestClient,
) -> None:
    week_1 = published_week_1(client)
    files = week_files("2026-11-30")
    week_2 = upload_json(client, files)

    job = solve(client, week_2)  # history defaults to "auto"

    assert job["history"]["requested"] == "auto"
    assert job["history"]["roster_id"] == week_1
    assert job["history"]["note"] == f"history: roster {week_1}, 1 shift(s) of 1 agent(s)"
    assert job["links"]["history_roster"].endswith(f"/rosters/{week_1}")
    assert shift_spans(client, job["roster_id"]) == [("2026-11-30T10:00", "2026-11-30T16:00")]
    info = client.get(f"/rosters/{job['roster_id']}", headers=AUTH).json()
    assert info["history_roster_id"] == week_1

    document = client.get(f"/rosters/{job['roster_id']}/roster.json", headers=AUTH).json()
    assert document["history"]["roster_id"] == week_1
    scenario = domain_scenario(files)
    previous = Roster.from_json(
        roster_document(domain_scenario(week_files("2026-11-23")), LATE_SUNDAY)
    )
    history = history_from_roster(scenario, previous, "week 1")
    assert check_roster(scenario, Roster.from_json(document), history) == []


def test_a_job_may_ask_for_no_history_or_name_the_roster(client: TestClient) -> None:
    week_1 = published_week_1(client)
    week_2 = upload_json(client, week_files("2026-11-30"))

    alone = solve(client, week_2, history="none")
    assert alone["history"] == {
        "requested": "none",
        "roster_id": None,
        "note": "no history requested",
    }
    assert shift_spans(client, alone["roster_id"]) == [("2026-11-30T06:00", "2026-11-30T14:00")]
    info = client.get(f"/rosters/{alone['roster_id']}", headers=AUTH).json()
    assert info["history_roster_id"] is None

    named = solve(client, week_2, history=week_1)
    assert (named["history"]["requested"], named["history"]["roster_id"]) == (week_1, week_1)
    assert shift_spans(client, named["roster_id"]) == [("2026-11-30T10:00", "2026-11-30T16:00")]


def test_without_a_published_previous_week_the_job_says_why(client: TestClient) -> None:
    files = week_files("2026-11-23")
    upload_roster(
        client, upload_json(client, files), roster_document(domain_scenario(files), LATE_SUNDAY)
    )
    week_2 = upload_json(client, week_files("2026-11-30"))

    job = solve(client, week_2)  # the only earlier roster is a draft: not taken
    assert job["history"]["roster_id"] is None
    assert job["history"]["note"] == (
        "no published roster ends at the horizon start or up to 3 days before"
    )
    assert shift_spans(client, job["roster_id"]) == [("2026-11-30T06:00", "2026-11-30T14:00")]


def test_a_named_history_roster_must_exist_and_end_by_the_start(client: TestClient) -> None:
    week_2 = upload_json(client, week_files("2026-11-30"))
    later = upload_json(client, week_files("2026-12-07"))
    same_week = solve(client, week_2, history="none")["roster_id"]

    url = f"/scenarios/{week_2}/jobs"
    missing = client.post(url, json={"history": 999}, headers=AUTH)
    assert missing.status_code == 422
    assert "history: roster 999 not found" in missing.text
    overlapping = client.post(url, json={"history": same_week}, headers=AUTH)
    assert overlapping.status_code == 422
    assert "runs until 2026-12-07T00:00:00+00:00, after this scenario's start" in overlapping.text
    assert client.post(url, json={"history": "last"}, headers=AUTH).status_code == 422
    assert solve(client, later, history=same_week)["history"]["roster_id"] == same_week


def test_an_uploaded_roster_must_rest_after_the_published_week_before(client: TestClient) -> None:
    week_1 = published_week_1(client)  # a01 works until Sunday 23:00
    files = week_files("2026-11-30")
    week_2 = upload_json(client, files)
    scenario = domain_scenario(files)
    too_soon = [("a01", "2026-11-30T06:00", "2026-11-30T14:00", "en-L1")]  # 7 h after

    response = client.post(
        f"/scenarios/{week_2}/rosters", json=roster_document(scenario, too_soon), headers=AUTH
    )

    assert response.status_code == 422
    assert "rests only 7.0 h, below min_rest_hours 11" in response.text
    assert f"the previous roster is published roster {week_1}" in response.text
    rested = [("a01", "2026-11-30T10:00", "2026-11-30T16:00", "en-L1")]  # 11 h after
    upload_roster(client, week_2, roster_document(scenario, rested))


def test_publishing_says_when_a_roster_does_not_fit_the_published_week_after(
    client: TestClient,
) -> None:
    # Week 2 is published first, starting Monday 06:00; week 1, published after it, ends
    # Sunday 23:00: 7 h of rest across the boundary, below 11. Publishing goes ahead (the
    # manager may republish week 2 next) but says so, naming the neighbour.
    files_2 = week_files("2026-11-30")
    week_2 = upload_json(client, files_2)
    early = [("a01", "2026-11-30T06:00", "2026-11-30T14:00", "en-L1")]
    roster_2 = upload_roster(client, week_2, roster_document(domain_scenario(files_2), early))
    assert publish(client, roster_2)["boundary_conflicts"] == []
    files_1 = week_files("2026-11-23")
    week_1 = upload_json(client, files_1)
    roster_1 = upload_roster(client, week_1, roster_document(domain_scenario(files_1), LATE_SUNDAY))

    (conflict,) = publish(client, roster_1)["boundary_conflicts"]

    assert conflict.startswith(f"with roster {roster_2}: [min_rest] agent a01:")
    assert "rests only 7.0 h, below min_rest_hours 11" in conflict


def test_publishing_says_when_a_roster_does_not_fit_the_published_week_before(
    client: TestClient,
) -> None:
    week_1 = published_week_1(client)
    week_2 = upload_json(client, week_files("2026-11-30"))
    alone = solve(client, week_2, history="none")["roster_id"]  # starts Monday 06:00

    (conflict,) = publish(client, alone)["boundary_conflicts"]

    assert conflict.startswith(f"with roster {week_1}: [min_rest] agent a01:")
    client.base_url = "https://testserver"  # the pages' session cookie is Secure
    log_in(client)  # the roster page says so too, as long as the roster is published
    page = client.get(f"/ui/rosters/{alone}")
    assert 'id="boundary-conflicts"' in page.text
    assert f"with roster {week_1}: [min_rest] agent a01:" in page.text


def test_a_week_published_inside_a_longer_roster_is_checked_against_its_part_before(
    client: TestClient,
) -> None:
    # A covers three weeks from 23 Nov with a late Sunday shift on 29 Nov; B replaces its
    # second week and starts Monday 30 Nov 06:00. The boundary before B is checked
    # against A's first week only; the week after B is still A's, which starts before B:
    # that boundary is said not to be checked.
    files_a = week_files("2026-11-23")
    files_a["scenario.toml"] = files_a["scenario.toml"].replace(
        'week_start = "2026-11-23"', 'week_start = "2026-11-23"\nweeks = 3'
    )
    long_a = upload_json(client, files_a)
    roster_a = upload_roster(client, long_a, roster_document(domain_scenario(files_a), LATE_SUNDAY))
    publish(client, roster_a)
    files_b = week_files("2026-11-30")
    week_b = upload_json(client, files_b)
    early = [("a01", "2026-11-30T06:00", "2026-11-30T14:00", "en-L1")]
    # Uploading B is not checked against A: A does not end where B starts.
    roster_b = upload_roster(client, week_b, roster_document(domain_scenario(files_b), early))

    before, after = publish(client, roster_b)["boundary_conflicts"]

    assert before.startswith(f"with roster {roster_a}: [min_rest] agent a01:")
    assert "rests only 7.0 h" in before
    assert after == (
        f"roster {roster_a}, current for the week after, starts before this one ends: "
        "the boundary with it is not checked"
    )
