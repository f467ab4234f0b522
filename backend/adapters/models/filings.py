from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, JSON, Numeric, String, exists
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from backend.adapters.models.base import Base, EncryptedString, EventColumns, utcnow


class FiledColumns:
    """What every filing keeps from its contact on: the pledge signed by hand, the
    number and validity once submitted, the certificate's token, the cancellation
    (Flow A and the work-injury filing)."""

    contact_name: Mapped[str | None] = mapped_column(EncryptedString)
    contact_phone: Mapped[str | None] = mapped_column(EncryptedString)
    # signature step: the pledge
    pledge_version: Mapped[str | None] = mapped_column(String(32))
    pledge_sha256: Mapped[str | None] = mapped_column(String(64))
    signature_key: Mapped[str | None] = mapped_column(String(128))
    signature_sha256: Mapped[str | None] = mapped_column(String(64))
    signer_person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_persons.id"))
    signed_at: Mapped[datetime | None]
    # once submitted (answered, ended)
    filing_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    submitted_at: Mapped[datetime | None]
    verification_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Filing(FiledColumns, Base):
    """异地就医备案. Owned by the insured person; an agent who filed for them sees it too."""

    __tablename__ = "filings"
    id: Mapped[int] = mapped_column(primary_key=True)
    for_whom: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    steps_done: Mapped[list] = mapped_column(JSON, default=list)
    created_by_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    agent_person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_persons.id"), index=True)
    agent_phone: Mapped[str | None] = mapped_column(EncryptedString)
    relation: Mapped[str | None] = mapped_column(String(16))
    # insured step
    insured_person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_persons.id"), index=True)
    scheme: Mapped[str | None] = mapped_column(String(16))
    insured_region: Mapped[str | None] = mapped_column(String(6))
    # notice step
    notice_version: Mapped[str | None] = mapped_column(String(32))
    notice_sha256: Mapped[str | None] = mapped_column(String(64))
    notice_accepted_at: Mapped[datetime | None]
    # agent_declaration step (proxy path): the agent's 代办承诺, accepted and signed
    agent_declaration_version: Mapped[str | None] = mapped_column(String(32))
    agent_declaration_sha256: Mapped[str | None] = mapped_column(String(64))
    agent_declaration_accepted_at: Mapped[datetime | None]
    agent_declaration_signature_key: Mapped[str | None] = mapped_column(String(128))
    agent_declaration_signature_sha256: Mapped[str | None] = mapped_column(String(64))
    agent_declaration_signed_at: Mapped[datetime | None]
    # details step
    category: Mapped[str | None] = mapped_column(String(16))
    person_type: Mapped[str | None] = mapped_column(String(32))
    scope: Mapped[str | None] = mapped_column(String(16))
    destination_region: Mapped[str | None] = mapped_column(String(6))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    address: Mapped[str | None] = mapped_column(EncryptedString)
    hospital: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(500))

    insured_person = relationship("InsuredPerson", foreign_keys=[insured_person_id], lazy="joined")
    agent_person = relationship("InsuredPerson", foreign_keys=[agent_person_id], lazy="joined")
    attachments = relationship("Attachment", back_populates="filing", lazy="selectin",
                               order_by="Attachment.id")
    # Cancelling reads them; an answer only says whether there is one (`settled`).
    settlements = relationship("Settlement", back_populates="filing", order_by="Settlement.id")


class FilingEvent(EventColumns, Base):
    """One line of a filing's history: which step, when, who acted for whom."""

    __tablename__ = "filing_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)


class PhotoColumns:
    """A cleaned photo of an ID card or household register, stored outside any static
    folder: what every flow's proxy path keeps of one (Flow A, the work-injury filing)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    blob_key: Mapped[str] = mapped_column(String(128))
    thumbnail_key: Mapped[str] = mapped_column(String(128))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    uploaded_by_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attachment(PhotoColumns, Base):
    __tablename__ = "filing_attachments"
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)

    filing = relationship("Filing", back_populates="attachments")


class Settlement(Base):
    """结算: a hospital bill paid by the fund under a filing, reported by a partner."""

    __tablename__ = "settlements"
    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    settled_at: Mapped[datetime]
    institution: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    filing = relationship("Filing", back_populates="settlements")


# Whether a settlement happened under a filing, read with the filing itself: the
# answer shows only this, so a page of filings needs no query per row for it. A
# change to the filing's own row does not change it (settlements are rows of their
# own), so it is not read again after the filing is written.
Filing.settled = column_property(
    exists().where(Settlement.filing_id == Filing.id).correlate_except(Settlement), expire_on_flush=False)
