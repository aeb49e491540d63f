"""Pages, feeds and publishing for a roster of several weeks: a three-week scenario around
the change to summer time, solved by the engine and checked by the validator.

Expected values are worked out by hand from the scenario (tests/views/helpers.py):
Paris is UTC+1 until 02:00 on Sunday 29 March 2026 and UTC+2 after it; Manila is UTC+8.
Week 1 runs Mon 16 - Sun 22 March, week 2 Mon 23 - Sun 29 March (167 hours long), week 3
Mon 30 March - Sun 5 April, each from 00:00 Paris time.

- Wanda (Paris, 09:00-17:00, off Monday-Friday, exactly 16 h a week) works Saturday and
  Sunday 09:00-17:00 Paris time every week: 08:00 UTC before the change, 07:00 after it.
- Mika (Manila, 09:00-17:00, Wednesdays only, exactly 8 h a week) works each Wednesday
  01:00-09:00 UTC: 02:00-10:00 Paris time in weeks 1-2, 03:00-11:00 in week 3.
- One ticket on Tuesday 24 March 10:00-11:00 Paris: offered load 1 x 300 / 3600 = 0.083
  Erlang; one agent answers 1 - 0.083 x exp(-(1 - 0.083) x 60 / 300) = 93 % within 60 s,
  so 1 agent is required (no shrinkage), and nobody may work then: 1.0 agent-hour short.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from roster.calendar import events_by_week, shift_events
from roster.check import check_roster
from roster.engine import SolveOptions, solve
from roster.model import Scenario
from roster.result import Roster
from roster.scenario import load_scenario_files
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
from tests.api.test_calendar import parse_feed, uid
from tests.builders import roster as built_roster
from tests.builders import scenario as built_scenario
from tests.builders import shift as built_shift
from tests.views.helpers import (
    MULTIWEEK_AGENTS_CSV,
    MULTIWEEK_FILES,
    MULTIWEEK_SCENARIO_TOML,
    agent_page_path,
    log_in,
    text_of,
)

QUICK = SolveOptions(time_limit_seconds=10, workers=1, seed=0)

# The same desk planned again for week 3 alone: Wanda now works 10:00-18:00 Paris time.
WEEK_THREE_FILES = {
    "scenario.toml": MULTIWEEK_SCENARIO_TOML.replace(
        'week_start = "2026-03-16"\nweeks = 3\n', 'week_start = "2026-03-30"\n'
    ),
    "agents.csv": MULTIWEEK_AGENTS_CSV.replace("20.00,09:00,17:00", "20.00,10:00,18:00"),
    "forecast.csv": "start,language,tier,tickets\n",
    "time_off.csv": """agent_id,start,end
w01,2026-03-30T00:00:00+02:00,2026-04-04T00:00:00+02:00
w02,2026-03-30T00:00:00+08:00,2026-04-01T00:00:00+08:00
w02,2026-04-02T00:00:00+08:00,2026-04-07T00:00:00+08:00
""",
}

WANDA = [  # (start UTC, end UTC) of every shift of the three weeks
    ("2026-03-21T08:00:00", "2026-03-21T16:00:00"),
    ("2026-03-22T08:00:00", "2026-03-22T16:00:00"),
    ("2026-03-28T08:00:00", "2026-03-28T16:00:00"),
    ("2026-03-29T07:00:00", "2026-03-29T15:00:00"),
    ("2026-04-04T07:00:00", "2026-04-04T15:00:00"),
    ("2026-04-05T07:00:00", "2026-04-05T15:00:00"),
]
MIKA = [
    ("2026-03-18T01:00:00", "2026-03-18T09:00:00"),
    ("2026-03-25T01:00:00", "2026-03-25T09:00:00"),
    ("2026-04-01T01:00:00", "2026-04-01T09:00:00"),
]
WANDA_WEEK_THREE_AGAIN = [  # 10:00-18:00 Paris summer time
    ("2026-04-04T08:00:00", "2026-04-04T16:00:00"),
    ("2026-04-05T08:00:00", "2026-04-05T16:00:00"),
]


def solved(files: dict[str, str]) -> tuple[Scenario, Roster]:
    scenario = load_scenario_files(files)
    roster = solve(scenario, QUICK)
    assert check_roster(scenario, roster) == []
    return scenario, roster


@pytest.fixture(scope="module")
def three_weeks() -> Roster:
    return solved(MULTIWEEK_FILES)[1]


@pytest.fixture(scope="module")
def week_three_again() -> Roster:
    return solved(WEEK_THREE_FILES)[1]


def store(client: TestClient, files: dict[str, str], roster: Roster) -> tuple[int, int]:
    """Upload the scenario and its roster (the server checks it again): (scenario, roster)."""
    scenario_id = upload_json(client, files)
    return scenario_id, upload_roster(client, scenario_id, roster.to_json())


@pytest.fixture
def stored(client: TestClient, clock: FakeClock, three_weeks: Roster) -> tuple[int, int]:
    """The three-week roster stored, on Tuesday of week 1, with a manager logged in."""
    at(client, clock, "2026-03-17T09:00:00")
    return store(client, MULTIWEEK_FILES, three_weeks)


def at(client: TestClient, clock: FakeClock, now: str) -> None:
    """Move the server's clock and log in again (a session lasts 12 hours of it)."""
    clock.now = utc(now)
    log_in(client)


