"""Loading and validating scenario folders (roster/scenario.py).

Every test writes a tiny valid folder with `write_scenario` and breaks one thing in it.
Expected messages, rows and interval indices are worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest

from roster import staffing
from roster.errors import ScenarioError
from roster.model import OpenHours
from roster.scenario import load_scenario, load_scenario_files, parse_open_hours

SCENARIO_TOML = """\
name = "Tiny desk"
week_start = "2026-11-30"
planning_timezone = "Europe/Paris"
interval_minutes = 30

[staffing]
shrinkage = 0.30
max_occupancy = 0.85
escalation_rate = 0.20

[rules]
shift_hours = [6, 8]
shift_start_step_minutes = 30
min_rest_hours = 11
max_consecutive_days = 6

[[queue]]
language = "en"
tier = "L1"
aht_seconds = 420
service_level = 0.80
answer_seconds = 60
min_agents = 1
open = "24/7"

[[queue]]
language = "fr"
tier = "L1"
aht_seconds = 360
service_level = 0.75
answer_seconds = 30

[[queue]]
language = "en"
tier = "L2"
aht_seconds = 900
service_level = 0.70
answer_seconds = 120
open = "Mon-Fri 07:00-21:00"

[[queue]]
language = "de"
tier = "L2"
aht_seconds = 600
service_level = 0.60
answer_seconds = 90
"""

AGENTS = [
    {
        "id": "a01",
        "name": "Ana",
        "timezone": "Europe/Paris",
        "languages": "en FR",
        "tier": "L1",
        "contract": "employee",
        "min_hours": "30",
        "max_hours": "40",
        "hourly_cost": "25",
        "available_from": "00:00",
        "available_to": "24:00",
    },
    {
        "id": "a02",
        "name": "Ben",
        "timezone": "Asia/Manila",
        "languages": "en",
        "tier": "L2",
        "contract": "freelance",
        "min_hours": "0",
        "max_hours": "24",
        "hourly_cost": "18.5",
        "available_from": "22:00",
        "available_to": "06:00",
    },
]

# Week of 2026-11-30 in Paris (UTC+1): the grid starts 2026-11-29T23:00Z, 336 half-hours.
FORECAST = [
    {"start": "2026-11-30T08:00:00+01:00", "language": "en", "tier": "L1", "tickets": "12"},
    {"start": "2026-11-30T08:00:00+01:00", "language": "fr", "tier": "L1", "tickets": "3.5"},
    {"start": "2026-11-30T07:30:00Z", "language": "en", "tier": "L2", "tickets": "2"},
    {"start": "2026-11-30T07:30:00Z", "language": "de", "tier": "L2", "tickets": "1"},
]

TIME_OFF = [
    {"agent_id": "a01", "start": "2026-12-01T00:00:00+01:00", "end": "2026-12-02T00:00:00+01:00"},
]


def csv_text(rows: list[dict[str, str]], drop: tuple[str, ...] = ()) -> str:
    columns = [c for c in rows[0] if c not in drop]
    lines = [",".join(columns)] + [",".join(row[c] for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


def with_row_changed(rows: list[dict[str, str]], index: int, changes: dict[str, str]):
    return [{**row, **changes} if i == index else row for i, row in enumerate(rows)]


def agents_csv(**second_agent: str) -> str:
    """agents.csv with the second agent (file row 3) changed."""
    return csv_text(with_row_changed(AGENTS, 1, second_agent))


def forecast_csv(**second_row: str) -> str:
    """forecast.csv with its second data row (file row 3, the fr row) changed."""
    return csv_text(with_row_changed(FORECAST, 1, second_row))


def time_off_csv(**first_row: str) -> str:
    return csv_text(with_row_changed(TIME_OFF, 0, first_row))


def toml_with(old: str, new: str) -> str:
    assert SCENARIO_TOML.count(old) == 1, f"'{old}' must occur once in the base scenario"
    return SCENARIO_TOML.replace(old, new)


def write_scenario(
    folder: Path,
    *,
    toml: str | None = SCENARIO_TOML,
    agents: str | None = None,
    forecast: str | None = None,
    time_off: str | None = None,
) -> Path:
    """Write a valid scenario folder; pass a file's text to replace it, None to omit it.

    agents and forecast default to the valid base files; time_off.csv is only written
    when given.
    """
    files = {
        "scenario.toml": toml,
        "agents.csv": agents_csv() if agents is None else agents,
        "forecast.csv": forecast_csv() if forecast is None else forecast,
        "time_off.csv": time_off,
    }
    for name, text in files.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def load_error(folder: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(folder)
    return info.value


# --- a valid folder --------------------------------------------------------------------


def test_valid_folder_loads_into_typed_objects(tmp_path):
    scenario = load_scenario(write_scenario(tmp_path, time_off=time_off_csv()))

    assert scenario.name == "Tiny desk"
    assert scenario.week_start == date(2026, 11, 30)
    assert scenario.planning_timezone == "Europe/Paris"
    assert scenario.interval_minutes == 30
    assert (scenario.staffing.shrinkage, scenario.staffing.max_occupancy) == (0.30, 0.85)
    assert scenario.staffing.escalation_rate == 0.20
    assert scenario.rules.shift_hours == (6.0, 8.0)
    assert scenario.rules.shift_start_step_minutes == 30
    assert scenario.rules.min_rest_hours == 11
    assert scenario.rules.max_consecutive_days == 6
    assert [q.key for q in scenario.queues] == [
        ("en", "L1"),
        ("fr", "L1"),
        ("en", "L2"),
        ("de", "L2"),
    ]
    en_l1 = scenario.queue(("en", "L1"))
    assert (en_l1.aht_seconds, en_l1.service_level, en_l1.answer_seconds) == (420, 0.80, 60)
    assert en_l1.min_agents == 1


def test_queue_defaults_to_no_floor_and_always_open(tmp_path):
    fr_l1 = load_scenario(write_scenario(tmp_path)).queue(("fr", "L1"))
    assert fr_l1.min_agents == 0
    assert fr_l1.open_hours.always


def test_agents_are_parsed_with_lowercase_languages_and_minutes(tmp_path):
    ana, ben = load_scenario(write_scenario(tmp_path)).agents
    assert ana.languages == ("en", "fr")
    assert (ana.tier, ana.contract, ana.min_hours, ana.max_hours) == ("L1", "employee", 30, 40)
    assert ana.hourly_cost == 25
    assert (ana.available_from_minute, ana.available_to_minute) == (0, 1440)
    assert ana.available_any_time
    assert ben.timezone == "Asia/Manila"
    assert ben.hourly_cost == 18.5


def test_availability_window_wrapping_midnight_is_kept_as_given(tmp_path):
    # 22:00-06:00 runs 8 h over midnight: long enough for the 6 h and 8 h shifts.
    ben = load_scenario(write_scenario(tmp_path)).agents_by_id["a02"]
    assert (ben.available_from_minute, ben.available_to_minute) == (22 * 60, 6 * 60)
    assert ben.window_minutes == 8 * 60
    assert not ben.available_any_time


def test_availability_from_midnight_to_midnight_means_any_time(tmp_path):
    folder = write_scenario(
        tmp_path, agents=agents_csv(available_from="00:00", available_to="00:00")
    )
    assert load_scenario(folder).agents_by_id["a02"].available_any_time


def test_agent_speaking_no_queued_language_is_accepted(tmp_path):
    folder = write_scenario(tmp_path, agents=agents_csv(languages="ja x-klingon", tier="L1"))
    assert load_scenario(folder).agents_by_id["a02"].languages == ("ja", "x-klingon")


def test_forecast_rows_land_on_their_interval(tmp_path):
    scenario = load_scenario(write_scenario(tmp_path))
    # 08:00+01:00 = 07:00Z, 8 h after the grid start 2026-11-29T23:00Z: index 16.
    # 07:30Z is 8.5 h after the start: index 17.
    assert set(scenario.forecast) == {("en", "L1"), ("fr", "L1"), ("en", "L2"), ("de", "L2")}
    en_l1 = scenario.forecast[("en", "L1")]
    assert en_l1.shape == (336,)
    assert en_l1[16] == 12 and en_l1.sum() == 12
    assert scenario.forecast[("fr", "L1")][16] == 3.5
    assert scenario.forecast[("en", "L2")][17] == 2
    assert scenario.forecast[("de", "L2")].sum() == 1


def test_l1_tickets_of_a_language_served_only_at_l2_feed_its_escalations(tmp_path):
    # de has only an L2 queue; without L2 rows of its own it would get escalation_rate x
    # the de L1 tickets (contract, step 1), so those rows are read, with a warning.
    rows = "start,language,tier,tickets\n2026-11-30T08:00:00+01:00,de,L1,20\n"
    scenario = load_scenario(write_scenario(tmp_path, forecast=rows))
    assert scenario.forecast[("de", "L1")][16] == 20
    assert staffing.arrivals(scenario)[("de", "L2")][16] == pytest.approx(0.20 * 20)
    assert scenario.warnings == (
        "forecast.csv: de L1 tickets have no [[queue]] of their own in scenario.toml; "
        "they count only through escalation_rate for de-L2",
    )


def test_l2_tickets_of_a_language_served_only_at_l1_are_warned_about(tmp_path):
    scenario = load_scenario(write_scenario(tmp_path, forecast=forecast_csv(tier="L2")))
    assert scenario.warnings == (
        "forecast.csv: fr L2 tickets have no [[queue]] in scenario.toml; no one is rostered "
        "for them",
    )
    assert ("fr", "L2") not in staffing.arrivals(scenario)


def test_forecast_timestamps_with_z_and_offsets_map_to_utc_intervals(tmp_path):
    rows = [
        ("2026-11-29T23:00:00Z", "1"),  # Paris midnight: index 0
        ("2026-11-30T00:00:00Z", "2"),  # 1 h after the start: index 2
        ("2026-11-30T09:30:00+05:30", "3"),  # 04:00Z, 5 h: index 10
        ("2026-11-30T01:00:00-05:00", "4"),  # 06:00Z, 7 h: index 14
        ("2026-12-06T23:30:00+01:00", "5"),  # last half-hour of Sunday: index 335
    ]
    text = "start,language,tickets\n" + "".join(f"{s},en,{t}\n" for s, t in rows)
    arrivals = load_scenario(write_scenario(tmp_path, forecast=text)).forecast[("en", "L1")]
    expected = np.zeros(336)
    expected[[0, 2, 10, 14, 335]] = [1, 2, 3, 4, 5]
    np.testing.assert_array_equal(arrivals, expected)


def test_forecast_without_tier_column_counts_as_l1(tmp_path):
    text = "start,language,tickets\n2026-11-30T08:00:00+01:00,fr,7\n"
    scenario = load_scenario(write_scenario(tmp_path, forecast=text))
    assert set(scenario.forecast) == {("fr", "L1")}
    assert scenario.forecast[("fr", "L1")][16] == 7


def test_forecast_rows_for_the_same_interval_are_summed(tmp_path):
    text = (
        "start,language,tier,tickets\n"
        "2026-11-30T08:00:00+01:00,en,L1,12\n"
        "2026-11-30T07:00:00Z,en,,2.5\n"  # the same instant, tier left empty = L1
        "2026-11-30T08:00:00+01:00,EN,L1,0.5\n"
    )
    arrivals = load_scenario(write_scenario(tmp_path, forecast=text)).forecast[("en", "L1")]
    assert arrivals[16] == 15
    assert arrivals.sum() == 15


def test_forecast_in_a_dst_week_has_334_half_hours(tmp_path):
    # Paris leaves UTC+1 for UTC+2 on Sunday 2026-03-29: the week lasts 167 h.
    # Grid start 2026-03-22T23:00Z. 01:30+01:00 = 00:30Z on the 29th: 145.5 h, index 291;
    # 03:00+02:00 = 01:00Z: 146 h, index 292; 23:30+02:00 = 21:30Z: 166.5 h, index 333.
    toml = toml_with('week_start = "2026-11-30"', 'week_start = "2026-03-23"')
    text = (
        "start,language,tickets\n"
        "2026-03-29T01:30:00+01:00,en,1\n"
        "2026-03-29T03:00:00+02:00,en,2\n"
        "2026-03-29T23:30:00+02:00,en,3\n"
    )
    scenario = load_scenario(write_scenario(tmp_path, toml=toml, forecast=text))
    assert scenario.grid.n_intervals == 334
    arrivals = scenario.forecast[("en", "L1")]
    assert arrivals.shape == (334,)
    assert (arrivals[291], arrivals[292], arrivals[333]) == (1, 2, 3)
    assert arrivals.sum() == 6


def test_forecast_after_a_dst_week_is_outside(tmp_path):
    toml = toml_with('week_start = "2026-11-30"', 'week_start = "2026-03-23"')
    text = "start,language,tickets\n2026-03-30T00:00:00+02:00,en,1\n"
    error = load_error(write_scenario(tmp_path, toml=toml, forecast=text))
    assert str(error) == (
        "forecast.csv, row 2, column 'start': '2026-03-30T00:00:00+02:00' is outside the week "
        "(2026-03-23T00:00:00+01:00 to 2026-03-30T00:00:00+02:00, Europe/Paris)"
    )


def test_empty_forecast_means_no_arrivals(tmp_path):
    scenario = load_scenario(write_scenario(tmp_path, forecast="start,language,tickets\n"))
    assert scenario.forecast == {}


def test_time_off_is_stored_in_utc(tmp_path):
    scenario = load_scenario(write_scenario(tmp_path, time_off=time_off_csv()))
    (absence,) = scenario.time_off
    assert absence.agent_id == "a01"
    assert absence.start == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    assert absence.end == datetime(2026, 12, 1, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("agent_id", "start", "end", "utc_start", "utc_end"),
    [
        # Manila keeps UTC+8 all year: its midnight of 1 December is 16:00 UTC the day before.
        ("a02", "2026-12-01T00:00:00", "2026-12-01T12:30", "2026-11-30T16:00", "2026-12-01T04:30"),
        # A bare date is its local midnight; Paris is UTC+1 in December.
        ("a01", "2026-12-01", "2026-12-02", "2026-11-30T23:00", "2026-12-01T23:00"),
        # Mixed: an offset given is kept as written.
        ("a02", "2026-12-01", "2026-12-01T10:00:00Z", "2026-11-30T16:00", "2026-12-01T10:00"),
    ],
)
def test_time_off_without_offset_is_the_agents_clock_time(
    tmp_path, agent_id, start, end, utc_start, utc_end
):
    """The contract asks for ISO 8601 in time_off.csv, not for an offset (unlike
    forecast.csv): an absence written as clock time is the agent's own."""
    text = time_off_csv(agent_id=agent_id, start=start, end=end)
    (absence,) = load_scenario(write_scenario(tmp_path, time_off=text)).time_off
    assert absence.start == datetime.fromisoformat(utc_start).replace(tzinfo=UTC)
    assert absence.end == datetime.fromisoformat(utc_end).replace(tzinfo=UTC)


