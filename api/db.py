"""Tables of the service (SQLAlchemy 2) and the engine that reaches them.

SQLite by default, any SQLAlchemy URL otherwise (PostgreSQL needs no code change). The
schema is created on first start. Instants are stored as naive UTC and read back aware
(`UtcDateTime`), since SQLite keeps no offset.

    scenarios ─┬─ scenario_agents        agent data without costs, for links and feeds
               ├─ jobs                   solve jobs and their live progress
               └─ rosters ── publications   every roster kept; a publication makes one
                                            the current roster of its week
    calendar_events   the revision state of every published shift (see roster.calendar)
    api_keys, agent_tokens   hashed secrets
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

SQLITE_BUSY_TIMEOUT_SECONDS = 30
SQLITE_POOL_SIZE = 40  # Starlette's default thread pool for sync routes has 40 threads


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, whatever the database keeps."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class ScenarioRow(Base):
    __tablename__ = "scenarios"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    week_start: Mapped[date] = mapped_column(Date, index=True)
    planning_timezone: Mapped[str] = mapped_column(String(64))
    interval_minutes: Mapped[int] = mapped_column(Integer)
    n_agents: Mapped[int] = mapped_column(Integer)
    queues: Mapped[list[str]] = mapped_column(JSON)
    files: Mapped[dict[str, str]] = mapped_column(JSON)  # file name -> text, as uploaded
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ScenarioAgentRow(Base):
    """What links and feeds may show about an agent: never costs or contracts."""

    __tablename__ = "scenario_agents"

    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), primary_key=True
    )
    agent_id: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    languages: Mapped[str] = mapped_column(String(200))  # space-separated
    tier: Mapped[str] = mapped_column(String(8))


class JobRow(Base):
    __tablename__ = "jobs"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(16), index=True)  # see store.JOB_STATES
    time_limit_seconds: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(Integer)
    workers: Mapped[int] = mapped_column(Integer)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    solutions: Mapped[int] = mapped_column(Integer, default=0)
    objective: Mapped[float | None] = mapped_column(Float, nullable=True)
    bound: Mapped[float | None] = mapped_column(Float, nullable=True)
    gap: Mapped[float | None] = mapped_column(Float, nullable=True)
    elapsed_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    roster_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


class RosterRow(Base):
    __tablename__ = "rosters"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    week_start: Mapped[date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(String(16))  # "solve" or "upload"
    job_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    objective: Mapped[float] = mapped_column(Float)
    n_shifts: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)  # the contract's roster.json
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PublicationRow(Base):
    """Publishing history: the latest publication of a week names its current roster."""

    __tablename__ = "publications"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("rosters.id"), index=True)
    week_start: Mapped[date] = mapped_column(Date, index=True)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CalendarEventRow(Base):
    """One shift identity (agent, start) and its latest revision as feeds show it."""

    __tablename__ = "calendar_events"
    __table_args__ = (Index("ix_calendar_events_window", "start", "end"),)

    agent_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    start: Mapped[datetime] = mapped_column(UtcDateTime, primary_key=True)
    end: Mapped[datetime] = mapped_column(UtcDateTime)
    week_start: Mapped[date] = mapped_column(Date, index=True)
    agent_name: Mapped[str] = mapped_column(String(200))
    queue: Mapped[str | None] = mapped_column(String(32), nullable=True)
    languages: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer)
    stamp: Mapped[datetime] = mapped_column(UtcDateTime)
    cancelled: Mapped[bool] = mapped_column(Boolean)
    roster_id: Mapped[int] = mapped_column(Integer)


class JobHistoryRow(Base):
    """What a solve job asked for as history, and which roster its solve used."""

    __tablename__ = "job_history"

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    requested: Mapped[str] = mapped_column(String(16))  # HISTORY_AUTO, HISTORY_NONE or "roster"
    requested_roster_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    roster_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the one used
    note: Mapped[str | None] = mapped_column(Text, nullable=True)  # what was used, or why none


class ApiKeyRow(Base):
    __tablename__ = "api_keys"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AgentTokenRow(Base):
    """An agent's one valid link secret (hashed). Rotating replaces the hash."""

    __tablename__ = "agent_tokens"

    agent_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


def make_engine(database_url: str) -> Engine:
    """An engine for `database_url`; SQLite gets WAL and a busy timeout for the workers."""
    if not database_url.startswith("sqlite"):
        return create_engine(database_url, pool_pre_ping=True)
    engine = create_engine(
        database_url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        # One pooled connection per request thread: opening a SQLite connection (and its
        # pragmas) per request would cost more than the request itself.
        pool_size=SQLITE_POOL_SIZE,
        max_overflow=SQLITE_POOL_SIZE,
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # WAL lets the API read while a solve worker writes progress; foreign keys for cascades.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_schema(engine: Engine) -> None:
    Base.metadata.create_all(engine)


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)
