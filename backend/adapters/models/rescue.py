"""Road-accident rescue fund (seed 000): the applications, their pages, payments and
history; the police's notices; the green-channel hospitals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.adapters.models.base import Base, EncryptedString, EventColumns, utcnow


class RescueHospital(Base):
    """A green-channel hospital (绿色通道医院) that treats first and receives the advance."""

    __tablename__ = "rescue_hospitals"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    level: Mapped[str | None] = mapped_column(String(20))


class RescueNotice(Base):
    """抢救费用垫付通知书, registered by the traffic police (partner `police`)."""

    __tablename__ = "rescue_notices"
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_no: Mapped[str] = mapped_column(String(40), unique=True)
    police_unit: Mapped[str] = mapped_column(String(100))
    accident_at: Mapped[datetime]
    accident_region: Mapped[str] = mapped_column(String(6))
    situation: Mapped[str] = mapped_column(String(32))
    victim_name: Mapped[str | None] = mapped_column(EncryptedString)
    hospital_id: Mapped[int | None] = mapped_column(ForeignKey("rescue_hospitals.id"))
    registered_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# The domain file's open statuses (backend/domain/rescue.py OPEN_STATUSES; a test keeps them equal).
OPEN_STATUSES = "status IN ('submitted', 'returned', 'approved', 'paid')"


class RescueApplication(Base):
    """垫付申请. Made by a real-named applicant for themself or for the victim, who need
    not be in the insurance registry (or identified at all)."""

    __tablename__ = "rescue_applications"
    __table_args__ = (
        # One open application per notice number, victim (blind index) and kind, held by
        # the database too: the service checks first to name the other application
        # (409 rescue.duplicate), this catches two submits racing (migration 0012).
        Index("uq_rescue_applications_one_open", "police_notice_no", "victim_key", "kind", unique=True,
              sqlite_where=text(OPEN_STATUSES), postgresql_where=text(OPEN_STATUSES)),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    for_whom: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    steps_done: Mapped[list] = mapped_column(JSON, default=list)
    created_by_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    applicant_person_id: Mapped[int] = mapped_column(ForeignKey("insured_persons.id"), index=True)
    # notice
    notice_version: Mapped[str | None] = mapped_column(String(32))
    notice_sha256: Mapped[str | None] = mapped_column(String(64))
    notice_accepted_at: Mapped[datetime | None]
    # accident
    police_notice_no: Mapped[str | None] = mapped_column(String(40), index=True)
    police_unit: Mapped[str | None] = mapped_column(String(100))
    accident_at: Mapped[datetime | None]
    accident_region: Mapped[str | None] = mapped_column(String(6), index=True)
    accident_place: Mapped[str | None] = mapped_column(String(200))
    situation: Mapped[str | None] = mapped_column(String(32))
    # victim
    victim_identified: Mapped[bool | None] = mapped_column(Boolean)
    victim_name: Mapped[str | None] = mapped_column(EncryptedString)
    victim_id_number: Mapped[str | None] = mapped_column(EncryptedString)
    # The victim for the duplicate rule: the ID number's blind index, or `unidentified`.
    victim_key: Mapped[str | None] = mapped_column(String(64), index=True)
    relation: Mapped[str | None] = mapped_column(String(16))
    victim_condition: Mapped[str | None] = mapped_column(String(16))
    # hospital
    hospital_id: Mapped[int | None] = mapped_column(ForeignKey("rescue_hospitals.id"), index=True)
    rescue_started_at: Mapped[datetime | None]
    inpatient_no: Mapped[str | None] = mapped_column(String(40))
    period: Mapped[str | None] = mapped_column(String(16))
    claimed_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # contact
    contact_name: Mapped[str | None] = mapped_column(EncryptedString)
    contact_phone: Mapped[str | None] = mapped_column(EncryptedString)
    # signature: the application and declaration
    application_version: Mapped[str | None] = mapped_column(String(32))
    application_sha256: Mapped[str | None] = mapped_column(String(64))
    signature_key: Mapped[str | None] = mapped_column(String(128))
    signature_sha256: Mapped[str | None] = mapped_column(String(64))
    signed_at: Mapped[datetime | None]
    # review
    application_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    submitted_at: Mapped[datetime | None]
    review_due: Mapped[date | None]
    review_overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    returned_items: Mapped[list | None] = mapped_column(JSON)
    returned_at: Mapped[datetime | None]
    reject_reason: Mapped[str | None] = mapped_column(String(500))
    amount_within_7_days: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    amount_beyond_7_days: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    approved_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    approved_at: Mapped[datetime | None]
    payment_due: Mapped[date | None]
    payment_overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    paid_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    returned_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    final_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    closed_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    applicant = relationship("InsuredPerson", foreign_keys=[applicant_person_id], lazy="joined")
    hospital = relationship("RescueHospital", lazy="joined")
    pages = relationship("RescuePage", back_populates="application", lazy="selectin", order_by="RescuePage.id")
    payments = relationship("RescuePayment", lazy="selectin", order_by="RescuePayment.id")


class RescueEvent(EventColumns, Base):
    __tablename__ = "rescue_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("rescue_applications.id", ondelete="CASCADE"),
                                                index=True)


class RescuePage(Base):
    """One page (a cleaned photo) of one material."""

    __tablename__ = "rescue_pages"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("rescue_applications.id", ondelete="CASCADE"),
                                                index=True)
    material: Mapped[str] = mapped_column(String(40))
    blob_key: Mapped[str] = mapped_column(String(128))
    thumbnail_key: Mapped[str] = mapped_column(String(128))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    uploaded_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    uploaded_by_organisation: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    application = relationship("RescueApplication", back_populates="pages")


class RescuePayment(Base):
    """One tranche paid by the fund to the payee (v1: the hospital)."""

    __tablename__ = "rescue_payments"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("rescue_applications.id", ondelete="CASCADE"),
                                                index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    paid_at: Mapped[datetime]
    payee: Mapped[str] = mapped_column(String(100))
    recorded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