def test_time_off_clock_time_skipped_by_dst_starts_when_the_clock_reaches_it(tmp_path):
    """New York springs forward at 02:00 on 8 March 2026 (07:00 UTC): 02:30 never shows,
    and an absence from then begins when the clock jumps to 03:00 EDT."""
    agents = agents_csv(timezone="America/New_York")
    toml = toml_with('week_start = "2026-11-30"', 'week_start = "2026-03-02"')
    forecast = "start,language,tickets\n"
    text = time_off_csv(agent_id="a02", start="2026-03-08T02:30:00", end="2026-03-08T12:00:00")
    folder = write_scenario(tmp_path, toml=toml, agents=agents, forecast=forecast, time_off=text)
    (absence,) = load_scenario(folder).time_off
    assert absence.start == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert absence.end == datetime(2026, 3, 8, 16, 0, tzinfo=UTC)  # 12:00 EDT, UTC-4


@pytest.mark.parametrize(
    "written", ['"en,fr"', "en; FR", "en/fr", "en|fr", "en  fr", '"en, fr, en"']
)
def test_languages_may_be_separated_by_commas_and_the_like(tmp_path, written):
    """Quoted 'en,fr' is what a spreadsheet writes for a cell with a comma: two codes."""
    scenario = load_scenario(write_scenario(tmp_path, agents=agents_csv(languages=written)))
    assert scenario.agents[1].languages == ("en", "fr")


