"""Family-doctor sign-up (家庭医生签约): the catalogue of institutions, teams and
packages, and the contracts residents sign with a team."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Index, Integer, JSON, Numeric, String, Table, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.adapters.models.base import Base, EncryptedJSON, EventColumns, utcnow


class Institution(Base):
    """A township health centre (乡镇卫生院) or community health service centre
    (社区卫生服务中心) whose teams sign residents."""

    __tablename__ = "fd_institutions"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(6), index=True)   # the city, GB/T 2260
    district: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))

    # Loaded when asked for (the catalogue's queries say so): a sign-up, which joins
    # its team and institution, never needs every team and package with it.
    teams = relationship("Team", back_populates="institution", order_by="Team.id")
    packages = relationship("ServicePackage", back_populates="institution", order_by="ServicePackage.id")


class Team(Base):
    """家庭医生团队. `signed` counts the places taken; it only moves through a
    conditional update, so it never passes `capacity`."""

    __tablename__ = "fd_teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("fd_institutions.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    intro: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int]
    signed: Mapped[int] = mapped_column(default=0)

    institution = relationship("Institution", back_populates="teams", lazy="joined")
    members = relationship("TeamMember", back_populates="team", order_by="TeamMember.id")


class TeamMember(Base):
    __tablename__ = "fd_team_members"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("fd_teams.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(String(64))          # 职称
    organisation: Mapped[str | None] = mapped_column(String(100))  # a specialist's higher-level hospital

    team = relationship("Team", back_populates="members")


class ServicePackage(Base):
    """服务包, offered by every team of its institution."""

    __tablename__ = "fd_packages"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("fd_institutions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))  # yuan a year, paid by the resident
    includes: Mapped[list] = mapped_column(JSON, default=list)
    outpatient_ratio_percent: Mapped[int | None]
    outpatient_annual_limit: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(String(500))

    institution = relationship("Institution", back_populates="packages")


signup_packages = Table(
    "fd_signup_packages", Base.metadata,
    Column("signup_id", Integer, ForeignKey("fd_signups.id", ondelete="CASCADE"), primary_key=True),
    Column("package_id", Integer, ForeignKey("fd_packages.id"), primary_key=True),
)

OPEN_STATUSES = "status IN ('pending', 'active')"


class Signup(Base):
    """签约: a contract between a resident and a team, made by the resident or by
    an account holder for a family member."""

    __tablename__ = "fd_signups"
    __table_args__ = (
        # One pending or active contract per person, held by the database too: the
        # service checks first to give a helpful message, this catches a race.
        Index("uq_fd_signups_one_open", "resident_person_id", unique=True,
              sqlite_where=text(OPEN_STATUSES), postgresql_where=text(OPEN_STATUSES)),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    for_whom: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    steps_done: Mapped[list] = mapped_column(JSON, default=list)
    created_by_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    agent_person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_persons.id"))
    family_member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id"))
    resident_person_id: Mapped[int] = mapped_column(ForeignKey("insured_persons.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("fd_teams.id"), index=True)
    # Health (pregnant, hypertension, …) is encrypted at rest, and so are the key
    # groups derived from it.
    health_tags: Mapped[list] = mapped_column(EncryptedJSON, default=list)
    key_groups: Mapped[list] = mapped_column(EncryptedJSON, default=list)
    health_consent_version: Mapped[str | None] = mapped_column(String(32))
    health_consent_sha256: Mapped[str | None] = mapped_column(String(64))
    health_consent_at: Mapped[datetime | None]
    agreement_version: Mapped[str | None] = mapped_column(String(32))
    agreement_sha256: Mapped[str | None] = mapped_column(String(64))
    agreement_accepted_at: Mapped[datetime | None]
    signature_key: Mapped[str | None] = mapped_column(String(128))
    signature_sha256: Mapped[str | None] = mapped_column(String(64))
    signer_person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_persons.id"))
    signed_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    reject_reason: Mapped[str | None] = mapped_column(String(500))
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    renewals: Mapped[int] = mapped_column(default=0)
    renewed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(32))
    cancel_note: Mapped[str | None] = mapped_column(String(500))
    expired_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    resident = relationship("InsuredPerson", foreign_keys=[resident_person_id], lazy="joined")
    agent_person = relationship("InsuredPerson", foreign_keys=[agent_person_id], lazy="joined")
    family_member = relationship("FamilyMember", lazy="joined")
    team = relationship("Team", lazy="joined")
    packages = relationship("ServicePackage", secondary=signup_packages, lazy="selectin",
                            order_by="ServicePackage.id")


class SignupEvent(EventColumns, Base):
    """One line of a sign-up's history: which step, when, who acted for whom."""

    __tablename__ = "fd_signup_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    signup_id: Mapped[int] = mapped_column(ForeignKey("fd_signups.id", ondelete="CASCADE"), index=True)
