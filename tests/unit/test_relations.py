"""backend/domain/relations.py: a declared relation must fit the household data and
both birth dates."""

from datetime import date

import pytest

from backend.domain.relations import check_relation, implausible

WANG, LIMING = "140121195203180429", "140121198007120318"     # 1952 and 1980
CHEN, XIAOBAO = "430104199302050268", "430121202309020572"    # 1993 and 2023
TODAY = date(2026, 11, 25)


@pytest.mark.parametrize("relation, ok", [
    ("parent", True), ("grandparent", False), ("child", False), ("spouse", True), ("grandchild", False),
    ("sibling", True), ("other", True),
])
def test_wang_xiuying_born_1952_seen_from_li_ming_born_1980(relation, ok):
    assert (implausible(relation, LIMING, WANG, TODAY) is None) is ok


def test_a_parent_fifteen_years_older_to_the_day_fits_one_day_less_does_not():
    agent = "110101200001010011"      # a man born 2000-01-01 (the check digit is not read here)
    assert implausible("parent", agent, "110101198501010020", TODAY) is None
    assert implausible("parent", agent, "110101198501020020", TODAY) is not None
    assert implausible("child", "110101198501010020", agent, TODAY) is None


def test_a_spouse_must_be_of_marriageable_age_22_for_a_man_and_20_for_a_woman():
    man_21, man_22 = "110101200501010011", "110101200411250011"
    woman_20 = "110101200611250020"
    assert implausible("spouse", man_22, woman_20, TODAY) is None
    assert implausible("spouse", man_21, woman_20, TODAY) is not None
    assert implausible("spouse", CHEN, XIAOBAO, TODAY) is not None


def test_the_household_settles_a_pair_it_knows_and_the_dates_bound_the_rest():
    assert check_relation("child", CHEN, XIAOBAO, TODAY, household="child") is None
    assert "户籍" in check_relation("grandchild", CHEN, XIAOBAO, TODAY, household="child")
    assert check_relation("grandchild", CHEN, XIAOBAO, TODAY, household=None) is None
    assert check_relation("spouse", CHEN, XIAOBAO, TODAY, household=None) is not None
