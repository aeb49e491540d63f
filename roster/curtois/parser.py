"""Reads a Curtois-Qu instance (the original `InstanceN.txt` text format) into dataclasses.

The file is a list of sections (`SECTION_HORIZON`, `SECTION_SHIFTS`, `SECTION_STAFF`,
`SECTION_DAYS_OFF`, `SECTION_SHIFT_ON_REQUESTS`, `SECTION_SHIFT_OFF_REQUESTS`,
`SECTION_COVER`) of comma-separated rows; `#` starts a comment line. Every instance
starts on a Monday, so weekend k is days 7k+5 (Saturday) and 7k+6 (Sunday).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from roster.errors import ScenarioError

SATURDAY, SUNDAY = 5, 6


@dataclass(frozen=True)
class ShiftType:
    id: str
    minutes: int
    cannot_follow: tuple[str, ...]  # shift types forbidden on the day after this one


@dataclass(frozen=True)
class Staff:
    id: str
    max_shifts: Mapping[str, int]  # per shift type id, over the horizon
    max_total_minutes: int
    min_total_minutes: int
    max_consecutive_shifts: int
    min_consecutive_shifts: int
    min_consecutive_days_off: int
    max_weekends: int


@dataclass(frozen=True)
class ShiftRequest:
    employee: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class Cover:
    day: int
    shift: str
    requirement: int
    under_weight: int
    over_weight: int


@dataclass(frozen=True)
class Instance:
    name: str
    days: int
    shifts: tuple[ShiftType, ...]
    staff: tuple[Staff, ...]
    days_off: Mapping[str, frozenset[int]]  # employee id -> day indices that must be off
    on_requests: tuple[ShiftRequest, ...]
    off_requests: tuple[ShiftRequest, ...]
    cover: tuple[Cover, ...]

    @property
    def weekends(self) -> list[tuple[int, int]]:
        """(Saturday, Sunday) day indices of every whole week in the horizon."""
        return [(7 * k + SATURDAY, 7 * k + SUNDAY) for k in range(self.days // 7)]

    def shift(self, shift_id: str) -> ShiftType:
        return next(s for s in self.shifts if s.id == shift_id)


_SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)

Row = tuple[int, list[str]]  # (1-based line number, comma-separated fields)


def read_instance(path: str | Path) -> Instance:
    """Parse one instance file; a malformed row raises ScenarioError naming file and line."""
    path = Path(path)
    sections = _split_sections(path)
    reader = _FieldReader(path.name)
    days = reader.integer(*_single_row(sections["SECTION_HORIZON"], path.name), 0, "horizon")
    shifts = tuple(reader.shift_type(row) for row in sections["SECTION_SHIFTS"])
    shift_ids = {s.id for s in shifts}
    staff = tuple(reader.staff(row, shift_ids) for row in sections["SECTION_STAFF"])
    staff_ids = {s.id for s in staff}
    days_off = {s.id: frozenset() for s in staff}
    for row in sections["SECTION_DAYS_OFF"]:
        employee, off = reader.days_off(row, staff_ids, days)
        days_off[employee] = days_off[employee] | off
    check = _RowCheck(reader, staff_ids, shift_ids, days)
    return Instance(
        name=path.stem,
        days=days,
        shifts=shifts,
        staff=staff,
        days_off=days_off,
        on_requests=tuple(check.request(row) for row in sections["SECTION_SHIFT_ON_REQUESTS"]),
        off_requests=tuple(check.request(row) for row in sections["SECTION_SHIFT_OFF_REQUESTS"]),
        cover=tuple(check.cover(row) for row in sections["SECTION_COVER"]),
    )


def _split_sections(path: Path) -> dict[str, list[Row]]:
    sections: dict[str, list[Row]] = {name: [] for name in _SECTIONS}
    current: list[Row] | None = None
    for number, line in _content_lines(path):
        if line.startswith("SECTION_"):
            if line not in sections:
                raise ScenarioError(path.name, f"unknown section {line!r}", row=number)
            current = sections[line]
        elif current is None:
            raise ScenarioError(path.name, "data before the first SECTION_ line", row=number)
        else:
            current.append((number, [field.strip() for field in line.split(",")]))
    return sections


def _content_lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.strip()
            if line and not line.startswith("#"):
                yield number, line


def _single_row(rows: list[Row], file: str) -> tuple[int, str]:
    if len(rows) != 1 or len(rows[0][1]) != 1:
        raise ScenarioError(file, "SECTION_HORIZON must hold exactly one number")
    return rows[0][0], rows[0][1][0]


class _FieldReader:
    """Turns fields into typed values, raising ScenarioError with file, line and column."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, number: int, problem: str, column: str | None = None) -> ScenarioError:
        return ScenarioError(self.file, problem, row=number, column=column)

    def integer(self, number: int, text: str, minimum: int, column: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise self.fail(number, f"{text!r} is not an integer", column) from None
        if value < minimum:
            raise self.fail(number, f"{value} is below {minimum}", column)
        return value

    def fields(self, row: Row, count: int, what: str) -> list[str]:
        number, fields = row
        if len(fields) != count:
            raise self.fail(number, f"a {what} row has {count} fields, found {len(fields)}")
        return fields

    def shift_type(self, row: Row) -> ShiftType:
        shift_id, minutes, following = self.fields(row, 3, "shift")
        blocked = tuple(s for s in following.split("|") if s)
        return ShiftType(shift_id, self.integer(row[0], minutes, 1, "length"), blocked)

    def staff(self, row: Row, shift_ids: set[str]) -> Staff:
        number = row[0]
        sid, max_shifts, *numbers = self.fields(row, 8, "staff")
        names = (
            "MaxTotalMinutes",
            "MinTotalMinutes",
            "MaxConsecutiveShifts",
            "MinConsecutiveShifts",
            "MinConsecutiveDaysOff",
            "MaxWeekends",
        )
        values = [
            self.integer(number, text, 0, name) for text, name in zip(numbers, names, strict=True)
        ]
        return Staff(sid, self.max_shifts(number, max_shifts, shift_ids), *values)

    def max_shifts(self, number: int, text: str, shift_ids: set[str]) -> dict[str, int]:
        limits = {}
        for item in filter(None, text.split("|")):
            shift_id, _, limit = item.partition("=")
            if shift_id not in shift_ids:
                raise self.fail(number, f"unknown shift type {shift_id!r}", "MaxShifts")
            limits[shift_id] = self.integer(number, limit, 0, "MaxShifts")
        return limits

    def days_off(self, row: Row, staff_ids: set[str], days: int) -> tuple[str, frozenset[int]]:
        number, (employee, *indices) = row
        if employee not in staff_ids:
            raise self.fail(number, f"unknown employee {employee!r}", "EmployeeID")
        off = frozenset(self.integer(number, text, 0, "DayIndexes") for text in indices if text)
        if any(day >= days for day in off):
            raise self.fail(number, f"a day index is beyond the {days}-day horizon", "DayIndexes")
        return employee, off


@dataclass
class _RowCheck:
    """Requests and cover rows, checked against the known staff, shift types and horizon."""

    reader: _FieldReader
    staff_ids: set[str]
    shift_ids: set[str]
    days: int

    def known(self, number: int, value: str, known: set[str], column: str) -> str:
        if value not in known:
            raise self.reader.fail(number, f"unknown {column} {value!r}", column)
        return value

    def day(self, number: int, text: str) -> int:
        day = self.reader.integer(number, text, 0, "Day")
        if day >= self.days:
            raise self.reader.fail(
                number, f"day {day} is beyond the {self.days}-day horizon", "Day"
            )
        return day

    def request(self, row: Row) -> ShiftRequest:
        employee, day, shift, weight = self.reader.fields(row, 4, "request")
        number = row[0]
        return ShiftRequest(
            self.known(number, employee, self.staff_ids, "EmployeeID"),
            self.day(number, day),
            self.known(number, shift, self.shift_ids, "ShiftID"),
            self.reader.integer(number, weight, 0, "Weight"),
        )

    def cover(self, row: Row) -> Cover:
        day, shift, requirement, under, over = self.reader.fields(row, 5, "cover")
        number = row[0]
        integer: Callable[[str, str], int] = lambda text, column: self.reader.integer(  # noqa: E731
            number, text, 0, column
        )
        return Cover(
            self.day(number, day),
            self.known(number, shift, self.shift_ids, "ShiftID"),
            integer(requirement, "Requirement"),
            integer(under, "Weight for under"),
            integer(over, "Weight for over"),
        )
