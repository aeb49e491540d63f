"""The pages in a real browser: Debian's Chromium driven by Playwright against a real
`python -m api serve` process on a free localhost port with a fresh SQLite file.

A manager logs in, sees an upload refused in place, uploads the small fixture, solves it,
reads the KPI cards, the coverage chart and the week grid, and publishes. Then a DST-week
scenario (a folder upload) is solved and published, the agent's personal link is opened
at phone width, and her Sunday shift after the change to summer time reads 09:00 - 17:00
Paris time and 07:00 - 15:00 UTC. On a server of its own, a three-week roster around the
same DST change is solved, the manager steps from week 1 to week 2 of the grid and reads
the Sunday shift in Paris time, UTC and the agents' zones, and the agent's page lists all
three weeks. Screenshots go to test-artifacts/browser/.

Skipped only when /usr/bin/chromium is missing (`apt-get install -y chromium`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.helpers import MANAGER_KEY
from tests.api.test_server_end_to_end import Server, free_port, server_env
from tests.views.helpers import (
    ARTIFACTS,
    MANAGER_VIEW,
    ROOT,
    write_dst_scenario,
    write_multiweek_scenario,
)

pytestmark = pytest.mark.browser

SMALL = ROOT / "fixtures" / "small"
MULTIWEEK_NOW = "2026-03-17T09:00:00Z"  # Tuesday of week 1 of the three-week scenario
SOLVE_TIMEOUT_MS = 60_000
PHONE_VIEW = {"width": 375, "height": 812}
QUEUES = ["en-L1", "en-L2", "fr-L1"]  # fixtures/small/scenario.toml


@pytest.fixture
def multiweek_server(tmp_path: Path) -> Iterator[Server]:
    """A server of its own: publishing a week there supersedes no other test's roster."""
    url = f"http://127.0.0.1:{free_port()}"
    running = Server(url, server_env(tmp_path, url, "weeks.test", MULTIWEEK_NOW), tmp_path / "log")
    running.start()
    yield running
    running.stop()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def log_in(page) -> None:
    page.goto("/ui/scenarios")
    assert "/ui/login" in page.url  # no session yet
    shot(page, "01-login")
    # By keyboard: the key field has the focus; Enter sends the form.
    page.keyboard.type(MANAGER_KEY)
    page.keyboard.press("Enter")
    page.wait_for_url("**/ui/scenarios")


def solve(page, seconds: int) -> str:
    """Start a solve from the scenario page, wait for its result, open the roster."""
    page.get_by_label("Time limit (seconds)").fill(str(seconds))
    page.get_by_role("button", name="Start solve").click()
    page.wait_for_url(re.compile(r".*/ui/jobs/\d+$"))
    return page.url


def test_manager_uploads_solves_reads_the_chart_and_publishes(manager) -> None:
    page = manager
    log_in(page)

    broken = [p for p in sorted(SMALL.iterdir()) if p.name != "scenario.toml"]
    page.set_input_files("#upload-files", [str(p) for p in broken])
    page.get_by_role("button", name="Upload files").click()
    alert = page.get_by_role("alert")
    assert "scenario.toml" in alert.inner_text()
    shot(page, "02-upload-refused")

    page.set_input_files("#upload-files", [str(p) for p in sorted(SMALL.iterdir())])
    page.get_by_role("button", name="Upload files").click()
    page.wait_for_url(re.compile(r".*/ui/scenarios/\d+\?uploaded=1$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Small helpdesk, week 49 of 2026"
    shot(page, "03-scenario")

    solve(page, seconds=3)
    shot(page, "04-solve-progress")
    open_roster = page.get_by_role("link", name=re.compile(r"^Open roster \d+$"))
    open_roster.wait_for(timeout=SOLVE_TIMEOUT_MS)  # job.js reloads the page when done
    assert page.locator("#job-state .badge").inner_text().lower() == "succeeded"
    shot(page, "05-solve-result")
    open_roster.click()

    cards = page.locator(".cards .card")
    cards.first.wait_for()
    labels = [words(t) for t in page.locator(".cards .card-label").all_text_contents()]
    assert labels == ["Coverage", "Shortage", "Paid hours", "Cost", "Solver"] + QUEUES
    shot(page, "06-roster-kpis")

    page.get_by_role("link", name="Coverage", exact=True).click()
    for queue in QUEUES:
        section = page.locator("section", has=page.locator(f"#queue-{queue}"))
        assert section.locator("svg.coverage-chart path.required").count() == 1
        short_rows = section.locator("table.shortfalls tbody tr").count()
        bands = section.locator("svg .short-band").count()
        assert (short_rows > 0) == (bands > 0), queue
        if not short_rows:
            assert "No shortfall" in section.inner_text()
    shot(page, "07-coverage")

    page.get_by_role("link", name="Week", exact=True).click()
    assert page.locator("tbody tr").count() == 12
    shot(page, "08-week-planning-zone")
    page.get_by_label("UTC").check()
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r".*zone=utc.*language=fr.*"))
    names = page.locator(".agent-name").all_inner_texts()
    assert names == ["Karim Benali", "Mathieu Roux", "Omar Chraibi", "Chloé Girard"]
    shot(page, "09-week-utc-french")

    page.get_by_role("link", name="Overview").click()
    page.get_by_role("button", name=re.compile(r"^Publish roster \d+$")).focus()
    page.keyboard.press("Enter")
    assert "Published: roster" in page.get_by_role("status").first.inner_text()
    assert page.locator(".page-title .badge").inner_text().lower() == "published"
    shot(page, "10-published")


