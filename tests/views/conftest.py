from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.app import create_app
from api.settings import Settings
from tests.api.helpers import MANAGER_KEY, FakeClock, TestClient, utc
from tests.api.test_server_end_to_end import Server, free_port, server_env
from tests.views.helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, MANAGER_VIEW, NOW

BASE = "https://testserver"  # the session cookie is Secure: the client must speak https


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'roster.sqlite3'}",
        api_key=MANAGER_KEY,
        solve_time_limit_seconds=5,
        max_solve_time_limit_seconds=60,
        max_upload_bytes=200_000,
        public_base_url=BASE,
        uid_domain="roster.test",
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(utc("2026-11-25T09:30:00"))


@pytest.fixture
def client(settings: Settings, clock: FakeClock) -> Iterator[TestClient]:
    with TestClient(create_app(settings, clock), base_url=BASE) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Debian's Chromium; the test is skipped where it is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"no browser: {CHROMIUM} is missing; install it with apt-get install chromium")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        # launch() runs Chromium with a fresh temporary profile, removed afterwards.
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real `python -m api serve` on a free port with a fresh SQLite file, one per module."""
    work = tmp_path_factory.mktemp("browser-server")
    url = f"http://127.0.0.1:{free_port()}"
    running = Server(url, server_env(work, url, "browser.test", NOW), work / "server.log")
    running.start()
    yield running
    running.stop()


@pytest.fixture
def manager(browser, server: Server) -> Iterator:
    """A manager's page on `server`, at desktop size."""
    context = browser.new_context(viewport=MANAGER_VIEW, base_url=server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
