"""Work-injury cross-province filing (seed 001): the demo work-injury registry (人社's,
kept apart from the insurance registry) and the filings, their history, photos and
settlements."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, JSON, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from backend.adapters.models.base import Base, EncryptedString, EventColumns, keyring, utcnow
from backend.adapters.models.filings import FiledColumns, PhotoColumns


class WorkInjuryRecord(Base):
    """One completed recognition (工伤认定, or a recurrence, rehab or device confirmation)
    in the demo stand-in for 人社's work-injury registry. Found by the worker's ID number
    through its blind index, never by a link to the insurance registry: two agencies,
    two registries."""

    __tablename__ = "work_injury_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(EncryptedString)
    id_number_index: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(64))
    basis: Mapped[str] = mapped_column(String(32))
    decision_no: Mapped[str] = mapped_column(String(64))
    decided_on: Mapped[date]
    injury: Mapped[str] = mapped_column(String(200))
    employer: Mapped[str] = mapped_column(String(200))
    insured_region: Mapped[str] = mapped_column(String(6))
    status: Mapped[str] = mapped_column(String(16), default="recognised")

    @validates("id_number")
    def _keep_the_index(self, _key, value: str) -> str:
        self.id_number_index = keyring().blind_index(value)
        return value

    @classmethod
    def id_number_is(cls, number: str):
        return cls.id_number_index == keyring().blind_index(number)


class WiFiling(FiledColumns, Base):
    """工伤异地就医备案. Owned by the injured worker; an agent who filed for them sees it too.
    The injury it rests on is copied from the registry when chosen (what was filed)."""

    __tablename__ = "wi_filings"
    id: Mapped[int] = mapped_column(primary_key=True)
    for_whom: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    steps_done: Mapped[list] = mapped_column(JSON, default=list)
    created_by_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    agent_person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_persons.id"), index=True)
    agent_phone: Mapped[str | None] = mapped_column(EncryptedString)
    relation: Mapped[str | None] = mapped_column(String(16))
    insured_person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_persons.id"), index=True)
    # injury step: the registry record, as it was
    injury_record_id: Mapped[int | None] = mapped_column(ForeignKey("work_injury_records.id"))
    basis: Mapped[str | None] = mapped_column(String(32))
    decision_no: Mapped[str | None] = mapped_column(String(64))
    decided_on: Mapped[date | None]
    injury: Mapped[str | None] = mapped_column(String(200))
    employer: Mapped[str | None] = mapped_column(String(200))
    insured_region: Mapped[str | None] = mapped_column(String(6), index=True)
    # notice step
    notice_version: Mapped[str | None] = mapped_column(String(32))
    notice_sha256: Mapped[str | None] = mapped_column(String(64))
    notice_accepted_at: Mapped[datetime | None]
    # details step
    filing_type: Mapped[str | None] = mapped_column(String(16))
    destination_region: Mapped[str | None] = mapped_column(String(6))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    address: Mapped[str | None] = mapped_column(EncryptedString)
    institution: Mapped[str | None] = mapped_column(String(200))
    referred_by_institution: Mapped[str | None] = mapped_column(String(200))
    referral_no: Mapped[str | None] = mapped_column(String(64))
    services: Mapped[list] = mapped_column(JSON, default=list)
    # contact, pledge, number, validity, certificate, cancellation: FiledColumns
    # the insured place's agency's answer (a referral)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(100))
    reject_reason: Mapped[str | None] = mapped_column(String(500))

    insured_person = relationship("InsuredPerson", foreign_keys=[insured_person_id], lazy="joined")
    agent_person = relationship("InsuredPerson", foreign_keys=[agent_person_id], lazy="joined")
    attachments = relationship("WiAttachment", back_populates="filing", lazy="selectin",
                               order_by="WiAttachment.id")
    settlements = relationship("WiSettlement", back_populates="filing", lazy="selectin",
                               order_by="WiSettlement.id")


class WiFilingEvent(EventColumns, Base):
    __tablename__ = "wi_filing_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    wi_filing_id: Mapped[int] = mapped_column(ForeignKey("wi_filings.id", ondelete="CASCADE"), index=True)


class WiAttachment(PhotoColumns, Base):
    __tablename__ = "wi_filing_attachments"
    wi_filing_id: Mapped[int] = mapped_column(ForeignKey("wi_filings.id", ondelete="CASCADE"), index=True)

    filing = relationship("WiFiling", back_populates="attachments")


class WiSettlement(Base):
    """A work-injury bill settled directly under a filing: the amount of each service."""

    __tablename__ = "wi_settlements"
    id: Mapped[int] = mapped_column(primary_key=True)
    wi_filing_id: Mapped[int] = mapped_column(ForeignKey("wi_filings.id"), index=True)
    inpatient_medical: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    inpatient_rehab: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    assistive_device: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    settled_at: Mapped[datetime]
    institution: Mapped[str] = mapped_column(String(200))
    recorded_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    filing = relationship("WiFiling", back_populates="settlements")
