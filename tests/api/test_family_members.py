"""亲情账户: the people an account may act for (`/me/family-members`) and, seen
from the other side, who may act for me (`/me/agents`)."""

from __future__ import annotations

from tests.api.flows import (FILINGS, MOTHER, do_step, proxy_filing_through, put_photo,
                                         start)
from tests.conftest import PEOPLE, assert_error_shape

MEMBERS = "/api/v1/me/family-members"
AGENTS = "/api/v1/me/agents"
WANG = {"name": "王秀英", "id_number": PEOPLE["王秀英"], "relation": "parent"}


def test_an_agent_adds_lists_and_removes_a_family_member(login):
    liming = login("李明")
    added = liming.post(MEMBERS, json=WANG)
    assert added.status_code == 201, added.json
    member = added.json
    assert member["person"]["name"] == "王秀英"
    assert member["person"]["id_number"] == "140***********0429"  # never the full number
    assert member["relation"] == "parent" and member["relation_label"] == "父母"

    assert [m["id"] for m in liming.get(MEMBERS).json] == [member["id"]]
    assert [m["id"] for m in liming.get("/api/v1/me").json["family_members"]] == [member["id"]]

    assert liming.delete(f"{MEMBERS}/{member['id']}").status_code == 204
    assert liming.get(MEMBERS).json == []
    assert_error_shape(liming.delete(f"{MEMBERS}/{member['id']}"), 404, "family.not_found")


def test_a_family_member_must_be_found_in_the_registry(login):
    liming = login("李明")
    assert_error_shape(liming.post(MEMBERS, json={**WANG, "name": "王秀兰"}), 422, "identity.not_in_registry")
    assert_error_shape(liming.post(MEMBERS, json={**WANG, "id_number": "140121195203180428"}), 422,
                       "identity.invalid_id_number")
    assert_error_shape(liming.post(MEMBERS, json={"name": "孙不在", "id_number": PEOPLE["孙不在"],
                                                  "relation": "sibling"}), 422, "identity.not_in_registry")
    assert_error_shape(liming.post(MEMBERS, json={**WANG, "relation": "cousin"}), 422)
    assert liming.get(MEMBERS).json == []


def test_the_same_member_cannot_be_added_twice_nor_oneself(login):
    liming = login("李明")
    assert liming.post(MEMBERS, json=WANG).status_code == 201
    assert_error_shape(liming.post(MEMBERS, json=WANG), 409, "family.exists")
    assert_error_shape(liming.post(MEMBERS, json={"name": "李明", "id_number": PEOPLE["李明"],
                                                  "relation": "other"}), 422, "family.self")


def test_an_account_must_verify_its_own_identity_before_adding_family(login):
    nobody = login(code="demo-unbound")
    assert_error_shape(nobody.post(MEMBERS, json=WANG), 403, "identity.required")


def test_a_member_removed_by_the_agent_can_be_added_again(login):
    liming = login("李明")
    first = liming.post(MEMBERS, json=WANG).json
    liming.delete(f"{MEMBERS}/{first['id']}")
    assert liming.post(MEMBERS, json=WANG).status_code == 201


def test_the_insured_person_sees_her_sons_real_name_and_masked_number_among_her_agents(login):
    liming = login("李明")
    liming.post(MEMBERS, json=WANG)
    wang = login("王秀英")
    agents = wang.get(AGENTS).json
    assert len(agents) == 1
    assert agents[0]["agent"]["name"] == "李明"
    assert agents[0]["agent"]["id_number"] == "140***********0318"
    # `relation` is, as everywhere, what the insured person is to the agent: she is his parent.
    assert agents[0]["relation"] == "parent"
    # ... and she reads what he is to her: her child.
    assert (agents[0]["agent_relation"], agents[0]["agent_relation_label"]) == ("child", "子女")
    assert liming.get(AGENTS).json == []  # nobody acts for him


def test_filing_for_someone_makes_the_agent_appear_among_her_agents(login):
    liming = login("李明")
    proxy_filing_through(liming, "insured")
    assert [m["person"]["name"] for m in liming.get(MEMBERS).json] == ["王秀英"]
    assert [a["agent"]["name"] for a in login("王秀英").get(AGENTS).json] == ["李明"]


