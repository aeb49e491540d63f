"""`roster check` and `roster solve` report an unusable input the same way: one line on
stderr that starts with "error: ", exit code 2, nothing on stdout."""

from __future__ import annotations

from pathlib import Path

from roster.cli import main

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_check_names_a_missing_roster_file_as_an_error(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nope.json"

    assert main(["check", str(FIXTURES / "small"), str(missing)]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"error: {missing}: file not found\n"


def test_check_and_solve_name_a_missing_scenario_folder_alike(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "no-such-week"

    assert main(["check", str(missing), str(tmp_path / "roster.json")]) == 2
    from_check = capsys.readouterr().err
    assert main(["solve", str(missing), "--out", str(tmp_path / "out")]) == 2
    from_solve = capsys.readouterr().err

    assert from_check == from_solve == f"error: {missing}: scenario folder not found\n"
