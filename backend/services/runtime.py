"""What services need from the running app, in one place: the session, settings,
blob storage and the clock. Tests swap the clock through `app.config["CLOCK"]`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from flask import current_app
from sqlalchemy.orm import Session

from backend.adapters import db
from backend.adapters.storage import BlobStore

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")  # no daylight saving


def session() -> Session:
    return db.session()


def setting(name: str):
    return current_app.config[name]


def blobs() -> BlobStore:
    return current_app.extensions["blobs"]


def now() -> datetime:
    clock = current_app.config.get("CLOCK")
    return clock() if clock else datetime.now(timezone.utc)


def today() -> date:
    """Dates people see (start dates, validity) are in Beijing time."""
    return now().astimezone(CHINA).date()


def beijing_date(moment: datetime) -> date:
    """The day a person in China would name for this moment."""
    return as_utc(moment).astimezone(CHINA).date()


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Actor:
    """Who is asking: the account and the registry person it is bound to (if any)."""

    account_id: int
    person_id: int | None