def test_withdrawing_an_agent_stops_him_from_filing_for_her_again(login):
    liming = login("李明")
    ongoing = proxy_filing_through(liming, "notice")
    wang = login("王秀英")
    grant = wang.get(AGENTS).json[0]
    assert wang.delete(f"{AGENTS}/{grant['id']}").status_code == 204
    assert wang.get(AGENTS).json == []
    assert liming.get(MEMBERS).json == []

    fresh = start(liming)
    assert_error_shape(liming.put(f"{FILINGS}/{fresh}/insured", json=MOTHER), 403, "family.withdrawn_by_insured")
    # Nor can he grant it to himself again, or go on with the draft he had.
    assert_error_shape(liming.post(MEMBERS, json=WANG), 403, "family.withdrawn_by_insured")
    assert_error_shape(put_photo(liming, ongoing, "agent_id_card"), 403, "family.withdrawn_by_insured")
    assert_error_shape(do_step(liming, ongoing, "notice"), 403, "family.withdrawn_by_insured")
    assert_error_shape(liming.post(f"{FILINGS}/{ongoing}/submit"), 403, "family.withdrawn_by_insured")
    assert wang.get(AGENTS).json == []
    # Discarding what he started stays possible.
    assert liming.delete(f"{FILINGS}/{ongoing}").status_code == 204


def test_withdrawing_holds_for_another_account_of_the_same_agent(login):
    liming = login("李明")
    proxy_filing_through(liming, "insured")
    wang = login("王秀英")
    wang.delete(f"{AGENTS}/{wang.get(AGENTS).json[0]['id']}")
    second_phone = login("李明", code="demo-140121198007120318-2")
    fid = start(second_phone)
    assert_error_shape(second_phone.put(f"{FILINGS}/{fid}/insured", json=MOTHER), 403,
                       "family.withdrawn_by_insured")


def test_the_insured_person_can_give_a_withdrawn_agent_the_right_back(login):
    liming = login("李明")
    liming.post(MEMBERS, json=WANG)
    second_phone = login("李明", code="demo-140121198007120318-2")
    assert second_phone.put(f"{FILINGS}/{start(second_phone)}/insured", json=MOTHER).status_code == 200
    wang = login("王秀英")
    for grant in wang.get(AGENTS).json:
        wang.delete(f"{AGENTS}/{grant['id']}")
    withdrawn = wang.get(f"{AGENTS}?withdrawn=true").json
    assert [g["agent"]["name"] for g in withdrawn] == ["李明", "李明"]
    # Only she can give it back; not the agent, not a stranger.
    assert_error_shape(liming.post(f"{AGENTS}/{withdrawn[0]['id']}/restore"), 404, "family.agent_not_found")
    assert_error_shape(login("张隽").post(f"{AGENTS}/{withdrawn[0]['id']}/restore"), 404)
    restored = wang.post(f"{AGENTS}/{withdrawn[0]['id']}/restore")
    assert restored.status_code == 200 and restored.json["agent"]["name"] == "李明"
    assert [g["id"] for g in wang.get(AGENTS).json] == [withdrawn[0]["id"]]
    # He may file for her again.
    fid = start(liming)
    assert liming.put(f"{FILINGS}/{fid}/insured", json=MOTHER).status_code == 200
    assert_error_shape(wang.post(f"{AGENTS}/{withdrawn[0]['id']}/restore"), 404)


def test_one_can_withdraw_only_ones_own_agents(login):
    liming = login("李明")
    liming.post(MEMBERS, json=WANG)
    grant = login("王秀英").get(AGENTS).json[0]
    stranger = login("张隽")
    assert_error_shape(stranger.delete(f"{AGENTS}/{grant['id']}"), 404, "family.agent_not_found")
    assert_error_shape(liming.delete(f"{AGENTS}/{grant['id']}"), 404, "family.agent_not_found")
    assert len(login("王秀英").get(AGENTS).json) == 1


def test_a_family_member_of_one_agent_is_invisible_to_another(login):
    liming = login("李明")
    member = liming.post(MEMBERS, json=WANG).json
    stranger = login("张隽")
    assert stranger.get(MEMBERS).json == []
    assert_error_shape(stranger.delete(f"{MEMBERS}/{member['id']}"), 404, "family.not_found")
    assert len(liming.get(MEMBERS).json) == 1
