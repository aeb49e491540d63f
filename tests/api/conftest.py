from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.app import create_app
from api.settings import Settings
from tests.api.helpers import MANAGER_KEY, FakeClock, TestClient, log_in, utc

MAX_UPLOAD_BYTES = 200_000


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'roster.sqlite3'}",
        api_key=MANAGER_KEY,
        solve_time_limit_seconds=5,
        max_solve_time_limit_seconds=60,
        max_upload_bytes=MAX_UPLOAD_BYTES,
        public_base_url="http://testserver",
        uid_domain="roster.test",
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(utc("2026-11-25T09:30:00"))


@pytest.fixture
def client(settings: Settings, clock: FakeClock) -> Iterator[TestClient]:
    with TestClient(create_app(settings, clock)) as test_client:
        yield test_client


@pytest.fixture
def pages(settings: Settings, clock: FakeClock) -> Iterator[TestClient]:
    """A client logged in to the manager pages; https, since their session cookie is Secure."""
    with TestClient(create_app(settings, clock), base_url="https://testserver") as test_client:
        log_in(test_client)
        yield test_client
