"""The rescue fund's pure rules: working days on the Chinese holiday calendar, the
dated settings, the approval caps, what a returned item reopens."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from backend.adapters.holidays import CALENDAR
from backend.domain import rescue as rules
from backend.domain import working_days
from backend.domain.errors import Invalid


def due(start, n):
    return working_days.add(start, n, CALENDAR.is_workday)


def test_national_day_2026_is_skipped_and_the_working_saturday_counts():
    assert due(date(2026, 9, 30), 3) == date(2026, 10, 10)     # Oct 1-7 off, Sat Oct 10 works
    assert due(date(2026, 9, 30), 2) == date(2026, 10, 9)
    # Sat Sep 19 off, Sun Sep 20 works (调休): two working days after Friday 18 are Sun 20 and Mon 21.
    assert due(date(2026, 9, 18), 2) == date(2026, 9, 21)


def test_working_days_before_and_after_the_2026_mid_autumn_and_national_day():
    assert CALENDAR.is_workday(date(2026, 9, 20)) is True       # Sunday, adjusted working day
    assert CALENDAR.is_workday(date(2026, 10, 10)) is True      # Saturday, adjusted working day
    assert CALENDAR.is_workday(date(2026, 10, 8)) is True
    assert not any(CALENDAR.is_workday(date(2026, 10, d)) for d in range(1, 8))
    assert CALENDAR.is_provisional(date(2026, 10, 1)) is False


def test_the_2027_spring_festival_is_off_by_the_statutory_rule_and_marked_provisional():
    assert not any(CALENDAR.is_workday(date(2027, 2, d)) for d in range(5, 11))
    assert CALENDAR.is_workday(date(2027, 2, 11)) is True
    assert due(date(2027, 2, 4), 3) == date(2027, 2, 15)
    assert due(date(2027, 2, 4), 2) == date(2027, 2, 12)
    assert CALENDAR.is_provisional(date(2027, 2, 8)) is True
    assert "795" in CALENDAR.source(date(2027, 2, 8))


def test_a_start_day_never_counts_and_zero_days_is_the_start():
    assert due(date(2026, 12, 1), 0) == date(2026, 12, 1)
    assert due(date(2026, 12, 4), 1) == date(2026, 12, 7)       # Friday → Monday


def shanxi(**over):
    base = dict(province="14", effective_from=date(2022, 12, 8), source="晋政办发〔2022〕91号",
                application_window_days=60, covered_rescue_days=7, beyond_7_days_cap=Decimal("300000.00"),
                review_working_days=3, payment_working_days=2, compulsory_medical_limit=Decimal("18000"),
                funeral_standard=Decimal("42000.00"), funeral_standard_is_demo=True)
    base.update(over)
    return rules.Settings(**base)


def test_settings_are_chosen_by_province_and_accident_date():
    national = shanxi(province="00", effective_from=date(2022, 1, 1), application_window_days=None,
                      beyond_7_days_cap=None, source="令第107号")
    table = [national, shanxi()]
    assert rules.settings_for(table, "14", date(2026, 1, 1)).source == "晋政办发〔2022〕91号"
    assert rules.settings_for(table, "14", date(2022, 6, 1)).source == "令第107号"
    assert rules.settings_for(table, "13", date(2026, 1, 1)).source == "令第107号"


def test_the_60_day_window_is_inclusive():
    rules.check_window(date(2026, 10, 2), date(2026, 12, 1), shanxi())
    with pytest.raises(Invalid) as refused:
        rules.check_window(date(2026, 10, 1), date(2026, 12, 1), shanxi())
    assert refused.value.code == "rescue.deadline_passed"


def test_the_beyond_7_days_part_is_capped_and_needs_beyond_care():
    assert rules.check_approval("rescue", "beyond_7_days", Decimal("1"), Decimal("300000"), None, shanxi()) \
        == Decimal("300001")
    with pytest.raises(Invalid):
        rules.check_approval("rescue", "beyond_7_days", Decimal("1"), Decimal("300000.01"), None, shanxi())
    with pytest.raises(Invalid):
        rules.check_approval("rescue", "within_7_days", Decimal("1"), Decimal("1"), None, shanxi())
    with pytest.raises(Invalid):
        rules.check_approval("funeral", None, Decimal("42000.01"), Decimal("0"), None, shanxi())


def test_a_returned_item_reopens_its_step():
    assert rules.item_step("cost_list") == "materials"
    assert rules.item_step("police_notice") == "accident"
    assert rules.item_step("contact_phone") == "contact"
    assert rules.item_step("hospital") == "hospital"
    assert rules.check_return_items([{"item": "cost_list", "reason": "x"}, {"item": "victim_name", "reason": "y"}]) \
        == {"materials", "victim"}


def test_the_application_number():
    assert rules.application_number("140300", date(2026, 12, 1), 7) == "JZ14030020261201000007"


def test_a_payment_time_may_be_the_second_of_the_approval():
    approved = datetime(2026, 12, 3, 1, 0, 0, 500000, tzinfo=timezone.utc)
    rules.check_payment(Decimal("1"), Decimal("0"), Decimal("1"), approved.replace(microsecond=0), approved,
                        approved + timedelta(seconds=1))
