"""The agent's page: this week and next in the agent's zone with UTC in small print, across
a DST change; and what the latest publication changed in the agent's own shifts."""

from __future__ import annotations

from tests.api.helpers import (
    FakeClock,
    TestClient,
    domain_scenario,
    publish,
    roster_document,
    scenario_files,
    upload_json,
    upload_roster,
    utc,
)
from tests.views.helpers import DST_FILES, agent_page_path, log_in, text_of


def test_a_dst_week_shows_local_wall_clock_times_and_the_utc_ones(
    client: TestClient, clock: FakeClock
) -> None:
    clock.now = utc("2026-03-24T09:00:00")  # Tuesday of the DST week
    scenario_id = upload_json(client, DST_FILES)
    # Dana works 09:00-17:00 Paris time: UTC+1 on Saturday, UTC+2 from Sunday 02:00.
    shifts = [
        ("d01", "2026-03-28T08:00:00", "2026-03-28T16:00:00", "en-L1"),
        ("d01", "2026-03-29T07:00:00", "2026-03-29T15:00:00", "en-L1"),
    ]
    roster_id = upload_roster(
        client, scenario_id, roster_document(domain_scenario(DST_FILES), shifts)
    )
    publish(client, roster_id)
    log_in(client)
    text = text_of(client.get(agent_page_path(client, scenario_id, "d01")).text)
    assert "This week Mon 23 Mar – Sun 29 Mar 2 shifts, 16 h" in text
    assert "Saturday 28 March 09:00 – 17:00 8 h · queue en-L1 UTC Sat 28 Mar 08:00 – 16:00" in text
    assert "Sunday 29 March 09:00 – 17:00 8 h · queue en-L1 UTC Sun 29 Mar 07:00 – 15:00" in text
    assert "Friday 27 March Off" in text
    # Nothing is published for the week after: it is not shown as a week off.
    assert "Next week Mon 30 Mar – Sun 5 Apr Not published yet." in text
    assert "Monday 30 March" not in text
    assert "Times in Europe/Paris Languages en Tier L1" in text


def test_a_night_shift_shows_that_it_ends_the_next_day(client: TestClient) -> None:
    files = scenario_files(timezone="Europe/Paris")
    scenario_id = upload_json(client, files)
    night = [("a02", "2026-12-01T20:00:00", "2026-12-02T06:00:00", "en-L1")]
    publish(
        client, upload_roster(client, scenario_id, roster_document(domain_scenario(files), night))
    )
    log_in(client)
    text = text_of(client.get(agent_page_path(client, scenario_id, "a02")).text)
    # Ben is in Paris (UTC+1): 21:00 Tuesday to 07:00 Wednesday, 10 hours.
    assert (
        "Tuesday 1 December 21:00 – 07:00 next day 10 h · queue en-L1 "
        "UTC Tue 1 Dec 20:00 – Wed 2 Dec 06:00" in text
    )


def test_the_page_lists_what_the_latest_publication_changed(client: TestClient) -> None:
    files = scenario_files(timezone="Europe/Paris")
    scenario = domain_scenario(files)
    scenario_id = upload_json(client, files)
    first = [
        ("a02", "2026-11-30T08:00:00", "2026-11-30T16:00:00", "en-L1"),
        ("a02", "2026-12-02T08:00:00", "2026-12-02T16:00:00", "en-L1"),
        ("a01", "2026-12-02T00:00:00", "2026-12-02T08:00:00", "en-L2"),
    ]
    second = [
        ("a02", "2026-11-30T08:00:00", "2026-11-30T18:00:00", "en-L1"),  # two hours longer
        ("a02", "2026-12-04T08:00:00", "2026-12-04T16:00:00", "en-L1"),  # new; Wed removed
        ("a01", "2026-12-03T00:00:00", "2026-12-03T08:00:00", "en-L2"),  # someone else
    ]
    publish(client, upload_roster(client, scenario_id, roster_document(scenario, first)))
    log_in(client)
    path = agent_page_path(client, scenario_id, "a02")
    assert "What the latest publication changed" not in client.get(path).text
    publish(client, upload_roster(client, scenario_id, roster_document(scenario, second)))
    text = text_of(client.get(path).text)
    # Paris is UTC+1 in December.
    assert (
        "What the latest publication changed "
        "Changed Mon 30 Nov: now 09:00 – 19:00 (en-L1), was 09:00 – 17:00 (en-L1) "
        "Removed Wed 2 Dec 09:00 – 17:00 "
        "New shift Fri 4 Dec 09:00 – 17:00 (en-L1)"
    ) in text
    assert "Thu 3 Dec" not in text


def test_republishing_the_same_shifts_says_nothing_changed(client: TestClient) -> None:
    files = scenario_files()
    scenario_id = upload_json(client, files)
    shifts = [("a02", "2026-11-30T08:00:00", "2026-11-30T16:00:00", "en-L1")]
    document = roster_document(domain_scenario(files), shifts)
    publish(client, upload_roster(client, scenario_id, document))
    publish(client, upload_roster(client, scenario_id, document))
    log_in(client)
    text = text_of(client.get(agent_page_path(client, scenario_id, "a02")).text)
    assert "What the latest publication changed Your shifts did not change." in text


def test_the_subscribe_button_and_copyable_link_point_at_the_agents_feed(
    client: TestClient,
) -> None:
    files = scenario_files()
    scenario_id = upload_json(client, files)
    log_in(client)
    path = agent_page_path(client, scenario_id, "a03")
    token = path.rsplit("/", 1)[1]
    page = client.get(path).text
    assert f'href="webcal://testserver/calendar/{token}.ics"' in page
    assert (
        f'id="feed-link" type="text" readonly value="https://testserver/calendar/{token}.ics"'
        in page
    )
    assert client.get(f"/calendar/{token}.ics").status_code == 200
