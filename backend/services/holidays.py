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
from pathlib import Path

from sqlalchemy import select

from backend.adapters.holidays import ChineseCalendar, package_covers_year, package_version
from backend.adapters.models import HolidayYear, RescueApplication
from backend.domain import working_days
from backend.domain.errors import Conflict, Invalid
from backend.services.runtime import beijing_date, now, session, today

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


def load_file(year: int, path: str | Path) -> dict:
    """`load_year` from a UTF-8 JSON file (the operator's command)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise Invalid(f"无法读取放假安排文件 {path}：{exc.__class__.__name__}。应为 UTF-8 编码的 JSON。",
                      code="holidays.file_unreadable") from None
    if not isinstance(data, dict):
        raise Invalid("放假安排文件应为一个 JSON 对象：source、holidays、adjusted_workdays。",
                      code="holidays.file_unreadable")
    return load_year(year, data)


def load_year(year: int, data: dict) -> dict:
    """Install `{"source", "holidays", "adjusted_workdays"}` (and `year`, if given, the
    same) as the official arrangement of `year`, replacing any earlier one; then count
    again the running due dates that pass through it. One transaction."""
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
    recounted = _recount(year)
    s.commit()
    return {"year": year, "holidays": len(off), "adjusted_workdays": len(worked), "replaced": replaced,
            "recounted": recounted}


def _recount(year: int) -> list[dict]:
    """Due dates still running whose count passed through `year`: counted again on the
    official days. The status never changes; an overdue flag goes if the new date is
    not past yet."""
    from backend.services import rescue   # rescue counts on calendar(): imported here, not at the top

    cal = calendar()
    changed = []
    for status, start_field, due_field, flag, days in (
            ("submitted", "submitted_at", "review_due", "review_overdue", "review_working_days"),
            ("approved", "approved_at", "payment_due", "payment_overdue", "payment_working_days")):
        rows = session().scalars(select(RescueApplication).where(
            RescueApplication.status == status, getattr(RescueApplication, due_field).is_not(None)))
        for app in rows:
            start, old = beijing_date(getattr(app, start_field)), getattr(app, due_field)
            if not start.year <= year <= old.year:
                continue   # counted wholly outside the year: no day of it moves
            new = working_days.add(start, getattr(rescue.settings_of(app), days), cal.is_workday)
            if new == old:
                continue
            setattr(app, due_field, new)
            if getattr(app, flag) and new >= today():
                setattr(app, flag, False)
            rescue.record_event(app, None, "due_recounted", role="system", due=due_field, before=old.isoformat(),
                                after=new.isoformat())
            changed.append({"application_id": app.id, "application_no": app.application_no, "due": due_field,
                            "before": old, "after": new})
    return changed
