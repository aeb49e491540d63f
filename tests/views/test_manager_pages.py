"""Manager pages over a TestClient: upload with errors in place, solve, the week grid with
its zone toggle and filters, the coverage charts with shortfalls and reasons, KPI cards,
publishing and downloads. Expected figures are worked out by hand in each test."""

from __future__ import annotations

import io
import re
import time
import zipfile

from icalendar import Calendar

from tests.api.helpers import (
    AUTH,
    TestClient,
    domain_scenario,
    roster_document,
    scenario_files,
    upload_json,
    upload_roster,
)
from tests.views.helpers import log_in, text_of

# Ana (Manila, en fr, L2, employee), Ben (Paris, en, L1, freelance, 18.50 an hour),
# Chloé (New York, en, L1, employee); the week starts Monday 30 Nov 2026 in Paris.
ANA_SHIFT = ("a01", "2026-11-30T00:00:00", "2026-11-30T08:00:00", "en-L1")
BEN_NIGHT = ("a02", "2026-12-01T20:00:00", "2026-12-02T06:00:00", "en-L1")


def paris_roster(client: TestClient) -> int:
    files = scenario_files(timezone="Europe/Paris")
    scenario_id = upload_json(client, files)
    document = roster_document(domain_scenario(files), [ANA_SHIFT, BEN_NIGHT])
    return upload_roster(client, scenario_id, document)


def agent_row(html: str, name: str) -> str:
    """The text of the week grid's row of the agent called `name`."""
    rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)
    matching = [text_of(row) for row in rows if f'class="agent-name">{name}<' in row]
    assert len(matching) == 1, f"{name}: {len(matching)} rows"
    return matching[0]


def agent_names(html: str) -> list[str]:
    return re.findall(r'class="agent-name">([^<]+)<', html)


def test_week_grid_shows_times_in_the_planning_zone_utc_or_the_agents_own_zone(
    client: TestClient,
) -> None:
    roster_id = paris_roster(client)
    log_in(client)
    week = f"/ui/rosters/{roster_id}/week"
    planning, utc, own = (client.get(f"{week}?zone={z}").text for z in ("planning", "utc", "agent"))
    # Ana's shift 00:00-08:00 UTC is 01:00-09:00 in Paris (UTC+1) and 08:00-16:00 in Manila.
    assert "01:00–09:00 en-L1" in agent_row(planning, "Ana Reyes")
    assert "00:00–08:00 en-L1" in agent_row(utc, "Ana Reyes")
    assert "08:00–16:00 en-L1" in agent_row(own, "Ana Reyes")
    # Ben's night 20:00-06:00 UTC is 21:00-07:00 the next day in Paris.
    assert "21:00–07:00 +1 en-L1" in agent_row(planning, "Ben Okafor")
    assert "20:00–06:00 +1 en-L1" in agent_row(utc, "Ben Okafor")
    # Dates: Paris has the 7 days Mon 30 Nov - Sun 6 Dec; the week starts at 23:00 UTC on
    # Sun 29 Nov, so UTC touches 8 dates; New York (29 Nov 18:00) to Manila (7 Dec 07:00)
    # spans 9.
    assert [page.count('class="day-col"') for page in (planning, utc, own)] == [7, 8, 9]


def test_week_grid_lists_each_agents_weekly_hours(client: TestClient) -> None:
    roster_id = paris_roster(client)
    log_in(client)
    page = client.get(f"/ui/rosters/{roster_id}/week").text
    assert agent_row(page, "Ana Reyes").endswith("8 h 0–40")
    assert agent_row(page, "Ben Okafor").endswith("10 h 0–40")
    assert agent_row(page, "Chloé Girard").endswith("0 h 0–40")
    assert "3 of 3 agents · 18 h in shifts" in text_of(page)


def test_week_grid_filters_by_language_tier_zone_and_contract(client: TestClient) -> None:
    roster_id = paris_roster(client)
    log_in(client)
    week = f"/ui/rosters/{roster_id}/week"
    assert agent_names(client.get(f"{week}?language=fr").text) == ["Ana Reyes"]
    assert agent_names(client.get(f"{week}?tier=L1").text) == ["Ben Okafor", "Chloé Girard"]
    assert agent_names(client.get(f"{week}?timezone=America/New_York").text) == ["Chloé Girard"]
    assert agent_names(client.get(f"{week}?contract=freelance").text) == ["Ben Okafor"]
    both = client.get(f"{week}?language=en&contract=employee").text
    assert agent_names(both) == ["Ana Reyes", "Chloé Girard"]
    nobody = client.get(f"{week}?language=de").text
    assert agent_names(nobody) == [] and "No agent matches these filters." in nobody


def short_scenario(client: TestClient) -> tuple[int, int]:
    """en-L1 needs one agent every hour of a UTC week (min_agents 1, no tickets); Ben
    works Monday 08:00-16:00 only: 8 of 168 required agent-hours are met."""
    files = scenario_files()
    files["scenario.toml"] = files["scenario.toml"].replace("min_agents = 0", "min_agents = 1", 1)
    scenario_id = upload_json(client, files)
    shift = ("a02", "2026-11-30T08:00:00", "2026-11-30T16:00:00", "en-L1")
    return scenario_id, upload_roster(
        client, scenario_id, roster_document(domain_scenario(files), [shift])
    )


