"""Reading roster.json (roster/result.py): numbers and timestamps out of range get a
RosterFileError naming the key, never an OverflowError.

roster.json is read by `roster check`, as history, and when users upload rosters through
the API, so anything a JSON file can hold must end in a message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from roster.errors import RosterFileError
from roster.result import Roster


def document(**changes: Any) -> dict[str, Any]:
    """A valid roster.json document: one shift, one coverage row."""
    doc: dict[str, Any] = {
        "status": "OPTIMAL",
        "objective": 100.0,
        "bound": 90.0,
        "solve_seconds": 1.5,
        "shifts": [
            {"agent_id": "a01", "start": "2026-11-30T06:00:00+00:00", "end": "2026-11-30T14:00:00Z"}
        ],
        "coverage": [
            {
                "start": "2026-11-30T00:00:00+00:00",
                "language": "en",
                "tier": "L1",
                "required": 1.43,
                "scheduled": 1,
            }
        ],
    }
    doc.update(changes)
    return doc


def with_shift(**changes: Any) -> dict[str, Any]:
    doc = document()
    doc["shifts"][0].update(changes)
    return doc


def with_row(**changes: Any) -> dict[str, Any]:
    doc = document()
    doc["coverage"][0].update(changes)
    return doc


def read_error(doc: dict[str, Any]) -> str:
    with pytest.raises(RosterFileError) as info:
        Roster.from_json(doc)
    return str(info.value)


def test_a_valid_document_reads_back():
    roster = Roster.from_json(document())
    assert (roster.objective, roster.coverage[0].scheduled) == (100.0, 1)


@pytest.mark.parametrize("key", ["objective", "bound", "solve_seconds"])
def test_integer_beyond_the_range_of_a_float_is_named(key):
    assert read_error(document(**{key: 10**400})) == (
        f"roster.json: {key}: the number is too large, got an integer of more than 308 digits"
    )


@pytest.mark.parametrize(
    ("scheduled", "shown"),
    [
        (10**30, "1000000000000000000000000000000"),
        (1_000_001, "1000001"),
        (float("inf"), "inf"),
        (float("nan"), "nan"),
        (1.5, "1.5"),
        (-1, "-1"),
    ],
)
def test_scheduled_must_be_a_whole_number_of_agents_up_to_a_million(scheduled, shown):
    assert read_error(with_row(scheduled=scheduled)) == (
        "roster.json: coverage[0].scheduled: expected a whole number of agents from 0 to "
        f"1,000,000, got {shown}"
    )


def test_a_million_scheduled_agents_is_still_read():
    assert Roster.from_json(with_row(scheduled=1_000_000)).coverage[0].scheduled == 1_000_000


LATE = "9999-12-31T23:00:00-14:00"  # 10000-01-01T13:00Z
EARLY = "0001-01-01T00:00:00+14:00"  # 0000-12-31T10:00Z


@pytest.mark.parametrize(
    ("where", "doc", "text"),
    [
        ("shifts[0].start", with_shift(start=LATE), LATE),
        ("shifts[0].end", with_shift(end=EARLY), EARLY),
        ("coverage[0].start", with_row(start=LATE), LATE),
    ],
)
def test_timestamp_outside_datetime_range_in_utc_names_the_key(where, doc, text):
    assert read_error(doc) == (
        f"roster.json: {where}: timestamp '{text}' is outside the years 0001 to 9999 once "
        "converted to UTC"
    )


@pytest.mark.parametrize(
    ("where", "doc", "text"),
    [
        ("shifts[0].start", with_shift(start="9999-06-01T00:00:00Z"), "9999-06-01T00:00:00Z"),
        ("shifts[0].end", with_shift(end="0001-12-31T23:00:00+00:00"), "0001-12-31T23:00:00+00:00"),
        ("coverage[0].start", with_row(start="9999-01-01T00:00:00Z"), "9999-01-01T00:00:00Z"),
    ],
)
def test_timestamp_in_the_first_or_last_year_datetime_holds_is_named(where, doc, text):
    # The validator works in agents' local times and whole days: an instant of year 1 at
    # UTC-5 would leave datetime's range there.
    assert read_error(doc) == (
        f"roster.json: {where}: timestamp '{text}' is too far from any roster week "
        "(years 0002 to 9998 in UTC)"
    )


def test_timestamps_from_year_2_to_year_9998_are_read():
    doc = with_shift(start="0002-01-01T00:00:00Z", end="9998-12-31T23:59:59Z")
    shift = Roster.from_json(doc).shifts[0]
    assert (shift.start.year, shift.end.year) == (2, 9998)


def test_file_with_an_integer_too_long_for_python_is_not_valid_json(tmp_path: Path):
    path = tmp_path / "roster.json"
    path.write_text(json.dumps(document()).replace("100.0", "9" * 5000), encoding="utf-8")
    with pytest.raises(RosterFileError) as info:
        Roster.read(path)
    assert str(info.value).startswith(f"{path}: not valid JSON (Exceeds the limit (4300 digits)")


def test_a_folder_given_as_roster_file_is_named(tmp_path: Path):
    with pytest.raises(RosterFileError) as info:
        Roster.read(tmp_path)
    assert str(info.value) == f"{tmp_path}: cannot be read (Is a directory)"
