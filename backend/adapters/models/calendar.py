"""The official holiday arrangement of a year (国务院办公厅关于…年部分节假日安排的通知),
installed by an operator (`flask holidays load`) for a year the `chinese-calendar`
package does not hold yet. In the database so that every server counts the same days."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.adapters.models.base import Base, utcnow


class HolidayYear(Base):
    __tablename__ = "holiday_years"
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    holidays: Mapped[list] = mapped_column(JSON)              # ISO dates off work (weekends of a break included)
    adjusted_workdays: Mapped[list] = mapped_column(JSON)     # weekend days worked (调休上班)
    source: Mapped[str] = mapped_column(String(500))          # the notice's title and number
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
