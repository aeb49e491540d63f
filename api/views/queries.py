"""Reads the pages need that the store has no method for. Each is one small query."""

from __future__ import annotations

import hmac

from sqlalchemy import select

from api.db import ApiKeyRow
from api.store import Store, hash_secret


def is_manager_key_hash(store: Store, key_hash: str) -> bool:
    """True when `key_hash` is the hash of a manager key that still opens the API.

    A session cookie carries the hash of the key it was opened with, so a key that stops
    working (a changed ROSTER_API_KEY, a deleted stored key) ends its sessions too.
    """
    configured = store.settings.api_key
    if configured and hmac.compare_digest(hash_secret(configured), key_hash):
        return True
    with store.session() as s:
        found = s.scalar(select(ApiKeyRow.id).where(ApiKeyRow.key_hash == key_hash))
    return found is not None
