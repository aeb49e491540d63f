"""The service layer: every read and write of the HTTP service, one unit of work each.

Routes call one method here and map its errors; the solve worker process uses the job
methods. Domain work (loading a scenario, checking a roster, calendar revisions) is done by
`roster.*`; this module only persists it.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from api.db import (
    AgentTokenRow,
    ApiKeyRow,
    CalendarEventRow,
    JobHistoryRow,
    JobRow,
    PublicationRow,
    RosterRow,
    ScenarioAgentRow,
    ScenarioRow,
    session_factory,
)
from api.errors import Conflict, NotFound, Unprocessable
from api.settings import Settings
from roster.calendar import ShiftEvent, build_calendar, events_by_week, revise, shift_events
from roster.check import (
    Violation,
    boundary_violations,
    check_roster,
    format_violations,
)
from roster.errors import RosterFileError
from roster.history import History, history_from_roster
from roster.model import Scenario
from roster.result import Roster, score_number
from roster.scenario import SCENARIO_FILES, load_scenario_files

if TYPE_CHECKING:  # a type only: importing the engine would load the solver at start-up
    from roster.engine import Progress

Clock = Callable[[], datetime]

FEED_DAYS_BACK = 14
FEED_DAYS_AHEAD = 91  # 13 weeks: a 12-week roster published a week early shows whole
FEED_CACHE_ENTRIES = 4096
SCENARIO_CACHE_ENTRIES = 32
JOB_QUEUED, JOB_RUNNING = "queued", "running"
JOB_SUCCEEDED, JOB_FAILED, JOB_CANCELLED = "succeeded", "failed", "cancelled"
JOB_STATES = (JOB_QUEUED, JOB_RUNNING, JOB_SUCCEEDED, JOB_FAILED, JOB_CANCELLED)
ACTIVE_JOB_STATES = (JOB_QUEUED, JOB_RUNNING)
RESTARTED_MESSAGE = "server restarted during the solve"
DRAFT, PUBLISHED, SUPERSEDED = "draft", "published", "superseded"
# What a solve job takes as history (see `create_job`).
HISTORY_AUTO, HISTORY_NONE = "auto", "none"
HISTORY_MAX_GAP = timedelta(days=3)  # a previous roster may end this long before the start
HISTORY_MAX_HORIZON = timedelta(weeks=12)  # the longest horizon a roster has


def utc_now() -> datetime:
    return datetime.now(UTC)


def hash_secret(secret: str) -> str:
    """SHA-256 of a random secret: enough for 256-bit keys, and lookups stay indexed."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    """256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class FeedWindow:
    """Whole UTC days from FEED_DAYS_BACK before today to FEED_DAYS_AHEAD after it, inclusive."""

    start: datetime
    end: datetime

    @classmethod
    def around(cls, now: datetime) -> FeedWindow:
        today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        return cls(
            today - timedelta(days=FEED_DAYS_BACK), today + timedelta(days=FEED_DAYS_AHEAD + 1)
        )


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str


@dataclass(frozen=True)
class AgentProfile:
    """What an agent's own link may show: no costs, no contract, no other agents.

    `published` is False while no published roster has the agent: its link then shows the
    id alone (name = id, no zone, languages or tier), since a draft's data is not for it.
    """

    agent_id: str
    name: str
    timezone: str
    languages: tuple[str, ...]
    tier: str
    published: bool = True

    @classmethod
    def unpublished(cls, agent_id: str) -> AgentProfile:
        # UTC only places the weeks of an empty page; the page does not claim it as a zone.
        return cls(agent_id, agent_id, "UTC", (), "", published=False)

    @classmethod
    def of_row(cls, row: ScenarioAgentRow) -> AgentProfile:
        return cls(row.agent_id, row.name, row.timezone, tuple(row.languages.split()), row.tier)

    @property
    def label(self) -> str:
        """'Ana Reyes (a01)', or the id alone while nothing is published."""
        return f"{self.name} ({self.agent_id})" if self.published else self.agent_id


@dataclass(frozen=True)
class RosterInfo:
    row: RosterRow
    state: str
    published_at: datetime | None


@dataclass(frozen=True)
class AgentWeek:
    profile: AgentProfile
    week_start: date
    roster_id: int | None
    events: list[ShiftEvent]