def page(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.text


def day_columns(html: str) -> list[str]:
    return re.findall(r'<span class="day-name">([^<]+)</span>', html)


def row_cells(html: str, agent_name: str) -> list[str]:
    """The texts of the day cells in the grid row of `agent_name`."""
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    row = next(r for r in rows if f'<span class="agent-name">{agent_name}</span>' in r)
    return [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]


def spans(items: list[tuple[str, str]]) -> set[tuple[str, str]]:
    return {(utc(s).isoformat(), utc(e).isoformat()) for s, e in items}


def shifts_of(roster: Roster, agent_id: str) -> set[tuple[str, str]]:
    return {
        (s.start.isoformat(), s.end.isoformat()) for s in roster.shifts if s.agent_id == agent_id
    }


# --- the solved rosters ------------------------------------------------------------------


def test_the_solver_finds_the_only_roster_the_rules_allow(
    three_weeks: Roster, week_three_again: Roster
) -> None:
    assert shifts_of(three_weeks, "w01") == spans(WANDA)
    assert shifts_of(three_weeks, "w02") == spans(MIKA)
    assert shifts_of(week_three_again, "w01") == spans(WANDA_WEEK_THREE_AGAIN)
    assert shifts_of(week_three_again, "w02") == spans(MIKA[2:])


def test_each_shift_belongs_to_the_week_it_starts_in() -> None:
    week = replace(built_scenario(), weeks=2)  # UTC weeks from Monday 30 November 2026
    sunday_night = built_shift("2026-12-06T22:00:00", "2026-12-07T06:00:00")
    monday = built_shift("2026-12-07T22:00:00", "2026-12-08T06:00:00")
    events = shift_events(week, built_roster(sunday_night, monday), utc("2026-11-01T00:00:00"))
    by_week = events_by_week(week, events)
    assert list(by_week) == [date(2026, 11, 30), date(2026, 12, 7)]
    assert [e.start for e in by_week[date(2026, 11, 30)]] == [sunday_night.start]
    assert [e.start for e in by_week[date(2026, 12, 7)]] == [monday.start]
    assert events_by_week(week, []) == {date(2026, 11, 30): [], date(2026, 12, 7): []}


# --- the week grid -----------------------------------------------------------------------


def test_week_two_shows_its_seven_paris_dates_and_the_week_navigation(
    client: TestClient, stored: tuple[int, int]
) -> None:
    _, roster_id = stored
    html = page(client, f"/ui/rosters/{roster_id}/week?week=2")
    text = text_of(html)
    assert "Roster 1 3 weeks, Monday 16 March 2026 – Sunday 5 April 2026" in text
    assert "← Week 1 Week 2 of 3 Mon 23 Mar – Sun 29 Mar 2026 Week 3 →" in text
    assert f'rel="prev" href="/ui/rosters/{roster_id}/week?week=1"' in html
    assert f'rel="next" href="/ui/rosters/{roster_id}/week?week=3"' in html
    assert day_columns(html) == [
        "Mon 23 Mar", "Tue 24 Mar", "Wed 25 Mar", "Thu 26 Mar", "Fri 27 Mar", "Sat 28 Mar",
        "Sun 29 Mar",
    ]  # fmt: skip
    wanda = row_cells(html, "Wanda Weekend")
    assert wanda[:5] == ["", "", "", "", ""]
    assert wanda[5:] == ["09:00–17:00", "09:00–17:00", "16 h 16–16 a week 48 h in 3 weeks"]
    mika = row_cells(html, "Mika Santos")
    assert mika[2] == "02:00–10:00"
    assert mika[7] == "8 h 8–8 a week 24 h in 3 weeks"
    assert "2 of 2 agents · 24 h in shifts starting in week 2" in text


def test_times_in_utc_and_in_each_agents_zone_stay_right_across_the_dst_week(
    client: TestClient, stored: tuple[int, int]
) -> None:
    _, roster_id = stored
    html = page(client, f"/ui/rosters/{roster_id}/week?week=2&zone=utc")
    # Week 2 is [Sun 22 Mar 23:00, Sun 29 Mar 22:00) UTC: eight UTC dates.
    assert day_columns(html)[0] == "Sun 22 Mar" and day_columns(html)[-1] == "Sun 29 Mar"
    wanda = row_cells(html, "Wanda Weekend")
    assert wanda[6:8] == ["08:00–16:00", "07:00–15:00"]  # Saturday CET, Sunday CEST

    html = page(client, f"/ui/rosters/{roster_id}/week?week=2&zone=agent")
    # Paris dates 23-29 March and Manila dates 23-30 March (it is 07:00 there at the start).
    assert day_columns(html) == [f"{d} {n} Mar" for d, n in zip(
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Mon"], range(23, 31), strict=True
    )]  # fmt: skip
    assert row_cells(html, "Mika Santos")[2] == "09:00–17:00"
    assert row_cells(html, "Wanda Weekend")[5:7] == ["09:00–17:00", "09:00–17:00"]

    html = page(client, f"/ui/rosters/{roster_id}/week?week=3")
    assert row_cells(html, "Mika Santos")[2] == "03:00–11:00"  # Paris is UTC+2 by then
    assert row_cells(html, "Wanda Weekend")[5:7] == ["09:00–17:00", "09:00–17:00"]


def test_filters_and_the_zone_are_kept_when_moving_between_weeks(
    client: TestClient, stored: tuple[int, int]
) -> None:
    _, roster_id = stored
    path = f"/ui/rosters/{roster_id}/week"
    html = page(client, f"{path}?week=2&zone=agent&timezone=Asia/Manila")
    assert re.findall(r'<span class="agent-name">([^<]+)</span>', html) == ["Mika Santos"]
    assert f'rel="next" href="{path}?zone=agent&amp;timezone=Asia%2FManila&amp;week=3"' in html
    assert f'rel="prev" href="{path}?zone=agent&amp;timezone=Asia%2FManila&amp;week=1"' in html
    assert '<input type="hidden" name="week" value="2">' in html  # the filter form keeps it
    assert f'href="{path}?week=2">Reset</a>' in html


def test_without_a_week_the_grid_opens_on_the_week_that_holds_today(
    client: TestClient, clock: FakeClock, stored: tuple[int, int]
) -> None:
    _, roster_id = stored
    assert "Week 1 of 3" in text_of(page(client, f"/ui/rosters/{roster_id}/week"))
    at(client, clock, "2026-03-31T12:00:00")
    assert "Week 3 of 3" in text_of(page(client, f"/ui/rosters/{roster_id}/week"))
    at(client, clock, "2026-05-04T12:00:00")  # after the horizon: its first week
    assert "Week 1 of 3" in text_of(page(client, f"/ui/rosters/{roster_id}/week"))


def test_a_week_the_horizon_does_not_have_is_a_clear_404(
    client: TestClient, stored: tuple[int, int]
) -> None:
    _, roster_id = stored
    response = client.get(f"/ui/rosters/{roster_id}/week?week=4")
    assert response.status_code == 404
    assert "this roster plans weeks 1 to 3; there is no week 4" in text_of(response.text)
    assert client.get(f"/ui/rosters/{roster_id}/coverage?week=0").status_code == 422


def test_hours_by_week_lists_every_agent_in_every_week(
    client: TestClient, stored: tuple[int, int]
) -> None:
    _, roster_id = stored
    text = text_of(page(client, f"/ui/rosters/{roster_id}/hours"))
    assert (
        "2 of 2 agents · 72 h in shifts over 3 weeks · every agent within its weekly bounds" in text
    )
    assert (
        "Wanda Weekend w01 · en · L1 · employee · Europe/Paris 16–16 "
        + ("16 h 2 shifts " * 3)
        + "48 h"
        in text
    )
    assert (
        "Mika Santos w02 · en · L1 · freelance · Asia/Manila 8–8 " + ("8 h 1 shift " * 3) + "24 h"
        in text
    )
    filtered = text_of(page(client, f"/ui/rosters/{roster_id}/hours?contract=freelance"))
    assert "1 of 2 agents · 24 h" in filtered and "Wanda" not in filtered


# --- coverage and KPI figures ------------------------------------------------------------


def test_coverage_shows_one_week_and_marks_the_short_one(
    client: TestClient, stored: tuple[int, int]
) -> None:
    _, roster_id = stored
    html = page(client, f"/ui/rosters/{roster_id}/coverage?week=2")
    text = text_of(html)
    assert "en-L1 100.0 % 0.0 % 1.0 h short 100.0 %" in text  # the queue x week table
    short_cells = re.findall(r'<td class="num short[^"]*"><a href="([^"]+)"', html)
    assert short_cells == [f"/ui/rosters/{roster_id}/coverage?week=2#queue-en-L1"]
    # The chart covers week 2 only: 167 hourly intervals (the clocks go forward). Tuesday
    # 10:00 Paris is interval 24 + 10 = 34, so its band starts at 44 + 1144 x 34 / 167.
    assert re.findall(r'class="short-band" x="([\d.]+)"', html) == ["276.9"]
    labels = re.findall(r'class="day-label"[^>]*>([^<]+)<', html)
    assert labels == ["Mon 23", "Tue 24", "Wed 25", "Thu 26", "Fri 27", "Sat 28", "Sun 29"]
    assert (
        "Tue 24 Mar 10:00 Tue 24 Mar 11:00 1.0 "
        "no qualified agent can work then (availability windows, time off)" in text
    )
    assert "Week 2: coverage 0.0 % · short 1.0 agent-hours." in text

    week_one = page(client, f"/ui/rosters/{roster_id}/coverage?week=1")
    assert 'class="short-band"' not in week_one
    assert "No shortfall: scheduled agents meet the requirement in every interval of week 1." in (
        text_of(week_one)
    )


def test_kpi_cards_give_horizon_totals_and_a_row_per_week(
    client: TestClient, stored: tuple[int, int]
) -> None:
    _, roster_id = stored
    html = page(client, f"/ui/rosters/{roster_id}")
    text = text_of(html)
    # 48 h x 20.00 + 24 h x 15.00 = 1,320.00 over the horizon; 440.00 a week.
    assert "Paid hours 72.0 9 shifts, 2 agents over the 3 weeks" in text
    assert "Cost 1,320.00 shift hours × hourly cost over the 3 weeks" in text
    assert "Shortage 1.0 agent-hours below the requirement over the 3 weeks" in text
    assert "Week 1 Mon 16 Mar – Sun 22 Mar 2026 3 24.0 440.00 0.0 100.0 % 0.0 Grid · Coverage" in (
        text
    )
    assert "Week 2 Mon 23 Mar – Sun 29 Mar 2026 3 24.0 440.00 1.0 0.0 % 1.0 Grid · Coverage" in text
    assert (
        "Week 3 Mon 30 Mar – Sun 5 Apr 2026 3 24.0 440.00 0.0 100.0 % 0.0 Grid · Coverage" in text
    )
    assert f'href="/ui/rosters/{roster_id}/week?week=2">Grid</a>' in html


# --- publishing weeks --------------------------------------------------------------------


def test_a_later_one_week_roster_supersedes_the_three_week_roster_for_its_week_only(
    client: TestClient, stored: tuple[int, int], week_three_again: Roster
) -> None:
    _, whole = stored
    _, third = store(client, WEEK_THREE_FILES, week_three_again)
    publish(client, whole)
    first_publication = publish(client, third)
    assert first_publication["week_start"] == "2026-03-30"

    weeks = client.get("/weeks", headers=AUTH).json()
    assert [(w["week_start"], w["current_roster_id"]) for w in weeks] == [
        ("2026-03-16", whole),
        ("2026-03-23", whole),
        ("2026-03-30", third),
    ]
    assert [p["roster_id"] for p in weeks[2]["publications"]] == [whole, third]
    for day, week_start, current in [
        ("2026-03-25", "2026-03-23", whole),  # a Wednesday: the week that holds it
        ("2026-03-30", "2026-03-30", third),
        ("2026-04-05", "2026-03-30", third),
    ]:
        found = client.get(f"/weeks/{day}", headers=AUTH).json()
        assert (found["week_start"], found["current_roster_id"]) == (week_start, current)
    assert client.get("/weeks/2026-04-06", headers=AUTH).status_code == 404

    states = {r["id"]: r["state"] for r in client.get("/rosters", headers=AUTH).json()}
    assert states == {whole: "published", third: "published"}  # each current somewhere
    in_week_three = client.get(
        "/agents/w01/shifts", params={"week": "2026-03-30"}, headers=AUTH
    ).json()
    assert in_week_three["roster_id"] == third
    starts = [s["start_utc"] for s in in_week_three["shifts"]]
    assert starts == ["2026-04-04T08:00:00Z", "2026-04-05T08:00:00Z"]
    in_week_two = client.get("/agents/w01/shifts", params={"week": "2026-03-23"}, headers=AUTH)
    assert in_week_two.json()["roster_id"] == whole
    assert len(in_week_two.json()["shifts"]) == 2

    text = text_of(page(client, f"/ui/rosters/{whole}"))
    assert (
        "This is the published roster of weeks 1 and 2 only: a later roster is published "
        "for the other." in text
    )
    assert f"Week 3 Mon 30 Mar – Sun 5 Apr Roster {third} " in text
    assert "Publish this version again" in text

    publish(client, whole)  # the three weeks again: current for week 3 once more
    states = {r["id"]: r["state"] for r in client.get("/rosters", headers=AUTH).json()}
    assert states == {whole: "published", third: "superseded"}


def test_the_feed_carries_every_week_and_cancels_only_the_replaced_shifts(
    client: TestClient, stored: tuple[int, int], week_three_again: Roster
) -> None:
    scenario_id, whole = stored
    _, third = store(client, WEEK_THREE_FILES, week_three_again)
    token = agent_link(client, scenario_id, "w01")
    publish(client, whole)
    _, events = parse_feed(client.get(f"/calendar/{token}.ics").content)
    assert {(e.uid, e.status) for e in events.values()} == {
        (uid("w01", start), "CONFIRMED") for start, _ in WANDA
    }

    publish(client, third)
    _, events = parse_feed(client.get(f"/calendar/{token}.ics").content)
    status = {e.uid: (e.status, e.sequence) for e in events.values()}
    assert status == {
        **{uid("w01", start): ("CONFIRMED", 0) for start, _ in WANDA[:4]},
        **{uid("w01", start): ("CANCELLED", 1) for start, _ in WANDA[4:]},
        **{uid("w01", start): ("CONFIRMED", 0) for start, _ in WANDA_WEEK_THREE_AGAIN},
    }


# --- the agent's page --------------------------------------------------------------------


def test_the_agent_page_lists_every_published_week_in_local_time(
    client: TestClient, clock: FakeClock, stored: tuple[int, int]
) -> None:
    scenario_id, whole = stored
    publish(client, whole)  # on Tuesday of week 1
    wanda = text_of(page(client, agent_page_path(client, scenario_id, "w01")))
    assert (
        "Your weeks Mon 16 Mar : 2 shifts, 16 h Mon 23 Mar : 2 shifts, 16 h "
        "Mon 30 Mar : 2 shifts, 16 h" in wanda
    )
    assert "This week Mon 16 Mar – Sun 22 Mar 2 shifts, 16 h" in wanda
    assert "Next week Mon 23 Mar – Sun 29 Mar 2 shifts, 16 h" in wanda
    assert "Week of Monday 30 March Mon 30 Mar – Sun 5 Apr 2 shifts, 16 h" in wanda
    assert "Sunday 29 March 09:00 – 17:00 8 h UTC Sun 29 Mar 07:00 – 15:00" in wanda
    assert "Saturday 4 April 09:00 – 17:00 8 h UTC Sat 4 Apr 07:00 – 15:00" in wanda
    assert "Mika" not in wanda

    mika = text_of(page(client, agent_page_path(client, scenario_id, "w02")))
    assert "Wednesday 1 April 09:00 – 17:00 8 h UTC Wed 1 Apr 01:00 – 09:00" in mika
    assert "Week of Monday 30 March Mon 30 Mar – Sun 5 Apr 1 shift, 8 h" in mika

    at(client, clock, "2026-04-01T12:00:00")  # in week 3: nothing is published after it
    wanda = text_of(page(client, agent_page_path(client, scenario_id, "w01")))
    assert "This week Mon 30 Mar – Sun 5 Apr 2 shifts, 16 h" in wanda
    assert "Next week Mon 6 Apr – Sun 12 Apr Not published yet." in wanda
    assert "Sunday 29 March" not in wanda and "Your weeks" not in wanda


def test_the_agent_page_shows_what_the_week_three_roster_changed(
    client: TestClient, clock: FakeClock, stored: tuple[int, int], week_three_again: Roster
) -> None:
    scenario_id, whole = stored
    _, third = store(client, WEEK_THREE_FILES, week_three_again)
    publish(client, whole)
    publish(client, third)
    wanda = page(client, agent_page_path(client, scenario_id, "w01"))
    changes = [
        text_of(li) for li in re.findall(r'<li class="change [^"]+">(.*?)</li>', wanda, re.S)
    ]
    assert changes == [
        "Removed Sat 4 Apr 09:00 – 17:00",
        "New shift Sat 4 Apr 10:00 – 18:00",
        "Removed Sun 5 Apr 09:00 – 17:00",
        "New shift Sun 5 Apr 10:00 – 18:00",
    ]
    assert "Saturday 4 April 10:00 – 18:00 8 h UTC Sat 4 Apr 08:00 – 16:00" in text_of(wanda)
    assert "Saturday 28 March 09:00 – 17:00" in text_of(wanda)  # week 2 as it was

    mika = text_of(page(client, agent_page_path(client, scenario_id, "w02")))
    assert "What the latest publication changed Your shifts did not change." in mika


def test_a_night_shift_across_the_week_boundary_counts_in_the_week_it_starts_in(
    client: TestClient,
) -> None:
    files = scenario_files()  # UTC, from Monday 30 November 2026
    files["scenario.toml"] = files["scenario.toml"].replace(
        'week_start = "2026-11-30"\n', 'week_start = "2026-11-30"\nweeks = 2\n'
    )
    sunday_night = ("a02", "2026-12-06T22:00:00", "2026-12-07T06:00:00", "en-L1")
    tuesday = ("a02", "2026-12-08T08:00:00", "2026-12-08T18:00:00", "en-L1")
    scenario_id = upload_json(client, files)
    document = roster_document(domain_scenario(files), [sunday_night, tuesday])  # checked
    roster_id = upload_roster(client, scenario_id, document)
    log_in(client)

    week_one = page(client, f"/ui/rosters/{roster_id}/week?week=1")
    ben = row_cells(week_one, "Ben Okafor")
    assert ben[6] == "22:00–06:00 +1 en-L1"  # Sunday 6 December
    assert ben[7] == "8 h 0–40 a week 18 h in 2 weeks"

    week_two = page(client, f"/ui/rosters/{roster_id}/week?week=2")
    ben = row_cells(week_two, "Ben Okafor")
    assert ben[0] == "Sun 22:00–06:00 +1 en-L1"  # Monday 7 December: its end only
    assert 'class="bar cont" style="left:0.00%;width:25.00%"' in week_two
    assert ben[1] == "08:00–18:00 en-L1"
    assert ben[7] == "10 h 0–40 a week 18 h in 2 weeks"  # the night belongs to week 1


def test_a_one_week_roster_keeps_its_one_week_pages(client: TestClient) -> None:
    files = scenario_files()
    monday = ("a02", "2026-11-30T08:00:00", "2026-11-30T16:00:00", "en-L1")
    scenario_id = upload_json(client, files)
    roster_id = upload_roster(
        client, scenario_id, roster_document(domain_scenario(files), [monday])
    )
    log_in(client)
    for view in ("week", "coverage"):
        html = page(client, f"/ui/rosters/{roster_id}/{view}")
        assert 'class="week-nav"' not in html and "Hours by week" not in html
        assert "Roster 1 week of Monday 30 November 2026" in text_of(html)
    overview = text_of(page(client, f"/ui/rosters/{roster_id}"))
    assert "Week by week" not in overview and "over the" not in overview
