"""The family-doctor rules on their own (backend/domain/family_doctor.py): no
database, no Flask."""

from __future__ import annotations

import json
from datetime import date

import pytest

from backend.domain import family_doctor as rules
from backend.domain.errors import Conflict, Invalid
from tests.conftest import ROOT

OFFERED = [rules.Offered(1, "basic", "基础服务包"), rules.Offered(2, "value_added", "增值服务包"),
           rules.Offered(3, "personalized", "孕产妇个性化服务包"), rules.Offered(4, "personalized", "儿童个性化服务包")]


# --- key groups -----------------------------------------------------------------

@pytest.mark.parametrize("age, groups", [(0, ["child"]), (6, ["child"]), (7, []), (64, []), (65, ["elderly"]),
                                         (90, ["elderly"])])
def test_children_up_to_6_and_people_from_65_are_key_groups_by_age(age, groups):
    assert rules.key_groups(age, []) == groups


def test_declared_pregnancy_and_chronic_diseases_are_key_groups_too():
    assert rules.key_groups(33, ["diabetes", "pregnant"]) == ["pregnant", "diabetes"]


def test_health_tags_need_their_own_consent():
    with pytest.raises(Invalid) as refused:
        rules.check_health_tags(["hypertension"], consent=False, sex="male")
    assert refused.value.code == "signup.health_consent_required"
    assert rules.check_health_tags(["hypertension"], consent=True, sex="male") == ["hypertension"]
    assert rules.check_health_tags([], consent=False, sex="male") == []


def test_only_a_woman_can_be_declared_pregnant():
    with pytest.raises(Invalid):
        rules.check_health_tags(["pregnant"], consent=True, sex="male")
    assert rules.check_health_tags(["pregnant"], consent=True, sex="female") == ["pregnant"]


# --- packages -----------------------------------------------------------------

def test_basic_is_always_included_and_comes_first():
    assert rules.choose_packages(OFFERED, []) == [1]
    assert rules.choose_packages(OFFERED, [4, 1, 3]) == [1, 4, 3]


def test_value_added_is_open_to_every_resident_with_the_parts_that_apply():
    # seed 001: its outpatient part is "为签约居民", for all; health management for key groups.
    assert rules.choose_packages(OFFERED, [2]) == [1, 2]
    parts = {p["part"]: p["applies"] for p in rules.value_added_parts(["basic", "value_added"], [])}
    assert parts == {"outpatient": True, "health_management": False}
    parts = {p["part"]: p["applies"] for p in rules.value_added_parts(["basic", "value_added"], ["elderly"])}
    assert parts == {"outpatient": True, "health_management": True}
    assert rules.value_added_parts(["basic"], ["elderly"]) == []


def test_a_package_the_team_does_not_offer_is_refused():
    with pytest.raises(Invalid) as refused:
        rules.choose_packages(OFFERED, [99])
    assert refused.value.errors == {"package_ids": [refused.value.message]}


def test_at_most_one_value_added_package():
    offered = OFFERED + [rules.Offered(5, "value_added", "另一个增值服务包")]
    with pytest.raises(Invalid):
        rules.choose_packages(offered, [2, 5])


def test_the_basic_package_must_hold_the_five_basic_services_and_be_free():
    rules.check_package("basic", 0, list(rules.BASIC_INCLUDES))
    with pytest.raises(ValueError):
        rules.check_package("basic", 0, ["电子健康档案"])
    with pytest.raises(ValueError):
        rules.check_package("basic", 10, list(rules.BASIC_INCLUDES))


def test_value_added_pays_outpatient_care_at_70_percent_with_at_least_420_yuan_a_year():
    rules.check_package("value_added", 0, ["健康管理"], outpatient_ratio_percent=70, outpatient_annual_limit=420)
    rules.check_package("value_added", 0, ["健康管理"], outpatient_ratio_percent=70, outpatient_annual_limit=600)
    with pytest.raises(ValueError):
        rules.check_package("value_added", 0, ["健康管理"], outpatient_ratio_percent=70, outpatient_annual_limit=400)
    with pytest.raises(ValueError):
        rules.check_package("value_added", 0, ["健康管理"], outpatient_ratio_percent=50, outpatient_annual_limit=420)


def test_a_personalised_package_has_a_price_the_resident_pays():
    rules.check_package("personalized", 120, ["孕期随访4次"])
    with pytest.raises(ValueError):
        rules.check_package("personalized", 0, ["孕期随访4次"])


# --- teams ------------------------------------------------------------------------