def test_agent_link_shows_a_dst_week_in_local_time_on_a_phone(
    manager, browser, server: Server, tmp_path: Path
) -> None:
    page = manager
    log_in(page)
    folder = write_dst_scenario(tmp_path / "dst-week")
    page.set_input_files("#upload-folder", str(folder))
    page.get_by_role("button", name="Upload folder").click()
    page.wait_for_url(re.compile(r".*/ui/scenarios/\d+\?uploaded=1$"))
    scenario_page = page.url.split("?")[0]

    solve(page, seconds=5)
    page.get_by_role("link", name=re.compile(r"^Open roster \d+$")).click(timeout=SOLVE_TIMEOUT_MS)
    page.get_by_role("button", name=re.compile(r"^Publish roster \d+$")).click()
    page.get_by_role("link", name="Week", exact=True).click()
    page.get_by_label("Each agent's own zone").check()
    page.get_by_role("button", name="Apply").click()
    shot(page, "11-dst-week-own-zones")

    page.goto(scenario_page)
    page.get_by_role("button", name="Make a link for Dana Weekend").click()
    link = page.locator("#agent-page-link").get_attribute("href")
    assert link is not None and link.startswith(f"{server.url}/ui/agent/")
    shot(page, "12-agent-link")

    phone = browser.new_context(viewport=PHONE_VIEW, is_mobile=True, has_touch=True)
    try:
        agent = phone.new_page()
        agent.goto(link)
        sunday = words(agent.locator("li.day", has_text="Sunday 29 March").inner_text())
        saturday = words(agent.locator("li.day", has_text="Saturday 28 March").inner_text())
        # Paris is UTC+1 until 02:00 on Sunday 29 March 2026 and UTC+2 after it.
        assert sunday.startswith("Sunday 29 March 09:00 – 17:00 8 h")
        assert sunday.endswith("UTC Sun 29 Mar 07:00 – 15:00")
        assert saturday.startswith("Saturday 28 March 09:00 – 17:00 8 h")
        assert saturday.endswith("UTC Sat 28 Mar 08:00 – 16:00")
        body = agent.locator("body").inner_text()
        assert "Dana Weekend" in body and "Kai Santos" not in body
        token = link.rsplit("/", 1)[1]
        subscribe = agent.get_by_role("link", name="Subscribe in your calendar app")
        host = server.url.split("://", 1)[1]
        assert subscribe.get_attribute("href") == f"webcal://{host}/calendar/{token}.ics"
        assert agent.locator("#feed-link").input_value() == f"{server.url}/calendar/{token}.ics"
        width = agent.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_VIEW["width"], "the agent page scrolls sideways on a phone"
        shot(agent, "13-agent-page-phone")
    finally:
        phone.close()


def grid_cell(page, agent: str, day: str) -> str:
    """The text of the week grid's cell of `agent` (row) on `day` (column heading)."""
    headings = [words(h) for h in page.locator(".week-grid thead th").all_inner_texts()]
    column = next(i for i, h in enumerate(headings) if h.startswith(day))
    row = page.locator(".week-grid tbody tr", has=page.locator(".agent-name", has_text=agent))
    return words(row.locator("th, td").nth(column).inner_text())


