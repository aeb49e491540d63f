"""One error hierarchy for the whole project.

    RosterError                  anything the user can fix or must be told about
    ├── ScenarioError            a scenario folder breaks the contract (file, row, column)
    ├── RosterFileError          a roster.json that cannot be read against its scenario
    ├── InfeasibleError          the hard rules leave no roster (names agent and rule)
    ├── SolveError               the solver stopped without any roster
    └── OutputError              a folder the command was told to write to cannot be written

The CLI maps every RosterError to a message and a non-zero exit code; the HTTP API maps
them to 4xx statuses in one handler. Nothing else should reach a user as a traceback.
"""

from __future__ import annotations


class RosterError(Exception):
    """Base of every error the project reports to a user."""

    exit_code = 1


class ScenarioError(RosterError):
    """A scenario file breaks the contract. Names the file, the row or key and the column."""

    exit_code = 2

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        key: str | None = None,
    ) -> None:
        self.file = file
        self.problem = problem
        self.row = row
        self.column = column
        self.key = key
        super().__init__(self._message())

    def _message(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.key is not None:
            where.append(f"key '{self.key}'")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.problem}"


class RosterFileError(RosterError):
    """A roster.json is malformed or does not belong to the scenario it is checked against."""

    exit_code = 2


class InfeasibleError(RosterError):
    """The hard rules admit no roster. `reasons` names each agent and rule that conflict."""

    exit_code = 3

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("no roster satisfies the hard rules:\n  " + "\n  ".join(reasons))


class SolveError(RosterError):
    """The solver stopped (time limit, cancelled) before it found any roster."""

    exit_code = 4


class OutputError(RosterError):
    """An output folder that cannot be made or written to (names the folder and why)."""

    exit_code = 2