def test_window_clock_times_may_carry_zero_seconds(tmp_path):
    agents = agents_csv(available_from="21:30:00", available_to="06:00:00")
    (_, ben) = load_scenario(write_scenario(tmp_path, agents=agents)).agents
    assert (ben.available_from_minute, ben.available_to_minute) == (21 * 60 + 30, 6 * 60)


def test_tiers_and_contracts_are_read_in_any_case(tmp_path):
    """'l2' is L2 and 'Freelance' freelance, in agents.csv, forecast.csv and the queues,
    as language codes are read in any case."""
    toml = toml_with('tier = "L2"\naht_seconds = 900', 'tier = "l2"\naht_seconds = 900')
    agents = agents_csv(tier="l2", contract="Freelance")
    forecast = forecast_csv(tier="l1")
    scenario = load_scenario(write_scenario(tmp_path, toml=toml, agents=agents, forecast=forecast))
    ben = scenario.agents[1]
    assert (ben.tier, ben.contract) == ("L2", "freelance")
    assert ("en", "L2") in {q.key for q in scenario.queues}
    assert scenario.forecast[("fr", "L1")].sum() == 3.5


def test_time_off_file_is_optional(tmp_path):
    assert load_scenario(write_scenario(tmp_path)).time_off == ()


def test_extra_columns_and_keys_are_ignored(tmp_path):
    toml = toml_with('name = "Tiny desk"', 'name = "Tiny desk"\nowner = "wfm team"')
    agents = csv_text([{**row, "team": "blue"} for row in AGENTS])
    scenario = load_scenario(write_scenario(tmp_path, toml=toml, agents=agents))
    assert len(scenario.agents) == 2


def test_week_start_may_be_a_toml_date(tmp_path):
    toml = toml_with('week_start = "2026-11-30"', "week_start = 2026-11-30")
    assert load_scenario(write_scenario(tmp_path, toml=toml)).week_start == date(2026, 11, 30)


def test_blank_lines_in_csv_are_skipped_but_counted_in_row_numbers(tmp_path):
    lines = agents_csv(timezone="Mars/Olympus").splitlines()
    text = "\n".join([lines[0], lines[1], "", lines[2]]) + "\n"  # a02 moves to line 4
    error = load_error(write_scenario(tmp_path, agents=text))
    assert (error.file, error.row, error.column) == ("agents.csv", 4, "timezone")


