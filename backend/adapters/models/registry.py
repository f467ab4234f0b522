from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from backend.adapters.models.base import Base, EncryptedString, keyring, utcnow


class InsuredPerson(Base):
    """A person of the insurance registry (the demo stand-in for the bureau's).

    The ID number, phone and address are encrypted at rest; the ID number is found
    through its blind index (`id_number_is`), kept in step whenever it is set."""

    __tablename__ = "insured_persons"
    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(EncryptedString)
    id_number_index: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    # Read (and decrypted) only when asked for: no answer shows them, and every
    # filing and sign-up loads one or two people.
    phone: Mapped[str | None] = mapped_column(EncryptedString, deferred=True)
    address: Mapped[str | None] = mapped_column(EncryptedString, deferred=True)

    # Read when a rule needs them (filing, binding), not with every person loaded.
    records = relationship("InsuranceRecord", back_populates="person", order_by="InsuranceRecord.id")

    @validates("id_number")
    def _keep_the_index(self, _key, value: str) -> str:
        self.id_number_index = keyring().blind_index(value)
        return value

    @classmethod
    def id_number_is(cls, number: str):
        """The SQL condition "this person's ID number is `number`" (a normalised number,
        as `check_id_number` returns it): `select(InsuredPerson).where(InsuredPerson.id_number_is(n))`."""
        return cls.id_number_index == keyring().blind_index(number)


class InsuranceRecord(Base):
    """参保信息: one scheme in one insured (pooling) region."""

    __tablename__ = "insurance_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("insured_persons.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(16))
    insured_region: Mapped[str] = mapped_column(String(6))
    status: Mapped[str] = mapped_column(String(16), default="active")
    retired: Mapped[bool] = mapped_column(default=False)
    since: Mapped[date | None]

    person = relationship("InsuredPerson", back_populates="records")


class Region(Base):
    """GB/T 2260 codes: provinces and prefecture-level cities."""

    __tablename__ = "regions"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    parent: Mapped[str | None] = mapped_column(String(6), index=True)
    level: Mapped[str] = mapped_column(String(16))


class Document(Base):
    """A versioned text a person reads and accepts (notice, pledge, agreement)."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_documents_name_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
