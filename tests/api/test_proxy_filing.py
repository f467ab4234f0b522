"""为他人备案 (seed 002): 李明 files for his mother 王秀英, step by step."""

from __future__ import annotations

from tests.api.flows import (FILINGS, MOTHER, STEPS, do_step, effective_proxy_filing, notice_version,
                             proxy_filing_through, put_photo, start, steps_done)
from tests.conftest import PEOPLE, assert_error_shape

# --- the walk ---------------------------------------------------------------------


def test_a_son_files_for_his_mother_and_the_filing_becomes_effective(login):
    liming = login("李明")
    fid = start(liming)

    r = liming.get(f"{FILINGS}/{fid}")
    assert r.json["for"] == "other" and r.json["next_step"] == "insured"
    assert [s["name"] for s in r.json["steps"]] == list(STEPS)

    assert do_step(liming, fid, "insured").json["next_step"] == "notice"
    assert do_step(liming, fid, "notice").json["next_step"] == "agent_declaration"
    assert do_step(liming, fid, "agent_declaration").json["next_step"] == "attachments"
    first = put_photo(liming, fid, "agent_id_card")
    assert first.status_code == 201 and first.json["next_step"] == "attachments"
    both = put_photo(liming, fid, "insured_id_card")
    assert both.status_code == 201 and both.json["next_step"] == "details"
    assert sorted(a["kind"] for a in both.json["attachments"]) == ["agent_id_card", "insured_id_card"]
    assert do_step(liming, fid, "details").json["next_step"] == "signature"
    assert do_step(liming, fid, "signature").json["next_step"] is None

    done = liming.post(f"{FILINGS}/{fid}/submit", headers={"Idempotency-Key": "walk-1"})
    assert done.status_code == 200, done.json
    filing = done.json
    assert filing["status"] == "effective" and filing["status_label"] == "备案成功"
    assert filing["filing_no"].startswith("YD140100")
    assert filing["valid_from"] and filing["valid_to"] is None  # long-term: until changed or cancelled
    assert filing["insured_person"]["name"] == "王秀英"
    assert filing["insured_person"]["id_number"] == "140***********0429"
    assert filing["destination_region_name"] == "海口市"

    again = liming.post(f"{FILINGS}/{fid}/submit", headers={"Idempotency-Key": "walk-1"})
    assert again.status_code == 200 and again.json["filing_no"] == filing["filing_no"]


def test_the_filing_keeps_the_agents_name_masked_number_phone_and_relation(login):
    liming = login("李明")
    filing = effective_proxy_filing(liming)
    agent = filing["agent"]
    # The agent reads his own name; his number is masked even to him.
    assert agent["name"] == "李明"
    assert agent["id_number"] == "140***********0318"
    assert agent["phone"] and "****" in agent["phone"]
    assert agent["relation"] == "parent" and agent["relation_label"] == "父母"
    assert filing["made_by_agent"] is True and filing["viewer_role"] == "agent"


def test_the_agent_never_types_his_own_identity_again(login):
    liming = login("李明")
    fid = start(liming)
    r = liming.put(f"{FILINGS}/{fid}/insured", json={**MOTHER, "agent_name": "张三",
                                                     "agent_id_number": PEOPLE["张隽"]})
    body = assert_error_shape(r, 422)
    assert set(body["errors"]) == {"agent_name", "agent_id_number"}
    assert liming.get(f"{FILINGS}/{fid}").json["agent"]["id_number"] == "140***********0318"


def test_an_account_without_a_verified_identity_cannot_file_for_anyone(login):
    stranger = login(code="demo-not-bound")
    assert_error_shape(stranger.post(FILINGS, json={"for": "other"}), 403, "identity.required")


def test_the_insured_persons_name_number_scheme_and_region_must_match_the_registry(login):
    liming = login("李明")
    fid = start(liming)
    cases = [
        ({**MOTHER, "name": "王秀"}, "identity.not_in_registry"),
        ({**MOTHER, "id_number": "140121195203180428"}, "identity.invalid_id_number"),
        ({**MOTHER, "name": "孙不在", "id_number": PEOPLE["孙不在"]}, "identity.not_in_registry"),
        ({**MOTHER, "scheme": "resident"}, "filing.insurance_mismatch"),
        ({**MOTHER, "insured_region": "140300"}, "filing.insurance_mismatch"),
        ({**MOTHER, "name": "李明", "id_number": PEOPLE["李明"]}, "filing.agent_is_insured"),
        ({k: v for k, v in MOTHER.items() if k != "relation"}, "filing.insured_incomplete"),
    ]
    for body, code in cases:
        assert_error_shape(liming.put(f"{FILINGS}/{fid}/insured", json=body), 422, code)
    assert liming.get(f"{FILINGS}/{fid}").json["next_step"] == "insured"
    assert liming.put(f"{FILINGS}/{fid}/insured", json={**MOTHER, "id_number": PEOPLE["王秀英"].lower()}).status_code == 200