def test_coverage_page_draws_each_queue_and_marks_every_shortfall(client: TestClient) -> None:
    _scenario_id, roster_id = short_scenario(client)
    log_in(client)
    page = client.get(f"/ui/rosters/{roster_id}/coverage").text
    en_l1, en_l2 = page.split('id="queue-en-L2"')
    assert en_l1.count('<svg class="coverage-chart"') == 1
    assert en_l2.count('<svg class="coverage-chart"') == 1
    # Short before and after Ben's shift: two runs, 8 + 152 short hours, one rectangle each.
    assert en_l1.count('class="short-band"') == 2
    shortage_path = re.search(r'<path class="shortage" d="([^"]+)"', en_l1)
    assert shortage_path is not None and shortage_path.group(1).count("Z") == 160
    assert 'class="short-band"' not in en_l2 and 'class="shortage"' not in en_l2
    assert "No shortfall" in text_of(en_l2)


def test_coverage_page_lists_short_periods_with_the_summarys_reason(client: TestClient) -> None:
    _scenario_id, roster_id = short_scenario(client)
    log_in(client)
    text = text_of(client.get(f"/ui/rosters/{roster_id}/coverage").text)
    assert "Coverage 4.8 % · short 160.0 agent-hours" in text  # 8 of 168 agent-hours met
    reason = client.get(f"/rosters/{roster_id}/summary", headers=AUTH).json()["queues"][0]
    periods = reason["short_periods"]
    assert [(p["start"], p["end"]) for p in periods] == [
        ("2026-11-30T00:00:00+00:00", "2026-11-30T08:00:00+00:00"),
        ("2026-11-30T16:00:00+00:00", "2026-12-07T00:00:00+00:00"),
    ]
    assert f"Mon 30 Nov 00:00 Mon 30 Nov 08:00 8.0 {periods[0]['reason']}" in text
    assert f"Mon 30 Nov 16:00 Mon 7 Dec 00:00 152.0 {periods[1]['reason']}" in text


def test_roster_page_shows_the_kpi_cards(client: TestClient) -> None:
    _scenario_id, roster_id = short_scenario(client)
    log_in(client)
    text = text_of(client.get(f"/ui/rosters/{roster_id}").text)
    assert "Coverage 4.8 % of required agent-hours met" in text
    assert "Shortage 160.0 agent-hours below the requirement" in text
    assert "Paid hours 8.0 1 shifts, 3 agents" in text
    assert "Cost 148.00" in text  # 8 h x 18.50
    assert "Publish roster" in text


def test_the_solver_card_says_what_proved_the_bound(client: TestClient) -> None:
    files = scenario_files(timezone="Europe/Paris")
    scenario_id = upload_json(client, files)
    document = roster_document(domain_scenario(files), [ANA_SHIFT], objective=200.0)
    document |= {"bound": 150.0, "bound_source": "the LP relaxation"}
    roster_id = upload_roster(client, scenario_id, document)
    log_in(client)
    text = text_of(client.get(f"/ui/rosters/{roster_id}").text)
    assert "gap 25.0 % (bound from the LP relaxation)" in text


def test_publish_button_makes_the_roster_current(client: TestClient) -> None:
    _scenario_id, roster_id = short_scenario(client)
    log_in(client)
    response = client.post(f"/ui/rosters/{roster_id}/publish", follow_redirects=False)
    assert response.headers["location"] == f"/ui/rosters/{roster_id}?published=1"
    assert client.get(f"/rosters/{roster_id}", headers=AUTH).json()["state"] == "published"
    text = text_of(client.get(response.headers["location"]).text)
    assert "Published: roster" in text and "Publish roster" not in text