class Store:
    """Persistence for scenarios, jobs, rosters, publications, feeds and secrets."""

    def __init__(self, engine: Engine, settings: Settings, clock: Clock = utc_now):
        self.engine = engine
        self._sessions = session_factory(engine)
        self.settings = settings
        self.clock = clock
        self._scenario_cache: OrderedDict[int, Scenario] = OrderedDict()
        self._feed_cache: OrderedDict[tuple, Feed] = OrderedDict()
        self._lock = threading.Lock()  # guards the caches
        self._publish_lock = threading.Lock()  # one publication at a time per process

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # --- manager keys and agent tokens -------------------------------------------------

    def create_api_key(self) -> str:
        key = new_secret()
        with self.session() as s:
            s.add(ApiKeyRow(key_hash=hash_secret(key), created_at=self.clock()))
        return key

    def is_manager_key(self, key: str | None) -> bool:
        if not key:
            return False
        configured = self.settings.api_key
        if configured and hmac.compare_digest(key.encode(), configured.encode()):
            return True
        with self.session() as s:
            found = s.scalar(select(ApiKeyRow.id).where(ApiKeyRow.key_hash == hash_secret(key)))
        return found is not None

    def issue_agent_token(self, scenario_id: int, agent_id: str) -> str:
        """A new link secret for the agent; the previous one stops working at once.

        Concurrent calls for an agent without a link may both find no row: the one whose
        insert loses gets an IntegrityError and rotates the winner's row instead.
        """
        token = new_secret()
        try:
            self._store_agent_token(scenario_id, agent_id, hash_secret(token))
        except IntegrityError:
            self._store_agent_token(scenario_id, agent_id, hash_secret(token))
        return token

    def _store_agent_token(self, scenario_id: int, agent_id: str, token_hash: str) -> None:
        with self.session() as s:
            self._scenario_row(s, scenario_id)
            if s.get(ScenarioAgentRow, (scenario_id, agent_id)) is None:
                raise NotFound(f"agent '{agent_id}' is not in scenario {scenario_id}")
            # Update first: on SQLite it takes the write lock, so racing requests queue.
            rotated = s.execute(
                update(AgentTokenRow)
                .where(AgentTokenRow.agent_id == agent_id)
                .values(token_hash=token_hash, created_at=self.clock())
            ).rowcount
            if rotated == 0:
                s.add(
                    AgentTokenRow(agent_id=agent_id, token_hash=token_hash, created_at=self.clock())
                )

    def revoke_agent_token(self, agent_id: str) -> None:
        with self.session() as s:
            if (
                s.execute(delete(AgentTokenRow).where(AgentTokenRow.agent_id == agent_id)).rowcount
                == 0
            ):
                raise NotFound(f"agent '{agent_id}' has no link")

    def agent_for_token(self, token: str) -> AgentProfile | None:
        """The agent whose current link secret is `token`, as its link shows it (see
        `_link_profile`), or None (unknown or rotated link, or no scenario has the agent)."""
        with self.session() as s:
            agent_id = s.scalar(
                select(AgentTokenRow.agent_id).where(AgentTokenRow.token_hash == hash_secret(token))
            )
            return None if agent_id is None else self._link_profile(s, agent_id)

    def agent_profile(self, agent_id: str) -> AgentProfile:
        """The agent for managers: as the latest published roster describes it, else as the
        latest uploaded scenario does (managers may see drafts)."""
        with self.session() as s:
            profile = self._published_profile(s, agent_id)
            if profile is None:
                row = s.scalars(
                    select(ScenarioAgentRow)
                    .join(ScenarioRow, ScenarioRow.id == ScenarioAgentRow.scenario_id)
                    .where(ScenarioAgentRow.agent_id == agent_id)
                    .order_by(ScenarioRow.week_start.desc(), ScenarioRow.id.desc())
                    .limit(1)
                ).first()
                profile = None if row is None else AgentProfile.of_row(row)
        if profile is None:
            raise NotFound(f"no scenario has an agent '{agent_id}'")
        return profile

    def _link_profile(self, s: Session, agent_id: str) -> AgentProfile | None:
        """What an agent's link shows of the agent: only published data. The agent as the
        latest published roster that has it describes it; the id alone while none does;
        None (the link opens nothing) once no scenario has the agent."""
        profile = self._published_profile(s, agent_id)
        if profile is not None:
            return profile
        known = s.scalar(
            select(ScenarioAgentRow.agent_id).where(ScenarioAgentRow.agent_id == agent_id).limit(1)
        )
        return None if known is None else AgentProfile.unpublished(agent_id)

    def _published_profile(self, s: Session, agent_id: str) -> AgentProfile | None:
        """The agent as described by the scenario of the roster now current for the latest
        published week whose current roster has the agent; None if none has."""
        current = select(func.max(PublicationRow.id)).group_by(PublicationRow.week_start)
        row = s.scalars(
            select(ScenarioAgentRow)
            .join(RosterRow, RosterRow.scenario_id == ScenarioAgentRow.scenario_id)
            .join(PublicationRow, PublicationRow.roster_id == RosterRow.id)
            .where(PublicationRow.id.in_(current), ScenarioAgentRow.agent_id == agent_id)
            .order_by(PublicationRow.week_start.desc())
            .limit(1)
        ).first()
        return None if row is None else AgentProfile.of_row(row)

    # --- scenarios ---------------------------------------------------------------------

    def create_scenario(self, files: Mapping[str, bytes | str]) -> ScenarioRow:
        """Validate with the engine's loader (ScenarioError on any problem), then store."""
        scenario = load_scenario_files(files, source="the upload")
        # Only the contract's files are kept; other files may ride along in an upload.
        texts = {name: _text(files[name]) for name in SCENARIO_FILES if name in files}
        with self.session() as s:
            row = ScenarioRow(
                name=scenario.name,
                week_start=scenario.week_start,
                planning_timezone=scenario.planning_timezone,
                interval_minutes=scenario.interval_minutes,
                n_agents=len(scenario.agents),
                queues=[q.label for q in scenario.queues],
                files=texts,
                created_at=self.clock(),
            )
            s.add(row)
            s.flush()
            s.add_all(
                ScenarioAgentRow(
                    scenario_id=row.id,
                    agent_id=a.id,
                    name=a.name,
                    timezone=a.timezone,
                    languages=" ".join(a.languages),
                    tier=a.tier,
                )
                for a in scenario.agents
            )
        self._remember_scenario(row.id, scenario)
        return row

    def list_scenarios(self) -> list[ScenarioRow]:
        with self.session() as s:
            return list(s.scalars(select(ScenarioRow).order_by(ScenarioRow.id)))

    def get_scenario(self, scenario_id: int) -> ScenarioRow:
        with self.session() as s:
            return self._scenario_row(s, scenario_id)

    def scenario_agents(self, scenario_id: int) -> tuple[Scenario, set[str]]:
        """The scenario's agents and the ids of those that have a link."""
        scenario = self.scenario(scenario_id)
        with self.session() as s:
            linked = set(s.scalars(select(AgentTokenRow.agent_id)))
        return scenario, linked

    def delete_scenario(self, scenario_id: int) -> None:
        """Delete a scenario with its drafts and finished jobs; never a published roster."""
        with self.session() as s:
            self._scenario_row(s, scenario_id)
            roster_ids = select(RosterRow.id).where(RosterRow.scenario_id == scenario_id)
            if s.scalar(select(PublicationRow.id).where(PublicationRow.roster_id.in_(roster_ids))):
                raise Conflict(
                    f"scenario {scenario_id} has a published roster; published rosters are kept"
                )
            active = s.scalar(
                select(JobRow.id).where(
                    JobRow.scenario_id == scenario_id, JobRow.state.in_(ACTIVE_JOB_STATES)
                )
            )
            if active is not None:
                raise Conflict(
                    f"job {active} is still solving scenario {scenario_id}; cancel it first"
                )
            s.execute(delete(RosterRow).where(RosterRow.scenario_id == scenario_id))
            s.execute(delete(JobRow).where(JobRow.scenario_id == scenario_id))
            s.execute(delete(ScenarioAgentRow).where(ScenarioAgentRow.scenario_id == scenario_id))
            s.execute(delete(ScenarioRow).where(ScenarioRow.id == scenario_id))
        with self._lock:
            self._scenario_cache.pop(scenario_id, None)

    def scenario(self, scenario_id: int) -> Scenario:
        """The domain scenario, loaded once per process (stored scenarios never change)."""
        with self._lock:
            cached = self._scenario_cache.get(scenario_id)
        if cached is not None:
            return cached
        row = self.get_scenario(scenario_id)
        scenario = load_scenario_files(row.files, source=f"scenario {scenario_id}")
        self._remember_scenario(scenario_id, scenario)
        return scenario

    def _remember_scenario(self, scenario_id: int, scenario: Scenario) -> None:
        with self._lock:
            self._scenario_cache[scenario_id] = scenario
            while len(self._scenario_cache) > SCENARIO_CACHE_ENTRIES:
                self._scenario_cache.popitem(last=False)

    def _scenario_row(self, s: Session, scenario_id: int) -> ScenarioRow:
        row = s.get(ScenarioRow, scenario_id)
        if row is None:
            raise NotFound(f"scenario {scenario_id} not found")
        return row

    # --- solve jobs ----------------------------------------------------------------------

    def get_job(self, job_id: int) -> JobRow:
        with self.session() as s:
            job = s.get(JobRow, job_id)
            if job is None:
                raise NotFound(f"job {job_id} not found")
            return job

    def list_jobs(self, scenario_id: int | None = None) -> list[JobRow]:
        query = select(JobRow).order_by(JobRow.id)
        if scenario_id is not None:
            query = query.where(JobRow.scenario_id == scenario_id)
        with self.session() as s:
            return list(s.scalars(query))

    def request_cancel(self, job_id: int) -> JobRow:
        """A queued job is cancelled at once; a running one when its worker next looks."""
        with self.session() as s:
            job = s.get(JobRow, job_id)
            if job is None:
                raise NotFound(f"job {job_id} not found")
            if job.state not in ACTIVE_JOB_STATES:
                raise Conflict(f"job {job_id} has already finished ({job.state})")
            job.cancel_requested = True
            if job.state == JOB_QUEUED:
                job.state = JOB_CANCELLED
                job.finished_at = self.clock()
                job.error = "cancelled before the solve started"
            return job

    def claim_queued_jobs(self, limit: int) -> list[int]:
        """Mark up to `limit` of the oldest queued jobs running; their ids, for the runner.

        Each job is claimed by a conditional update, so a job cancelled meanwhile is skipped.
        """
        if limit <= 0:
            return []
        with self.session() as s:
            candidates = list(
                s.scalars(
                    select(JobRow.id)
                    .where(JobRow.state == JOB_QUEUED)
                    .order_by(JobRow.id)
                    .limit(limit)
                )
            )
        claimed = []
        for job_id in candidates:
            with self.session() as s:
                result = s.execute(
                    update(JobRow)
                    .where(JobRow.id == job_id, JobRow.state == JOB_QUEUED)
                    .values(state=JOB_RUNNING, started_at=self.clock())
                )
                if result.rowcount == 1:
                    claimed.append(job_id)
        return claimed

    def fail_interrupted_jobs(self, message: str = RESTARTED_MESSAGE) -> int:
        """At start-up: jobs a previous server process left queued or running have failed."""
        with self.session() as s:
            result = s.execute(
                update(JobRow)
                .where(JobRow.state.in_(ACTIVE_JOB_STATES))
                .values(state=JOB_FAILED, error=message, finished_at=self.clock())
            )
            return result.rowcount

    def end_running_job(self, job_id: int, state: str, message: str) -> bool:
        """End a job whose worker is gone, unless the worker already recorded an outcome."""
        with self.session() as s:
            result = s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state == JOB_RUNNING)
                .values(state=state, error=message, finished_at=self.clock())
            )
            return result.rowcount == 1

    def record_progress(self, job_id: int, progress: Progress | None, elapsed: float) -> None:
        values: dict[str, Any] = {"elapsed_seconds": elapsed}
        if progress is not None:
            values.update(
                solutions=progress.solutions,
                objective=progress.objective,
                bound=progress.bound,
                gap=progress.gap,
            )
        with self.session() as s:
            s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state == JOB_RUNNING)
                .values(**values)
            )

    def job_should_stop(self, job_id: int) -> bool:
        with self.session() as s:
            row = s.execute(
                select(JobRow.state, JobRow.cancel_requested).where(JobRow.id == job_id)
            ).first()
        return row is None or row.state != JOB_RUNNING or bool(row.cancel_requested)

    def finish_job(
        self, job_id: int, state: str, roster: Roster | None, error: str | None, elapsed: float
    ) -> bool:
        """Record a worker's outcome (and its roster) if the job is still running."""
        with self.session() as s:
            job = s.get(JobRow, job_id)
            if job is None or job.state != JOB_RUNNING:
                return False
            roster_row = None
            if roster is not None:
                scenario_row = self._scenario_row(s, job.scenario_id)
                roster_row = self._add_roster(s, scenario_row, roster, "solve", job_id)
                job.objective = score_number(roster.objective)
                job.bound = score_number(roster.bound)
                job.gap = _gap(roster.objective, roster.bound)
            job.state = state
            job.error = error
            job.elapsed_seconds = elapsed
            job.finished_at = self.clock()
            job.roster_id = roster_row.id if roster_row is not None else None
        return True

    # --- rosters and publishing ----------------------------------------------------------

    def add_uploaded_roster(self, scenario_id: int, document: dict[str, Any]) -> RosterRow:
        """Store a roster.json made elsewhere, if it passes every hard rule of its scenario,
        across the boundary too with the published roster a solve would take as history."""
        scenario = self.scenario(scenario_id)
        roster = Roster.from_json(document, source="roster.json")
        if unknown := sorted({s.agent_id for s in roster.shifts} - set(scenario.agents_by_id)):
            raise Unprocessable(
                f"roster.json names agents not in scenario {scenario_id}: {', '.join(unknown)}"
            )
        _require_finite_numbers(roster)
        previous = self._history_of_roster(self.history_roster_for(scenario), scenario)
        violations = check_roster(scenario, roster, previous.history)
        if violations:
            report = format_violations(violations)
            if previous.roster_id is not None:
                report += f"\n(the previous roster is published roster {previous.roster_id})"
            raise Unprocessable(report)
        with self.session() as s:
            return self._add_roster(s, self._scenario_row(s, scenario_id), roster, "upload", None)

    def _add_roster(
        self, s: Session, scenario_row: ScenarioRow, roster: Roster, source: str, job_id: int | None
    ) -> RosterRow:
        row = RosterRow(
            scenario_id=scenario_row.id,
            week_start=scenario_row.week_start,
            source=source,
            job_id=job_id,
            status=roster.status,
            objective=score_number(roster.objective),
            n_shifts=len(roster.shifts),
            document=roster.to_json(),
            created_at=self.clock(),
        )
        s.add(row)
        s.flush()
        return row

    def list_rosters(self, scenario_id: int | None = None) -> list[RosterInfo]:
        query = select(RosterRow).order_by(RosterRow.id)
        if scenario_id is not None:
            query = query.where(RosterRow.scenario_id == scenario_id)
        with self.session() as s:
            rows = list(s.scalars(query))
            return [self._info(s, row) for row in rows]

    def get_roster(self, roster_id: int) -> RosterInfo:
        with self.session() as s:
            return self._info(s, self._roster_row(s, roster_id))

    def roster_info(self, roster_id: int) -> RosterInfo:
        """As `get_roster`, without reading the roster document (megabytes for a long
        horizon): its `row.document` is not loaded and must not be read."""
        with self.session() as s:
            row = s.scalar(
                select(RosterRow)
                .options(defer(RosterRow.document))
                .where(RosterRow.id == roster_id)
            )
            if row is None:
                raise NotFound(f"roster {roster_id} not found")
            return self._info(s, row)

    def roster_infos(self, scenario_id: int) -> list[RosterInfo]:
        """As `list_rosters` for one scenario, without reading the roster documents."""
        query = (
            select(RosterRow)
            .options(defer(RosterRow.document))
            .where(RosterRow.scenario_id == scenario_id)
            .order_by(RosterRow.id)
        )
        with self.session() as s:
            return [self._info(s, row) for row in s.scalars(query)]

    def roster(self, roster_id: int) -> tuple[Scenario, Roster]:
        """The domain scenario and roster of a stored roster."""
        row = self.get_roster(roster_id).row
        return self.scenario(row.scenario_id), Roster.from_json(row.document, f"roster {roster_id}")

    def publish(self, roster_id: int) -> PublicationRow:
        """Make the roster current for every week of its horizon and revise those weeks'
        calendar events; the publication of its first week is returned.

        Each week is published on its own (one publication row per week), so a roster
        published later for some of these weeks supersedes this one for those weeks only.
        """
        with self._publish_lock, self.session() as s:
            row = self._roster_row(s, roster_id)
            scenario = self.scenario(row.scenario_id)
            now = self.clock()
            current = shift_events(scenario, Roster.from_json(row.document), now)
            publications = [
                self._publish_week(s, row, week_start, events, now)
                for week_start, events in events_by_week(scenario, current).items()
            ]
        with self._lock:
            self._feed_cache.clear()
        return publications[0]

    def _publish_week(
        self,
        s: Session,
        row: RosterRow,
        week_start: date,
        current: list[ShiftEvent],
        now: datetime,
    ) -> PublicationRow:
        stored = {
            (e.agent_id, e.start): e
            for e in s.scalars(
                select(CalendarEventRow).where(CalendarEventRow.week_start == week_start)
            )
        }
        revised = revise([_event(e) for e in stored.values()], current, now)
        for event in revised:
            target = stored.get(event.identity) or s.get(CalendarEventRow, event.identity)
            if target is None:
                target = CalendarEventRow(agent_id=event.agent_id, start=event.start)
                s.add(target)
            _copy_event(event, target, row, week_start)
        publication = PublicationRow(roster_id=row.id, week_start=week_start, published_at=now)
        s.add(publication)
        s.flush()
        return publication

    def boundary_conflicts(
        self, roster_id: int, loaded: tuple[Scenario, Roster] | None = None
    ) -> list[str]:
        """Hard rules broken across the roster's first and last boundary with the rosters
        now current for the week before and the week after it (rest, one start per local
        day, runs of days, successions). Empty when it fits both; publishing does not wait
        for this, since the neighbour may be the next thing the manager republishes.
        `loaded`: the roster's scenario and roster when the caller has them already."""
        scenario, roster = loaded if loaded is not None else self.roster(roster_id)
        return self._conflicts_before(roster_id, scenario, roster) + self._conflicts_after(
            roster_id, scenario, roster
        )

    def _conflicts_before(self, roster_id: int, scenario: Scenario, roster: Roster) -> list[str]:
        before = self._current_roster_of(scenario.week_start - timedelta(days=7))
        if before is None or before == roster_id:
            return []
        _, previous = self.roster(before)
        # A longer roster whose later weeks this one replaces is history up to its start.
        history = history_from_roster(
            scenario, _before(previous, scenario.grid.start), f"roster {before}"
        )
        return _conflicts(before, boundary_violations(scenario, roster, history))

    def _conflicts_after(self, roster_id: int, scenario: Scenario, roster: Roster) -> list[str]:
        after = self._current_roster_of(scenario.week_start + timedelta(days=7 * scenario.weeks))
        if after is None or after == roster_id:
            return []
        next_scenario, following = self.roster(after)
        if next_scenario.grid.start != scenario.grid.end:
            return [
                f"roster {after}, current for the week after, starts before this one ends: "
                "the boundary with it is not checked"
            ]
        history = history_from_roster(next_scenario, roster, f"roster {roster_id}")
        return _conflicts(after, boundary_violations(next_scenario, following, history))

    def _current_roster_of(self, week_start: date) -> int | None:
        found = self.week_containing(week_start)
        if found is None or found[0] != week_start:
            return None
        return found[1][-1].roster_id

    def weeks(self) -> list[tuple[date, list[PublicationRow]]]:
        """Every published week with its publications, latest (the current one) last."""
        with self.session() as s:
            rows = list(s.scalars(select(PublicationRow).order_by(PublicationRow.id)))
        by_week: dict[date, list[PublicationRow]] = {}
        for row in rows:
            by_week.setdefault(row.week_start, []).append(row)
        return sorted(by_week.items())

    def week_containing(self, day: date) -> tuple[date, list[PublicationRow]] | None:
        """The published week that starts on `day`, else the latest-starting published week
        whose seven days hold it; with its publications, latest (the current one) last."""
        first = max(date.min + timedelta(days=6), day) - timedelta(days=6)
        with self.session() as s:
            week_start = s.scalar(
                select(func.max(PublicationRow.week_start)).where(
                    PublicationRow.week_start.between(first, day)
                )
            )
            if week_start is None:
                return None
            rows = list(
                s.scalars(
                    select(PublicationRow)
                    .where(PublicationRow.week_start == week_start)
                    .order_by(PublicationRow.id)
                )
            )
        return week_start, rows

    def _roster_row(self, s: Session, roster_id: int) -> RosterRow:
        row = s.get(RosterRow, roster_id)
        if row is None:
            raise NotFound(f"roster {roster_id} not found")
        return row

    def _info(self, s: Session, row: RosterRow) -> RosterInfo:
        mine = s.execute(
            select(func.max(PublicationRow.published_at)).where(PublicationRow.roster_id == row.id)
        ).scalar()
        if mine is None:
            return RosterInfo(row, DRAFT, None)
        # Published: current for at least one of the weeks it was published for.
        its_weeks = select(PublicationRow.week_start).where(PublicationRow.roster_id == row.id)
        latest = (
            select(func.max(PublicationRow.id))
            .where(PublicationRow.week_start.in_(its_weeks))
            .group_by(PublicationRow.week_start)
        )
        current = set(
            s.scalars(select(PublicationRow.roster_id).where(PublicationRow.id.in_(latest)))
        )
        return RosterInfo(row, PUBLISHED if row.id in current else SUPERSEDED, mine)

    # --- agents' published shifts and calendar feeds -------------------------------------

    def agent_week(self, profile: AgentProfile, day: date) -> AgentWeek:
        """The agent's shifts in the current roster of the published week that starts on
        or holds `day` (see `week_containing`); none, and `day` as the week, if unpublished."""
        found = self.week_containing(day)
        if found is None:
            return AgentWeek(profile, day, None, [])
        week_start, publications = found
        with self.session() as s:
            rows = s.scalars(
                select(CalendarEventRow)
                .where(
                    CalendarEventRow.agent_id == profile.agent_id,
                    CalendarEventRow.week_start == week_start,
                    CalendarEventRow.cancelled.is_(False),
                )
                .order_by(CalendarEventRow.start)
            )
            events = [_event(r) for r in rows]
        return AgentWeek(profile, week_start, publications[-1].roster_id, events)

    def agent_roster_week(self, agent_id: str, roster_id: int) -> AgentWeek:
        """The agent's shifts in any stored roster, draft or published (managers only)."""
        scenario, roster = self.roster(roster_id)
        agent = scenario.agents_by_id.get(agent_id)
        if agent is None:
            raise NotFound(f"agent '{agent_id}' is not in the scenario of roster {roster_id}")
        profile = AgentProfile(agent.id, agent.name, agent.timezone, agent.languages, agent.tier)
        events = [e for e in shift_events(scenario, roster, self.clock()) if e.agent_id == agent_id]
        return AgentWeek(profile, scenario.week_start, roster_id, events)

    def upcoming_events(self, agent_id: str) -> list[ShiftEvent]:
        """The agent's confirmed published shifts inside the feed window."""
        return [e for e in self._window_events(agent_id) if not e.cancelled]

    def published_events_from(self, agent_id: str, since: datetime) -> list[ShiftEvent]:
        """Every confirmed published shift of the agent that ends after `since`, however
        far ahead (a published horizon may run twelve weeks), in start order."""
        query = (
            select(CalendarEventRow)
            .where(
                CalendarEventRow.agent_id == agent_id,
                CalendarEventRow.end > since,
                CalendarEventRow.cancelled.is_(False),
            )
            .order_by(CalendarEventRow.start)
        )
        with self.session() as s:
            return [_event(r) for r in s.scalars(query)]

    def agent_feed_for_token(self, token: str) -> Feed | None:
        """The feed behind an agent's link, or None when the link opens nothing.

        This is the hot path (every subscribed calendar polls it): one indexed query for
        the token and the data generation, then the cached calendar when there is one.
        """
        window = FeedWindow.around(self.clock())
        with self.engine.connect() as connection:
            row = connection.execute(
                select(AgentTokenRow.agent_id, *_generation()).where(
                    AgentTokenRow.token_hash == hash_secret(token)
                )
            ).first()
        if row is None:
            return None
        agent_id, *generation = row
        key = ("agent", agent_id, window.start, *generation)
        with self._lock:
            cached = self._feed_cache.get(key)
        if cached is not None:
            return cached
        with self.session() as s:
            profile = self._link_profile(s, agent_id)
        if profile is None:  # its scenarios were deleted: the link opens nothing
            return None
        return self._cached_feed(key, lambda: self._agent_calendar(profile))

    def team_feed(self) -> Feed:
        window = FeedWindow.around(self.clock())
        with self.engine.connect() as connection:
            generation = connection.execute(select(*_generation())).one()
        return self._cached_feed(
            ("team", window.start, *generation),
            lambda: build_calendar(
                "Team roster",
                self._window_events(None),
                uid_domain=self.settings.uid_domain,
                with_names=True,
                description="Published shifts of every agent",
            ),
        )

    def _agent_calendar(self, profile: AgentProfile) -> bytes:
        return build_calendar(
            f"Shifts – {profile.name}",
            self._window_events(profile.agent_id),
            uid_domain=self.settings.uid_domain,
            description=f"Published shifts of {profile.label}",
        )

    def roster_calendar(self, roster_id: int) -> Feed:
        """A one-off export of one roster, every shift a first revision stamped at its creation."""
        info = self.get_roster(roster_id)
        scenario, roster = self.roster(roster_id)
        body = build_calendar(
            f"Roster {roster_id} – {scenario.name}",
            shift_events(scenario, roster, info.row.created_at),
            uid_domain=self.settings.uid_domain,
            with_names=True,
        )
        return Feed(body, _etag(body))

    def _cached_feed(self, key: tuple, build: Callable[[], bytes]) -> Feed:
        """Feeds change only when data is published or uploaded, or the day changes."""
        with self._lock:
            feed = self._feed_cache.get(key)
            if feed is not None:
                self._feed_cache.move_to_end(key)
                return feed
        body = build()
        feed = Feed(body, _etag(body))
        with self._lock:
            self._feed_cache[key] = feed
            while len(self._feed_cache) > FEED_CACHE_ENTRIES:
                self._feed_cache.popitem(last=False)
        return feed

    def _window_events(self, agent_id: str | None) -> list[ShiftEvent]:
        window = FeedWindow.around(self.clock())
        query = select(CalendarEventRow).where(
            CalendarEventRow.end > window.start, CalendarEventRow.start < window.end
        )
        if agent_id is not None:
            query = query.where(CalendarEventRow.agent_id == agent_id)
        with self.session() as s:
            return [_event(r) for r in s.scalars(query.order_by(CalendarEventRow.start))]

    # --- history for solve jobs: the previous roster -------------------------------------

    def create_job(
        self,
        scenario_id: int,
        time_limit_seconds: float | None,
        seed: int,
        history: str | int = HISTORY_AUTO,
    ) -> JobRow:
        """A queued solve job, and which previous roster its solve takes as history:
        HISTORY_AUTO (the latest published one that ends by the scenario's start),
        HISTORY_NONE, or a roster id. Both rows are written in one transaction, so no
        worker can start the job without its history request."""
        limit = time_limit_seconds or self.settings.solve_time_limit_seconds
        if limit > self.settings.max_solve_time_limit_seconds:
            raise Unprocessable(
                f"time_limit_seconds: at most {self.settings.max_solve_time_limit_seconds:g} "
                f"on this server, got {limit:g}"
            )
        if isinstance(history, int):
            self._require_history_roster(history, self.scenario(scenario_id))
        with self.session() as s:
            self._scenario_row(s, scenario_id)
            job = JobRow(
                scenario_id=scenario_id,
                state=JOB_QUEUED,
                time_limit_seconds=limit,
                seed=seed,
                workers=self.settings.solve_workers,
                cancel_requested=False,
                created_at=self.clock(),
                solutions=0,
                elapsed_seconds=0.0,
            )
            s.add(job)
            s.flush()
            s.add(_history_request_row(job.id, history))
        return job

    def job_histories(self, job_ids: list[int]) -> dict[int, JobHistory]:
        """What each job asked for as history and what its solve used. A job started
        without a history request (the pages' solve form) takes HISTORY_AUTO."""
        if not job_ids:
            return {}
        with self.session() as s:
            rows = {
                r.job_id: r
                for r in s.scalars(select(JobHistoryRow).where(JobHistoryRow.job_id.in_(job_ids)))
            }
        return {job_id: _job_history(rows.get(job_id)) for job_id in job_ids}

    def resolve_job_history(self, job_id: int, scenario: Scenario) -> ResolvedHistory:
        """The history the job's solve uses, recorded on the job (roster id and a note)."""
        requested = self.job_histories([job_id])[job_id].requested
        if requested == HISTORY_NONE:
            resolved = ResolvedHistory(None, None, "no history requested")
        else:
            roster_id = (
                requested if isinstance(requested, int) else self.history_roster_for(scenario)
            )
            resolved = self._history_of_roster(roster_id, scenario)
        with self.session() as s:
            row = s.get(JobHistoryRow, job_id) or _history_request_row(job_id, requested)
            row.roster_id, row.note = resolved.roster_id, resolved.note
            s.add(row)
        return resolved

    def history_roster_for(self, scenario: Scenario) -> int | None:
        """The latest published roster whose horizon ends at the scenario's start or at
        most HISTORY_MAX_GAP before it; among equal ends, the latest published."""
        start = scenario.grid.start
        earliest_week = scenario.week_start - HISTORY_MAX_HORIZON - HISTORY_MAX_GAP
        last_publication = (
            select(PublicationRow.roster_id, func.max(PublicationRow.id).label("last"))
            .group_by(PublicationRow.roster_id)
            .subquery()
        )
        with self.session() as s:
            rows = list(
                s.scalars(
                    select(RosterRow)
                    .join(last_publication, last_publication.c.roster_id == RosterRow.id)
                    .where(RosterRow.week_start.between(earliest_week, scenario.week_start))
                    .order_by(last_publication.c.last)
                )
            )
            published = [r for r in rows if self._info(s, r).state == PUBLISHED]
        best: tuple[datetime, int] | None = None
        for order, row in enumerate(published):
            end = self.scenario(row.scenario_id).grid.end
            if start - HISTORY_MAX_GAP <= end <= start and (best is None or end >= best[0]):
                best = (end, order)
        return published[best[1]].id if best is not None else None

    def _history_of_roster(self, roster_id: int | None, scenario: Scenario) -> ResolvedHistory:
        if roster_id is None:
            gap = HISTORY_MAX_GAP.days
            note = f"no published roster ends at the horizon start or up to {gap} days before"
            return ResolvedHistory(None, None, note)
        try:
            _, previous = self.roster(roster_id)
        except NotFound as exc:
            raise RosterFileError(f"history: roster {roster_id} no longer exists") from exc
        history = history_from_roster(scenario, previous, f"roster {roster_id}")
        return ResolvedHistory(history, roster_id, history.summary_line())

    def _require_history_roster(self, roster_id: int, scenario: Scenario) -> None:
        """A roster asked for as history exists and its horizon ends by the scenario's start."""
        try:
            row = self.get_roster(roster_id).row
        except NotFound as exc:
            raise Unprocessable(f"history: roster {roster_id} not found") from exc
        end = self.scenario(row.scenario_id).grid.end
        if end > scenario.grid.start:
            raise Unprocessable(
                f"history: roster {roster_id} runs until {end.isoformat()}, after this "
                f"scenario's start {scenario.grid.start.isoformat()}; a previous roster must "
                "end by then"
            )


