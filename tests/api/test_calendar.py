"""Calendar feeds parsed with `icalendar` and compared with the published shifts exactly.

Expected instants are worked out by hand: Paris is UTC+1 until 02:00 on Sunday
2026-03-29, then UTC+2; Manila is UTC+8 all year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Calendar

from tests.api.helpers import (
    AUTH,
    FakeClock,
    TestClient,
    agent_link,
    domain_scenario,
    publish,
    roster_document,
    scenario_files,
    upload_json,
    upload_roster,
    utc,
)

PARIS_AGENTS = [
    "a01,Ana Reyes,Asia/Manila,en fr,L2,employee,0,40,25.00,00:00,24:00",
    "a02,Ben Okafor,Europe/Paris,en,L1,freelance,0,40,18.50,00:00,24:00",
]
DST_WEEK = dict(week_start="2026-03-23", timezone="Europe/Paris", agents=PARIS_AGENTS)
# Ben's shifts in the DST week: (start UTC, end UTC, queue)
BEN_MONDAY = ("2026-03-23T08:00:00", "2026-03-23T16:00:00", "en-L1")  # 09:00-17:00 CET
BEN_ACROSS_DST = ("2026-03-28T19:00:00", "2026-03-29T03:00:00", "en-L1")  # 20:00 CET-05:00 CEST
BEN_SUNDAY = ("2026-03-29T14:00:00", "2026-03-29T22:00:00", "en-L1")  # 16:00-24:00 CEST
ANA_SUNDAY = ("2026-03-28T23:00:00", "2026-03-29T07:00:00", "en-L2")  # 07:00-15:00 Manila


@dataclass(frozen=True)
class ParsedEvent:
    uid: str
    start: datetime
    end: datetime
    stamp: datetime
    sequence: int
    status: str
    summary: str
    description: str


def parse_feed(body: bytes) -> tuple[Calendar, dict[str, ParsedEvent]]:
    calendar = Calendar.from_ical(body)
    events = {}
    for vevent in calendar.walk("VEVENT"):
        event = ParsedEvent(
            uid=str(vevent["UID"]),
            start=vevent.decoded("DTSTART"),
            end=vevent.decoded("DTEND"),
            stamp=vevent.decoded("DTSTAMP"),
            sequence=int(vevent["SEQUENCE"]),
            status=str(vevent["STATUS"]),
            summary=str(vevent["SUMMARY"]),
            description=str(vevent["DESCRIPTION"]),
        )
        assert event.uid not in events, f"duplicate UID {event.uid}"
        events[event.uid] = event
    return calendar, events


def uid(agent_id: str, start: str) -> str:
    return f"shift-{start.replace('-', '').replace(':', '')}Z-{agent_id}@roster.test"


def shifts(*items: tuple[str, tuple[str, str, str]]) -> list[tuple[str, str, str, str]]:
    return [(agent, *shift) for agent, shift in items]


def publish_week(client: TestClient, scenario_id: int, files: dict, picked: list) -> int:
    roster_id = upload_roster(client, scenario_id, roster_document(domain_scenario(files), picked))
    publish(client, roster_id)
    return roster_id


def test_agent_feed_matches_published_shifts_across_the_dst_change(
    client: TestClient, clock: FakeClock
) -> None:
    clock.now = utc("2026-03-25T10:00:00")
    files = scenario_files(**DST_WEEK)
    scenario_id = upload_json(client, files)
    publish_week(
        client,
        scenario_id,
        files,
        shifts(
            ("a02", BEN_MONDAY), ("a02", BEN_ACROSS_DST), ("a02", BEN_SUNDAY), ("a01", ANA_SUNDAY)
        ),
    )
    token = agent_link(client, scenario_id, "a02")

    response = client.get(f"/calendar/{token}.ics")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"] == "private, max-age=300"
    assert response.headers["etag"].startswith('"')
    calendar, events = parse_feed(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Shifts – Ben Okafor"
    assert str(calendar["VERSION"]) == "2.0"
    expected = {
        uid("a02", "2026-03-23T08:00:00"): (
            utc("2026-03-23T08:00:00"),
            utc("2026-03-23T16:00:00"),
            "Mon 23 Mar 09:00 - Mon 23 Mar 17:00",
        ),
        uid("a02", "2026-03-28T19:00:00"): (
            utc("2026-03-28T19:00:00"),
            utc("2026-03-29T03:00:00"),
            "Sat 28 Mar 20:00 - Sun 29 Mar 05:00",
        ),
        uid("a02", "2026-03-29T14:00:00"): (
            utc("2026-03-29T14:00:00"),
            utc("2026-03-29T22:00:00"),
            "Sun 29 Mar 16:00 - Mon 30 Mar 00:00",
        ),
    }
    assert set(events) == set(expected)
    for key, (start, end, local) in expected.items():
        event = events[key]
        assert (event.start, event.end) == (start, end)
        assert event.start.utcoffset() == timedelta(0)
        assert event.end - event.start == timedelta(hours=8)  # elapsed, even across DST
        assert event.summary == "Shift en-L1 · en · L1"
        assert event.sequence == 0
        assert event.status == "CONFIRMED"
        assert event.stamp == utc("2026-03-25T10:00:00")
        assert f"Local time (Europe/Paris): {local} (8 h)" in event.description


def test_agent_json_shows_shifts_in_own_zone_and_utc_across_dst(
    client: TestClient, clock: FakeClock
) -> None:
    files = scenario_files(**DST_WEEK)
    scenario_id = upload_json(client, files)
    roster_id = publish_week(client, scenario_id, files, shifts(("a02", BEN_ACROSS_DST)))
    token = agent_link(client, scenario_id, "a02")

    week = client.get(f"/agent/{token}/shifts", params={"week": "2026-03-23"}).json()

    assert week["roster_id"] == roster_id
    assert week["shifts"] == [
        {
            "start_utc": "2026-03-28T19:00:00Z",
            "end_utc": "2026-03-29T03:00:00Z",
            "start_local": "2026-03-28T20:00:00+01:00",
            "end_local": "2026-03-29T05:00:00+02:00",
            "timezone": "Europe/Paris",
            "hours": 8.0,
            "queue": "en-L1",
        }
    ]
    manager_view = client.get(
        "/agents/a02/shifts", params={"week": "2026-03-23"}, headers=AUTH
    ).json()
    assert manager_view == week


def test_republishing_keeps_uids_raises_sequence_and_cancels_removed_shifts(
    client: TestClient, clock: FakeClock
) -> None:
    first_time, second_time, third_time = (
        utc("2026-03-20T08:00:00"),
        utc("2026-03-21T08:00:00"),
        utc("2026-03-22T08:00:00"),
    )
    files = scenario_files(**DST_WEEK)
    scenario_id = upload_json(client, files)
    longer_sunday = ("2026-03-29T12:00:00", "2026-03-29T22:00:00", "en-L1")  # 10 h
    ana_same_start_other_queue = ("2026-03-28T23:00:00", "2026-03-29T07:00:00", "en-L1")
    version_1 = shifts(("a02", BEN_MONDAY), ("a02", BEN_ACROSS_DST), ("a01", ANA_SUNDAY))
    version_2 = shifts(
        ("a02", BEN_MONDAY), ("a02", longer_sunday), ("a01", ana_same_start_other_queue)
    )
    clock.now = first_time
    first = publish_week(client, scenario_id, files, version_1)
    ben = agent_link(client, scenario_id, "a02")
    ana = agent_link(client, scenario_id, "a01")
    clock.now = second_time
    publish_week(client, scenario_id, files, version_2)

    _, ben_events = parse_feed(client.get(f"/calendar/{ben}.ics").content)
    _, ana_events = parse_feed(client.get(f"/calendar/{ana}.ics").content)

    monday = ben_events[uid("a02", BEN_MONDAY[0])]
    assert (monday.sequence, monday.status, monday.stamp) == (0, "CONFIRMED", first_time)
    removed = ben_events[uid("a02", BEN_ACROSS_DST[0])]
    assert (removed.sequence, removed.status, removed.stamp) == (1, "CANCELLED", second_time)
    assert removed.summary == "Cancelled: Shift en-L1 · en · L1"
    assert (removed.start, removed.end) == (utc(BEN_ACROSS_DST[0]), utc(BEN_ACROSS_DST[1]))
    added = ben_events[uid("a02", longer_sunday[0])]
    assert (added.sequence, added.status, added.stamp) == (0, "CONFIRMED", second_time)
    assert added.end - added.start == timedelta(hours=10)
    assert len(ben_events) == 3
    changed = ana_events[uid("a01", ANA_SUNDAY[0])]
    assert (changed.sequence, changed.status, changed.stamp) == (1, "CONFIRMED", second_time)
    assert changed.summary == "Shift en-L1 · en fr · L2"

    # Publishing the first version again revives the cancelled shift under its old UID.
    clock.now = third_time
    publish(client, first)
    _, ben_events = parse_feed(client.get(f"/calendar/{ben}.ics").content)
    revived = ben_events[uid("a02", BEN_ACROSS_DST[0])]
    assert (revived.sequence, revived.status, revived.stamp) == (2, "CONFIRMED", third_time)
    dropped = ben_events[uid("a02", longer_sunday[0])]
    assert (dropped.sequence, dropped.status) == (1, "CANCELLED")
    assert ben_events[uid("a02", BEN_MONDAY[0])].sequence == 0


def test_feed_window_runs_from_two_weeks_back_to_thirteen_weeks_ahead(
    client: TestClient, clock: FakeClock
) -> None:
    # Thirteen weeks ahead: a 12-week roster published a week early reaches calendars whole.
    early, late = scenario_files(week_start="2026-11-30"), scenario_files(week_start="2027-03-15")
    early_id, late_id = upload_json(client, early), upload_json(client, late)
    mon_30_nov = ("2026-11-30T08:00:00", "2026-11-30T16:00:00", "en-L1")
    tue_1_dec = ("2026-12-01T20:00:00", "2026-12-02T04:00:00", "en-L1")  # ends inside
    thu_3_dec = ("2026-12-03T08:00:00", "2026-12-03T16:00:00", "en-L1")
    wed_17_mar = ("2027-03-17T08:00:00", "2027-03-17T16:00:00", "en-L1")
    thu_18_mar = ("2027-03-18T08:00:00", "2027-03-18T16:00:00", "en-L1")
    publish_week(
        client, early_id, early, shifts(("a02", mon_30_nov), ("a02", tue_1_dec), ("a02", thu_3_dec))
    )
    publish_week(client, late_id, late, shifts(("a02", wed_17_mar), ("a02", thu_18_mar)))
    token = agent_link(client, late_id, "a02")

    # Today 16 Dec: the window is [2 Dec 00:00, 18 Mar 00:00) UTC (16 Dec + 91 days + 1).
    clock.now = utc("2026-12-16T23:59:00")
    _, events = parse_feed(client.get(f"/calendar/{token}.ics").content)
    assert set(events) == {uid("a02", s[0]) for s in (tue_1_dec, thu_3_dec, wed_17_mar)}

    # Two days later: [4 Dec, 20 Mar) drops the early shifts and takes in 18 Mar.
    clock.now = utc("2026-12-18T00:00:00")
    _, events = parse_feed(client.get(f"/calendar/{token}.ics").content)
    assert set(events) == {uid("a02", s[0]) for s in (wed_17_mar, thu_18_mar)}


def test_etag_gives_304_until_a_new_roster_is_published(client: TestClient) -> None:
    files = scenario_files()
    scenario_id = upload_json(client, files)
    one = ("2026-11-30T08:00:00", "2026-11-30T16:00:00", "en-L1")
    two = ("2026-12-01T08:00:00", "2026-12-01T16:00:00", "en-L1")
    publish_week(client, scenario_id, files, shifts(("a02", one)))
    token = agent_link(client, scenario_id, "a02")
    first = client.get(f"/calendar/{token}.ics")
    etag = first.headers["etag"]

    again = client.get(f"/calendar/{token}.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert (
        client.get(f"/calendar/{token}.ics", headers={"If-None-Match": "W/" + etag}).status_code
        == 304
    )

    publish_week(client, scenario_id, files, shifts(("a02", one), ("a02", two)))
    changed = client.get(f"/calendar/{token}.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert len(parse_feed(changed.content)[1]) == 2


def test_head_on_a_feed_gives_headers_without_body(client: TestClient) -> None:
    files = scenario_files()
    scenario_id = upload_json(client, files)
    token = agent_link(client, scenario_id, "a02")
    full = client.get(f"/calendar/{token}.ics")
    head = client.head(f"/calendar/{token}.ics")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == full.headers["etag"]
    assert head.headers["content-type"] == "text/calendar; charset=utf-8"


def test_team_feed_lists_every_agents_published_shifts_for_managers(
    client: TestClient, clock: FakeClock
) -> None:
    clock.now = utc("2026-03-25T10:00:00")
    files = scenario_files(**DST_WEEK)
    scenario_id = upload_json(client, files)
    publish_week(client, scenario_id, files, shifts(("a02", BEN_ACROSS_DST), ("a01", ANA_SUNDAY)))

    response = client.get("/team/calendar.ics", headers=AUTH)

    assert response.status_code == 200
    calendar, events = parse_feed(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Team roster"
    assert {e.summary for e in events.values()} == {
        "Ben Okafor: Shift en-L1 · en · L1",
        "Ana Reyes: Shift en-L2 · en fr · L2",
    }
    assert events[uid("a01", ANA_SUNDAY[0])].start == utc(ANA_SUNDAY[0])
    assert "Local time (Asia/Manila): Sun 29 Mar 07:00 - Sun 29 Mar 15:00" in (
        events[uid("a01", ANA_SUNDAY[0])].description
    )


def test_one_off_roster_download_holds_exactly_its_shifts(client: TestClient) -> None:
    files = scenario_files(**DST_WEEK)
    scenario_id = upload_json(client, files)
    picked = shifts(("a02", BEN_MONDAY), ("a02", BEN_ACROSS_DST), ("a01", ANA_SUNDAY))
    roster_id = upload_roster(client, scenario_id, roster_document(domain_scenario(files), picked))

    response = client.get(f"/rosters/{roster_id}/calendar.ics", headers=AUTH)

    assert response.status_code == 200
    assert (
        response.headers["content-disposition"] == f'attachment; filename="roster-{roster_id}.ics"'
    )
    _, events = parse_feed(response.content)
    assert {(e.uid, e.start, e.end) for e in events.values()} == {
        (uid(agent, start), utc(start), utc(end)) for agent, start, end, _queue in picked
    }
    assert {e.status for e in events.values()} == {"CONFIRMED"}