def test_the_details_wait_for_a_photo_of_the_agent_and_of_the_insured_person(login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    assert_error_shape(do_step(liming, fid, "details"), 409, "filing.step_out_of_order")

    only_agent = put_photo(liming, fid, "agent_hukou")
    assert "attachments" not in steps_done(only_agent.json)
    assert_error_shape(do_step(liming, fid, "details"), 409, "filing.step_out_of_order")
    also_agent = put_photo(liming, fid, "agent_id_card")
    assert "attachments" not in steps_done(also_agent.json)

    insured = put_photo(liming, fid, "insured_hukou")
    assert "attachments" in steps_done(insured.json)
    assert do_step(liming, fid, "details").status_code == 200


def test_photos_wait_for_the_insured_person_and_the_notice(login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "insured")
    assert_error_shape(put_photo(liming, fid, "agent_id_card"), 409, "filing.step_out_of_order")


def test_deleting_a_needed_photo_holds_the_submit_until_it_is_uploaded_again(login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "signature")
    filing = liming.get(f"{FILINGS}/{fid}").json
    insured_photo = next(a for a in filing["attachments"] if a["kind"] == "insured_hukou")

    r = liming.delete(f"{FILINGS}/{fid}/attachments/{insured_photo['id']}")
    assert r.status_code == 200, r.json
    assert r.json["next_step"] == "attachments"
    # The details and the signature stay done: only the photo is missing.
    assert steps_done(r.json) == ["insured", "notice", "agent_declaration", "details", "signature"]
    assert_error_shape(liming.post(f"{FILINGS}/{fid}/submit"), 409, "filing.incomplete")

    assert put_photo(liming, fid, "insured_id_card").json["next_step"] is None
    assert liming.post(f"{FILINGS}/{fid}/submit").json["status"] == "effective"


def test_redoing_the_insured_step_for_the_same_person_keeps_her_photos(login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "details")
    assert do_step(liming, fid, "insured").json["next_step"] == "notice"
    assert do_step(liming, fid, "notice").json["next_step"] == "agent_declaration"
    declared = do_step(liming, fid, "agent_declaration").json
    assert len(declared["attachments"]) == 2
    assert declared["next_step"] == "details"


def test_choosing_another_insured_person_drops_the_photos_of_the_first(login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "attachments")
    zhao = {"name": "赵大山", "id_number": PEOPLE["赵大山"], "relation": "other",
            "scheme": "resident", "insured_region": "140300"}
    r = liming.put(f"{FILINGS}/{fid}/insured", json=zhao)
    assert r.status_code == 200, r.json
    assert [a["kind"] for a in r.json["attachments"]] == ["agent_id_card"]
    assert r.json["insured_person"]["name"] == "赵大山"


def test_a_refused_change_of_insured_person_leaves_the_photos_as_they_were(login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "attachments")
    wrong_scheme = {"name": "赵大山", "id_number": PEOPLE["赵大山"], "relation": "other",
                    "scheme": "employee", "insured_region": "140300"}
    assert_error_shape(liming.put(f"{FILINGS}/{fid}/insured", json=wrong_scheme), 422,
                       "filing.insurance_mismatch")
    filing = liming.get(f"{FILINGS}/{fid}").json
    assert len(filing["attachments"]) == 2
    for attachment in filing["attachments"]:
        assert liming.get(f"{FILINGS}/{fid}/attachments/{attachment['id']}").status_code == 200


def test_a_filing_for_oneself_has_no_photo_step(login):
    liming = login("李明")
    r = liming.post(FILINGS, json={"for": "self"})
    fid = r.json["id"]
    assert "attachments" not in [s["name"] for s in r.json["steps"]]
    liming.put(f"{FILINGS}/{fid}/insured", json={"scheme": "employee", "insured_region": "140100"})
    liming.put(f"{FILINGS}/{fid}/notice", json={"accepted": True, "version": notice_version(liming.client)})
    assert_error_shape(put_photo(liming, fid, "agent_id_card"), 409, "filing.attachments_not_needed")


def test_every_upload_and_delete_is_in_the_filings_history(login):
    liming = login("李明")
    fid = proxy_filing_through(liming, "attachments")
    replaced = put_photo(liming, fid, "agent_id_card").json
    photo = next(a for a in replaced["attachments"] if a["kind"] == "agent_id_card")
    liming.delete(f"{FILINGS}/{fid}/attachments/{photo['id']}")

    events = liming.get(f"{FILINGS}/{fid}/events").json
    photo_events = [(e["step"], e["detail"]["kind"]) for e in events if e["step"].startswith("attachment_")]
    assert photo_events == [("attachment_uploaded", "agent_id_card"), ("attachment_uploaded", "insured_hukou"),
                            ("attachment_uploaded", "agent_id_card"), ("attachment_deleted", "agent_id_card")]
    uploads = [e for e in events if e["step"] == "attachment_uploaded"]
    assert [e["detail"]["replaced"] for e in uploads] == [False, False, True]
    assert all(e["actor"] == "李*" and e["actor_role"] == "agent" and e["on_behalf_of"] == "王*英"
               for e in uploads)