def test_files_in_memory_load_like_a_folder(tmp_path):
    files = {
        "scenario.toml": SCENARIO_TOML.encode(),
        "agents.csv": "\ufeff".encode() + agents_csv().encode(),  # a spreadsheet's BOM
        "forecast.csv": forecast_csv(),
    }
    scenario = load_scenario_files(files)
    assert [agent.id for agent in scenario.agents] == ["a01", "a02"]


def test_other_files_in_an_upload_are_not_read():
    files = {
        "scenario.toml": SCENARIO_TOML,
        "agents.csv": agents_csv(),
        "forecast.csv": forecast_csv(),
        "logo.png": b"\x89PNG\xff\xfe",
    }
    assert load_scenario_files(files).name == "Tiny desk"


# --- open hours ------------------------------------------------------------------------


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("instant", "is_open"),
    [
        (utc(2026, 11, 30, 6, 0), True),  # Mon 07:00 Paris (UTC+1): opens
        (utc(2026, 11, 30, 5, 59), False),  # Mon 06:59
        (utc(2026, 11, 30, 19, 59), True),  # Mon 20:59
        (utc(2026, 11, 30, 20, 0), False),  # Mon 21:00: closed
        (utc(2026, 12, 4, 12, 0), True),  # Fri 13:00
        (utc(2026, 12, 5, 10, 0), False),  # Sat 11:00
        (utc(2026, 12, 6, 23, 30), False),  # Mon 00:30 Paris, before opening
        (utc(2026, 3, 27, 6, 0), True),  # Fri 07:00 Paris, still UTC+1
        (utc(2026, 3, 30, 5, 0), True),  # Mon 07:00 Paris after DST (UTC+2)
        (utc(2026, 3, 30, 4, 30), False),  # Mon 06:30 CEST, though 05:30 CET
        (utc(2026, 3, 30, 19, 0), False),  # Mon 21:00 CEST
        (utc(2026, 3, 29, 10, 0), False),  # the DST Sunday itself
    ],
)
def test_weekday_open_hours_follow_paris_clock(instant, is_open):
    hours = parse_open_hours("Mon-Fri 07:00-21:00 Europe/Paris", "Asia/Tokyo")
    assert hours.timezone == "Europe/Paris"
    assert hours.is_open(instant) is is_open


@pytest.mark.parametrize(
    ("text", "weekdays"),
    [
        ("Sat-Sun 08:00-16:00", {6, 7}),
        ("Mon,Wed,Fri 08:00-16:00", {1, 3, 5}),
        ("sat 08:00-16:00", {6}),
        ("Fri-Mon 08:00-16:00", {5, 6, 7, 1}),
        ("Mon-Tue,Thu 08:00-16:00", {1, 2, 4}),
    ],
)
def test_open_hours_days_are_parsed(text, weekdays):
    assert parse_open_hours(text, "UTC").weekdays == frozenset(weekdays)


@pytest.mark.parametrize(
    "text",
    [
        "Mon-Fri 08:00-20:00; Sat 09:00-13:00 Europe/Paris",
        "Mon-Fri 08:00-20:00, Sat 09:00-13:00 Europe/Paris",
        "Monday-Friday 08:00-20:00 Europe/Paris;Saturday 09:00-13:00",
    ],
)
def test_open_hours_may_hold_several_windows(text):
    """Weekdays 08:00-20:00 and Saturday mornings, Paris time (UTC+1 in December); the
    zone named once holds for every window."""
    hours = parse_open_hours(text, "Asia/Tokyo")
    assert hours.text == text
    assert hours.is_open(utc(2026, 12, 2, 18, 30))  # Wed 19:30
    assert not hours.is_open(utc(2026, 12, 2, 19, 0))  # Wed 20:00
    assert hours.is_open(utc(2026, 12, 5, 8, 0))  # Sat 09:00
    assert not hours.is_open(utc(2026, 12, 5, 12, 0))  # Sat 13:00
    assert not hours.is_open(utc(2026, 12, 6, 9, 0))  # Sun 10:00


def test_open_hours_windows_in_different_zones_keep_their_own():
    hours = parse_open_hours(
        "Mon 09:00-10:00 Asia/Tokyo; Mon 09:00-10:00 UTC; Tue 09:00-10:00", "Europe/Paris"
    )
    assert hours.is_open(utc(2026, 11, 30, 0, 30))  # Mon 09:30 Tokyo
    assert hours.is_open(utc(2026, 11, 30, 9, 30))  # Mon 09:30 UTC
    assert hours.is_open(utc(2026, 12, 1, 8, 30))  # Tue 09:30 Paris: two zones named
    assert not hours.is_open(utc(2026, 12, 1, 9, 30))  # Tue 10:30 Paris


def test_required_is_zero_outside_every_window(tmp_path):
    toml = SCENARIO_TOML.replace(
        'open = "24/7"', 'open = "Mon 08:00-09:00 UTC; Tue 10:00-11:00 UTC"', 1
    )
    assert toml != SCENARIO_TOML
    scenario = load_scenario(write_scenario(tmp_path, toml=toml))
    (key,) = [q.key for q in scenario.queues if q.open_hours.more]
    required = staffing.required_agents(scenario)[key]
    starts = scenario.grid.interval_starts()
    open_at = {starts[i] for i in np.flatnonzero(required > 0)}
    windows = {utc(2026, 11, 30, 8, 0), utc(2026, 11, 30, 8, 30)}
    windows |= {utc(2026, 12, 1, 10, 0), utc(2026, 12, 1, 10, 30)}
    assert open_at == windows  # min_agents = 1 keeps every open interval above 0


def test_open_hours_zone_defaults_to_planning_timezone():
    hours = parse_open_hours("Mon 09:00-17:00", "Asia/Tokyo")
    assert (hours.timezone, hours.start_minute, hours.end_minute) == ("Asia/Tokyo", 540, 1020)


def test_open_hours_always():
    assert parse_open_hours(" 24/7 ", "UTC") == OpenHours("24/7")


def test_open_hours_ending_after_midnight_wrap_into_next_day():
    hours = parse_open_hours("Fri 22:00-06:00 UTC", "Europe/Paris")
    assert hours.is_open(utc(2026, 12, 4, 23, 0))  # Fri 23:00
    assert hours.is_open(utc(2026, 12, 5, 5, 59))  # Sat 05:59, opened Friday
    assert not hours.is_open(utc(2026, 12, 5, 6, 0))  # Sat 06:00
    assert not hours.is_open(utc(2026, 12, 5, 23, 0))  # Sat 23:00, Saturday is no opening day
    assert not hours.is_open(utc(2026, 12, 3, 23, 0))  # Thu 23:00


