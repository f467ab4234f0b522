"""The work-injury filing's rules as plain functions (backend/domain/work_injury.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backend.domain import work_injury as rules
from backend.domain.errors import Conflict, Invalid

TODAY = date(2026, 12, 1)


def details(**overrides) -> rules.Details:
    values = dict(filing_type="residence", destination_region="430100", start_date=TODAY, end_date=None,
                  address="长沙市天心区劳动西路9号", institution=None, referred_by_institution=None, referral_no=None,
                  services=("inpatient_medical",), contact_name="张隽", contact_phone="13134560190")
    values.update(overrides)
    return rules.Details(**values)


def refused_fields(d: rules.Details) -> set[str]:
    with pytest.raises(Invalid) as caught:
        rules.check_details(d, insured_region="650100", today=TODAY, destination_is_city=True)
    return set(caught.value.errors)


def test_the_table_residence_in_force_at_once_referral_waits_for_the_agency():
    assert rules.FLOW.apply("draft", rules.submit_action("residence")) == "effective"
    assert rules.FLOW.apply("draft", rules.submit_action("referral")) == "pending"
    assert rules.FLOW.apply("pending", "approve") == "effective"
    assert rules.FLOW.apply("pending", "decline") == "rejected"
    assert rules.FLOW.apply("effective", "cancel") == "cancelled"
    assert rules.FLOW.apply("pending", "expire") == "expired"
    with pytest.raises(Conflict):
        rules.FLOW.apply("rejected", "approve")
    assert {s for s in rules.FLOW.statuses() if s != "discarded"} == set(rules.STATUSES)


def test_a_residence_filing_needs_an_address_and_runs_until_cancelled():
    rules.check_details(details(), insured_region="650100", today=TODAY, destination_is_city=True)
    assert refused_fields(details(address=" ")) == {"address"}
    assert rules.validity("residence", TODAY, None) == (TODAY, None)


def test_a_referral_needs_its_referral_and_an_end_date_at_most_six_months_on():
    complete = dict(filing_type="referral", address=None, institution="湖南省职业病防治院",
                    referred_by_institution="新疆维吾尔自治区人民医院", referral_no="XJ-1", end_date=date(2027, 6, 1))
    rules.check_details(details(**complete), insured_region="650100", today=TODAY, destination_is_city=True)
    assert refused_fields(details(**{**complete, "end_date": date(2027, 6, 2)})) == {"end_date"}
    assert refused_fields(details(filing_type="referral", address=None)) == {
        "end_date", "institution", "referred_by.institution", "referred_by.document_no"}


def test_only_across_provinces():
    with pytest.raises(Invalid) as caught:
        rules.check_details(details(destination_region="650200"), insured_region="650100", today=TODAY,
                            destination_is_city=True)
    assert caught.value.code == "wi_filing.not_cross_province"


def test_no_recognition_and_a_second_open_filing_are_refused():
    with pytest.raises(Conflict) as none:
        rules.check_recognised(0)
    assert none.value.code == "wi_filing.no_recognition"
    rules.check_recognised(1)
    with pytest.raises(Conflict) as second:
        rules.check_one_open("GS65010020261201000001", "effective")
    assert "GS65010020261201000001" in second.value.message and second.value.code == "wi_filing.exists"


def test_settlement_amounts_only_for_the_services_filed():
    rules.check_settlement_amounts({"inpatient_medical": Decimal("12000.00")}, ["inpatient_medical"])
    with pytest.raises(Invalid) as outside:
        rules.check_settlement_amounts({"assistive_device": Decimal("800")}, ["inpatient_medical"])
    assert outside.value.code == "wi_settlement.service_not_filed"
    with pytest.raises(Invalid) as none:
        rules.check_settlement_amounts({"inpatient_medical": None}, ["inpatient_medical"])
    assert none.value.code == "wi_settlement.amount_missing"


def test_cancelling_after_a_settlement_is_refused_naming_it():
    rules.check_cancellable(None)
    with pytest.raises(Conflict) as caught:
        rules.check_cancellable(("湖南省职业病防治院", "2026-12-01"))
    assert caught.value.code == "wi_filing.settled" and "湖南省职业病防治院" in caught.value.message
