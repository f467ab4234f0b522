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
