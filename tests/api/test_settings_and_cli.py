"""Settings read from the environment (failing fast on nonsense) and the admin commands."""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path

import pytest

from api.app import create_app
from api.cli import main_admin, main_serve
from api.db import create_schema, make_engine
from api.settings import Settings, SettingsError
from api.store import Store
from tests.api.helpers import TestClient, scenario_files, utc


def test_defaults_use_a_sqlite_file_in_the_working_folder() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite:///roster.sqlite3"
    assert settings.api_key is None
    assert settings.solve_time_limit_seconds == 60
    assert settings.fixed_now is None


def test_database_url_settings_and_their_precedence() -> None:
    assert (
        Settings.from_env({"ROSTER_DB_PATH": "/data/r.db"}).database_url == "sqlite:////data/r.db"
    )
    assert (
        Settings.from_env({"DATABASE_URL": "postgres://u:p@db/roster"}).database_url
        == "postgresql://u:p@db/roster"
    )
    assert (
        Settings.from_env(
            {"DATABASE_URL": "postgresql://x@a/b", "ROSTER_DATABASE_URL": "sqlite:///c.db"}
        ).database_url
        == "sqlite:///c.db"
    )


def test_every_setting_is_read() -> None:
    settings = Settings.from_env(
        {
            "ROSTER_API_KEY": "k" * 30,
            "ROSTER_SOLVE_TIME_LIMIT": "12.5",
            "ROSTER_MAX_SOLVE_TIME_LIMIT": "100",
            "ROSTER_SOLVE_WORKERS": "4",
            "ROSTER_MAX_PARALLEL_SOLVES": "3",
            "ROSTER_MAX_UPLOAD_BYTES": "1000",
            "ROSTER_PUBLIC_BASE_URL": "https://roster.example.com/",
            "ROSTER_UID_DOMAIN": "roster.example.com",
            "ROSTER_FIXED_NOW": "2026-12-01T10:00:00+01:00",
        }
    )
    assert (settings.api_key, settings.solve_time_limit_seconds) == ("k" * 30, 12.5)
    assert (settings.max_solve_time_limit_seconds, settings.solve_workers) == (100, 4)
    assert (settings.max_parallel_solves, settings.max_upload_bytes) == (3, 1000)
    assert settings.public_base_url == "https://roster.example.com"
    assert settings.uid_domain == "roster.example.com"
    assert settings.fixed_now == utc("2026-12-01T09:00:00")


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"ROSTER_SOLVE_TIME_LIMIT": "soon"}, "ROSTER_SOLVE_TIME_LIMIT"),
        ({"ROSTER_SOLVE_TIME_LIMIT": "-5"}, "ROSTER_SOLVE_TIME_LIMIT"),
        ({"ROSTER_SOLVE_TIME_LIMIT": "900"}, "ROSTER_MAX_SOLVE_TIME_LIMIT"),
        ({"ROSTER_SOLVE_WORKERS": "0"}, "ROSTER_SOLVE_WORKERS"),
        ({"ROSTER_MAX_PARALLEL_SOLVES": "two"}, "ROSTER_MAX_PARALLEL_SOLVES"),
        ({"ROSTER_MAX_UPLOAD_BYTES": "-1"}, "ROSTER_MAX_UPLOAD_BYTES"),
        ({"ROSTER_API_KEY": "short"}, "ROSTER_API_KEY"),
        ({"ROSTER_PUBLIC_BASE_URL": "roster.example.com"}, "ROSTER_PUBLIC_BASE_URL"),
        ({"ROSTER_UID_DOMAIN": "bad domain"}, "ROSTER_UID_DOMAIN"),
        ({"ROSTER_FIXED_NOW": "2026-12-01T10:00"}, "ROSTER_FIXED_NOW"),
        ({"DATABASE_URL": "not a url"}, "database URL"),
    ],
)
def test_nonsense_settings_fail_fast_naming_the_variable(env: dict, names: str) -> None:
    with pytest.raises(SettingsError, match=names):
        Settings.from_env(env)


@pytest.fixture
def admin_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in ("ROSTER_DATABASE_URL", "DATABASE_URL", "ROSTER_API_KEY", "ROSTER_FIXED_NOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ROSTER_DB_PATH", str(tmp_path / "admin.sqlite3"))
    monkeypatch.setenv("ROSTER_PUBLIC_BASE_URL", "https://roster.example.com")
    return Settings.from_env()


def stored_scenario(settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    create_schema(engine)
    scenario_id = Store(engine, settings).create_scenario(scenario_files()).id
    engine.dispose()
    return scenario_id


def test_create_key_prints_a_key_the_server_accepts(
    admin_env: Settings, capsys: pytest.CaptureFixture
) -> None:
    assert main_admin(Namespace(action="create-key", ids=[])) == 0
    key = capsys.readouterr().out.strip()
    with TestClient(create_app(admin_env)) as client:
        assert (
            client.get("/scenarios", headers={"Authorization": f"Bearer {key}"}).status_code == 200
        )
        assert (
            client.get("/scenarios", headers={"Authorization": "Bearer x" * 3}).status_code == 401
        )


def test_agent_token_prints_the_links_and_a_new_one_revokes_the_old(
    admin_env: Settings, capsys: pytest.CaptureFixture
) -> None:
    scenario_id = stored_scenario(admin_env)
    outputs = []
    for _ in range(2):
        assert main_admin(Namespace(action="agent-token", ids=[str(scenario_id), "a02"])) == 0
        outputs.append(capsys.readouterr().out)
    lines = dict(line.split(maxsplit=1) for line in outputs[0].splitlines())
    token = lines["feed:"].rsplit("/", 1)[1].removesuffix(".ics")
    assert lines["subscribe:"] == f"webcal://roster.example.com/calendar/{token}.ics"
    assert lines["page:"] == f"https://roster.example.com/ui/agent/{token}"
    newer = dict(line.split(maxsplit=1) for line in outputs[1].splitlines())["feed:"]
    with TestClient(create_app(admin_env)) as client:
        assert client.get(f"/calendar/{token}.ics").status_code == 404
        assert client.get("/calendar/" + newer.rsplit("/", 1)[1]).status_code == 200


def test_admin_mistakes_exit_non_zero_with_a_message(
    admin_env: Settings, capsys: pytest.CaptureFixture
) -> None:
    scenario_id = stored_scenario(admin_env)
    assert main_admin(Namespace(action="agent-token", ids=["a02"])) == 2
    assert main_admin(Namespace(action="agent-token", ids=[str(scenario_id), "nobody"])) == 2
    assert main_admin(Namespace(action="create-key", ids=["extra"])) == 2
    errors = capsys.readouterr().err
    assert "usage: roster admin agent-token SCENARIO_ID AGENT_ID" in errors
    assert "agent 'nobody' is not in scenario" in errors


def test_serve_refuses_to_start_with_bad_settings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("ROSTER_SOLVE_TIME_LIMIT", "-1")
    assert main_serve(Namespace(host="127.0.0.1", port=1)) == 2
    assert "ROSTER_SOLVE_TIME_LIMIT must be greater than 0" in capsys.readouterr().err
