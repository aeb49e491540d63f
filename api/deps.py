"""What routes depend on: the store, the manager check, the agent behind a link token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import NotFound, Unauthorized
from api.store import AgentProfile, Store

NOT_FOUND_FOR_TOKENS = "not found"  # the same words for unknown, rotated and revoked links
MAX_ID = 2**63 - 1  # the largest id an integer column holds; beyond it, 422 not a crash

ResourceId = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="manager key",
    description="A manager API key: ROSTER_API_KEY or one made by `roster admin create-key`.",
)


def get_store(request: Request) -> Store:
    return request.app.state.store


StoreDep = Annotated[Store, Depends(get_store)]


def require_manager(
    store: StoreDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> None:
    if credentials is None:
        raise Unauthorized("this needs a manager API key: send 'Authorization: Bearer <key>'")
    if not store.is_manager_key(credentials.credentials):
        raise Unauthorized("the API key is not valid")


def base_url(store: StoreDep) -> str:
    return store.settings.public_base_url


BaseUrl = Annotated[str, Depends(base_url)]


def agent_for_link(token: str, store: StoreDep) -> AgentProfile:
    profile = store.agent_for_token(token)
    if profile is None:
        raise NotFound(NOT_FOUND_FOR_TOKENS)
    return profile


LinkedAgent = Annotated[AgentProfile, Depends(agent_for_link)]
