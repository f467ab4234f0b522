"""Who is who (shared/domain.md, "Trust"): the real name vouched for each account,
the login sessions access tokens belong to, and the registry's household data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.adapters.models.base import Base, utcnow


class RealNameRecord(Base):
    """What the real-name provider (WeChat 实名 / 医保电子凭证) vouched about an account.

    No name or number is kept: `person_id` is the registry person the real name
    matched (None when the real name is of someone the insurance registry does not
    hold), `id_digest` an HMAC of the vouched ID number under the app's key, so that a
    body repeating a name and number can be compared with it. One row per account; a
    real name, once vouched, is never replaced by another person's."""

    __tablename__ = "real_names"
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_persons.id"), index=True)
    id_digest: Mapped[str] = mapped_column(String(64))
    provider: Mapped[str] = mapped_column(String(32))
    verified_at: Mapped[datetime] = mapped_column(default=utcnow)

    person = relationship("InsuredPerson", lazy="joined")


class LoginSession(Base):
    """One login: its id is the access token's `sid` and its refresh chain's `family`.
    Logging out, or a refresh token used twice, revokes it, and with it every access
    token issued under it, on their next request."""

    __tablename__ = "login_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_because: Mapped[str | None] = mapped_column(String(16))


class HouseholdRelation(Base):
    """户籍: the registry's household data. `relative` is `person`'s `relation`
    (e.g. 王秀英 is 李明's parent), the same direction as an agent's declared relation."""

    __tablename__ = "household_relations"
    __table_args__ = (UniqueConstraint("person_id", "relative_id", name="uq_household_relations_pair"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("insured_persons.id"), index=True)
    relative_id: Mapped[int] = mapped_column(ForeignKey("insured_persons.id"), index=True)
    relation: Mapped[str] = mapped_column(String(16))