def test_open_hours_may_end_at_24_00():
    hours = parse_open_hours("Sun 20:00-24:00 UTC", "UTC")
    assert hours.is_open(utc(2026, 12, 6, 23, 59))
    assert not hours.is_open(utc(2026, 12, 7, 0, 0))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "Mon-Fri",
            "'Mon-Fri' is not '24/7' or '<days> HH:MM-HH:MM [zone]' (several joined by ';'), "
            "e.g. 'Mon-Fri 07:00-21:00 Europe/Paris'",
        ),
        (
            "Mon-Fri 08:00-20:00; Sat",
            "'Sat' in 'Mon-Fri 08:00-20:00; Sat' is not '24/7' or '<days> HH:MM-HH:MM [zone]' "
            "(several joined by ';'), e.g. 'Mon-Fri 07:00-21:00 Europe/Paris'",
        ),
        (
            "Mnd 07:00-21:00",
            "unknown day 'Mnd' in 'Mnd 07:00-21:00'; use Mon, Tue, Wed, Thu, Fri, Sat, Sun",
        ),
        ("Mon 07:00 21:00", "'07:00' in 'Mon 07:00 21:00' is not a time range HH:MM-HH:MM"),
        (
            "Mon 7-21",
            "'7' is not a clock time HH:MM between 00:00 and 23:59 in 'Mon 7-21'",
        ),
        (
            "Mon 07:00-25:00",
            "'25:00' is not a clock time HH:MM between 00:00 and 24:00 in 'Mon 07:00-25:00'",
        ),
        (
            "Mon 07:00-21:00 Europe/Pariss",
            "unknown IANA time zone 'Europe/Pariss' in 'Mon 07:00-21:00 Europe/Pariss'",
        ),
    ],
)
def test_malformed_open_hours_are_rejected(text, problem):
    with pytest.raises(ValueError) as info:
        parse_open_hours(text, "UTC")
    assert str(info.value) == problem


# --- missing files and unreadable files ------------------------------------------------


@pytest.mark.parametrize("missing", ["scenario.toml", "agents.csv", "forecast.csv"])
def test_missing_required_file_is_named(tmp_path, missing):
    folder = write_scenario(tmp_path)
    (folder / missing).unlink()
    assert str(load_error(folder)) == f"{missing}: required file is missing from {folder}"


def test_missing_file_in_an_upload_says_upload():
    with pytest.raises(ScenarioError) as info:
        load_scenario_files({"scenario.toml": SCENARIO_TOML, "agents.csv": agents_csv()})
    assert str(info.value) == "forecast.csv: required file is missing from upload"


def test_missing_folder_is_rejected(tmp_path):
    folder = tmp_path / "nope"
    assert str(load_error(folder)) == f"{folder}: scenario folder not found"


def test_file_that_is_not_utf8_is_rejected():
    files = {"scenario.toml": SCENARIO_TOML, "agents.csv": b"id\xff\n", "forecast.csv": ""}
    with pytest.raises(ScenarioError) as info:
        load_scenario_files(files)
    assert str(info.value) == "agents.csv: file is not UTF-8 text (invalid start byte at byte 2)"


def test_invalid_toml_is_rejected(tmp_path):
    error = load_error(write_scenario(tmp_path, toml=toml_with("interval_minutes = 30", "x = = 1")))
    assert error.file == "scenario.toml"
    assert str(error).startswith("scenario.toml: not valid TOML: ")
    assert "line 4" in str(error)


def test_csv_row_with_too_many_fields_is_rejected(tmp_path):
    error = load_error(write_scenario(tmp_path, agents=agents_csv(available_to="06:00,extra")))
    assert str(error) == (
        "agents.csv, row 3: 12 cells where the header names 11 columns (extra: 'extra')"
    )


# --- scenario.toml ---------------------------------------------------------------------

