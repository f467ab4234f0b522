"""What services need from the running app, in one place: the session, settings,
blob storage and the clock. The clock is `backend.adapters.clock` (the one clock of
the app); tests move it through `app.config["CLOCK"]`."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import Session

from backend.adapters import db
from backend.adapters.clock import CHINA, as_beijing, as_utc, beijing_date, now, today
from backend.adapters.storage import BlobStore

__all__ = ["CHINA", "Actor", "as_beijing", "as_utc", "beijing_date", "blobs", "now", "session", "setting",
           "today"]


def session() -> Session:
    return db.session()


def setting(name: str):
    return current_app.config[name]


def blobs() -> BlobStore:
    return current_app.extensions["blobs"]


@dataclass(frozen=True)
class Actor:
    """Who is asking: the account, the registry person it is bound to (if any), and
    the login session its access token belongs to."""

    account_id: int
    person_id: int | None
    session_id: str | None = None
