"""What an agent's link shows: only published data, each week in the zone the agent had
that week, any day of a published week, and changes the agent can see.

The clock is Wednesday 25 November 2026; the scenarios plan the weeks after it in UTC.
"""

from __future__ import annotations

from icalendar import Calendar

from tests.api.helpers import (
    AGENTS,
    AUTH,
    TestClient,
    agent_link,
    domain_scenario,
    page_text,
    publish,
    roster_document,
    scenario_files,
    upload_json,
    upload_roster,
)

ANA_IN_BERLIN = "a01,Draft Person,Europe/Berlin,en fr,L2,employee,0,40,25.00,00:00,24:00"
# Tuesday 1 December, 07:00-15:00 in Manila (UTC+8).
ANA_TUESDAY_MANILA = ("a01", "2026-11-30T23:00:00", "2026-12-01T07:00:00", "en-L2")
BEN_TUESDAY = ("a02", "2026-12-01T08:00:00", "2026-12-01T16:00:00", "en-L1")


def publish_roster(client: TestClient, files: dict[str, str], shifts: list[tuple]) -> int:
    scenario_id = upload_json(client, files)
    document = roster_document(domain_scenario(files), shifts)
    roster_id = upload_roster(client, scenario_id, document)
    publish(client, roster_id)
    return roster_id


def test_a_link_shows_the_published_agent_not_a_later_unpublished_upload(
    client: TestClient,
) -> None:
    publish_roster(client, scenario_files(), [ANA_TUESDAY_MANILA])
    token = agent_link(client, 1, "a01")
    later = scenario_files(week_start="2026-12-14", agents=[ANA_IN_BERLIN, *AGENTS[1:]])
    later_id = upload_json(client, later)  # uploaded, never published

    page = client.get(f"/agent/{token}").json()
    assert (page["name"], page["timezone"]) == ("Ana Reyes", "Asia/Manila")
    feed = Calendar.from_ical(client.get(f"/calendar/{token}.ics").content)
    assert str(feed["X-WR-CALNAME"]) == "Shifts – Ana Reyes"
    assert str(feed["X-WR-CALDESC"]) == "Published shifts of Ana Reyes (a01)"
    html = client.get(f"/ui/agent/{token}").text
    assert "Times in Asia/Manila" in page_text(html)
    assert "Draft Person" not in html and "Berlin" not in html

    # Once a roster of that scenario is published, it is what the link shows.
    publish(client, upload_roster(client, later_id, roster_document(domain_scenario(later), [])))
    page = client.get(f"/agent/{token}").json()
    assert (page["name"], page["timezone"]) == ("Draft Person", "Europe/Berlin")


def test_a_link_of_an_agent_in_no_published_roster_shows_only_the_id(
    client: TestClient,
) -> None:
    scenario_id = upload_json(client, scenario_files())
    token = agent_link(client, scenario_id, "a01")
    page = client.get(f"/agent/{token}").json()
    assert {k: page[k] for k in ("agent_id", "name", "timezone", "languages", "tier")} == {
        "agent_id": "a01",
        "name": None,
        "timezone": None,
        "languages": [],
        "tier": None,
    }
    feed = Calendar.from_ical(client.get(f"/calendar/{token}.ics").content)
    assert str(feed["X-WR-CALNAME"]) == "Shifts – a01"
    html = client.get(f"/ui/agent/{token}").text
    assert "Ana" not in html and "Manila" not in html
    assert "No roster with your shifts is published yet." in page_text(html)


def test_each_week_of_the_agent_page_is_in_the_zone_the_agent_had_that_week(
    client: TestClient,
) -> None:
    publish_roster(client, scenario_files(), [ANA_TUESDAY_MANILA])
    # The next week Ana works from Berlin (UTC+1): Tuesday 8 December 09:00-17:00.
    berlin = scenario_files(week_start="2026-12-07", agents=[ANA_IN_BERLIN, *AGENTS[1:]])
    publish_roster(client, berlin, [("a01", "2026-12-08T08:00:00", "2026-12-08T16:00:00", "en-L2")])
    token = agent_link(client, 1, "a01")

    text = page_text(client.get(f"/ui/agent/{token}").text)
    assert "Times in Europe/Berlin" in text  # the latest published roster
    assert (
        "Next week Mon 30 Nov – Sun 6 Dec 1 shift, 8 h "
        "Times this week in Asia/Manila, where you worked then."
    ) in text
    assert "Tuesday 1 December 07:00 – 15:00 8 h · queue en-L2" in text
    assert "Tuesday 8 December 09:00 – 17:00 8 h · queue en-L2" in text


def test_a_day_inside_a_published_week_gives_that_week(client: TestClient) -> None:
    roster_id = publish_roster(client, scenario_files(), [BEN_TUESDAY])
    token = agent_link(client, 1, "a02")
    for path, headers in (("/agents/a02/shifts", AUTH), (f"/agent/{token}/shifts", {})):
        for day in ("2026-11-30", "2026-12-01", "2026-12-06"):  # Monday, Tuesday, Sunday
            week = client.get(path, params={"week": day}, headers=headers).json()
            assert (week["week_start"], week["roster_id"]) == ("2026-11-30", roster_id), day
            assert [s["start_utc"] for s in week["shifts"]] == ["2026-12-01T08:00:00Z"]
        after = client.get(path, params={"week": "2026-12-07"}, headers=headers).json()
        assert (after["week_start"], after["roster_id"], after["shifts"]) == (
            "2026-12-07",
            None,
            [],
        )


def test_the_change_list_says_what_changed_and_leaves_out_a_new_name_alone(
    client: TestClient,
) -> None:
    publish_roster(client, scenario_files(), [BEN_TUESDAY])
    token = agent_link(client, 1, "a02")
    renamed = AGENTS[1].replace("Ben Okafor", "Benjamin Okafor")
    publish_roster(client, scenario_files(agents=[AGENTS[0], renamed, AGENTS[2]]), [BEN_TUESDAY])
    text = page_text(client.get(f"/ui/agent/{token}").text)
    assert "What the latest publication changed Your shifts did not change." in text

    # Ben now also speaks French and works at L2: the same hours (Paris, UTC+1) and queue.
    promoted = AGENTS[1].replace(",en,L1,", ",en fr,L2,")
    publish_roster(client, scenario_files(agents=[AGENTS[0], promoted, AGENTS[2]]), [BEN_TUESDAY])
    text = page_text(client.get(f"/ui/agent/{token}").text)
    assert (
        "Changed Tue 1 Dec: now 09:00 – 17:00 (en-L1), was 09:00 – 17:00 (en-L1); "
        "languages en fr, was en; tier L2, was L1"
    ) in text
