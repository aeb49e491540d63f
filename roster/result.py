"""A roster as the contract's roster.json describes it: shifts plus coverage rows.

This is the exchange object between the solver, the validator, the CLI and the API. It
knows how to read and write roster.json and nothing about how a roster was found.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from roster.errors import RosterFileError
from roster.timegrid import iso, parse_instant

STATUSES = ("OPTIMAL", "FEASIBLE")
# Agents on one queue in one interval: far above any helpdesk (the scenario allows
# min_agents up to 10,000), and small enough for the validator's 64-bit counts.
MAX_SCHEDULED = 1_000_000
# Shift and row timestamps are read within these: a year of room on either side of
# datetime's range keeps local times and day arithmetic in the validator finite.
EARLIEST = datetime(2, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Shift:
    """One shift of one agent, [start, end) in UTC. `queue` is the queue it mostly serves."""

    agent_id: str
    start: datetime
    end: datetime
    queue: str | None = None

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    def to_json(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "agent_id": self.agent_id,
            "start": iso(self.start),
            "end": iso(self.end),
        }
        if self.queue is not None:
            item["queue"] = self.queue
        return item


@dataclass(frozen=True)
class CoverageRow:
    start: datetime
    language: str
    tier: str
    required: float
    scheduled: int

    @property
    def shortage(self) -> float:
        return max(0.0, self.required - self.scheduled)

    def to_json(self) -> dict[str, Any]:
        return {
            "start": iso(self.start),
            "language": self.language,
            "tier": self.tier,
            "required": round(self.required, 2),
            "scheduled": self.scheduled,
        }


@dataclass
class Roster:
    status: str
    objective: float
    bound: float
    solve_seconds: float
    shifts: list[Shift]
    coverage: list[CoverageRow]
    # Anything beyond the contract (objective breakdown, solver stats) lives here.
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        doc = {
            "status": self.status,
            "objective": score_number(self.objective),
            "bound": score_number(self.bound),
            "solve_seconds": round(self.solve_seconds, 3),
            "shifts": [s.to_json() for s in sorted(self.shifts, key=_shift_order)],
            "coverage": [c.to_json() for c in self.coverage],
        }
        doc.update(self.extra)
        return doc

    def write(self, path: Path) -> None:
        path.write_text(roster_json_text(self.to_json()), encoding="utf-8")

    @classmethod
    def from_json(cls, doc: Any, source: str = "roster.json") -> Roster:
        if not isinstance(doc, dict):
            raise RosterFileError(f"{source}: top level must be a JSON object")
        for key in ("status", "shifts", "coverage"):
            if key not in doc:
                raise RosterFileError(f"{source}: missing key '{key}'")
        if not isinstance(doc["shifts"], list) or not isinstance(doc["coverage"], list):
            raise RosterFileError(f"{source}: 'shifts' and 'coverage' must be lists")
        shifts = [
            _shift_from_json(item, f"{source}: shifts[{i}]") for i, item in enumerate(doc["shifts"])
        ]
        coverage = [
            _coverage_from_json(item, f"{source}: coverage[{i}]")
            for i, item in enumerate(doc["coverage"])
        ]
        known = {"status", "objective", "bound", "solve_seconds", "shifts", "coverage"}
        return cls(
            status=str(doc["status"]),
            objective=_number(doc.get("objective", 0.0), f"{source}: objective"),
            bound=_number(doc.get("bound", 0.0), f"{source}: bound"),
            solve_seconds=_number(doc.get("solve_seconds", 0.0), f"{source}: solve_seconds"),
            shifts=shifts,
            coverage=coverage,
            extra={k: v for k, v in doc.items() if k not in known},
        )

    @classmethod
    def read(cls, path: Path) -> Roster:
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise RosterFileError(f"{path}: file not found") from exc
        except OSError as exc:  # a folder, no permission...
            raise RosterFileError(f"{path}: cannot be read ({exc.strerror})") from exc
        except ValueError as exc:  # bad JSON or UTF-8, or an integer of over 4300 digits
            raise RosterFileError(f"{path}: not valid JSON ({exc})") from exc
        return cls.from_json(doc, str(path))


def score_number(value: float) -> float:
    """An objective or bound as written: to 2 decimals, which drops the float noise the
    solver reports them with (30807040.000000004). The engine's objective is a whole number
    of model units, and a bound may be fractional; one rounding for both keeps bound <=
    objective."""
    return round(value, 2) if math.isfinite(value) else value


def _shift_order(shift: Shift) -> tuple[str, datetime]:
    return (shift.agent_id, shift.start)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RosterFileError(f"{where}: expected a number, got {value!r}")
    try:
        return float(value)
    except OverflowError:  # a JSON integer of more than 308 digits
        raise RosterFileError(
            f"{where}: the number is too large, got an integer of more than 308 digits"
        ) from None


def _instant(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise RosterFileError(f"{where}: expected an ISO 8601 timestamp, got {value!r}")
    try:
        instant = parse_instant(value)
    except ValueError as exc:
        raise RosterFileError(f"{where}: {exc}") from exc
    if not EARLIEST <= instant < LATEST:
        raise RosterFileError(
            f"{where}: timestamp '{value}' is too far from any roster week "
            f"(years {EARLIEST.year:04d} to {LATEST.year - 1} in UTC)"
        )
    return instant


def _require(item: Any, keys: tuple[str, ...], where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise RosterFileError(f"{where}: expected an object")
    missing = [k for k in keys if k not in item]
    if missing:
        raise RosterFileError(f"{where}: missing {', '.join(missing)}")
    return item


def _shift_from_json(item: Any, where: str) -> Shift:
    item = _require(item, ("agent_id", "start", "end"), where)
    queue = item.get("queue")
    return Shift(
        agent_id=str(item["agent_id"]),
        start=_instant(item["start"], f"{where}.start"),
        end=_instant(item["end"], f"{where}.end"),
        queue=str(queue) if queue is not None else None,
    )


def _coverage_from_json(item: Any, where: str) -> CoverageRow:
    item = _require(item, ("start", "language", "tier", "required", "scheduled"), where)
    scheduled = _number(item["scheduled"], f"{where}.scheduled")
    if not (0 <= scheduled <= MAX_SCHEDULED and scheduled.is_integer()):
        raise RosterFileError(
            f"{where}.scheduled: expected a whole number of agents from 0 to "
            f"{MAX_SCHEDULED:,}, got {item['scheduled']!r}"
        )
    return CoverageRow(
        start=_instant(item["start"], f"{where}.start"),
        language=str(item["language"]),
        tier=str(item["tier"]),
        required=_number(item["required"], f"{where}.required"),
        scheduled=int(scheduled),
    )


def roster_json_text(document: dict[str, Any]) -> str:
    """roster.json as text. The contract writes `required` with at least 2 decimals, which
    json.dumps cannot (it writes 1.0), so the coverage rows are written here, one a line."""
    coverage = document.get("coverage")
    if not isinstance(coverage, list) or not all(isinstance(r, dict) for r in coverage):
        return json.dumps(document, indent=1) + "\n"
    placeholder = "\x00coverage"
    text = json.dumps({**document, "coverage": placeholder}, indent=1)
    rows = ",\n  ".join(_coverage_row_text(row) for row in coverage)
    return text.replace(json.dumps(placeholder), f"[\n  {rows}\n ]" if coverage else "[]") + "\n"


def _coverage_row_text(row: dict[str, Any]) -> str:
    items = (
        f"{json.dumps(key)}: {_decimal_text(value) if key == 'required' else json.dumps(value)}"
        for key, value in row.items()
    )
    return "{" + ", ".join(items) + "}"


def _decimal_text(value: Any) -> str:
    """A number with at least 2 decimals (2.86, 1.00, 0.125); anything else as JSON has it."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return json.dumps(value)
    shortest = repr(float(value))
    decimals = shortest.partition(".")[2]
    return shortest if "e" not in shortest and len(decimals) >= 2 else f"{value:.2f}"
