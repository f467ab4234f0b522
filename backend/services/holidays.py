"""The working-day calendar with the years an operator installed (`flask holidays load`).

`calendar()` is the calendar every due date is counted on: `chinese-calendar` where it
has the year, else an official arrangement loaded into `holiday_years`, else the
packaged provisional entry (backend/adapters/holidays.py). Loading a year replaces its
provisional entry, so `due_dates_provisional` is false for it from then on, and the due
dates still running (a review not yet done, a payment not yet made) are counted again on
the official days, each change a line in the application's history.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Callable
from pathlib import Path

from sqlalchemy import select

from backend.adapters.holidays import ChineseCalendar, package_covers_year, package_version
from backend.adapters.models import HolidayYear
from backend.domain import working_days
from backend.domain.errors import Conflict, Invalid
from backend.services.runtime import now, session

_CACHE = "yibao_holiday_years"


def calendar() -> ChineseCalendar:
    """Read once per session (a request, a command): the table is tiny, and every
    server sees a year the moment it is loaded."""
    s = session()
    if _CACHE not in s.info:
        s.info[_CACHE] = ChineseCalendar({
            row.year: {"holidays": set(map(date.fromisoformat, row.holidays)),
                       "workdays": set(map(date.fromisoformat, row.adjusted_workdays)), "source": row.source}
            for row in s.scalars(select(HolidayYear))})
    return s.info[_CACHE]


def loaded_years() -> list[dict]:
    return [{"year": row.year, "holidays": len(row.holidays), "adjusted_workdays": len(row.adjusted_workdays),
             "source": row.source, "loaded_at": row.loaded_at}
            for row in session().scalars(select(HolidayYear).order_by(HolidayYear.year))]


def load_file(year: int, path: str | Path, *, recount: Callable[[int], list[dict]]) -> dict:
    """`load_year` from a UTF-8 JSON file (the operator's command)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise Invalid(f"无法读取放假安排文件 {path}：{exc.__class__.__name__}。应为 UTF-8 编码的 JSON。",
                      code="holidays.file_unreadable") from None
    if not isinstance(data, dict):
        raise Invalid("放假安排文件应为一个 JSON 对象：source、holidays、adjusted_workdays。",
                      code="holidays.file_unreadable")
    return load_year(year, data, recount=recount)


def load_year(year: int, data: dict, *, recount: Callable[[int], list[dict]]) -> dict:
    """Install `{"source", "holidays", "adjusted_workdays"}` (and `year`, if given, the
    same) as the official arrangement of `year`, replacing any earlier one; then
    `recount(year)` counts again the running due dates that pass through it (the flow
    that owns them: `rescue.recount_due_dates`). One transaction."""
    if data.get("year") not in (None, year):
        raise Conflict(f"文件中的年份为 {data.get('year')}，与要导入的 {year} 年不一致。",
                       code="holidays.year_mismatch")
    if package_covers_year(year):
        raise Conflict(f"{year}年的放假安排已由 chinese-calendar {package_version()} 提供，以其为准；"
                       "如需更正，请升级该软件包。", code="holidays.year_in_package")
    off, worked = working_days.check_arrangement(year, data.get("holidays"), data.get("adjusted_workdays"),
                                                 data.get("source"))
    s = session()
    row = s.get(HolidayYear, year)
    replaced = row is not None
    if row is None:
        row = HolidayYear(year=year)
        s.add(row)
    row.holidays = sorted(d.isoformat() for d in off)
    row.adjusted_workdays = sorted(d.isoformat() for d in worked)
    row.source, row.loaded_at = data["source"].strip(), now()
    s.flush()
    s.info.pop(_CACHE, None)
    recounted = recount(year)
    s.commit()
    return {"year": year, "holidays": len(off), "adjusted_workdays": len(worked), "replaced": replaced,
            "recounted": recounted}
