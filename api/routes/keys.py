"""Manager keys: a manager may mint another key (shown once, stored hashed)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, status

from api.deps import StoreDep, require_manager
from api.schemas import ApiKeyOut

router = APIRouter(tags=["keys"], dependencies=[Depends(require_manager)])


@router.post("/keys", status_code=status.HTTP_201_CREATED, response_model=ApiKeyOut)
def create_key(store: StoreDep) -> ApiKeyOut:
    return ApiKeyOut(key=store.create_api_key())
