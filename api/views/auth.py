"""Logging in with a manager API key, and out again."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, Response

from api.deps import StoreDep
from api.views.deps import public_pages
from api.views.session import (
    DEFAULT_LANDING,
    close_session,
    has_manager_session,
    open_session,
    safe_next,
    same_origin,
)
from api.views.templating import error_page, render, see_other

router = public_pages()


@router.get("/")
def home() -> Response:
    return see_other(DEFAULT_LANDING)


@router.get("/ui")
@router.get("/ui/")
def ui_home() -> Response:
    return see_other(DEFAULT_LANDING)


@router.get("/ui/login")
def login_form(request: Request, store: StoreDep, next: str | None = None) -> Response:
    target = safe_next(next)
    if has_manager_session(request, store):
        return see_other(target)
    return render(request, "login.html", {"next": target, "error": None})


@router.post("/ui/login")
def login(
    request: Request,
    store: StoreDep,
    api_key: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = DEFAULT_LANDING,
) -> Response:
    if not same_origin(request):
        return error_page(request, 403, "This form was sent from another site.")
    target = safe_next(next)
    if not store.is_manager_key(api_key.strip()):
        error = "That API key is not valid." if api_key.strip() else "Enter your API key."
        return render(request, "login.html", {"next": target, "error": error}, 401)
    response = see_other(target)
    open_session(request, response, store, api_key.strip())
    return response


@router.post("/ui/logout")
def logout(request: Request) -> Response:
    if not same_origin(request):
        return error_page(request, 403, "This form was sent from another site.")
    response = see_other("/ui/login")
    close_session(response)
    return response
