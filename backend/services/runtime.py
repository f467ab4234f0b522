"""What services need from the running app, in one place: the session, settings,
blob storage and the clock. The clock is `backend.adapters.clock` (the one clock of
the app); tests move it through `app.config["CLOCK"]`."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import Session

from backend.adapters import db
from backend.adapters.clock import CHINA, as_beijing, as_utc, beijing_date, now, today
from backend.adapters.storage import BlobMissing, BlobStore, BlobStoreUnavailable

__all__ = ["CHINA", "Actor", "as_beijing", "as_utc", "beijing_date", "blobs", "forget_blob", "now", "read_blob", "session", "setting",
           "today"]


def session() -> Session:
    return db.session()


def setting(name: str):
    return current_app.config[name]


def blobs() -> BlobStore:
    return current_app.extensions["blobs"]


log = logging.getLogger("yibao.blobs")


def read_blob(key: str, what: str, missing) -> bytes:
    """The blob a record names, or `missing()` raised (a DomainError saying what to
    do) when the store does not have it, with a line for the operator: a record
    pointing at nothing means a lost file, a store restored from an older copy, or
    servers not sharing one store (BLOB_STORE). The key is random: no personal data."""
    store = blobs()
    try:
        return store.get(key)
    except BlobMissing:
        log.error("blob missing: %s %s is not in %s (lost, or servers not sharing one BLOB_STORE?)",
                  what, key, store.where)
        raise missing() from None


@dataclass(frozen=True)
class Actor:
    """Who is asking: the account, the registry person it is bound to (if any), and
    the login session its access token belongs to."""

    account_id: int
    person_id: int | None
    session_id: str | None = None


def forget_blob(key: str) -> None:
    """Delete a blob no record points at any more (after the commit that let it go).
    A store that does not answer now is no reason to fail what was done: the blob is
    left for `flask purge`, which deletes stored files no record names."""
    store = blobs()
    try:
        store.delete(key)
    except BlobStoreUnavailable as exc:
        log.warning("blob %s not deleted now (%s): flask purge will", key, exc)
