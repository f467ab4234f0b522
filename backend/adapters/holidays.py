"""The Chinese working-day calendar: public holidays and adjusted working weekends.

Years the `chinese-calendar` package covers (it follows each State Council notice,
国务院办公厅关于…年部分节假日安排的通知; 1.11.0 covers 2004–2026, 2026 from
国办发明电〔2025〕7号) come from it. Later years come from `backend/data/cn_holidays.json`,
each with its source: as of 2026-12-01 that is 2027, **provisional** (the statutory
holidays of 国务院令第795号 and the law's make-up days; the adjusted working weekends
of the 2027 notice are not known to us). A day in a provisional year, or in a year
nobody covers (then Monday to Friday), says so through `is_provisional`, and the
rescue application shows its due dates as provisional.

An operator installs a year's official arrangement with `flask holidays load YEAR FILE`
(backend/services/holidays.py): it is kept in the database (`holiday_years`, shared by
every server) and handed to `ChineseCalendar(loaded=...)`, where it replaces the
packaged entry of that year and is never provisional.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

import chinese_calendar

DATA = Path(__file__).resolve().parents[1] / "data" / "cn_holidays.json"


@lru_cache(maxsize=1)
def _extra() -> dict[int, dict]:
    years = json.loads(DATA.read_text(encoding="utf-8"))["years"]
    return {int(y): {"holidays": set(map(date.fromisoformat, v["holidays"])),
                     "workdays": set(map(date.fromisoformat, v["adjusted_workdays"])),
                     "provisional": bool(v.get("provisional")), "source": v["source"]}
            for y, v in years.items()}


def _package_covers(day: date) -> bool:
    try:
        chinese_calendar.is_workday(day)
        return True
    except NotImplementedError:
        return False


def package_covers_year(year: int) -> bool:
    """Whether `chinese-calendar` holds this year (it then wins over anything loaded)."""
    return _package_covers(date(year, 6, 1))


def package_version() -> str:
    return chinese_calendar.__version__


class ChineseCalendar:
    """`is_workday(day)` and `is_provisional(day)` for any date. `loaded`: official
    years installed by an operator, `{year: {"holidays", "workdays", "source"}}` (sets of
    dates), which replace the packaged file's entry for that year."""

    def __init__(self, loaded: dict[int, dict] | None = None):
        self._loaded = {y: {**v, "provisional": False} for y, v in (loaded or {}).items()}

    def _year(self, year: int) -> dict | None:
        return self._loaded.get(year) or _extra().get(year)

    def is_workday(self, day: date) -> bool:
        if _package_covers(day):
            return chinese_calendar.is_workday(day)
        year = self._year(day.year)
        if year is not None:
            if day in year["workdays"]:
                return True
            if day in year["holidays"]:
                return False
        return day.weekday() < 5

    def is_provisional(self, day: date) -> bool:
        if _package_covers(day):
            return False
        year = self._year(day.year)
        return year is None or year["provisional"]

    def source(self, day: date) -> str:
        if _package_covers(day):
            return f"chinese-calendar {chinese_calendar.__version__}（国务院办公厅部分节假日安排的通知）"
        year = self._year(day.year)
        return year["source"] if year else "无该年度放假安排数据，按周一至周五计"


CALENDAR = ChineseCalendar()
