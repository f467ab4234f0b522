from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.adapters.models.base import Base, EncryptedString, utcnow


class Account(Base):
    """A WeChat account (openid), bound to a person of the registry by 授权登录."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    openid: Mapped[str] = mapped_column(String(128), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_persons.id"), index=True)
    phone: Mapped[str | None] = mapped_column(EncryptedString)
    consent_version: Mapped[str | None] = mapped_column(String(32))
    consent_sha256: Mapped[str | None] = mapped_column(String(64))
    consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the account was erased (DELETE /me): only the id stays, so the records
    # the insurance agency must keep still point at a row. It never logs in again.
    erased_at: Mapped[datetime | None]

    person = relationship("InsuredPerson", lazy="joined")


class RefreshToken(Base):
    """Stored as a hash only; `family` ties a rotation chain together so that reuse
    of an already-rotated token can revoke every token descended from the login."""

    __tablename__ = "refresh_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class FamilyMember(Base):
    """亲情账户: a person this account may act for, with the relation of that person
    to the agent. Withdrawn by either side; a withdrawn grant is kept for the record."""

    __tablename__ = "family_members"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    agent_person_id: Mapped[int] = mapped_column(ForeignKey("insured_persons.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("insured_persons.id"), index=True)
    relation: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by: Mapped[str | None] = mapped_column(String(16))

    person = relationship("InsuredPerson", foreign_keys=[person_id], lazy="joined")
    agent_person = relationship("InsuredPerson", foreign_keys=[agent_person_id], lazy="joined")


class IdempotencyRecord(Base):
    """An `Idempotency-Key` seen with a submit: the same key again answers with the
    row as it is now. Only what replay needs is kept (no copy of the answer, which
    held personal data), and records older than 24 hours are purged daily."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("account_id", "scope", "key", name="uq_idempotency_records_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    scope: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(128))
    status: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
