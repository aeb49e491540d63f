"""The `roster` command end to end: solve a fixture, check it, and refuse bad input."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from roster.check import check_roster
from roster.cli import main
from roster.result import Roster
from roster.scenario import load_scenario

FIXTURES = Path(__file__).parents[1] / "fixtures"
QUICK = ["--time-limit", "5", "--workers", "1"]


@pytest.fixture(scope="module")
def small_solved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small") / "out"
    assert main(["solve", str(FIXTURES / "small"), "--out", str(out), *QUICK, "--quiet"]) == 0
    return out


def test_solve_writes_a_contract_roster_that_the_validator_accepts(small_solved: Path) -> None:
    doc = json.loads((small_solved / "roster.json").read_text())
    assert doc["status"] in ("OPTIMAL", "FEASIBLE")
    assert {"objective", "bound", "solve_seconds", "shifts", "coverage"} <= doc.keys()
    assert {"agent_id", "start", "end"} <= doc["shifts"][0].keys()
    assert {"start", "language", "tier", "required", "scheduled"} <= doc["coverage"][0].keys()
    scenario = load_scenario(FIXTURES / "small")
    assert check_roster(scenario, Roster.from_json(doc)) == []


def test_coverage_has_one_row_per_interval_and_queue(small_solved: Path) -> None:
    doc = json.loads((small_solved / "roster.json").read_text())
    scenario = load_scenario(FIXTURES / "small")
    assert len(doc["coverage"]) == scenario.grid.n_intervals * len(scenario.queues) == 168 * 3


def test_required_is_written_with_at_least_two_decimals(small_solved: Path) -> None:
    # The contract asks for it; json.dumps alone would write 1.0 for a floor of one agent.
    text = (small_solved / "roster.json").read_text()
    written = re.findall(r'"required": ([^,}]+)', text)
    assert len(written) == 168 * 3
    assert all(re.fullmatch(r"\d+\.\d{2,}", value) for value in written), written[:5]
    assert "1.00" in written  # a floor of one agent


def test_check_warns_of_a_key_nothing_reads(small_solved: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "small"
    shutil.copytree(FIXTURES / "small", folder)
    toml = folder / "scenario.toml"
    toml.write_text(toml.read_text().replace("[rules]\n", "[rules]\nmin_rest_hour = 8\n", 1))
    assert main(["check", str(folder), str(small_solved / "roster.json")]) == 0
    assert (
        "warning: scenario.toml: key 'rules.min_rest_hour' is not one roster reads; it is "
        "ignored (did you mean 'min_rest_hours'?)"
    ) in capsys.readouterr().err


def test_roster_csv_gives_each_shift_in_utc_and_in_the_agents_zone(small_solved: Path) -> None:
    table = pd.read_csv(small_solved / "roster.csv")
    doc = json.loads((small_solved / "roster.json").read_text())
    assert len(table) == len(doc["shifts"])
    for row in table.itertuples():
        utc_start = datetime.fromisoformat(row.start_utc)
        local_start = datetime.fromisoformat(row.start_local)
        assert utc_start == local_start  # the same instant, written in two zones
        assert (
            local_start.utcoffset()
            == local_start.astimezone(__import__("zoneinfo").ZoneInfo(row.timezone)).utcoffset()
        )
        hours = (datetime.fromisoformat(row.end_utc) - utc_start).total_seconds() / 3600
        assert hours == row.hours


def test_check_command_accepts_the_solved_roster(small_solved: Path, capsys) -> None:
    assert main(["check", str(FIXTURES / "small"), str(small_solved / "roster.json")]) == 0
    assert "roster OK" in capsys.readouterr().out


def test_check_command_lists_violations_of_a_tampered_roster(
    small_solved: Path, tmp_path: Path, capsys
) -> None:
    doc = json.loads((small_solved / "roster.json").read_text())
    first = doc["shifts"][0]
    doc["shifts"].append(dict(first))  # the same shift twice overlaps itself
    tampered = tmp_path / "roster.json"
    tampered.write_text(json.dumps(doc))
    assert main(["check", str(FIXTURES / "small"), str(tampered)]) == 1
    assert "no_overlap" in capsys.readouterr().out


def test_summary_names_every_queue(small_solved: Path) -> None:
    text = (small_solved / "summary.txt").read_text()
    for label in ("en-L1", "en-L2", "fr-L1"):
        assert label in text


def test_bad_scenario_exits_2_with_the_place_of_the_error_and_writes_nothing(
    tmp_path: Path, capsys
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(FIXTURES / "small", broken)
    agents = (broken / "agents.csv").read_text().splitlines()
    agents[2] = agents[2].replace("America/New_York", "America/Gotham")
    (broken / "agents.csv").write_text("\n".join(agents) + "\n")
    out = tmp_path / "out"
    assert main(["solve", str(broken), "--out", str(out), *QUICK]) == 2
    error = capsys.readouterr().err
    assert "agents.csv, row 3, column 'timezone'" in error and "America/Gotham" in error
    assert not out.exists()


def test_infeasible_scenario_exits_3_naming_the_agent(tmp_path: Path, capsys) -> None:
    tight = tmp_path / "tight"
    shutil.copytree(FIXTURES / "small", tight)
    agents = pd.read_csv(tight / "agents.csv", dtype=str)
    agents.loc[0, ["min_hours", "max_hours", "available_from", "available_to"]] = [
        "70",
        "70",
        "09:00",
        "19:00",
    ]
    agents.to_csv(tight / "agents.csv", index=False)
    out = tmp_path / "out"
    assert main(["solve", str(tight), "--out", str(out), *QUICK]) == 3
    error = capsys.readouterr().err
    assert f"agent {agents.loc[0, 'id']}" in error and "min_hours 70" in error
    assert not out.exists()


def test_progress_is_silent_when_output_is_not_a_terminal(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["solve", str(FIXTURES / "small"), "--out", str(out), *QUICK, "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_progress_line_shows_objective_bound_gap_and_time_on_a_terminal() -> None:
    import io

    from roster.solve_command import ProgressLine
    from roster.solver.problem import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    line = ProgressLine(screen)
    line(Progress(solutions=3, objective=1200.0, bound=1140.0, elapsed_seconds=4.2))
    line.close()
    shown = screen.getvalue()
    assert "solutions    3" in shown and "1,200" in shown and "1,140" in shown
    assert "5.00%" in shown and "4.2 s" in shown
