"""Errors of the HTTP layer and the one place that turns every error into a response.

    ApiError              an HTTP status and a sentence for the client
    ├── BadRequest        400  the request cannot be read (a broken zip, a bad file name)
    ├── Unauthorized      401  missing or wrong manager key
    ├── NotFound          404  unknown id, or an agent token that opens nothing
    ├── Conflict          409  the request clashes with stored state
    ├── PayloadTooLarge   413  the body or the unpacked upload exceeds the limit
    └── Unprocessable     422  well-formed but invalid content

roster.errors.RosterError subclasses map to 422 (bad scenario or roster content) or 409
(a solve that cannot produce a roster). Anything else is a bug: 500 with no details.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from roster.errors import (
    InfeasibleError,
    RosterError,
    RosterFileError,
    ScenarioError,
    SolveError,
)

log = logging.getLogger("roster.api")


class ApiError(Exception):
    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class BadRequest(ApiError):
    status_code = 400


class Unauthorized(ApiError):
    status_code = 401


class NotFound(ApiError):
    status_code = 404


class Conflict(ApiError):
    status_code = 409


class PayloadTooLarge(ApiError):
    status_code = 413


class Unprocessable(ApiError):
    status_code = 422


def roster_error_status(error: RosterError) -> int:
    if isinstance(error, ScenarioError | RosterFileError):
        return 422
    if isinstance(error, InfeasibleError | SolveError):
        return 409
    return 422


def error_body(detail: str, **extra: object) -> dict[str, object]:
    return {"detail": detail, **extra}


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RosterError, _roster_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


async def _api_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthorized) else None
    return JSONResponse(error_body(error.detail), error.status_code, headers=headers)


async def _roster_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RosterError)
    extra: dict[str, object] = {"error": type(error).__name__}
    if isinstance(error, ScenarioError):
        extra.update(file=error.file, row=error.row, column=error.column, key=error.key)
    return JSONResponse(error_body(str(error), **extra), roster_error_status(error))


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = [_describe_problem(p) for p in error.errors()]
    # A body that is not JSON at all is unreadable (400), like a broken upload.
    status = 400 if any(p.get("type") == "json_invalid" for p in error.errors()) else 422
    return JSONResponse(error_body("; ".join(problems), problems=problems), status)


def _describe_problem(problem: dict) -> str:
    where = ".".join(str(part) for part in problem.get("loc", ()) if part != "body")
    message = problem.get("msg", "invalid value")
    if problem.get("type") == "json_invalid":
        return f"request body is not valid JSON ({problem.get('ctx', {}).get('error', message)})"
    return f"{where}: {message}" if where else message


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    return JSONResponse(error_body(str(error.detail)), error.status_code, headers=error.headers)


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse(error_body("internal error; the server log has the details"), 500)
