from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float
from sqlalchemy.orm import Mapped, mapped_column

from backend.adapters.models.base import Base


class QaClock(Base):
    """Outside production only: how far QA moved the app's clock, one row (id 1) or
    none. In the database so that every worker of the server reads the same time
    (backend/adapters/clock.py reads it at most once a request)."""

    __tablename__ = "qa_clock"
    id: Mapped[int] = mapped_column(primary_key=True)
    offset_seconds: Mapped[float] = mapped_column(Float)
    moved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
