"""What the page routes depend on: the manager session, the page caches, the router type."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from api.views.cache import RosterCache
from api.views.session import require_manager_session
from api.views.templating import PageRoute


def get_cache(request: Request) -> RosterCache:
    return request.app.state.roster_cache


CacheDep = Annotated[RosterCache, Depends(get_cache)]


def manager_pages() -> APIRouter:
    """A router of manager pages: each needs a session and answers errors with a page."""
    return APIRouter(
        route_class=PageRoute,
        include_in_schema=False,
        dependencies=[Depends(require_manager_session)],
    )


def public_pages() -> APIRouter:
    return APIRouter(route_class=PageRoute, include_in_schema=False)
