"""CSV renderings of a roster: its shifts (UTC and local) and its coverage rows."""

from __future__ import annotations

import csv
import io

from roster.model import Scenario
from roster.output import roster_table
from roster.result import Roster
from roster.timegrid import iso

COVERAGE_COLUMNS = ["start_utc", "language", "tier", "required", "scheduled", "shortage"]


def shifts_csv(scenario: Scenario, roster: Roster) -> str:
    """The same table `roster solve` writes to roster.csv."""
    return roster_table(scenario, roster).to_csv(index=False)


def coverage_csv(roster: Roster) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COVERAGE_COLUMNS)
    for row in roster.coverage:
        writer.writerow(
            [
                iso(row.start),
                row.language,
                row.tier,
                f"{row.required:.2f}",
                row.scheduled,
                f"{row.shortage:.2f}",
            ]
        )
    return out.getvalue()
