"""The filing rules on their own: no Flask, no database."""

from datetime import date

import pytest

from backend.domain import filing as rules
from backend.domain.errors import Conflict, Invalid
from backend.domain.identity import age_on, mask_id_number, mask_name


def details(**overrides):
    base = dict(category="temporary", person_type="other_temporary", destination_region="110100",
                start_date=date(2026, 12, 1), end_date=date(2027, 6, 1), address=None, hospital=None,
                reason=None, contact_name="李明", contact_phone="13834560318")
    base.update(overrides)
    return rules.Details(**base)


def check(d, scheme="employee", region="140100"):
    return rules.check_details(d, scheme=scheme, insured_region=region, today=date(2026, 11, 24),
                               destination_is_city=True)


def test_id_numbers_are_masked_to_first_three_and_last_four_digits():
    assert mask_id_number("140121195203180429") == "140***********0429"


def test_names_are_masked_but_stay_recognisable():
    assert mask_name("王秀英") == "王*英"
    assert mask_name("李明") == "李*"


def test_age_comes_from_the_birth_date_in_the_id_number():
    assert age_on("430121202309020572", date(2026, 11, 24)) == 3
    assert age_on("140121195203180429", date(2026, 3, 17)) == 73
    assert age_on("140121195203180429", date(2026, 3, 18)) == 74


def test_a_person_type_must_belong_to_the_chosen_category():
    with pytest.raises(Invalid) as err:
        check(details(category="long_term", person_type="referral", address="海口"))
    assert "person_type" in err.value.errors


def test_a_temporary_filing_must_run_at_least_six_months():
    with pytest.raises(Invalid) as err:
        check(details(end_date=date(2027, 5, 31)))
    assert "2027-06-01" in err.value.errors["end_date"][0]
    check(details(end_date=date(2027, 6, 1)))


def test_a_temporary_filing_needs_an_end_date():
    with pytest.raises(Invalid) as err:
        check(details(end_date=None))
    assert "end_date" in err.value.errors


def test_a_long_term_filing_needs_an_address_at_the_destination():
    with pytest.raises(Invalid) as err:
        check(details(category="long_term", person_type="stationed_worker", end_date=None, address=" "))
    assert "address" in err.value.errors


def test_the_destination_must_lie_outside_the_insured_region():
    with pytest.raises(Invalid) as err:
        check(details(destination_region="140100"))
    assert "destination_region" in err.value.errors


def test_a_shanxi_resident_needs_no_filing_within_the_province():
    with pytest.raises(Invalid) as err:
        check(details(destination_region="140200"), scheme="resident")
    assert err.value.code == "filing.not_required"


def test_a_shanxi_employee_living_long_term_elsewhere_in_the_province_may_file():
    advice = check(details(category="long_term", person_type="long_term_resident", end_date=None,
                           destination_region="140200", address="大同市平城区"))
    assert advice.scope == "in_province" and advice.filing_required


def test_temporary_validity_is_stretched_to_six_months_and_long_term_is_open_ended():
    assert rules.validity("temporary", date(2026, 12, 1), date(2027, 6, 1)) == (date(2026, 12, 1), date(2027, 6, 1))
    assert rules.validity("long_term", date(2026, 12, 1), None) == (date(2026, 12, 1), None)


def test_six_months_after_the_end_of_august_is_the_end_of_february():
    assert rules.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_a_second_long_term_filing_is_refused_with_the_number_of_the_first():
    with pytest.raises(Conflict) as err:
        rules.check_one_long_term_in_force("YD140100202611240000001", "海口市")
    assert "YD140100202611240000001" in err.value.message and "取消" in err.value.message
    assert "海口市" in err.value.message
    rules.check_one_long_term_in_force(None)


def test_only_a_retired_employee_files_as_retired_and_resettled():
    assert rules.person_type_refusal("retired_resettled", scheme="employee", retired=True) is None
    assert "不是职工医保退休人员" in rules.person_type_refusal("retired_resettled", scheme="employee", retired=False)
    assert rules.person_type_refusal("retired_resettled", scheme="resident", retired=True) is not None
    assert rules.person_type_refusal("stationed_worker", scheme="employee", retired=False) is None


def test_a_settlement_falls_inside_the_validity_in_beijing_days_and_not_in_the_future():
    from datetime import datetime, timedelta, timezone
    beijing = timezone(timedelta(hours=8))
    now = datetime(2026, 12, 2, 9, 0, tzinfo=beijing)
    # 07:30 in Beijing on 2 December is 23:30 UTC on 1 December: still the 2nd for a person.
    rules.check_settlement_date(datetime(2026, 12, 1, 23, 30, tzinfo=timezone.utc), now=now,
                                valid_from=date(2026, 12, 2), valid_to=None)
    with pytest.raises(Invalid) as err:
        rules.check_settlement_date(datetime(2026, 12, 1, 23, 30, tzinfo=beijing), now=now,
                                    valid_from=date(2026, 12, 2), valid_to=None)
    assert err.value.code == "settlement.outside_validity"
    with pytest.raises(Invalid) as err:
        rules.check_settlement_date(datetime(2026, 12, 2, 10, 0, tzinfo=beijing), now=now,
                                    valid_from=date(2026, 12, 1), valid_to=None)
    assert err.value.code == "settlement.in_future"
    with pytest.raises(Invalid) as err:
        rules.check_settlement_date(datetime(2026, 12, 2, 8, 0, tzinfo=beijing), now=now,
                                    valid_from=date(2026, 6, 1), valid_to=date(2026, 12, 1))
    assert err.value.code == "settlement.outside_validity"


def test_a_filing_with_a_settlement_at_the_filing_place_cannot_be_cancelled_online():
    with pytest.raises(Conflict) as err:
        rules.check_cancellable(category="temporary", valid_from=date(2026, 12, 1), today=date(2026, 12, 30),
                                settlement=("海南省人民医院", "2026-12-20"))
    assert "海南省人民医院" in err.value.message and err.value.code == "filing.settled"


def test_a_region_may_make_a_long_term_filer_wait_before_cancelling_but_never_over_six_months():
    kw = dict(category="long_term", valid_from=date(2026, 1, 1), settlement=None)
    with pytest.raises(Conflict):
        rules.check_cancellable(today=date(2026, 2, 1), wait_days=90, **kw)
    rules.check_cancellable(today=date(2026, 4, 2), wait_days=90, **kw)
    # A setting above the national cap of six months is held to the cap.
    rules.check_cancellable(today=date(2026, 7, 3), wait_days=400, **kw)
    rules.check_cancellable(today=date(2026, 1, 1), wait_days=0, **kw)


def test_filing_numbers_carry_the_region_the_day_and_a_serial():
    assert rules.filing_number("140100", date(2026, 11, 24), 7) == "YD14010020261124000007"
