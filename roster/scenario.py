"""Load and validate a scenario folder into the typed objects of `roster.model`.

A scenario folder holds scenario.toml, agents.csv, forecast.csv and optionally
time_off.csv and requests.csv (docs: the scenario format). Every problem raises exactly one
`ScenarioError` naming the file, the row or TOML key, and the column; the first problem
found wins, checking files in that order and each file top to bottom.

Row numbers are the file's line numbers: the header is line 1, so the first data row is
row 2 (blank lines count; a quoted cell that spans lines shifts later numbers). TOML keys
are dotted paths; `queue[2].aht_seconds` is a key of the second `[[queue]]` table.
Extra columns and keys are ignored.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import math
import re
import tomllib
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from roster.errors import ScenarioError
from roster.model import (
    CONTRACTS,
    MINUTES_PER_DAY,
    REQUEST_OFF,
    REQUEST_ON,
    TIERS,
    Agent,
    OpenHours,
    Queue,
    QueueKey,
    Request,
    Rules,
    Scenario,
    ShiftKind,
    Staffing,
    TimeOff,
)
from roster.staffing import offered_load_erlangs, queue_arrivals
from roster.timegrid import (
    TimeGrid,
    is_iana_zone,
    iso,
    local_dates_touched,
    local_datetime,
    parse_instant,
    window_opening_utc,
)

SCENARIO_FILE = "scenario.toml"
AGENTS_FILE = "agents.csv"
FORECAST_FILE = "forecast.csv"
TIME_OFF_FILE = "time_off.csv"
REQUESTS_FILE = "requests.csv"
REQUIRED_FILES = (SCENARIO_FILE, AGENTS_FILE, FORECAST_FILE)
SCENARIO_FILES = (*REQUIRED_FILES, TIME_OFF_FILE, REQUESTS_FILE)

INTERVAL_CHOICES = (15, 30, 60)
AGENT_COLUMNS = (
    "id",
    "name",
    "timezone",
    "languages",
    "tier",
    "contract",
    "min_hours",
    "max_hours",
    "hourly_cost",
    "available_from",
    "available_to",
)
FORECAST_COLUMNS = ("start", "language", "tickets")  # `tier` is optional
TIME_OFF_COLUMNS = ("agent_id", "start", "end")
REQUEST_COLUMNS = ("agent_id", "date", "kind", "weight")

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS = {
    **{name[:3]: day for day, name in enumerate(WEEKDAY_NAMES, start=1)},
    **{name: day for day, name in enumerate(WEEKDAY_NAMES, start=1)},
    "tues": 2,
    "thur": 4,
    "thurs": 4,
}
LANGUAGE_SEPARATORS = re.compile(r"[\s,;|/]+")
# Between the windows of a queue's `open` value; day lists inside a window have no spaces.
OPEN_WINDOW_SEPARATOR = re.compile(r"\s*;\s*|,\s+")
ALWAYS_OPEN = "24/7"
OPEN_HOURS_FORM = (
    "'24/7' or '<days> HH:MM-HH:MM [zone]' (several joined by ';'), "
    "e.g. 'Mon-Fri 07:00-21:00 Europe/Paris'"
)
CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::00)?")  # seconds, if written, must be :00

_MISSING: Any = object()


# --- public API -------------------------------------------------------------------------


def load_scenario(folder: str | Path) -> Scenario:
    """Read and validate the scenario folder `folder`; raises ScenarioError on any problem."""
    path = Path(folder)
    if not path.is_dir():
        raise ScenarioError(str(path), "scenario folder not found")
    files = {name: (path / name).read_bytes() for name in SCENARIO_FILES if (path / name).is_file()}
    return load_scenario_files(files, source=str(path))


def load_scenario_files(files: Mapping[str, bytes | str], source: str = "upload") -> Scenario:
    """Validate a scenario given as file contents keyed by file name ("scenario.toml", ...).

    `source` says where the files came from (a folder, "upload") in missing-file messages.
    """
    for name in REQUIRED_FILES:
        if name not in files:
            raise ScenarioError(name, f"required file is missing from {source}")
    # Other files (a README, a roster.json) may ride along; they are not read.
    texts = {name: _decode(name, files[name]) for name in SCENARIO_FILES if name in files}

    settings = _parse_settings(texts[SCENARIO_FILE])
    grid = TimeGrid.for_week(
        settings.week_start,
        settings.planning_timezone,
        settings.interval_minutes,
        weeks=settings.weeks,
    )
    agents = _parse_agents(texts[AGENTS_FILE], settings.rules)
    forecast, unserved, forecast_lines = _parse_forecast(
        texts[FORECAST_FILE], grid, {q.key for q in settings.queues}
    )
    _check_offered_loads(settings, grid, forecast, forecast_lines)
    time_off = ()
    if _has_content(texts, TIME_OFF_FILE):
        time_off = _parse_time_off(texts[TIME_OFF_FILE], {a.id: a.timezone for a in agents})
    requests = ()
    if _has_content(texts, REQUESTS_FILE):
        requests = _parse_requests(texts[REQUESTS_FILE], grid, agents, settings.rules)
    return Scenario(
        name=settings.name,
        week_start=settings.week_start,
        planning_timezone=settings.planning_timezone,
        interval_minutes=settings.interval_minutes,
        staffing=settings.staffing,
        rules=settings.rules,
        queues=settings.queues,
        agents=agents,
        forecast=forecast,
        time_off=time_off,
        requests=requests,
        weeks=settings.weeks,
        warnings=settings.warnings + unserved,
    )


def parse_open_hours(text: str, planning_timezone: str) -> OpenHours:
    """Parse a queue's `open` value: "24/7" or one or more windows "<days> HH:MM-HH:MM
    [IANA zone]", separated by ";" or by a comma and a space ("Mon-Fri 08:00-20:00, Sat
    09:00-13:00 Europe/Paris").

    Days are names (Mon .. Sun or Monday .. Sunday, any case), ranges ("Mon-Fri", "Fri-Mon"
    wraps the week) or comma lists of both ("Mon,Wed,Fri"). A window without a zone takes
    the one the other windows name, when they name one, else `planning_timezone`. The end
    may be 24:00; an end not after the start runs past midnight into the next day.
    Raises ValueError with a message fit for a user.
    """
    stripped = text.strip()
    pieces = [piece.strip() for piece in OPEN_WINDOW_SEPARATOR.split(stripped)]
    if any(piece.upper() == ALWAYS_OPEN for piece in pieces):
        return OpenHours(ALWAYS_OPEN if len(pieces) == 1 else stripped)
    named = {parts[2] for parts in (piece.split() for piece in pieces) if len(parts) == 3}
    default_zone = named.pop() if len(named) == 1 else planning_timezone
    windows = [_open_window(piece, text, default_zone) for piece in pieces]
    return replace(windows[0], text=stripped, more=tuple(windows[1:]))


def _open_window(piece: str, text: str, default_zone: str) -> OpenHours:
    parts = piece.split()
    if len(parts) not in (2, 3):
        where = f"'{piece}' in '{text}'" if piece != text.strip() else f"'{text}'"
        raise ValueError(f"{where} is not {OPEN_HOURS_FORM}")
    weekdays = _parse_weekdays(parts[0], text)
    start_minute, end_minute = _parse_clock_range(parts[1], text)
    timezone = parts[2] if len(parts) == 3 else default_zone
    if not is_iana_zone(timezone):
        raise ValueError(f"unknown IANA time zone '{timezone}' in '{text}'")
    return OpenHours(
        text=piece,
        always=False,
        weekdays=weekdays,
        start_minute=start_minute,
        end_minute=end_minute,
        timezone=timezone,
    )


# --- shared parsing helpers -------------------------------------------------------------


@dataclass(frozen=True)
class _Range:
    """Allowed values of a number, with the words that explain it to a user.

    `low` and `high` are the contract's bounds; `ceiling` is a sanity bound the project
    adds beyond them (README, "Limits"), far above any real helpdesk, with `why`.
    """

    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    ceiling: float | None = None
    why: str = ""

    def problem(self, value: float) -> str | None:
        """What is wrong with `value`, or None when it is allowed."""
        if not self._within_bounds(value):
            return self.describe()
        if self.ceiling is not None and value > self.ceiling:
            because = f" ({self.why})" if self.why else ""
            return f"must be at most {self.ceiling:,.10g}{because}"
        return None

    def _within_bounds(self, value: float) -> bool:
        if self.low is not None and (
            value < self.low or (value == self.low and not self.low_inclusive)
        ):
            return False
        return (
            self.high is None or value < self.high or (value == self.high and self.high_inclusive)
        )

    def describe(self) -> str:
        words = []
        if self.low is not None:
            words.append(
                f"at least {self.low:g}" if self.low_inclusive else f"greater than {self.low:g}"
            )
        if self.high is not None:
            words.append(
                f"at most {self.high:,.10g}" if self.high_inclusive else f"less than {self.high:g}"
            )
        return "must be " + " and ".join(words)


ANY_NUMBER = _Range()
NON_NEGATIVE = _Range(low=0)
OCCUPANCY = _Range(low=0, high=1, low_inclusive=False)
SERVICE_LEVEL = _Range(low=0, high=1, low_inclusive=False, high_inclusive=False)
# Sanity ceilings: far above any real helpdesk, low enough that the maths stays finite,
# the Erlang search short and every cost and weight (in cents) far inside 64-bit integers.
SHRINKAGE = _Range(low=0, high=1, high_inclusive=False)
TICKETS = _Range(low=0, high=1_000_000)
MIN_AGENTS = _Range(low=0, high=10_000)
AHT_SECONDS = _Range(low=0, low_inclusive=False, ceiling=86_400, why="a day")
ESCALATION_RATE = _Range(low=0, ceiling=100)
HOURLY_COST = _Range(low=0, ceiling=1_000_000_000)
WEEK_HOURS = 170
HOURS_IN_A_WEEK = _Range(
    low=0, ceiling=WEEK_HOURS, why="a week has 168 hours, up to 170 with a clock change"
)
# A larger max_hours is a user's way of saying "no weekly limit": accepted, and the model
# takes it as the whole week (`engine`); the ceiling only keeps the number finite.
MAX_HOURS = _Range(low=0, ceiling=1_000_000)
WEEK_MINUTES = 7 * MINUTES_PER_DAY
DAY_COUNT = _Range(low=1, ceiling=1_000)
SHIFT_COUNT = _Range(low=0, ceiling=1_000)
# Most agents one queue may need at once for its offered load (load / max_occupancy): far
# beyond any helpdesk, it keeps the objective's shortage terms far inside 64-bit integers.
MAX_AGENTS_FOR_LOAD = 100_000
REQUEST_WEIGHT = _Range(low=0, high=1_000_000, low_inclusive=False)
HORIZON_WEEKS = _Range(low=1, high=12)
FIRST_YEAR, LAST_YEAR = 1970, 9000


def _has_content(texts: Mapping[str, str], optional_file: str) -> bool:
    """An optional file that is absent or empty (0 bytes, blank lines) lists nothing, as one
    with only its header does: an empty time_off.csv plainly means "no absences"."""
    return bool(texts.get(optional_file, "").strip())


def _decode(name: str, content: bytes | str) -> str:
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    try:
        return content.decode("utf-8-sig")  # spreadsheets often save a BOM
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            name, f"file is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from exc


def _parse_clock(text: str, *, allow_24: bool) -> int:
    """Minutes after midnight of "HH:MM" (or "HH:MM:00"); "24:00" (end of day) only when
    `allow_24`."""
    match = CLOCK.fullmatch(text.strip())
    if match:
        hour, minute = int(match[1]), int(match[2])
        if hour < 24 and minute < 60:
            return hour * 60 + minute
        if allow_24 and hour == 24 and minute == 0:
            return MINUTES_PER_DAY
    latest = "24:00" if allow_24 else "23:59"
    raise ValueError(f"'{text}' is not a clock time HH:MM between 00:00 and {latest}")


def _clock_text(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _parse_clock_range(hours: str, text: str) -> tuple[int, int]:
    start, dash, end = hours.partition("-")
    if not dash:
        raise ValueError(f"'{hours}' in '{text}' is not a time range HH:MM-HH:MM")
    try:
        return _parse_clock(start, allow_24=False), _parse_clock(end, allow_24=True)
    except ValueError as exc:
        raise ValueError(f"{exc} in '{text}'") from None


def _parse_weekdays(days: str, text: str) -> frozenset[int]:
    weekdays: set[int] = set()
    for item in days.split(","):
        first, dash, last = item.partition("-")
        start = _weekday(first, text)
        end = _weekday(last, text) if dash else start
        span = (end - start) % 7  # "Fri-Mon" wraps over the weekend
        weekdays.update((start - 1 + k) % 7 + 1 for k in range(span + 1))
    return frozenset(weekdays)


def _weekday(name: str, text: str) -> int:
    try:
        return WEEKDAYS[name.strip().lower()]
    except KeyError:
        raise ValueError(
            f"unknown day '{name}' in '{text}'; use Mon, Tue, Wed, Thu, Fri, Sat, Sun"
        ) from None


def _hours_text(minutes: float) -> str:
    return f"{minutes / 60:g}h"


# --- scenario.toml ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Settings:
    name: str
    week_start: date
    planning_timezone: str
    interval_minutes: int
    staffing: Staffing
    rules: Rules
    queues: tuple[Queue, ...]
    weeks: int
    warnings: tuple[str, ...] = ()


class _Table:
    """One TOML table, read key by key; errors carry the dotted key path."""

    def __init__(self, data: dict[str, Any], prefix: str = "", reads: set[str] | None = None):
        self.data = data
        self.prefix = prefix
        # Dotted paths of every key asked for, shared by the whole document, so that keys
        # nobody reads (a typo turns a rule off silently) can be reported.
        self.reads = set() if reads is None else reads

    def part(self, data: dict[str, Any], prefix: str) -> _Table:
        """Another table of the same document (an item of [[queue]], say)."""
        return _Table(data, prefix, self.reads)

    def error(self, name: str, problem: str) -> ScenarioError:
        return ScenarioError(SCENARIO_FILE, problem, key=self.prefix + name)

    def value(self, name: str, default: Any = _MISSING) -> Any:
        self.reads.add(self.prefix + name)
        if name in self.data:
            return self.data[name]
        if default is _MISSING:
            raise self.error(name, "required key is missing")
        return default

    def table(self, name: str) -> _Table:
        value = self.value(name)
        if not isinstance(value, dict):
            raise self.error(name, f"must be a table [{name}]")
        return self.part(value, f"{self.prefix}{name}.")

    def text(self, name: str, default: Any = _MISSING) -> str:
        value = self.value(name, default)
        if not isinstance(value, str):
            raise self.error(name, f"must be text in quotes, got {value!r}")
        return value.strip()

    def number(self, name: str, allowed: _Range = ANY_NUMBER, default: Any = _MISSING) -> float:
        value = self.value(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(name, f"must be a number, got {value!r}")
        try:
            number = float(value)
        except OverflowError:  # TOML integers have no size limit in Python
            problem = allowed.problem(math.inf if value > 0 else -math.inf) or "must be a number"
            raise self.error(name, f"{problem}, got an integer of more than 308 digits") from None
        if not math.isfinite(number):
            raise self.error(name, f"must be a number, got {value!r}")
        if problem := allowed.problem(number):
            raise self.error(name, f"{problem}, got {number:g}")
        return number

    def whole(self, name: str, allowed: _Range = ANY_NUMBER, default: Any = _MISSING) -> int:
        value = self.number(name, allowed, default)
        if not value.is_integer():
            raise self.error(name, f"must be a whole number, got {value:g}")
        return int(value)


def _finite_number(value: Any) -> float | None:
    """A TOML value as a finite float; None for text, booleans, nan, inf and integers past
    the range of a float (TOML integers have no size limit in Python)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _parse_settings(text: str) -> _Settings:
    try:
        document = _Table(tomllib.loads(text))
    except ValueError as exc:  # TOMLDecodeError, or an integer of over 4300 digits
        raise ScenarioError(SCENARIO_FILE, f"not valid TOML: {exc}") from exc
    name = document.text("name")
    week_start = _parse_week_start(document)
    weeks = document.whole("weeks", HORIZON_WEEKS, default=1)
    planning_timezone = document.text("planning_timezone")
    if not is_iana_zone(planning_timezone):
        raise document.error("planning_timezone", f"unknown IANA time zone '{planning_timezone}'")
    interval_minutes = document.whole("interval_minutes")
    if interval_minutes not in INTERVAL_CHOICES:
        raise document.error("interval_minutes", f"must be 15, 30 or 60, got {interval_minutes}")
    settings = _Settings(
        name=name,
        week_start=week_start,
        planning_timezone=planning_timezone,
        interval_minutes=interval_minutes,
        staffing=_parse_staffing(document.table("staffing")),
        rules=_parse_rules(document.table("rules"), interval_minutes, _parse_shift_kinds(document)),
        queues=_parse_queues(document, planning_timezone),
        weeks=weeks,
    )
    unread = _unread_keys(document.data, document.reads)
    return replace(settings, warnings=tuple(_unread_key_warning(p, document.reads) for p in unread))


