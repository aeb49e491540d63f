"""Every setting of the HTTP service in one object, read once from the environment.

Nonsense (a negative time limit, a base URL without a scheme, a database URL SQLAlchemy
cannot parse) raises `SettingsError` at start-up instead of surfacing later in a request.

    ROSTER_DATABASE_URL or DATABASE_URL  SQLAlchemy URL (PostgreSQL: postgresql://...)
    ROSTER_DB_PATH                       SQLite file used when no URL is set (./roster.sqlite3)
    ROSTER_API_KEY                       a manager key accepted besides the stored ones
    ROSTER_SOLVE_TIME_LIMIT              default seconds of search per solve job (60)
    ROSTER_MAX_SOLVE_TIME_LIMIT          most seconds a job may ask for (600)
    ROSTER_SOLVE_WORKERS                 CP-SAT search threads per job (2)
    ROSTER_MAX_PARALLEL_SOLVES           solve processes running at once (2)
    ROSTER_MAX_UPLOAD_BYTES              largest request body and unpacked upload (20 MB)
    ROSTER_PUBLIC_BASE_URL               base of links handed out (http://127.0.0.1:8000)
    ROSTER_UID_DOMAIN                    right-hand side of calendar UIDs (roster.local)
    ROSTER_FIXED_NOW                     ISO instant the server takes as "now" (tests, demos)
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from roster.errors import RosterError
from roster.timegrid import parse_instant

DEFAULT_DB_PATH = "roster.sqlite3"
MIN_API_KEY_LENGTH = 20
UID_DOMAIN_FORM = re.compile(r"^[A-Za-z0-9.-]+$")


class SettingsError(RosterError):
    """A setting has a value the service cannot run with; names the variable."""

    exit_code = 2


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{DEFAULT_DB_PATH}"
    api_key: str | None = None
    solve_time_limit_seconds: float = 60.0
    max_solve_time_limit_seconds: float = 600.0
    solve_workers: int = 2
    max_parallel_solves: int = 2
    max_upload_bytes: int = 20_000_000
    public_base_url: str = "http://127.0.0.1:8000"
    uid_domain: str = "roster.local"
    fixed_now: datetime | None = None

    def __post_init__(self) -> None:
        _check_database_url(self.database_url)
        if self.api_key is not None and len(self.api_key) < MIN_API_KEY_LENGTH:
            raise SettingsError(
                f"ROSTER_API_KEY must be at least {MIN_API_KEY_LENGTH} characters; "
                "`roster admin create-key` makes a strong one"
            )
        _check_positive("ROSTER_SOLVE_TIME_LIMIT", self.solve_time_limit_seconds)
        _check_positive("ROSTER_MAX_SOLVE_TIME_LIMIT", self.max_solve_time_limit_seconds)
        if self.solve_time_limit_seconds > self.max_solve_time_limit_seconds:
            raise SettingsError(
                "ROSTER_SOLVE_TIME_LIMIT must not exceed ROSTER_MAX_SOLVE_TIME_LIMIT "
                f"({self.solve_time_limit_seconds:g} > {self.max_solve_time_limit_seconds:g})"
            )
        _check_positive("ROSTER_SOLVE_WORKERS", self.solve_workers)
        _check_positive("ROSTER_MAX_PARALLEL_SOLVES", self.max_parallel_solves)
        _check_positive("ROSTER_MAX_UPLOAD_BYTES", self.max_upload_bytes)
        _check_base_url(self.public_base_url)
        if not UID_DOMAIN_FORM.match(self.uid_domain):
            raise SettingsError(
                f"ROSTER_UID_DOMAIN must be a host name like roster.example.com, "
                f"got '{self.uid_domain}'"
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            database_url=database_url_from_env(env),
            api_key=env.get("ROSTER_API_KEY") or None,
            solve_time_limit_seconds=_number(env, "ROSTER_SOLVE_TIME_LIMIT", 60.0),
            max_solve_time_limit_seconds=_number(env, "ROSTER_MAX_SOLVE_TIME_LIMIT", 600.0),
            solve_workers=_whole(env, "ROSTER_SOLVE_WORKERS", 2),
            max_parallel_solves=_whole(env, "ROSTER_MAX_PARALLEL_SOLVES", 2),
            max_upload_bytes=_whole(env, "ROSTER_MAX_UPLOAD_BYTES", 20_000_000),
            public_base_url=env.get("ROSTER_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            uid_domain=env.get("ROSTER_UID_DOMAIN", "roster.local"),
            fixed_now=_instant(env, "ROSTER_FIXED_NOW"),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def database_url_from_env(env: Mapping[str, str]) -> str:
    for name in ("ROSTER_DATABASE_URL", "DATABASE_URL"):
        if url := env.get(name):
            # Hosting platforms hand out postgres://, which SQLAlchemy 2 no longer accepts.
            url = re.sub(r"^postgres://", "postgresql://", url)
            _check_database_url(url, name)  # checked here, where the variable is known
            return url
    path = Path(env.get("ROSTER_DB_PATH") or DEFAULT_DB_PATH)
    return f"sqlite:///{path}"


def _check_database_url(url: str, name: str = "database_url") -> None:
    try:
        make_url(url)
    except ArgumentError as exc:
        raise SettingsError(
            f"{name}: database URL '{url}' is not a SQLAlchemy URL: {exc}"
        ) from None


def _check_base_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SettingsError(
            f"ROSTER_PUBLIC_BASE_URL must look like https://roster.example.com, got '{url}'"
        )


def _check_positive(name: str, value: float) -> None:
    if not value > 0:
        raise SettingsError(f"{name} must be greater than 0, got {value:g}")


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name)
    if text is None or text == "":
        return default
    try:
        return float(text)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got '{text}'") from None


def _whole(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name)
    if text is None or text == "":
        return default
    try:
        return int(text)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got '{text}'") from None


def _instant(env: Mapping[str, str], name: str) -> datetime | None:
    text = env.get(name)
    if not text:
        return None
    try:
        return parse_instant(text)
    except ValueError:
        raise SettingsError(
            f"{name} must be an ISO 8601 instant with offset like 2026-12-01T09:00:00Z, "
            f"got '{text}'"
        ) from None
