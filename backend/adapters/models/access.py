"""Who looked at whose personal data (PIPL art. 45): every view of an ID photo, a
signature or a full record by someone other than the person it is about, and every
public verification of a filing certificate. Acts done *on* a record are in that
record's history (EventColumns); this table holds the looks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.adapters.models.base import Base, utcnow


class AccessLogEntry(Base):
    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_subject_at", "subject_person_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # who: the account and the person it was bound to (none for a partner or the public)
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    actor_person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_persons.id"))
    actor_role: Mapped[str] = mapped_column(String(16))      # self, agent, insured, partner, public
    actor_organisation: Mapped[str | None] = mapped_column(String(100))
    # whose data
    subject_person_id: Mapped[int] = mapped_column(ForeignKey("insured_persons.id"))
    # what, and in which record
    act: Mapped[str] = mapped_column(String(32))             # viewed_id_photo, viewed_signature, ...
    record_kind: Mapped[str] = mapped_column(String(16))     # filing, signup
    record_id: Mapped[int]
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    actor = relationship("InsuredPerson", foreign_keys=[actor_person_id], lazy="joined")
