"""Manager sessions for the pages: an API key typed into a form opens a signed cookie.

The cookie holds when it was issued and the SHA-256 hash of the key (never the key), signed
with HMAC-SHA256. It is Secure, HttpOnly and SameSite=Lax: scripts cannot read it, and
other sites cannot make a browser send it with a form post. Every request checks the
signature, the age and that the key still opens the API.

The signing secret is derived from ROSTER_API_KEY when that is set, so sessions survive a
restart and work across server processes; without it, each process draws a random secret
and a restart asks managers to log in again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from fastapi import Request, Response

from api.settings import Settings
from api.store import Store, hash_secret
from api.views.queries import is_manager_key_hash

COOKIE_NAME = "roster_session"
SESSION_MAX_AGE_SECONDS = 12 * 3600
COOKIE_PATH = "/"
SIGNATURE_CONTEXT = b"roster manager session v1"
LOGIN_PATH = "/ui/login"
DEFAULT_LANDING = "/ui/scenarios"


class LoginRequired(Exception):
    """The page needs a manager session; carries the page to return to after login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class ForeignOrigin(Exception):
    """A state-changing request came from another site's page."""


@dataclass(frozen=True)
class SessionSigner:
    secret: bytes

    @classmethod
    def for_settings(cls, settings: Settings) -> SessionSigner:
        if settings.api_key:
            return cls(hmac.new(settings.api_key.encode(), SIGNATURE_CONTEXT, "sha256").digest())
        return cls(secrets.token_bytes(32))

    def issue(self, key_hash: str, issued_at: datetime) -> str:
        payload = f"{int(issued_at.timestamp())}.{key_hash}"
        return f"{payload}.{self._sign(payload)}"

    def read(self, cookie: str, now: datetime) -> str | None:
        """The key hash inside a genuine cookie that has not expired, else None."""
        issued, _, rest = cookie.partition(".")
        key_hash, _, signature = rest.partition(".")
        payload = f"{issued}.{key_hash}"
        if not issued.isdigit() or not hmac.compare_digest(self._sign(payload), signature):
            return None
        age = now.timestamp() - int(issued)
        return key_hash if 0 <= age <= SESSION_MAX_AGE_SECONDS else None

    def _sign(self, payload: str) -> str:
        digest = hmac.new(self.secret, payload.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signer(request: Request) -> SessionSigner:
    return request.app.state.session_signer


def open_session(request: Request, response: Response, store: Store, key: str) -> None:
    cookie = signer(request).issue(hash_secret(key), store.clock())
    response.set_cookie(
        COOKIE_NAME,
        cookie,
        max_age=SESSION_MAX_AGE_SECONDS,
        path=COOKIE_PATH,
        secure=True,
        httponly=True,
        samesite="lax",
    )


def close_session(response: Response) -> None:
    response.delete_cookie(
        COOKIE_NAME, path=COOKIE_PATH, secure=True, httponly=True, samesite="lax"
    )


def has_manager_session(request: Request, store: Store) -> bool:
    cookie = request.cookies.get(COOKIE_NAME)
    if not cookie:
        return False
    key_hash = signer(request).read(cookie, store.clock())
    return key_hash is not None and is_manager_key_hash(store, key_hash)


def require_manager_session(request: Request) -> None:
    """Dependency of every manager page: a valid session, and no cross-site writes."""
    store: Store = request.app.state.store
    if not has_manager_session(request, store):
        raise LoginRequired(page_path(request))
    if request.method not in ("GET", "HEAD") and not same_origin(request):
        raise ForeignOrigin()


def same_origin(request: Request) -> bool:
    """SameSite=Lax already keeps the cookie off cross-site posts; this checks again."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def page_path(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def safe_next(target: str | None) -> str:
    """Where to go after login: only a page of this site, never another host."""
    if not target or not target.startswith("/ui/") or target.startswith("//"):
        return DEFAULT_LANDING
    if "\\" in target or any(ord(c) < 32 for c in target):
        return DEFAULT_LANDING
    return target