def test_manager_steps_to_week_two_of_a_three_week_roster_and_reads_local_times(
    browser, multiweek_server: Server, tmp_path: Path
) -> None:
    context = browser.new_context(viewport=MANAGER_VIEW, base_url=multiweek_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page)
        folder = write_multiweek_scenario(tmp_path / "three-weeks")
        page.set_input_files("#upload-folder", str(folder))
        page.get_by_role("button", name="Upload folder").click()
        page.wait_for_url(re.compile(r".*/ui/scenarios/\d+\?uploaded=1$"))
        scenario_page = page.url.split("?")[0]
        assert "3 weeks, Monday 16 March 2026 – Sunday 5 April 2026" in page.inner_text("main")

        solve(page, seconds=5)
        open_roster = page.get_by_role("link", name=re.compile(r"^Open roster \d+$"))
        open_roster.click(timeout=SOLVE_TIMEOUT_MS)
        assert "Week 2 Mon 23 Mar – Sun 29 Mar 2026" in words(page.inner_text(".week-totals"))

        # The grid opens on week 1, which holds the server's today; then one week on.
        page.get_by_role("link", name="Week", exact=True).click()
        assert words(page.inner_text(".week-now")) == "Week 1 of 3 Mon 16 Mar – Sun 22 Mar 2026"
        page.get_by_role("link", name="Week 2 →").click()
        page.wait_for_url(re.compile(r".*week=2$"))
        assert words(page.inner_text(".week-now")) == "Week 2 of 3 Mon 23 Mar – Sun 29 Mar 2026"
        # Paris moves to summer time at 02:00 on Sunday 29 March: same wall clock,
        # one hour earlier in UTC.
        assert grid_cell(page, "Wanda Weekend", "Sat 28 Mar") == "09:00–17:00"
        assert grid_cell(page, "Wanda Weekend", "Sun 29 Mar") == "09:00–17:00"
        shot(page, "14-three-weeks-week-2")

        page.get_by_label("UTC").check()
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url(re.compile(r".*zone=utc.*"))
        assert "week=2" in page.url  # the filter form keeps the week
        assert words(page.inner_text(".week-now")).startswith("Week 2 of 3")
        assert grid_cell(page, "Wanda Weekend", "Sat 28 Mar") == "08:00–16:00"
        assert grid_cell(page, "Wanda Weekend", "Sun 29 Mar") == "07:00–15:00"

        page.get_by_label("Each agent's own zone").check()
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url(re.compile(r".*zone=agent.*"))
        assert "week=2" in page.url  # the filter form keeps the week
        assert grid_cell(page, "Mika Santos", "Wed 25 Mar") == "09:00–17:00"  # Manila
        shot(page, "15-three-weeks-week-2-own-zones")

        page.get_by_role("link", name="Coverage", exact=True).click()
        short = page.locator(".week-matrix td.short a")
        assert [words(t) for t in short.all_inner_texts()] == ["0.0 %"]  # week 2 of en-L1
        short.click()
        page.wait_for_url(re.compile(r".*coverage\?week=2#queue-en-L1$"))
        table = words(page.inner_text("table.shortfalls"))
        assert "Tue 24 Mar 10:00 Tue 24 Mar 11:00 1.0" in table
        shot(page, "16-three-weeks-coverage-week-2")

        page.get_by_role("link", name="Overview").click()
        page.get_by_role("button", name=re.compile(r"^Publish roster \d+$")).click()
        assert "all 3 of its weeks" in page.inner_text("main")
        shot(page, "17-three-weeks-overview")
        page.goto(scenario_page)
        page.get_by_role("button", name="Make a link for Wanda Weekend").click()
        link = page.locator("#agent-page-link").get_attribute("href")
        assert link is not None
    finally:
        context.close()

    phone = browser.new_context(viewport=PHONE_VIEW, is_mobile=True, has_touch=True)
    try:
        agent = phone.new_page()
        agent.goto(link)
        sunday = words(agent.locator("li.day", has_text="Sunday 29 March").inner_text())
        assert sunday.startswith("Sunday 29 March 09:00 – 17:00 8 h")
        assert sunday.endswith("UTC Sun 29 Mar 07:00 – 15:00")
        third = words(agent.locator("section.agent-week").nth(2).inner_text())
        assert third.startswith("Week of Monday 30 March Mon 30 Mar – Sun 5 Apr 2 shifts, 16 h")
        assert "Saturday 4 April 09:00 – 17:00 8 h" in third
        width = agent.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_VIEW["width"], "the agent page scrolls sideways on a phone"
        shot(agent, "18-three-weeks-agent-phone")
    finally:
        phone.close()