QUEUE_FR = 'language = "fr"\ntier = "L1"\naht_seconds = 360\n'


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # missing keys and tables
        ('week_start = "2026-11-30"\n', "", "key 'week_start': required key is missing"),
        ('name = "Tiny desk"\n', "", "key 'name': required key is missing"),
        ("shrinkage = 0.30\n", "", "key 'staffing.shrinkage': required key is missing"),
        ("min_rest_hours = 11\n", "", "key 'rules.min_rest_hours': required key is missing"),
        ("aht_seconds = 360\n", "", "key 'queue[2].aht_seconds': required key is missing"),
        (
            "[rules]\nshift_hours = [6, 8]\n",
            "shift_hours = [6, 8]\n",
            "key 'rules': required key is missing",
        ),
        # dates, zones, intervals
        (
            '"2026-11-30"',
            '"next monday"',
            "key 'week_start': must be a date YYYY-MM-DD, got 'next monday'",
        ),
        (
            '"2026-11-30"',
            '"2026-02-30"',
            "key 'week_start': must be a date YYYY-MM-DD, got '2026-02-30'",
        ),
        (
            '"Europe/Paris"',
            '"Europe/Pariss"',
            "key 'planning_timezone': unknown IANA time zone 'Europe/Pariss'",
        ),
        (
            "interval_minutes = 30",
            "interval_minutes = 20",
            "key 'interval_minutes': must be 15, 30 or 60, got 20",
        ),
        (
            "interval_minutes = 30",
            'interval_minutes = "30"',
            "key 'interval_minutes': must be a number, got '30'",
        ),
        # staffing ranges
        (
            "shrinkage = 0.30",
            "shrinkage = 1.0",
            "key 'staffing.shrinkage': must be at least 0 and less than 1, got 1",
        ),
        (
            "shrinkage = 0.30",
            "shrinkage = -0.1",
            "key 'staffing.shrinkage': must be at least 0 and less than 1, got -0.1",
        ),
        (
            "shrinkage = 0.30",
            'shrinkage = "30%"',
            "key 'staffing.shrinkage': must be a number, got '30%'",
        ),
        (
            "max_occupancy = 0.85",
            "max_occupancy = 0",
            "key 'staffing.max_occupancy': must be greater than 0 and at most 1, got 0",
        ),
        (
            "max_occupancy = 0.85",
            "max_occupancy = 1.2",
            "key 'staffing.max_occupancy': must be greater than 0 and at most 1, got 1.2",
        ),
        (
            "escalation_rate = 0.20",
            "escalation_rate = -0.2",
            "key 'staffing.escalation_rate': must be at least 0, got -0.2",
        ),
        # rules
        (
            "shift_hours = [6, 8]",
            "shift_hours = []",
            "key 'rules.shift_hours': must be a non-empty list of hours like [6, 8], got []",
        ),
        (
            "shift_hours = [6, 8]",
            "shift_hours = 8",
            "key 'rules.shift_hours': must be a non-empty list of hours like [6, 8], got 8",
        ),
        (
            "shift_hours = [6, 8]",
            "shift_hours = [0, 8]",
            "key 'rules.shift_hours': shift lengths must be positive, got 0",
        ),
        (
            "shift_hours = [6, 8]",
            "shift_hours = [6, -8]",
            "key 'rules.shift_hours': shift lengths must be positive, got -8",
        ),
        (
            "shift_hours = [6, 8]",
            'shift_hours = [6, "8"]',
            "key 'rules.shift_hours': must hold numbers of hours, got '8'",
        ),
        (
            "shift_hours = [6, 8]",
            "shift_hours = [6.25, 8]",
            "key 'rules.shift_hours': 6.25 hours is not a whole number of 30-minute intervals",
        ),
        (
            "shift_start_step_minutes = 30",
            "shift_start_step_minutes = 45",
            "key 'rules.shift_start_step_minutes': must be a positive multiple of interval_minutes "
            "(30), got 45",
        ),
        (
            "shift_start_step_minutes = 30",
            "shift_start_step_minutes = 0",
            "key 'rules.shift_start_step_minutes': must be a positive multiple of interval_minutes "
            "(30), got 0",
        ),
        (
            "min_rest_hours = 11",
            "min_rest_hours = -1",
            "key 'rules.min_rest_hours': must be at least 0, got -1",
        ),
        (
            "max_consecutive_days = 6",
            "max_consecutive_days = 0",
            "key 'rules.max_consecutive_days': must be at least 1, got 0",
        ),
        (
            "max_consecutive_days = 6",
            "max_consecutive_days = 5.5",
            "key 'rules.max_consecutive_days': must be a whole number, got 5.5",
        ),
        # queues
        (
            'tier = "L1"\naht_seconds = 420',
            'tier = "L3"\naht_seconds = 420',
            "key 'queue[1].tier': unknown tier 'L3'; use L1 or L2",
        ),
        (
            QUEUE_FR,
            'language = "en"\ntier = "L1"\naht_seconds = 360\n',
            "key 'queue[2]': duplicate queue en-L1: queue[1] has the same language and tier",
        ),
        (
            "aht_seconds = 420",
            "aht_seconds = 0",
            "key 'queue[1].aht_seconds': must be greater than 0, got 0",
        ),
        (
            "aht_seconds = 420",
            'aht_seconds = "7 min"',
            "key 'queue[1].aht_seconds': must be a number, got '7 min'",
        ),
        (
            "service_level = 0.80",
            "service_level = 1",
            "key 'queue[1].service_level': must be greater than 0 and less than 1, got 1",
        ),
        (
            "service_level = 0.80",
            "service_level = 0",
            "key 'queue[1].service_level': must be greater than 0 and less than 1, got 0",
        ),
        (
            "answer_seconds = 60",
            "answer_seconds = -1",
            "key 'queue[1].answer_seconds': must be at least 0, got -1",
        ),
        (
            "min_agents = 1",
            "min_agents = -1",
            "key 'queue[1].min_agents': must be at least 0 and at most 10,000, got -1",
        ),
        (
            "min_agents = 1",
            "min_agents = 1.5",
            "key 'queue[1].min_agents': must be a whole number, got 1.5",
        ),
        (
            'open = "Mon-Fri 07:00-21:00"',
            'open = "Mon-Fri 07:00-21:00 Mars/Olympus"',
            "key 'queue[3].open': unknown IANA time zone 'Mars/Olympus' in "
            "'Mon-Fri 07:00-21:00 Mars/Olympus'",
        ),
        (
            'open = "Mon-Fri 07:00-21:00"',
            'open = "weekdays 9-5"',
            "key 'queue[3].open': unknown day 'weekdays' in 'weekdays 9-5'; use Mon, Tue, Wed, "
            "Thu, Fri, Sat, Sun",
        ),
        (
            'open = "Mon-Fri 07:00-21:00"',
            'open = "Mon-Fri 07:00-21:60"',
            "key 'queue[3].open': '21:60' is not a clock time HH:MM between 00:00 and 24:00 in "
            "'Mon-Fri 07:00-21:60'",
        ),
    ],
)
def test_bad_scenario_toml_is_rejected_naming_the_key(tmp_path, old, new, message):
    error = load_error(write_scenario(tmp_path, toml=toml_with(old, new)))
    assert error.file == "scenario.toml"
    assert str(error) == f"scenario.toml, {message}"


def test_scenario_without_queues_is_rejected(tmp_path):
    toml = SCENARIO_TOML[: SCENARIO_TOML.index("[[queue]]")]
    error = load_error(write_scenario(tmp_path, toml=toml))
    assert str(error) == (
        "scenario.toml, key 'queue': write one [[queue]] table per (language, tier) that has work"
    )