def _generation() -> tuple:
    """Latest publication and scenario ids: any change to what feeds show moves one."""
    return (
        select(func.max(PublicationRow.id)).scalar_subquery(),
        select(func.max(ScenarioRow.id)).scalar_subquery(),
    )


def _event(row: CalendarEventRow) -> ShiftEvent:
    return ShiftEvent(
        agent_id=row.agent_id,
        agent_name=row.agent_name,
        start=row.start,
        end=row.end,
        queue=row.queue,
        languages=tuple(row.languages.split()),
        tier=row.tier,
        timezone=row.timezone,
        stamp=row.stamp,
        sequence=row.sequence,
        cancelled=row.cancelled,
    )


def _copy_event(
    event: ShiftEvent, target: CalendarEventRow, roster_row: RosterRow, week_start: date
) -> None:
    target.end = event.end
    target.week_start = week_start
    target.agent_name = event.agent_name
    target.queue = event.queue
    target.languages = " ".join(event.languages)
    target.tier = event.tier
    target.timezone = event.timezone
    target.sequence = event.sequence
    target.stamp = event.stamp
    target.cancelled = event.cancelled
    target.roster_id = roster_row.id


def _require_finite_numbers(roster: Roster) -> None:
    """JSON readers accept NaN and Infinity; a stored roster must not carry them."""
    for name in ("objective", "bound", "solve_seconds"):
        if not math.isfinite(getattr(roster, name)):
            raise Unprocessable(f"roster.json: {name} must be a finite number")
    for i, row in enumerate(roster.coverage):
        if not math.isfinite(row.required):
            raise Unprocessable(f"roster.json: coverage[{i}].required must be a finite number")


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _gap(objective: float, bound: float) -> float:
    if objective == 0:
        return 0.0
    return max(0.0, (objective - bound) / abs(objective))