def _unread_keys(data: dict[str, Any], reads: set[str], prefix: str = "") -> Iterator[str]:
    """Dotted paths of the keys in `data` that the parser never asked for."""
    for key, value in data.items():
        path = prefix + key
        if path not in reads:
            yield path
        elif isinstance(value, dict):
            yield from _unread_keys(value, reads, path + ".")
        elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
            for number, item in enumerate(value, start=1):
                yield from _unread_keys(item, reads, f"{path}[{number}].")


def _unread_key_warning(path: str, reads: set[str]) -> str:
    """Extra keys are allowed, but a misspelt one silently leaves a rule out: say so."""
    parent, _, name = path.rpartition(".")
    siblings = [r.rpartition(".")[2] for r in reads if r.rpartition(".")[0] == parent]
    close = difflib.get_close_matches(name, siblings, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{SCENARIO_FILE}: key '{path}' is not one roster reads; it is ignored{hint}"


def _parse_week_start(document: _Table) -> date:
    value = document.value("week_start")
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(value.strip())
    if isinstance(value, date) and not isinstance(value, datetime):
        if FIRST_YEAR <= value.year <= LAST_YEAR:
            return value
        raise document.error(
            "week_start", f"must be a date between {FIRST_YEAR} and {LAST_YEAR}, got {value}"
        )
    raise document.error("week_start", f"must be a date YYYY-MM-DD, got {value!r}")


def _parse_staffing(table: _Table) -> Staffing:
    return Staffing(
        shrinkage=table.number("shrinkage", SHRINKAGE),
        max_occupancy=table.number("max_occupancy", OCCUPANCY),
        escalation_rate=table.number("escalation_rate", ESCALATION_RATE),
    )


def _parse_rules(table: _Table, interval_minutes: int, kinds: tuple[ShiftKind, ...]) -> Rules:
    step = table.whole("shift_start_step_minutes")
    if step <= 0 or step % interval_minutes:
        raise table.error(
            "shift_start_step_minutes",
            f"must be a positive multiple of interval_minutes ({interval_minutes}), got {step}",
        )
    if step > WEEK_MINUTES:
        raise table.error(
            "shift_start_step_minutes", f"must be at most a week ({WEEK_MINUTES}), got {step}"
        )
    max_consecutive_days = table.whole("max_consecutive_days", DAY_COUNT)
    min_consecutive_days = table.whole("min_consecutive_days", DAY_COUNT, default=1)
    if min_consecutive_days > max_consecutive_days:
        raise table.error(
            "min_consecutive_days",
            f"must be at most max_consecutive_days ({max_consecutive_days}), "
            f"got {min_consecutive_days}",
        )
    max_weekends = table.value("max_weekends", default=None)
    return Rules(
        shift_hours=_parse_shift_hours(table, interval_minutes),
        shift_start_step_minutes=step,
        min_rest_hours=table.number("min_rest_hours", HOURS_IN_A_WEEK),
        max_consecutive_days=max_consecutive_days,
        min_consecutive_days=min_consecutive_days,
        min_consecutive_days_off=table.whole("min_consecutive_days_off", DAY_COUNT, default=1),
        max_weekends=None if max_weekends is None else table.whole("max_weekends", SHIFT_COUNT),
        shift_kinds=kinds,
        forbidden_successions=_parse_successions(table, {k.name for k in kinds}),
    )


def _parse_shift_kinds(document: _Table) -> tuple[ShiftKind, ...]:
    tables = document.value("shift_kind", default=[])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise document.error("shift_kind", "write one [[shift_kind]] table per kind of shift")
    kinds: list[ShiftKind] = []
    for number, data in enumerate(tables, start=1):
        kind = _parse_shift_kind(document.part(data, f"shift_kind[{number}]."))
        if kind.name in {k.name for k in kinds}:
            raise ScenarioError(
                SCENARIO_FILE, f"duplicate shift kind '{kind.name}'", key=f"shift_kind[{number}]"
            )
        kinds.append(kind)
    return tuple(kinds)


def _parse_shift_kind(table: _Table) -> ShiftKind:
    name = table.text("name")
    if not name or len(name.split()) != 1:
        raise table.error("name", f"must be one word like 'early', got '{name}'")
    if name in (REQUEST_OFF, REQUEST_ON):
        raise table.error("name", f"'{name}' is reserved for requests.csv; choose another name")
    starts_from = _table_clock(table, "starts_from", allow_24=False)
    starts_before = _table_clock(table, "starts_before", allow_24=True)
    if starts_from == starts_before:  # "00:00"-"24:00" is the whole day, allowed
        raise table.error(
            "starts_before", f"must differ from starts_from ({_clock_text(starts_from)})"
        )
    max_per_week = table.value("max_per_week", default=None)
    return ShiftKind(
        name=name,
        starts_from_minute=starts_from,
        starts_before_minute=starts_before,
        max_per_week=None if max_per_week is None else table.whole("max_per_week", SHIFT_COUNT),
    )


def _table_clock(table: _Table, name: str, *, allow_24: bool) -> int:
    try:
        return _parse_clock(table.text(name), allow_24=allow_24)
    except ValueError as exc:
        raise table.error(name, str(exc)) from None


def _parse_successions(table: _Table, kind_names: set[str]) -> tuple[tuple[str, str], ...]:
    tables = table.value("forbidden_succession", default=[])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise table.error(
            "forbidden_succession",
            "write one [[rules.forbidden_succession]] table with `first` and `next` per pair",
        )
    pairs = []
    known = ", ".join(sorted(kind_names)) or "none defined"
    for number, data in enumerate(tables, start=1):
        pair = table.part(data, f"{table.prefix}forbidden_succession[{number}].")
        first, following = pair.text("first"), pair.text("next")
        for key, name in (("first", first), ("next", following)):
            if name not in kind_names:
                raise pair.error(key, f"unknown shift kind '{name}' (kinds: {known})")
        pairs.append((first, following))
    return tuple(pairs)


def _parse_shift_hours(table: _Table, interval_minutes: int) -> tuple[float, ...]:
    values = table.value("shift_hours")
    if not isinstance(values, list) or not values:
        raise table.error(
            "shift_hours", f"must be a non-empty list of hours like [6, 8], got {values!r}"
        )
    hours = []
    for value in values:
        if _finite_number(value) is None:
            raise table.error("shift_hours", f"must hold numbers of hours, got {value!r}")
        if value <= 0:
            raise table.error("shift_hours", f"shift lengths must be positive, got {value:g}")
        if value > WEEK_HOURS:
            raise table.error(
                "shift_hours", f"a shift cannot outlast a week: at most {WEEK_HOURS}, got {value:g}"
            )
        minutes = value * 60
        if not math.isclose(minutes, round(minutes)) or round(minutes) % interval_minutes:
            raise table.error(
                "shift_hours",
                f"{value:g} hours is not a whole number of {interval_minutes}-minute intervals",
            )
        hours.append(float(value))
    return tuple(hours)


def _parse_queues(document: _Table, planning_timezone: str) -> tuple[Queue, ...]:
    tables = document.value("queue", default=[])
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise document.error(
            "queue", "write one [[queue]] table per (language, tier) that has work"
        )
    queues: list[Queue] = []
    first_seen: dict[QueueKey, int] = {}
    for number, data in enumerate(tables, start=1):
        queue = _parse_queue(document.part(data, f"queue[{number}]."), planning_timezone)
        if queue.key in first_seen:
            raise ScenarioError(
                SCENARIO_FILE,
                f"duplicate queue {queue.label}: queue[{first_seen[queue.key]}] has the same "
                "language and tier",
                key=f"queue[{number}]",
            )
        first_seen[queue.key] = number
        queues.append(queue)
    return tuple(queues)


def _parse_queue(table: _Table, planning_timezone: str) -> Queue:
    language = table.text("language").lower()
    if not language or len(language.split()) != 1:
        raise table.error("language", f"must be one language code like 'en', got '{language}'")
    tier = table.text("tier").upper()  # "l2" is L2
    if tier not in TIERS:
        raise table.error("tier", f"unknown tier '{table.text('tier')}'; use L1 or L2")
    aht_seconds = table.number("aht_seconds", AHT_SECONDS)
    service_level = table.number("service_level", SERVICE_LEVEL)
    answer_seconds = table.number("answer_seconds", NON_NEGATIVE)
    min_agents = table.whole("min_agents", MIN_AGENTS, default=0)
    open_text = table.text("open", default=ALWAYS_OPEN)
    try:
        open_hours = parse_open_hours(open_text, planning_timezone)
    except ValueError as exc:
        raise table.error("open", str(exc)) from exc
    return Queue(language, tier, aht_seconds, service_level, answer_seconds, min_agents, open_hours)


# --- CSV files --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    """One data row of a CSV file; `line` is its line number in the file."""

    file: str
    line: int
    cells: dict[str, str]

    def error(self, column: str, problem: str) -> ScenarioError:
        return ScenarioError(self.file, problem, row=self.line, column=column)

    def text(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def required_text(self, column: str) -> str:
        value = self.text(column)
        if not value:
            raise self.error(column, "value is empty")
        return value

    def number(self, column: str, allowed: _Range = ANY_NUMBER) -> float:
        text = self.text(column)
        try:
            value = float(text)
        except ValueError:
            raise self.error(column, f"'{text}' is not a number") from None
        if not math.isfinite(value):
            raise self.error(column, f"'{text}' is not a finite number")
        if problem := allowed.problem(value):
            raise self.error(column, f"{problem}, got {text}")
        return value

    def choice(self, column: str, choices: tuple[str, ...], what: str) -> str:
        """One of `choices`, in any case ("l2" is L2, "Employee" employee)."""
        value = self.text(column)
        by_folded = {choice.casefold(): choice for choice in choices}
        if value.casefold() not in by_folded:
            raise self.error(column, f"unknown {what} '{value}'; use {' or '.join(choices)}")
        return by_folded[value.casefold()]

    def zone(self, column: str) -> str:
        value = self.text(column)
        if not is_iana_zone(value):
            raise self.error(column, f"unknown IANA time zone '{value}'")
        return value

    def clock(self, column: str, *, allow_24: bool) -> int:
        try:
            return _parse_clock(self.text(column), allow_24=allow_24)
        except ValueError as exc:
            raise self.error(column, str(exc)) from None

    def instant(self, column: str, local_to: str | None = None) -> datetime:
        """An ISO 8601 timestamp with offset; with `local_to`, one without offset (or a
        bare date, its midnight) is clock time in that zone: the first instant the clock
        reads it, or the end of the gap where clocks spring forward over it."""
        text = self.text(column)
        try:
            written = datetime.fromisoformat(text)
        except ValueError:
            raise self.error(
                column, f"'{text}' is not an ISO 8601 timestamp like 2026-11-30T06:00:00+01:00"
            ) from None
        if written.utcoffset() is None and local_to is not None:
            try:
                return _clock_time_utc(written, local_to)
            except OverflowError:
                raise self.error(
                    column, f"timestamp '{text}' is outside the years 0001 to 9999 in UTC"
                ) from None
        if written.utcoffset() is None:
            raise self.error(column, f"timestamp '{text}' has no UTC offset; add Z or e.g. +01:00")
        try:
            return parse_instant(text)
        except ValueError as exc:  # a valid local time that UTC cannot hold
            raise self.error(column, str(exc)) from None


def _clock_time_utc(wall: datetime, tz: str) -> datetime:
    minute = wall.hour * 60 + wall.minute
    opening = window_opening_utc(wall.date(), minute, tz)
    return opening + timedelta(seconds=wall.second, microseconds=wall.microsecond)


def _read_csv(file: str, text: str, required: tuple[str, ...]) -> list[_Row]:
    """The non-blank data rows of a CSV text that has every `required` column."""
    _require_no_extra_cells(file, text)
    try:
        with warnings.catch_warnings():
            # Only empty cells are left beyond the header (checked above): nothing is lost.
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                index_col=False,  # else rows one cell longer than the header shift left
            )
    except pd.errors.EmptyDataError:
        raise ScenarioError(
            file, f"file is empty; expected a header with {', '.join(required)}"
        ) from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise ScenarioError(file, f"cannot be read as CSV: {exc}") from None
    frame.columns = [str(column).strip() for column in frame.columns]
    for column in required:
        if column not in frame.columns:
            header = ", ".join(frame.columns)
            raise ScenarioError(
                file, f"required column is missing (header: {header})", column=column
            )
    rows = []
    # Blank lines are kept by the reader so that index + 2 is the line number; skip them here.
    for index, record in enumerate(frame.to_dict("records")):
        cells = {str(k): v if isinstance(v, str) else "" for k, v in record.items()}
        if any(value.strip() for value in cells.values()):
            rows.append(_Row(file, index + 2, cells))
    return rows


def _require_no_extra_cells(file: str, text: str) -> None:
    """Cells beyond the header's columns would be dropped or shift the others (trailing
    empty cells, as spreadsheets write them, are harmless)."""
    lines = csv.reader(io.StringIO(text))
    try:
        header = next(lines, [])
        for number, cells in enumerate(lines, start=2):
            extra = [cell for cell in cells[len(header) :] if cell.strip()]
            if extra:
                raise ScenarioError(
                    file,
                    f"{len(cells)} cells where the header names {len(header)} columns "
                    f"(extra: {', '.join(repr(cell) for cell in extra[:3])})",
                    row=number,
                )
    except csv.Error as exc:
        raise ScenarioError(file, f"cannot be read as CSV: {exc}") from None


def _parse_agents(text: str, rules: Rules) -> tuple[Agent, ...]:
    rows = _read_csv(AGENTS_FILE, text, AGENT_COLUMNS)
    if not rows:
        raise ScenarioError(AGENTS_FILE, "no agents: the file has a header but no rows")
    first_line: dict[str, int] = {}
    agents = []
    for row in rows:
        agent_id = row.required_text("id")
        if agent_id in first_line:
            raise row.error(
                "id", f"duplicate agent id '{agent_id}' (first on row {first_line[agent_id]})"
            )
        first_line[agent_id] = row.line
        agents.append(_parse_agent(row, agent_id, min(rules.shift_minutes)))
    return tuple(agents)


def _parse_agent(row: _Row, agent_id: str, shortest_shift_minutes: int) -> Agent:
    agent = Agent(
        id=agent_id,
        name=row.text("name") or agent_id,
        timezone=row.zone("timezone"),
        languages=_languages(row),
        tier=row.choice("tier", TIERS, "tier"),
        contract=row.choice("contract", CONTRACTS, "contract"),
        min_hours=row.number("min_hours", HOURS_IN_A_WEEK),
        max_hours=row.number("max_hours", MAX_HOURS),
        hourly_cost=row.number("hourly_cost", HOURLY_COST),
        available_from_minute=row.clock("available_from", allow_24=False),
        available_to_minute=_available_to(row),
    )
    if agent.min_hours > agent.max_hours:
        raise row.error(
            "min_hours",
            f"min_hours {agent.min_hours:g} is greater than max_hours {agent.max_hours:g}",
        )
    if agent.window_minutes < shortest_shift_minutes:
        window = (
            f"{_clock_text(agent.available_from_minute)}-{_clock_text(agent.available_to_minute)}"
        )
        raise row.error(
            "available_to",
            f"availability window {window} lasts {_hours_text(agent.window_minutes)}, shorter "
            f"than the shortest shift ({_hours_text(shortest_shift_minutes)})",
        )
    return agent


def _languages(row: _Row) -> tuple[str, ...]:
    """Lower-cased codes, separated by spaces as the contract writes them, or by commas,
    semicolons, bars or slashes as spreadsheets often do ('en,fr' is en and fr, never one
    unknown code); codes no queue uses are kept (the agent just serves nothing there)."""
    text = row.text("languages")
    languages = tuple(dict.fromkeys(c.lower() for c in LANGUAGE_SEPARATORS.split(text) if c))
    if not languages:
        raise row.error("languages", "value is empty; list language codes separated by spaces")
    return languages


def _available_to(row: _Row) -> int:
    from_minute = row.clock("available_from", allow_24=False)
    to_minute = row.clock("available_to", allow_24=True)
    # "00:00-00:00" means the whole day, as "00:00-24:00" does.
    return MINUTES_PER_DAY if from_minute == to_minute == 0 else to_minute


def _parse_forecast(
    text: str, grid: TimeGrid, queues: set[QueueKey]
) -> tuple[dict[QueueKey, np.ndarray], tuple[str, ...], dict[tuple[QueueKey, int], int]]:
    """Arrivals per (language, tier) and interval, warnings about rows no queue serves, and
    the line of the (last) row behind each (language, tier) and interval.

    A language with no queue at all is an error. Rows of a tier without a queue of a
    language that has one are kept: L1 rows are what an L2 queue's escalations are taken
    from (an outsourcer may take only a language's L2 work), and L2 rows are warned about,
    as nobody serves them."""
    forecast: dict[QueueKey, np.ndarray] = {}
    lines: dict[tuple[QueueKey, int], int] = {}
    index_of_start: dict[str, int] = {}  # the same start repeats for every language
    languages = {language for language, _ in queues}
    for row in _read_csv(FORECAST_FILE, text, FORECAST_COLUMNS):
        start = row.text("start")
        if start not in index_of_start:
            index_of_start[start] = _interval_index(row, grid)
        language = row.required_text("language").lower()
        tier = row.choice("tier", TIERS, "tier") if row.text("tier") else "L1"
        if language not in languages:
            problem = f"no [[queue]] in {SCENARIO_FILE} for language '{language}'"
            raise row.error("language", problem)
        tickets = row.number("tickets", TICKETS)
        arrivals = forecast.setdefault((language, tier), np.zeros(grid.n_intervals))
        arrivals[index_of_start[start]] += tickets
        lines[((language, tier), index_of_start[start])] = row.line
    unserved = sorted(key for key in forecast if key not in queues)
    return forecast, tuple(_unserved_rows_warning(key, queues) for key in unserved), lines


def _check_offered_loads(
    settings: _Settings,
    grid: TimeGrid,
    forecast: dict[QueueKey, np.ndarray],
    lines: dict[tuple[QueueKey, int], int],
) -> None:
    """Every queue's busiest interval needs at most MAX_AGENTS_FOR_LOAD agents at the
    occupancy cap; the error names the forecast row behind it."""
    staffing = settings.staffing
    for number, queue in enumerate(settings.queues, start=1):
        lambdas = queue_arrivals(forecast, staffing.escalation_rate, queue.key, grid.n_intervals)
        loads = offered_load_erlangs(lambdas, queue.aht_seconds, grid.interval_minutes)
        busiest = int(np.argmax(loads))
        if loads[busiest] / staffing.max_occupancy <= MAX_AGENTS_FOR_LOAD:
            continue
        # An L2 queue without rows of its own takes its arrivals from the L1 rows.
        source = queue.key if queue.key in forecast else (queue.language, "L1")
        tickets = f"{forecast[source][busiest]:g} {source[0]}-{source[1]} tickets"
        if source != queue.key:
            tickets += f" x escalation_rate {staffing.escalation_rate:g} for {queue.label}"
        start = iso(local_datetime(grid.interval_start(busiest), grid.planning_timezone))
        raise ScenarioError(
            FORECAST_FILE,
            f"{tickets} at {start} with aht_seconds {queue.aht_seconds:g} (queue[{number}] of "
            f"{SCENARIO_FILE}) are an offered load of {loads[busiest]:,.1f} Erlangs; at "
            f"max_occupancy {staffing.max_occupancy:g} that needs more than "
            f"{MAX_AGENTS_FOR_LOAD:,} agents at once, the most roster staffs one queue with",
            row=lines[(source, busiest)],
            column="tickets",
        )


def _unserved_rows_warning(key: QueueKey, queues: set[QueueKey]) -> str:
    language, tier = key
    if tier == "L1" and (language, "L2") in queues:
        return (
            f"{FORECAST_FILE}: {language} L1 tickets have no [[queue]] of their own in "
            f"{SCENARIO_FILE}; they count only through escalation_rate for {language}-L2"
        )
    return (
        f"{FORECAST_FILE}: {language} {tier} tickets have no [[queue]] in {SCENARIO_FILE}; "
        "no one is rostered for them"
    )


def _interval_index(row: _Row, grid: TimeGrid) -> int:
    instant = row.instant("start")
    index = grid.index_of(instant)
    if index is not None:
        return index
    tz = grid.planning_timezone
    if not grid.contains(instant):
        week = f"{iso(local_datetime(grid.start, tz))} to {iso(local_datetime(grid.end, tz))}"
        # A one-week grid lasts 7 days give or take a clock change.
        horizon = "the week" if grid.total_minutes <= 8 * MINUTES_PER_DAY else "the horizon"
        raise row.error("start", f"'{row.text('start')}' is outside {horizon} ({week}, {tz})")
    raise row.error(
        "start",
        f"'{row.text('start')}' is not the start of a {grid.interval_minutes}-minute interval "
        f"(the grid starts at {iso(local_datetime(grid.start, tz))})",
    )


def _parse_time_off(text: str, agent_zones: Mapping[str, str]) -> tuple[TimeOff, ...]:
    """Absences; a timestamp without offset (or a bare date) is the agent's own clock
    time, as the contract asks only for ISO 8601 here (with offset in forecast.csv)."""
    absences = []
    for row in _read_csv(TIME_OFF_FILE, text, TIME_OFF_COLUMNS):
        agent_id = row.required_text("agent_id")
        if agent_id not in agent_zones:
            raise row.error("agent_id", f"unknown agent id '{agent_id}' (not in {AGENTS_FILE})")
        tz = agent_zones[agent_id]
        start, end = row.instant("start", local_to=tz), row.instant("end", local_to=tz)
        if end <= start:
            raise row.error("end", f"end {row.text('end')} is not after start {row.text('start')}")
        absences.append(TimeOff(agent_id, start, end))
    return tuple(absences)


def _parse_requests(
    text: str, grid: TimeGrid, agents: tuple[Agent, ...], rules: Rules
) -> tuple[Request, ...]:
    agents_by_id = {agent.id: agent for agent in agents}
    kinds = (REQUEST_OFF, REQUEST_ON, *(k.name for k in rules.shift_kinds))
    requests = []
    for row in _read_csv(REQUESTS_FILE, text, REQUEST_COLUMNS):
        agent_id = row.required_text("agent_id")
        agent = agents_by_id.get(agent_id)
        if agent is None:
            raise row.error("agent_id", f"unknown agent id '{agent_id}' (not in {AGENTS_FILE})")
        day = _request_day(row, grid, agent)
        kind = row.text("kind")
        if kind not in kinds:
            raise row.error(
                "kind",
                f"unknown kind '{kind}'; use {', '.join(kinds)} (shift kinds of {SCENARIO_FILE})",
            )
        weight = row.number("weight", REQUEST_WEIGHT)
        requests.append(Request(agent_id, day, kind, weight))
    return tuple(requests)


def _request_day(row: _Row, grid: TimeGrid, agent: Agent) -> date:
    text = row.text("date")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise row.error("date", f"'{text}' is not a date YYYY-MM-DD") from None
    days = local_dates_touched(grid, agent.timezone)
    if day not in days:
        raise row.error(
            "date",
            f"{day} is not one of agent {agent.id}'s local days of the week "
            f"({days[0]} to {days[-1]}, {agent.timezone})",
        )
    return day