# --- agents.csv ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "problem"),
    [
        ({"id": "a01"}, "id", "duplicate agent id 'a01' (first on row 2)"),
        ({"id": " "}, "id", "value is empty"),
        ({"timezone": "Asia/Manilla"}, "timezone", "unknown IANA time zone 'Asia/Manilla'"),
        ({"timezone": "+08:00"}, "timezone", "unknown IANA time zone '+08:00'"),
        ({"languages": ""}, "languages", "value is empty; list language codes separated by spaces"),
        ({"tier": "L3"}, "tier", "unknown tier 'L3'; use L1 or L2"),
        (
            {"contract": "contractor"},
            "contract",
            "unknown contract 'contractor'; use employee or freelance",
        ),
        ({"min_hours": "-1"}, "min_hours", "must be at least 0, got -1"),
        ({"max_hours": "-5"}, "max_hours", "must be at least 0, got -5"),
        ({"hourly_cost": "-18.5"}, "hourly_cost", "must be at least 0, got -18.5"),
        ({"hourly_cost": "cheap"}, "hourly_cost", "'cheap' is not a number"),
        ({"max_hours": ""}, "max_hours", "'' is not a number"),
        ({"min_hours": "nan"}, "min_hours", "'nan' is not a finite number"),
        ({"min_hours": "30"}, "min_hours", "min_hours 30 is greater than max_hours 24"),
        (
            {"available_from": "25:00"},
            "available_from",
            "'25:00' is not a clock time HH:MM between 00:00 and 23:59",
        ),
        (
            {"available_from": "07:00:30"},
            "available_from",
            "'07:00:30' is not a clock time HH:MM between 00:00 and 23:59",
        ),
        (
            {"available_from": "24:00"},
            "available_from",
            "'24:00' is not a clock time HH:MM between 00:00 and 23:59",
        ),
        (
            {"available_to": "6pm"},
            "available_to",
            "'6pm' is not a clock time HH:MM between 00:00 and 24:00",
        ),
        (
            {"available_to": "05:60"},
            "available_to",
            "'05:60' is not a clock time HH:MM between 00:00 and 24:00",
        ),
        (
            {"available_to": "03:00"},
            "available_to",
            "availability window 22:00-03:00 lasts 5h, shorter than the shortest shift (6h)",
        ),
        (
            {"available_from": "09:00", "available_to": "14:30"},
            "available_to",
            "availability window 09:00-14:30 lasts 5.5h, shorter than the shortest shift (6h)",
        ),
    ],
)
def test_bad_agent_row_is_rejected_naming_row_and_column(tmp_path, changes, column, problem):
    error = load_error(write_scenario(tmp_path, agents=agents_csv(**changes)))
    assert (error.file, error.row, error.column) == ("agents.csv", 3, column)
    assert str(error) == f"agents.csv, row 3, column '{column}': {problem}"


def test_window_exactly_as_long_as_the_shortest_shift_is_accepted(tmp_path):
    folder = write_scenario(
        tmp_path, agents=agents_csv(available_from="22:00", available_to="04:00")
    )
    assert load_scenario(folder).agents_by_id["a02"].window_minutes == 6 * 60


def test_agents_file_without_a_required_column_is_rejected(tmp_path):
    error = load_error(write_scenario(tmp_path, agents=csv_text(AGENTS, drop=("timezone",))))
    assert str(error) == (
        "agents.csv, column 'timezone': required column is missing (header: id, name, "
        "languages, tier, contract, min_hours, max_hours, hourly_cost, available_from, "
        "available_to)"
    )


def test_agents_file_with_only_a_header_is_rejected(tmp_path):
    header = agents_csv().splitlines()[0] + "\n"
    error = load_error(write_scenario(tmp_path, agents=header))
    assert str(error) == "agents.csv: no agents: the file has a header but no rows"


def test_agents_file_with_no_bytes_is_rejected(tmp_path):
    error = load_error(write_scenario(tmp_path, agents=""))
    assert str(error) == (
        "agents.csv: file is empty; expected a header with id, name, timezone, languages, tier, "
        "contract, min_hours, max_hours, hourly_cost, available_from, available_to"
    )


# --- forecast.csv ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "problem"),
    [
        ({"language": "es"}, "language", "no [[queue]] in scenario.toml for language 'es'"),
        ({"language": ""}, "language", "value is empty"),
        ({"tier": "L3"}, "tier", "unknown tier 'L3'; use L1 or L2"),
        ({"tickets": "-1"}, "tickets", "must be at least 0 and at most 1,000,000, got -1"),
        ({"tickets": "many"}, "tickets", "'many' is not a number"),
        (
            {"start": "2026-11-30T08:00:00"},
            "start",
            "timestamp '2026-11-30T08:00:00' has no UTC offset; add Z or e.g. +01:00",
        ),
        (
            {"start": "30/11/2026 08:00"},
            "start",
            "'30/11/2026 08:00' is not an ISO 8601 timestamp like 2026-11-30T06:00:00+01:00",
        ),
        (
            {"start": "2026-11-30T08:10:00+01:00"},
            "start",
            "'2026-11-30T08:10:00+01:00' is not the start of a 30-minute interval "
            "(the grid starts at 2026-11-30T00:00:00+01:00)",
        ),
        (
            {"start": "2026-12-07T00:00:00+01:00"},
            "start",
            "'2026-12-07T00:00:00+01:00' is outside the week "
            "(2026-11-30T00:00:00+01:00 to 2026-12-07T00:00:00+01:00, Europe/Paris)",
        ),
        (
            {"start": "2026-11-29T22:30:00Z"},
            "start",
            "'2026-11-29T22:30:00Z' is outside the week "
            "(2026-11-30T00:00:00+01:00 to 2026-12-07T00:00:00+01:00, Europe/Paris)",
        ),
    ],
)
def test_bad_forecast_row_is_rejected_naming_row_and_column(tmp_path, changes, column, problem):
    error = load_error(write_scenario(tmp_path, forecast=forecast_csv(**changes)))
    assert (error.file, error.row, error.column) == ("forecast.csv", 3, column)
    assert str(error) == f"forecast.csv, row 3, column '{column}': {problem}"


def test_forecast_without_a_required_column_is_rejected(tmp_path):
    error = load_error(write_scenario(tmp_path, forecast=csv_text(FORECAST, drop=("tickets",))))
    assert str(error) == (
        "forecast.csv, column 'tickets': required column is missing (header: start, language, tier)"
    )


# --- time_off.csv ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "problem"),
    [
        ({"agent_id": "a99"}, "agent_id", "unknown agent id 'a99' (not in agents.csv)"),
        (
            {"end": "2026-12-01T00:00:00+01:00"},
            "end",
            "end 2026-12-01T00:00:00+01:00 is not after start 2026-12-01T00:00:00+01:00",
        ),
        (
            {"end": "2026-11-30T22:00:00Z"},
            "end",
            "end 2026-11-30T22:00:00Z is not after start 2026-12-01T00:00:00+01:00",
        ),
        (
            {"start": "1 Dec 2026"},
            "start",
            "'1 Dec 2026' is not an ISO 8601 timestamp like 2026-11-30T06:00:00+01:00",
        ),
    ],
)
def test_bad_time_off_row_is_rejected_naming_row_and_column(tmp_path, changes, column, problem):
    error = load_error(write_scenario(tmp_path, time_off=time_off_csv(**changes)))
    assert str(error) == f"time_off.csv, row 2, column '{column}': {problem}"