def _text(content: bytes | str) -> str:
    # Already validated as UTF-8 by the loader.
    text = content if isinstance(content, str) else content.decode("utf-8-sig")
    return text.removeprefix("\ufeff")


# --- history for solve jobs ---------------------------------------------------------------


@dataclass(frozen=True)
class JobHistory:
    requested: str | int  # HISTORY_AUTO, HISTORY_NONE or a roster id
    roster_id: int | None  # the roster the solve used, once it has started
    note: str | None


@dataclass(frozen=True)
class ResolvedHistory:
    history: History | None
    roster_id: int | None
    note: str


def _history_request_row(job_id: int, history: str | int) -> JobHistoryRow:
    if isinstance(history, int):
        return JobHistoryRow(job_id=job_id, requested="roster", requested_roster_id=history)
    return JobHistoryRow(job_id=job_id, requested=history)


def _job_history(row: JobHistoryRow | None) -> JobHistory:
    if row is None:
        return JobHistory(HISTORY_AUTO, None, None)
    requested = row.requested_roster_id if row.requested == "roster" else row.requested
    return JobHistory(requested, row.roster_id, row.note)


def _before(roster: Roster, instant: datetime) -> Roster:
    """The part of a roster that starts before `instant`."""
    return replace(
        roster,
        shifts=[s for s in roster.shifts if s.start < instant],
        coverage=[row for row in roster.coverage if row.start < instant],
    )


def _conflicts(neighbour: int, violations: list[Violation]) -> list[str]:
    return [f"with roster {neighbour}: [{v.rule}] {v.message}" for v in violations]
