"""Writing a solve's results: roster.json (the contract), roster.csv, summary files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from roster.errors import OutputError
from roster.kpi import RosterSummary, format_summary
from roster.model import Scenario
from roster.result import Roster
from roster.timegrid import iso, local_datetime

ROSTER_CSV_COLUMNS = [
    "agent_id",
    "name",
    "timezone",
    "start_utc",
    "end_utc",
    "start_local",
    "end_local",
    "hours",
    "queue",
]


def roster_table(scenario: Scenario, roster: Roster) -> pd.DataFrame:
    """One row per shift, in UTC and in the agent's own zone."""
    rows = []
    for shift in sorted(roster.shifts, key=lambda s: (s.agent_id, s.start)):
        agent = scenario.agents_by_id[shift.agent_id]
        rows.append(
            {
                "agent_id": agent.id,
                "name": agent.name,
                "timezone": agent.timezone,
                "start_utc": iso(shift.start),
                "end_utc": iso(shift.end),
                "start_local": iso(local_datetime(shift.start, agent.timezone)),
                "end_local": iso(local_datetime(shift.end, agent.timezone)),
                "hours": round(shift.hours, 2),
                "queue": shift.queue or "",
            }
        )
    return pd.DataFrame(rows, columns=ROSTER_CSV_COLUMNS)


def write_outputs(out: Path, scenario: Scenario, roster: Roster, summary: RosterSummary) -> None:
    """Write everything at once, after the solve, so a failed solve leaves nothing behind."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        roster.write(out / "roster.json")
        roster_table(scenario, roster).to_csv(out / "roster.csv", index=False)
        (out / "summary.json").write_text(json.dumps(summary.to_json(), indent=1) + "\n")
        (out / "summary.txt").write_text(format_summary(summary) + "\n")
    except OSError as error:  # the folder was writable when the command began
        raise OutputError(f"{out}: could not write the roster ({error.strerror})") from None
