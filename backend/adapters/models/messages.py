from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.adapters.models.base import Base, EncryptedJSON, EncryptedString, utcnow


class Message(Base):
    """The outbox: one notification to one person (订阅消息), written in the same
    transaction as the act it tells of, then delivered by the delivery pass.

    `ref` names what it is about (`filing:12`, `signup:3:2027-12-01`): with the
    recipient and the template it is unique, so a reminder is written once however
    often the daily job runs. The body and the template's fields name the person's
    filing or contract: personal data, encrypted at rest."""

    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("person_id", "template", "ref", name="uq_messages_once"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("insured_persons.id"), index=True)
    template: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(EncryptedString)
    data: Mapped[dict] = mapped_column(EncryptedJSON)
    page: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    # Delivery: pending → sent, or failed after the last attempt.
    state: Mapped[str] = mapped_column(String(8), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))
    # Accounts (ids) WeChat already accepted it for: a retry never sends twice.
    delivered_to: Mapped[list] = mapped_column(EncryptedJSON, default=list)