def test_a_team_needs_a_gp_a_public_health_worker_and_a_village_doctor_and_a_specialist_is_optional():
    rules.check_team(["general_practitioner", "public_health", "village_doctor"], 10, 0)
    rules.check_team(["general_practitioner", "public_health", "village_doctor", "specialist"], 10, 10)
    with pytest.raises(ValueError):
        rules.check_team(["general_practitioner", "public_health"], 10, 0)
    with pytest.raises(ValueError):
        rules.check_team(["general_practitioner", "public_health", "village_doctor"], 10, 11)


def test_a_full_team_takes_nobody_more():
    rules.check_team_has_place(10, 9)
    with pytest.raises(Conflict) as refused:
        rules.check_team_has_place(10, 10)
    assert refused.value.code == "signup.team_full"


def test_the_demo_catalogue_follows_the_rules_and_covers_three_cities():
    data = json.loads((ROOT / "backend" / "data" / "family_doctor.json").read_text(encoding="utf-8"))
    by_city: dict[str, list] = {}
    for institution in data["institutions"]:
        by_city.setdefault(institution["region"], []).append(institution)
        assert len(institution["teams"]) >= 2
        for team in institution["teams"]:
            rules.check_team([m["role"] for m in team["members"]], team["capacity"], team["signed"])
        for package in institution["personalized"]:
            rules.check_package("personalized", package["price"], package["includes"])
    assert {"430100", "430200", "430300"} <= set(by_city)
    assert all(len(found) >= 3 for found in by_city.values())
    for kind, package in data["standard_packages"].items():
        rules.check_package(kind, package["price"], package["includes"],
                            outpatient_ratio_percent=package.get("outpatient_ratio_percent"),
                            outpatient_annual_limit=package.get("outpatient_annual_limit"))


# --- the contract ---------------------------------------------------------------------

def test_the_transition_table():
    flow = rules.FLOW
    assert flow.apply("draft", "submit") == "pending"
    assert flow.apply("pending", "accept") == "active"
    assert flow.apply("pending", "reject") == "rejected"
    assert flow.apply("active", "expire") == "expired"
    for status in ("draft", "pending", "active"):
        assert flow.apply(status, "cancel") == "cancelled"
    for status, action in (("draft", "accept"), ("active", "accept"), ("rejected", "submit"),
                           ("expired", "renew"), ("cancelled", "cancel"), ("pending", "renew")):
        with pytest.raises(Conflict):
            flow.apply(status, action)


def test_a_place_is_held_while_pending_and_while_active():
    assert rules.HOLDS_PLACE == ("pending", "active")


def test_one_open_contract_per_person():
    rules.check_one_open(None)
    with pytest.raises(Conflict) as active:
        rules.check_one_open(("active", "周敏家庭医生团队"))
    assert "周敏家庭医生团队" in active.value.message and "解约" in active.value.message
    with pytest.raises(Conflict) as pending:
        rules.check_one_open(("pending", "周敏家庭医生团队"))
    assert "等待团队确认" in pending.value.message


def test_a_contract_runs_one_year_from_its_start():
    assert rules.validity(date(2026, 12, 1)) == (date(2026, 12, 1), date(2027, 11, 30))
    assert rules.validity(date(2028, 2, 29)) == (date(2028, 2, 29), date(2029, 2, 28))
    assert rules.validity(date(2027, 1, 1)) == (date(2027, 1, 1), date(2027, 12, 31))


def test_the_start_date_falls_within_the_coming_month():
    today = date(2026, 11, 24)
    rules.check_start_date(today, today)
    rules.check_start_date(date(2026, 12, 24), today)
    for day in (date(2026, 11, 23), date(2026, 12, 25)):
        with pytest.raises(Invalid):
            rules.check_start_date(day, today)


def test_renewal_is_possible_in_the_last_30_days_and_starts_the_day_after_the_end():
    valid_to = date(2027, 11, 30)
    with pytest.raises(Conflict) as early:
        rules.renewal(valid_to, date(2027, 10, 31))
    assert early.value.code == "signup.renewal_too_early" and "2027-11-01" in early.value.message
    assert rules.renewal(valid_to, date(2027, 11, 1)) == (date(2027, 12, 1), date(2028, 11, 30))
    assert rules.renewal(valid_to, valid_to) == (date(2027, 12, 1), date(2028, 11, 30))
    with pytest.raises(Conflict):
        rules.renewal(valid_to, date(2027, 12, 1))


def test_cancelling_needs_a_reason_from_the_termination_list_and_other_needs_a_note():
    for reason in ("moved_away", "unreachable_one_year", "refused_service_one_year", "own_wish"):
        rules.check_cancel_reason(reason, None)
    rules.check_cancel_reason("other", "搬家")
    with pytest.raises(Invalid):
        rules.check_cancel_reason("other", "  ")
    with pytest.raises(Invalid):
        rules.check_cancel_reason("bored", None)
