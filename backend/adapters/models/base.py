from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, ForeignKey, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: DateTime(timezone=True)}


class EventColumns:
    """One line of a flow's history: which step, when, who acted for whom. Filings
    and sign-ups keep their histories alike, so one presenter reads both."""

    step: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(default=utcnow)
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
