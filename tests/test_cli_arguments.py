"""Command-line values a user can get wrong are refused up front with a message naming
the option and the value: exit 2, no traceback, nothing solved or written."""

from __future__ import annotations

from pathlib import Path

import pytest

from roster.cli import main

SMALL = Path(__file__).parents[1] / "fixtures" / "small"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--time-limit", "0"], "argument --time-limit: '0': give a number of seconds above 0"),
        (["--time-limit", "-5"], "argument --time-limit: '-5': give a number of seconds above 0"),
        (["--time-limit", "nan"], "argument --time-limit: 'nan': give a number of seconds above 0"),
        (["--time-limit", "inf"], "argument --time-limit: 'inf': give a number of seconds above 0"),
        (["--time-limit", "soon"], "argument --time-limit: 'soon' is not a number of seconds"),
        (["--workers", "0"], "argument --workers: '0': give a whole number from 1"),
    ],
)
def test_solve_refuses_a_time_limit_or_worker_count_it_cannot_use(
    tmp_path: Path, capsys, argv: list[str], message: str
) -> None:
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_:
        main(["solve", str(SMALL), "--out", str(out), *argv])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--agents", "0"], "argument --agents: '0': give a whole number from 1"),
        (["--agents", "5", "--weeks", "13"], "argument --weeks: '13': a horizon is 1 to 12 weeks"),
        (["--agents", "5", "--weeks", "0"], "argument --weeks: '0': give a whole number from 1"),
        (
            ["--agents", "5", "--week-start", "2026-13-01"],
            "argument --week-start: '2026-13-01' is not a date YYYY-MM-DD",
        ),
        (
            ["--agents", "5", "--timezone", "Mars/Olympus"],
            "argument --timezone: 'Mars/Olympus' is not an IANA time zone",
        ),
    ],
)
def test_generate_refuses_values_it_cannot_use(
    tmp_path: Path, capsys, argv: list[str], message: str
) -> None:
    out = tmp_path / "week"
    with pytest.raises(SystemExit) as exit_:
        main(["generate", str(out), *argv])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_bench_refuses_agent_counts_that_are_not_whole_numbers(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["bench", "--sizes", "50,lots"])
    assert exit_.value.code == 2
    assert "argument --sizes: 'lots' is not a whole number" in capsys.readouterr().err


def test_solve_names_an_output_path_that_is_a_file_before_solving(tmp_path: Path, capsys) -> None:
    a_file = tmp_path / "taken"
    a_file.write_text("not a folder\n")

    assert main(["solve", str(SMALL), "--out", str(a_file), "--time-limit", "600"]) == 2

    assert capsys.readouterr().err == f"error: --out {a_file}: is a file, not a folder\n"
    assert a_file.read_text() == "not a folder\n"


def test_solve_names_an_output_folder_it_cannot_make(tmp_path: Path, capsys) -> None:
    a_file = tmp_path / "taken"
    a_file.write_text("")
    inside_a_file = a_file / "out"  # a folder can't be made inside a file

    assert main(["solve", str(SMALL), "--out", str(inside_a_file), "--time-limit", "600"]) == 2

    assert capsys.readouterr().err.startswith(f"error: --out {inside_a_file}: cannot write there (")


def test_generate_names_a_folder_it_cannot_make(tmp_path: Path, capsys) -> None:
    a_file = tmp_path / "taken"
    a_file.write_text("")

    assert main(["generate", str(a_file / "week"), "--agents", "5"]) == 2

    assert capsys.readouterr().err.startswith(f"error: folder {a_file / 'week'}: cannot write")


def test_curtois_names_a_backwards_range(tmp_path: Path, capsys) -> None:
    assert main(["bench", "curtois", "--instances", "3-2", "--out", str(tmp_path)]) == 2
    assert "--instances: '3-2' runs backwards (write 2-3)" in capsys.readouterr().err


def test_serve_refuses_a_port_beyond_65535(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--port", "99999"])
    assert exit_.value.code == 2
    assert "argument --port: '99999': a port is 0 to 65535" in capsys.readouterr().err


def test_the_output_probe_leaves_no_folder_behind(tmp_path: Path) -> None:
    from roster.folders import check_output_folder

    check_output_folder(tmp_path / "a" / "b" / "c")

    assert list(tmp_path.iterdir()) == []
