"""Working days (工作日) as the State Council's holiday arrangements make them: public
holidays are off even on a weekday, and an adjusted working weekend (调休上班) is a
working day. Monday to Friday alone is wrong about both (national measures 2021, S1:
deadlines in 工作日).

The calendar itself is data, supplied by `backend/adapters/holidays.py`; this module
only counts. Standard library only.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Callable, Protocol

from backend.domain.errors import Invalid

# 《全国年节及纪念日放假办法》 (国务院令第795号, from 2025-01-01) gives 13 statutory days
# off; a year's arrangement has at least those, New Year's Day among them.
STATUTORY_DAYS_OFF = 13


class Calendar(Protocol):
    def is_workday(self, day: date) -> bool: ...

    def is_provisional(self, day: date) -> bool: ...


def add(start: date, working_days: int, is_workday: Callable[[date], bool]) -> date:
    """The `working_days`-th working day after `start` (`start` itself never counts):
    submitted on Wednesday 2026-09-30 with 3 working days to review, the days are
    10-08, 10-09 and Saturday 10-10 (a working day that year), so 10-10 is due."""
    if working_days < 0:
        raise ValueError("working_days must be >= 0")
    day, left = start, working_days
    while left:
        day += timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def span(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def check_arrangement(year: int, holidays: list, adjusted_workdays: list, source) -> tuple[set[date], set[date]]:
    """A year's arrangement as a State Council notice gives it, checked before it is
    installed: ISO dates of that year; at least the 13 statutory days off, 1 January
    among them; adjusted working days (调休上班) only on a Saturday or Sunday and never
    also a day off; the notice named. → (days off, adjusted working days)."""
    problems: dict[str, list[str]] = {}

    def dates(name: str, values) -> set[date]:
        out = set()
        if not isinstance(values, list):
            problems.setdefault(name, []).append("应为日期列表（YYYY-MM-DD）。")
            return out
        for value in values:
            try:
                day = date.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                day = None
            if day is None or day.year != year:
                problems.setdefault(name, []).append(f"{value!r} 不是 {year} 年的日期（YYYY-MM-DD）。")
            else:
                out.add(day)
        return out

    off, worked = dates("holidays", holidays), dates("adjusted_workdays", adjusted_workdays)
    if not isinstance(source, str) or not source.strip() or len(source) > 500:
        problems.setdefault("source", []).append("请写明放假安排通知的标题和文号（500字以内）。")
    if not problems.get("holidays"):
        if len(off) < STATUTORY_DAYS_OFF:
            problems.setdefault("holidays", []).append(f"放假日只有 {len(off)} 天，少于法定的 {STATUTORY_DAYS_OFF} 天。")
        if date(year, 1, 1) not in off:
            problems.setdefault("holidays", []).append(f"缺少元旦（{year}-01-01）。")
    weekdays = sorted(d for d in worked if d.weekday() < 5)
    if weekdays:
        problems.setdefault("adjusted_workdays", []).append(
            "调休上班日应为周六或周日：" + "、".join(d.isoformat() for d in weekdays) + "。")
    both = sorted(off & worked)
    if both:
        problems.setdefault("adjusted_workdays", []).append(
            "既是放假日又是上班日：" + "、".join(d.isoformat() for d in both) + "。")
    if problems:
        raise Invalid(f"{year}年放假安排有误，未导入：" + "；".join(m for ms in problems.values() for m in ms),
                      code="holidays.arrangement_invalid", errors=problems)
    return off, worked
