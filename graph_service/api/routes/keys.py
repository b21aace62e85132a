"""API key management (admin only). A new key is shown once, in the response that creates it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from graph_service.api.deps import Admin, KeyRingDep, KeyStoreDep
from graph_service.api.errors import responses
from graph_service.api.schemas import AuthFailures, KeyCreated, KeyInfo, KeyRequest
from graph_service.services.keys import create_key, revoke_key

router = APIRouter(prefix="/keys", tags=["keys"])
KEY_ERRORS = responses(401, 403, 413, 422)


@router.get("/failures", response_model=AuthFailures, responses=KEY_ERRORS)
def failed_authentications(keyring: KeyRingDep, _: Admin) -> AuthFailures:
    """How many requests and sign-ins presented a key that is unknown or revoked, since this server
    process started (per worker process). The keys themselves are never logged or kept."""
    return AuthFailures(failed=keyring.failures, since=keyring.started)


@router.get("", response_model=list[KeyInfo], responses=KEY_ERRORS)
def list_keys(store: KeyStoreDep, _: Admin) -> list[KeyInfo]:
    return [KeyInfo(**r.model_dump(exclude={"hash"})) for r in store.api_keys()]


@router.post("", response_model=KeyCreated, status_code=201, responses=KEY_ERRORS)
def new_key(body: KeyRequest, keyring: KeyRingDep, store: KeyStoreDep, who: Admin) -> KeyCreated:
    """Create a key with a role; the response carries the key, which is not stored and not shown again."""
    key, record = create_key(store, body.role, body.label, actor=who.actor)
    keyring.invalidate()
    return KeyCreated(key=key, **record.model_dump(exclude={"hash"}))


@router.delete("/{key_id}", response_model=KeyInfo, responses=responses(401, 403, 404, 422))
def revoke(
    key_id: Annotated[str, Path(min_length=1, max_length=64)], keyring: KeyRingDep, store: KeyStoreDep, who: Admin
) -> KeyInfo:
    """Revoke a key (idempotent). Requests with it get 401 from then on."""
    record = revoke_key(store, key_id, actor=who.actor)
    keyring.invalidate()
    return KeyInfo(**record.model_dump(exclude={"hash"}))