def test_downloads_are_the_apis_renderings(client: TestClient) -> None:
    _scenario_id, roster_id = short_scenario(client)
    log_in(client)
    base = f"/ui/rosters/{roster_id}"
    for name in ("shifts.csv", "coverage.csv", "roster.json"):
        page = client.get(f"{base}/{name}")
        api = client.get(f"/rosters/{roster_id}/{name}", headers=AUTH)
        assert page.status_code == 200 and "attachment" in page.headers["content-disposition"]
        if name.endswith(".json"):
            assert page.json() == api.json()
        else:
            assert page.text == api.text
    calendar = client.get(f"{base}/calendar.ics")
    assert calendar.headers["content-type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(calendar.content).walk("VEVENT")
    assert [(e.decoded("DTSTART").isoformat(), e.decoded("DTEND").isoformat()) for e in events] == [
        ("2026-11-30T08:00:00+00:00", "2026-11-30T16:00:00+00:00")
    ]


def test_an_invalid_upload_shows_the_engines_file_row_and_column_in_place(
    client: TestClient,
) -> None:
    log_in(client)
    files = scenario_files()
    files["agents.csv"] = files["agents.csv"].replace("Europe/Paris", "Mars/Olympus")
    parts = [("files", (name, text.encode(), "text/csv")) for name, text in files.items()]
    response = client.post("/ui/scenarios", files=parts)
    assert response.status_code == 422
    text = text_of(response.text)
    # Ben is on line 3 of agents.csv (after the header and Ana).
    assert "File agents.csv Row 3 Column timezone" in text
    assert "unknown IANA time zone 'Mars/Olympus'" in text
    assert 'aria-describedby="upload-error"' in response.text
    assert client.get("/scenarios", headers=AUTH).json() == []


def test_an_upload_that_is_no_scenario_at_all_says_why(client: TestClient) -> None:
    log_in(client)
    parts = [("files", ("broken.zip", b"PK\x03\x04 not really a zip", "application/zip"))]
    response = client.post("/ui/scenarios", files=parts)
    assert response.status_code == 400
    assert "the upload is not a readable zip archive" in response.text


def test_a_zipped_folder_uploads_and_opens_its_scenario_page(client: TestClient) -> None:
    log_in(client)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for name, text in scenario_files(name="Zipped desk").items():
            zipped.writestr(f"desk/{name}", text)
    response = client.post(
        "/ui/scenarios",
        files=[("files", ("desk.zip", archive.getvalue(), "application/zip"))],
        follow_redirects=False,
    )
    assert response.status_code == 303
    stored = client.get("/scenarios", headers=AUTH).json()
    assert [s["name"] for s in stored] == ["Zipped desk"]
    assert response.headers["location"] == f"/ui/scenarios/{stored[0]['id']}?uploaded=1"
    page = client.get(response.headers["location"]).text
    assert "Scenario stored" in page and "Zipped desk" in page
    assert "Zipped desk" in client.get("/ui/scenarios").text


def test_solve_form_refuses_bad_values_in_place(client: TestClient) -> None:
    scenario_id = upload_json(client, scenario_files())
    log_in(client)
    solve = f"/ui/scenarios/{scenario_id}/solve"
    bad_number = client.post(solve, data={"time_limit_seconds": "soon", "seed": "0"})
    too_long = client.post(solve, data={"time_limit_seconds": "600", "seed": "0"})
    assert (bad_number.status_code, too_long.status_code) == (422, 422)
    assert "time_limit_seconds: Input should be a valid number" in text_of(bad_number.text)
    assert "at most 60 on this server, got 600" in text_of(too_long.text)
    assert client.get("/jobs", headers=AUTH).json() == []


def test_solve_form_starts_a_job_whose_page_ends_with_the_roster(client: TestClient) -> None:
    scenario_id = upload_json(client, scenario_files())
    log_in(client)
    response = client.post(
        f"/ui/scenarios/{scenario_id}/solve",
        data={"time_limit_seconds": "2", "seed": "3"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    job_page = response.headers["location"]
    job_id = int(job_page.rsplit("/", 1)[1])
    running = client.get(job_page).text
    assert 'http-equiv="refresh"' in running and "/ui/static/job.js" in running
    deadline = time.monotonic() + 40
    while (progress := client.get(f"{job_page}/progress").json())["state"] in ("queued", "running"):
        assert time.monotonic() < deadline, progress
        time.sleep(0.2)
    assert progress["id"] == job_id and progress["state"] == "succeeded"
    assert progress["seed"] == 3 and progress["time_limit_seconds"] == 2
    done = client.get(job_page).text
    assert f"Open roster {progress['roster_id']}" in done
    assert 'http-equiv="refresh"' not in done and "job.js" not in done


def test_unknown_ids_get_an_error_page_not_json(client: TestClient) -> None:
    log_in(client)
    for path in ("/ui/rosters/999", "/ui/scenarios/999", "/ui/jobs/999"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
    assert "roster 999 not found" in client.get("/ui/rosters/999").text
    assert client.get("/ui/rosters/nonsense").status_code == 422


def test_a_deleted_rosters_pages_are_gone_even_after_they_were_shown(client: TestClient) -> None:
    scenario_id, roster_id = short_scenario(client)
    log_in(client)
    assert client.get(f"/ui/rosters/{roster_id}/week").status_code == 200  # now cached
    assert client.delete(f"/scenarios/{scenario_id}", headers=AUTH).status_code == 204
    for view in ("", "/week", "/coverage", "/shifts.csv", "/coverage.csv"):
        assert client.get(f"/ui/rosters/{roster_id}{view}").status_code == 404, view


def test_the_scenario_page_names_keys_that_nothing_reads(client: TestClient) -> None:
    log_in(client)
    files = scenario_files()
    files["scenario.toml"] = files["scenario.toml"].replace(
        "[rules]\n", "[rules]\nmax_weekend = 1\n", 1
    )
    parts = [("files", (name, text.encode(), "text/plain")) for name, text in files.items()]
    response = client.post("/ui/scenarios", files=parts)
    assert response.status_code == 200  # the redirect to the scenario page, followed
    assert 'id="scenario-warnings"' in response.text
    assert (
        "key &#39;rules.max_weekend&#39; is not one roster reads; it is ignored "
        "(did you mean &#39;max_weekends&#39;?)"
    ) in response.text