def test_time_off_without_a_required_column_is_rejected(tmp_path):
    error = load_error(write_scenario(tmp_path, time_off=csv_text(TIME_OFF, drop=("end",))))
    assert str(error) == (
        "time_off.csv, column 'end': required column is missing (header: agent_id, start)"
    )


# --- the first error wins ---------------------------------------------------------------


def test_first_error_in_file_order_wins(tmp_path):
    # Both agents.csv and forecast.csv are broken: agents.csv is read first.
    folder = write_scenario(
        tmp_path, agents=agents_csv(tier="L9"), forecast=forecast_csv(tickets="-3")
    )
    assert load_error(folder).file == "agents.csv"


def test_first_bad_row_wins(tmp_path):
    rows = with_row_changed(with_row_changed(AGENTS, 0, {"tier": "X"}), 1, {"tier": "Y"})
    error = load_error(write_scenario(tmp_path, agents=csv_text(rows)))
    assert (error.row, error.problem) == (2, "unknown tier 'X'; use L1 or L2")


# --- absurd values that would break the maths further down --------------------------------


def test_week_start_far_in_the_future_is_rejected(tmp_path):
    toml = toml_with('week_start = "2026-11-30"', 'week_start = "9999-12-31"')
    assert str(load_error(write_scenario(tmp_path, toml=toml))) == (
        "scenario.toml, key 'week_start': must be a date between 1970 and 9000, got 9999-12-31"
    )


def test_a_million_and_one_tickets_in_one_interval_is_rejected(tmp_path):
    forecast = "start,language,tickets\n2026-11-30T08:00:00+01:00,en,1000001\n"
    assert str(load_error(write_scenario(tmp_path, forecast=forecast))) == (
        "forecast.csv, row 2, column 'tickets': must be at least 0 and at most 1,000,000, "
        "got 1000001"
    )


def test_an_absurd_min_agents_floor_is_rejected(tmp_path):
    toml = toml_with("min_agents = 1\n", "min_agents = 1e23\n")
    message = str(load_error(write_scenario(tmp_path, toml=toml)))
    assert message.startswith("scenario.toml, key 'queue[1].min_agents': must be at least 0")
    assert "at most 10,000" in message


def test_a_week_starting_on_a_doubled_midnight_starts_at_the_first_one(tmp_path):
    # Cuba leaves UTC-4 for UTC-5 at 01:00 on Sunday 2026-11-01, back to 00:00: that
    # midnight happens at 04:00Z and again at 05:00Z. The day, so the week, begins at the
    # first; it ends at 00:00-05:00 on the 8th, 169 h later.
    toml = toml_with('week_start = "2026-11-30"', 'week_start = "2026-11-01"').replace(
        'planning_timezone = "Europe/Paris"', 'planning_timezone = "America/Havana"'
    )
    text = "start,language,tickets\n2026-11-01T00:00:00-04:00,en,2\n"
    scenario = load_scenario(write_scenario(tmp_path, toml=toml, forecast=text))
    assert scenario.grid.start == datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
    assert scenario.grid.end == datetime(2026, 11, 8, 5, 0, tzinfo=UTC)
    assert scenario.grid.n_intervals == 169 * 2
    assert scenario.forecast[("en", "L1")][0] == 2


def test_an_hourly_week_of_167_and_a_half_hours_ends_with_a_half_interval(tmp_path):
    # Lord Howe Island moves its clocks by 30 minutes (02:00 -> 02:30, Sunday 2026-10-04):
    # the week from 00:00+10:30 on 28 Sep (13:30Z) to 00:00+11:00 on 5 Oct (13:00Z) lasts
    # 167.5 h, so an hourly grid has 167 whole intervals and a last one of 30 minutes,
    # starting at 12:30Z = 23:30+11:00, where forecast rows may still fall.
    toml = (
        toml_with('week_start = "2026-11-30"', 'week_start = "2026-09-28"')
        .replace('planning_timezone = "Europe/Paris"', 'planning_timezone = "Australia/Lord_Howe"')
        .replace("interval_minutes = 30", "interval_minutes = 60")
        .replace("shift_start_step_minutes = 30", "shift_start_step_minutes = 60")
    )
    text = "start,language,tickets\n2026-10-04T23:30:00+11:00,en,5\n"
    scenario = load_scenario(write_scenario(tmp_path, toml=toml, forecast=text))
    assert scenario.grid.total_minutes == 167 * 60 + 30
    assert scenario.grid.n_intervals == 168
    assert scenario.grid.interval_starts()[-1] == datetime(2026, 10, 4, 12, 30, tzinfo=UTC)
    assert scenario.forecast[("en", "L1")][167] == 5


def test_rows_longer_than_the_header_are_rejected_naming_the_row(tmp_path):
    # With every row one cell too long, pandas took the first column for an index and
    # reported the agent ids as unknown dates; trailing empty cells stay harmless.
    text = "agent_id,start,end\na01,2026-12-01T08:00:00Z,2026-12-01T18:00:00Z,\n"
    assert load_scenario(write_scenario(tmp_path, time_off=text)).time_off
    text = text.replace("18:00:00Z,\n", "18:00:00Z,sick\n")
    error = load_error(write_scenario(tmp_path, time_off=text))
    assert str(error) == (
        "time_off.csv, row 2: 4 cells where the header names 3 columns (extra: 'sick')"
    )


def test_a_misspelt_key_is_ignored_with_a_warning_naming_the_likely_one(tmp_path):
    # Extra keys are allowed, but `min_consecutive_day` would leave the rule out unseen.
    toml = toml_with("[rules]\n", "[rules]\nmin_consecutive_day = 2\n") + '\nnote = "draft"\n'
    scenario = load_scenario(write_scenario(tmp_path, toml=toml))
    assert scenario.rules.min_consecutive_days == 1  # the default: the key was not read
    assert scenario.warnings == (
        "scenario.toml: key 'rules.min_consecutive_day' is not one roster reads; it is "
        "ignored (did you mean 'min_consecutive_days'?)",
        "scenario.toml: key 'queue[4].note' is not one roster reads; it is ignored",
    )


def test_a_scenario_using_only_known_keys_has_no_warnings(tmp_path):
    assert load_scenario(write_scenario(tmp_path)).warnings == ()
