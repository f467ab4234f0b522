from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, ForeignKey, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from backend.adapters import clock, crypto

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Column defaults read the app's one clock, so a moved clock moves them too."""
    return clock.now()


class UTCDateTime(TypeDecorator):
    """A moment, stored in UTC and read back as an aware UTC datetime on every database.

    The DDL is `DateTime(timezone=True)` as before (TIMESTAMP WITH TIME ZONE on
    PostgreSQL, text on SQLite), so the migrations are unchanged. SQLite's driver
    drops the offset of what it is given and answers naive values, so without this a
    Beijing `07:30+08:00` was stored as `07:30` and read back as 07:30 UTC.

    A naive value is refused on the way in: it does not say which clock it was read
    from, and guessing is how times ended up 8 hours off. Values on the way out that
    are naive (SQLite, rows written before this type) are UTC, as everything stored is.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused: give it a time zone")
        value = value.astimezone(timezone.utc)
        # SQLite keeps text; the same UTC text as the rows already there, without an offset.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        return clock.as_utc(value)


def keyring() -> crypto.Keyring:
    """The keys of the running app (`DATA_KEY`): a column is encrypted with the key of
    the app whose session writes it."""
    from flask import current_app
    return current_app.extensions["crypto"]


class _NoEquality(TypeDecorator.Comparator):
    """An encrypted column cannot be compared in SQL: every value has its own random
    nonce, so `id_number == x` would silently find nothing. Only `IS [NOT] NULL` is
    allowed; equality goes through a blind index (`InsuredPerson.id_number_is`)."""

    def operate(self, op, *other, **kwargs):
        if op in (operators.is_, operators.is_not) or (op in (operators.eq, operators.ne) and other == (None,)):
            return super().operate(op, *other, **kwargs)
        raise TypeError(f"an encrypted column cannot be compared in SQL ({op.__name__}); use its blind index")

    def reverse_operate(self, op, other, **kwargs):
        raise TypeError(f"an encrypted column cannot be compared in SQL ({op.__name__}); use its blind index")


class EncryptedString(TypeDecorator):
    """Text encrypted with AES-256-GCM (`v1:…`, see `backend.adapters.crypto`); read
    back as the plain text. Stored as TEXT: a ciphertext is longer than its value."""

    impl = Text
    cache_ok = True
    comparator_factory = _NoEquality

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return keyring().encrypt(str(value))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return keyring().decrypt(value)


class EncryptedJSON(TypeDecorator):
    """A JSON value (a list of health tags), encrypted as a whole like `EncryptedString`."""

    impl = Text
    cache_ok = True
    comparator_factory = _NoEquality

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return crypto.encrypt_json(keyring(), value)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return crypto.decrypt_json(keyring(), value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}


class EventColumns:
    """One line of a flow's history: which step, when, who acted for whom and in what
    capacity. `actor_account_id` is the account that acted (none for a partner or the
    system); `actor_organisation` names the partner organisation when one acted.
    Filings and sign-ups keep their histories alike, so one presenter reads both."""

    step: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    actor_organisation: Mapped[str | None] = mapped_column(String(100))
    actor_person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_persons.id"))
    on_behalf_of_person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_persons.id"))
    actor_role: Mapped[str] = mapped_column(String(16))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    @declared_attr
    def actor(cls):
        return relationship("InsuredPerson", foreign_keys=[cls.actor_person_id], lazy="joined")

    @declared_attr
    def on_behalf_of(cls):
        return relationship("InsuredPerson", foreign_keys=[cls.on_behalf_of_person_id], lazy="joined")
