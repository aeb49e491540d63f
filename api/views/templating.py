"""Rendering pages: the Jinja2 environment, its filters, the headers every page carries,
and `PageRoute`, which turns the service's errors into HTML pages instead of JSON."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.errors import ApiError, roster_error_status
from api.views.session import LOGIN_PATH, ForeignOrigin, LoginRequired
from roster.errors import RosterError
from roster.timegrid import local_datetime

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
STATIC_DIR = TEMPLATES_DIR / "static"

# No inline scripts and nothing from other hosts; inline style attributes place the bars.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    # Agent pages carry a secret in their URL: never hand it to another site. (Not
    # "no-referrer": browsers would then send "Origin: null" with the forms' posts.)
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def hours_text(hours: float) -> str:
    """8.0 -> '8', 7.5 -> '7.5', 7.25 -> '7.25'."""
    return f"{round(hours, 2):g}"


def clock(instant: datetime, tz: str | None = None) -> str:
    return f"{(local_datetime(instant, tz) if tz else instant):%H:%M}"


def short_day(day: date | datetime) -> str:
    """'Mon 30 Nov'."""
    return f"{day:%a} {day.day} {day:%b}"


def long_day(day: date | datetime) -> str:
    """'Monday 30 November'."""
    return f"{day:%A} {day.day} {day:%B}"


def horizon_last_day(first_day: date, weeks: int) -> date:
    """The last local date of a horizon of `weeks` weeks starting on `first_day`."""
    return first_day + timedelta(days=7 * weeks - 1)


def and_list(items: list) -> str:
    """[1, 2, 4] -> '1, 2 and 4'."""
    words = [str(item) for item in items]
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def number(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}"


def percent(value: float | None, decimals: int = 1) -> str:
    """A share (0.8) as '80.0 %'; None as an en dash."""
    return "–" if value is None else f"{100 * value:.{decimals}f} %"


def url_segment(value: str) -> str:
    """`value` as one path segment: '/' too is escaped (agent ids may hold one)."""
    return quote(value, safe="")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        hours=hours_text,
        clock=clock,
        short_day=short_day,
        long_day=long_day,
        number=number,
        percent=percent,
        local=local_datetime,
        horizon_last_day=horizon_last_day,
        and_list=and_list,
        url_segment=url_segment,
    )
    return env


ENVIRONMENT = _environment()


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    page = ENVIRONMENT.get_template(template).render(request=request, **context)
    return HTMLResponse(page, status_code=status_code, headers=PAGE_HEADERS)


def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    return render(
        request, "error.html", {"status_code": status_code, "message": message}, status_code
    )


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303, headers={"Cache-Control": "no-store"})


def login_redirect(next_path: str) -> RedirectResponse:
    return see_other(f"{LOGIN_PATH}?{urlencode({'next': next_path})}")


class PageRoute(APIRoute):
    """A route whose errors become pages: the login form, or an error page with the
    service's own message (the same words the JSON API would give)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired as exc:
                return login_redirect(exc.next_path)
            except RequestValidationError as exc:
                return error_page(request, 422, _validation_message(exc))
            except ForeignOrigin:
                return error_page(request, 403, "This form was sent from another site.")
            except ApiError as exc:
                return error_page(request, exc.status_code, exc.detail)
            except RosterError as exc:
                return error_page(request, roster_error_status(exc), str(exc))

        return page_handler


def _validation_message(error: RequestValidationError) -> str:
    problems = []
    for problem in error.errors():
        where = " ".join(str(part) for part in problem.get("loc", ()) if part != "body")
        problems.append(f"{where}: {problem.get('msg', 'invalid value')}")
    return "This address or form holds a value the page cannot use (" + "; ".join(problems) + ")."
