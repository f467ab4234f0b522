"""Road-accident rescue fund (seed 000): the applicant's flow, the fund manager's
review with correction, the police's notices, the hospital's pages, working days.
Every transition of the domain file's table, and each refusal."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from tests.api.rescue_flow import (MANAGER, P, POLICE, R, SON, accident, at, hospital_id, hospital_step, photo,
                                   ready, set_clock, start, submitted, until_victim)
from tests.conftest import PEOPLE

TODAY = date(2026, 12, 1)   # a Tuesday


@pytest.fixture
def dad(app, login):
    set_clock(app, TODAY)
    return login("赵大山")


def manager(client, path, **kw):
    return client.post(f"{P}/applications/{path}", headers=MANAGER, **kw)


# --- the applicant's steps --------------------------------------------------------------------

def test_a_father_applies_for_his_uninsured_son_and_gets_a_number_and_a_review_date(dad):
    body = submitted(dad, TODAY)
    assert body["status"] == "submitted" and body["status_label"] == "待审核"
    assert body["application_no"].startswith("JZ14030020261201")
    # Tuesday 12-01 → Wed, Thu, Fri: due Friday 12-04.
    assert body["review_due"] == "2026-12-04"
    assert body["victim"]["name"] == "赵小军" and body["victim"]["id_number"] == "140***********0213"
    assert body["notice_verified"] is False
    assert len(body["materials"]["cost_list"]) == 2


def test_an_accident_61_days_ago_is_refused_naming_the_last_day(dad):
    aid = start(dad)
    photo(dad, f"{R}/{aid}/materials/police_notice")
    r = dad.put(f"{R}/{aid}/accident", json=accident(TODAY, days_ago=61))
    assert r.status_code == 422 and r.json["code"] == "rescue.deadline_passed"
    assert "2026年11月30日" in r.json["message"]
    # Day 60 is still inside (inclusive).
    assert dad.put(f"{R}/{aid}/accident", json=accident(TODAY, days_ago=60)).status_code == 200


def test_the_window_is_checked_again_at_submit(app, dad):
    aid = ready(dad, TODAY, accident_over={"accident_at": at(TODAY - timedelta(days=59)).isoformat()})
    set_clock(app, TODAY + timedelta(days=2))
    dad.sign_in_again()
    r = dad.post(f"{R}/{aid}/submit")
    assert r.status_code == 422 and r.json["code"] == "rescue.deadline_passed"


def test_an_accident_outside_shanxi_or_in_the_future_is_refused(dad):
    aid = start(dad)
    photo(dad, f"{R}/{aid}/materials/police_notice")
    r = dad.put(f"{R}/{aid}/accident", json=accident(TODAY, accident_region="130100"))
    assert r.status_code == 422 and r.json["code"] == "rescue.outside_province"
    r = dad.put(f"{R}/{aid}/accident", json=accident(TODAY, days_ago=-1))
    assert r.status_code == 422 and r.json["code"] == "rescue.accident_in_future"


def test_a_wrong_situation_is_named_as_on_the_rescue_form_and_flow_a_keeps_its_word(client, dad):
    # The rescue form calls `situation` 垫付情形 (the police notice's case), not Flow A's 就医情形.
    aid = start(dad)
    photo(dad, f"{R}/{aid}/materials/police_notice")
    r = dad.put(f"{R}/{aid}/accident", json=accident(TODAY, situation="emergency"))
    assert r.status_code == 422 and "situation" in r.json["errors"]
    assert r.json["message"] == "填写的内容有误，请按提示修改：垫付情形。"
    # Its `relation` is what the victim is to the applicant.
    assert dad.put(f"{R}/{aid}/accident", json=accident(TODAY)).status_code == 200
    r = dad.put(f"{R}/{aid}/victim", json={**SON, "relation": "cousin"})
    assert r.status_code == 422 and r.json["message"] == "填写的内容有误，请按提示修改：与受害人关系。"
    r = client.post(f"{P}/notices", headers=POLICE, json={
        "notice_no": "阳公交垫〔2026〕0001号", "accident_at": at(TODAY).isoformat(), "accident_region": "140300",
        "situation": "referral"})
    assert r.status_code == 422 and "垫付情形" in r.json["message"]
    r = client.post("/api/v1/filing-advice", json={"scheme": "employee", "insured_region": "140100",
                                                   "destination_region": "460100", "situation": "hit_and_run"})
    assert r.status_code == 422 and "就医情形" in r.json["message"] and "垫付情形" not in r.json["message"]


def test_the_accident_step_needs_the_notice_photo_first(dad):
    aid = start(dad)
    r = dad.put(f"{R}/{aid}/accident", json=accident(TODAY))
    assert r.status_code == 422 and r.json["code"] == "rescue.notice_photo_missing"


def test_steps_go_in_order(dad):
    r = dad.post(R, json={"kind": "rescue", "for": "other"})
    aid = r.json["id"]
    r = dad.put(f"{R}/{aid}/accident", json=accident(TODAY))
    assert r.status_code == 409 and r.json["code"] == "rescue.step_out_of_order"


def test_an_unidentified_victim_is_accepted_with_the_police_certificate_and_no_id_number(dad):
    victim = {"victim_identified": False, "relation": "other_party", "victim_condition": "in_treatment"}
    body = submitted(dad, TODAY, victim=victim)
    assert body["status"] == "submitted"
    assert body["victim"]["identified"] is False and body["victim"]["id_number"] is None


def test_an_unidentified_victim_without_the_certificate_is_refused(dad):
    aid = start(dad)
    photo(dad, f"{R}/{aid}/materials/police_notice")
    dad.put(f"{R}/{aid}/accident", json=accident(TODAY))
    r = dad.put(f"{R}/{aid}/victim", json={"victim_identified": False, "relation": "other_party",
                                           "victim_condition": "in_treatment"})
    assert r.status_code == 422 and r.json["code"] == "rescue.victim_photos_missing"
    assert "victim_unidentified_certificate" in r.json["errors"]


def test_sun_buzai_who_is_not_insured_is_accepted_as_a_victim(dad):
    victim = {"victim_identified": True, "victim_name": "孙不在", "victim_id_number": PEOPLE["孙不在"],
              "relation": "other_party", "victim_condition": "in_treatment"}
    assert submitted(dad, TODAY, victim=victim)["status"] == "submitted"


def test_a_relative_needs_the_household_register_pages(dad):
    aid = start(dad)
    photo(dad, f"{R}/{aid}/materials/police_notice")
    dad.put(f"{R}/{aid}/accident", json=accident(TODAY))
    photo(dad, f"{R}/{aid}/materials/victim_id_card")
    r = dad.put(f"{R}/{aid}/victim", json=SON)
    assert r.status_code == 422 and list(r.json["errors"]) == ["relation_proof"]


def test_relation_rules_self_path_and_funeral(dad):
    aid = start(dad)
    photo(dad, f"{R}/{aid}/materials/police_notice")
    dad.put(f"{R}/{aid}/accident", json=accident(TODAY))
    r = dad.put(f"{R}/{aid}/victim", json={**SON, "relation": "self"})
    assert r.status_code == 422 and r.json["code"] == "rescue.relation_invalid"
    fid = start(dad, kind="funeral")
    photo(dad, f"{R}/{fid}/materials/police_notice")
    dad.put(f"{R}/{fid}/accident", json=accident(TODAY, police_notice_no="F-1"))
    r = dad.put(f"{R}/{fid}/victim", json={**SON, "relation": "other_party", "victim_condition": "deceased"})
    assert r.status_code == 422 and r.json["code"] == "rescue.relation_invalid"


def test_a_bad_victim_id_number_is_refused(dad):
    aid = start(dad)
    photo(dad, f"{R}/{aid}/materials/police_notice")
    dad.put(f"{R}/{aid}/accident", json=accident(TODAY))
    r = dad.put(f"{R}/{aid}/victim", json={**SON, "victim_id_number": "140302200703150214"})
    assert r.status_code == 422 and r.json["code"] == "identity.invalid_id_number"


def test_the_victim_applying_for_himself_needs_no_name_typed(app, login):
    set_clock(app, TODAY)
    dad = login("赵大山")
    body = submitted(dad, TODAY, for_whom="self")
    assert body["victim"]["name"] == "赵大山" and body["victim"]["relation"] == "self"


def test_rescue_may_not_start_before_the_accident(dad):
    aid = until_victim(dad, TODAY)
    r = hospital_step(dad, aid, TODAY, rescue_started_at=at(TODAY - timedelta(days=4)).isoformat())
    assert r.status_code == 422 and r.json["code"] == "rescue.rescue_before_accident"


def test_beyond_7_days_needs_the_hospitals_explanation(dad):
    aid = until_victim(dad, TODAY)
    r = hospital_step(dad, aid, TODAY, period="beyond_7_days")
    assert r.status_code == 422 and r.json["code"] == "rescue.explanation_missing"
    photo(dad, f"{R}/{aid}/materials/over_7_days_explanation")
    assert hospital_step(dad, aid, TODAY, period="beyond_7_days").status_code == 200


def test_a_hospital_outside_the_green_channel_list_is_refused(dad):
    aid = until_victim(dad, TODAY)
    r = hospital_step(dad, aid, TODAY, hospital_id=99999)
    assert r.status_code == 422 and r.json["code"] == "rescue.hospital_unknown"


def test_materials_need_the_cost_list_and_a_summary_or_record(dad):
    aid = until_victim(dad, TODAY)
    hospital_step(dad, aid, TODAY)
    photo(dad, f"{R}/{aid}/materials/cost_list")
    body = dad.get(f"{R}/{aid}").json
    assert body["next_step"] == "materials"
    r = photo(dad, f"{R}/{aid}/materials/medical_record")
    assert r.json["next_step"] == "contact"


def test_a_material_has_a_page_limit_and_pages_can_be_deleted(dad):
    aid = start(dad)
    for _ in range(3):
        assert photo(dad, f"{R}/{aid}/materials/police_notice").status_code == 200
    r = photo(dad, f"{R}/{aid}/materials/police_notice")
    assert r.status_code == 409 and r.json["code"] == "rescue.too_many_pages"
    page = dad.get(f"{R}/{aid}").json["materials"]["police_notice"][0]["id"]
    r = dad.delete(f"{R}/{aid}/materials/police_notice/{page}")
    assert r.status_code == 200 and len(r.json["materials"]["police_notice"]) == 2
    r = photo(dad, f"{R}/{aid}/materials/funeral_invoice")
    assert r.status_code == 422 and r.json["code"] == "rescue.material_invalid"


def test_a_cost_list_runs_to_thirty_pages(dad):
    aid = until_victim(dad, TODAY)
    hospital_step(dad, aid, TODAY)
    for _ in range(30):
        assert photo(dad, f"{R}/{aid}/materials/cost_list").status_code == 200
    assert photo(dad, f"{R}/{aid}/materials/cost_list").json["code"] == "rescue.too_many_pages"


def test_a_contact_phone_must_be_a_phone(dad):
    aid = ready(dad, TODAY)
    r = dad.put(f"{R}/{aid}/contact", json={"contact_name": "赵大山", "contact_phone": "12345"})
    assert r.status_code == 422 and r.json["code"] == "rescue.contact_invalid"


def test_submit_needs_every_step(dad):
    aid = until_victim(dad, TODAY)
    r = dad.post(f"{R}/{aid}/submit")
    assert r.status_code == 409 and r.json["code"] == "rescue.incomplete"


def test_a_second_open_application_for_the_same_notice_victim_and_kind_is_409(dad):
    first = submitted(dad, TODAY)
    aid = ready(dad, TODAY)
    r = dad.post(f"{R}/{aid}/submit")
    assert r.status_code == 409 and r.json["code"] == "rescue.duplicate"
    assert first["application_no"] in r.json["message"]
    # Once the first is withdrawn, the second may go.
    dad.post(f"{R}/{first['id']}/withdraw")
    assert dad.post(f"{R}/{aid}/submit").status_code == 200


def test_two_drafts_submitted_at_the_same_moment_make_one_open_application(app, dad):
    drafts = [ready(dad, TODAY), ready(dad, TODAY)]
    ready_to_go = threading.Barrier(len(drafts))
    answers: list[tuple[int, str | None]] = []

    def submit(aid: int) -> None:
        own = app.test_client()
        ready_to_go.wait(timeout=30)
        r = own.post(f"{R}/{aid}/submit", headers=dad.headers)
        answers.append((r.status_code, (r.json or {}).get("code")))

    threads = [threading.Thread(target=submit, args=(aid,)) for aid in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [(200, None), (409, "rescue.duplicate")]
    assert sorted(dad.get(f"{R}/{aid}").json["status"] for aid in drafts) == ["draft", "submitted"]


def test_when_the_check_misses_the_other_submit_the_database_refuses_it_as_a_duplicate(monkeypatch, dad):
    # The race made certain: the service's own check runs as if the other submit had not
    # committed yet, so only the partial unique index stands in the way. Still a 409, never a 500.
    from backend.services import rescue as service
    first = submitted(dad, TODAY)
    aid = ready(dad, TODAY)
    real, calls = service._refuse_duplicate, []

    def late_check(app, **kw):
        calls.append(app.id)
        if len(calls) > 1:
            real(app, **kw)

    monkeypatch.setattr(service, "_refuse_duplicate", late_check)
    r = dad.post(f"{R}/{aid}/submit", headers={"Idempotency-Key": "race"})
    assert r.status_code == 409 and r.json["code"] == "rescue.duplicate"
    assert first["application_no"] in r.json["message"] and len(calls) == 2
    assert dad.get(f"{R}/{aid}").json["status"] == "draft"


def test_a_returned_application_cannot_take_the_notice_number_of_another_open_one(client, dad):
    first = submitted(dad, TODAY)
    other = submitted(dad, TODAY, accident_over={"police_notice_no": "阳公交垫〔2026〕0319号"})
    manager(client, f"{other['id']}/return", json={"items": [{"item": "police_notice_no", "reason": "编号有误"}]})
    r = dad.put(f"{R}/{other['id']}/accident", json=accident(TODAY))
    assert r.status_code == 409 and r.json["code"] == "rescue.duplicate"
    assert first["application_no"] in r.json["message"]
    body = dad.get(f"{R}/{other['id']}").json
    assert body["status"] == "returned" and body["accident"]["police_notice_no"] == "阳公交垫〔2026〕0319号"


def test_the_database_index_counts_the_same_open_statuses_as_the_rule():
    from backend.adapters.models.rescue import OPEN_STATUSES
    from backend.domain import rescue as rules
    assert OPEN_STATUSES == "status IN (" + ", ".join(f"'{s}'" for s in rules.OPEN_STATUSES) + ")"


def test_submit_is_idempotent(dad):
    aid = ready(dad, TODAY)
    a = dad.post(f"{R}/{aid}/submit", headers={"Idempotency-Key": "once"})
    b = dad.post(f"{R}/{aid}/submit", headers={"Idempotency-Key": "once"})
    assert a.status_code == b.status_code == 200 and a.json["application_no"] == b.json["application_no"]


def test_a_draft_is_discarded_and_a_submitted_one_cannot_be(dad):
    aid = start(dad)
    assert dad.delete(f"{R}/{aid}").status_code == 204
    assert dad.get(f"{R}/{aid}").status_code == 404
    body = submitted(dad, TODAY)
    r = dad.delete(f"{R}/{body['id']}")
    assert r.status_code == 409 and r.json["code"] == "rescue.invalid_transition"


def test_someone_else_does_not_see_my_application(dad, login):
    body = submitted(dad, TODAY)
    other = login("李明")
    assert other.get(f"{R}/{body['id']}").status_code == 404


# --- the fund manager: return, resubmit, approve, reject, pay, close ---------------------------

def test_the_whole_walk_returned_resubmitted_approved_paid_closed(app, client, dad):
    body = submitted(dad, TODAY)
    aid = body["id"]
    queue = client.get(f"{P}/applications?status=submitted", headers=MANAGER).json
    item = next(i for i in queue["items"] if i["id"] == aid)
    assert item["victim"]["name"] == "赵*军" and item["applicant"] == "赵*山" and item["notice_verified"] is False
    r = manager(client, f"{aid}/return", json={"items": [{"item": "cost_list", "reason": "日清单缺少医院公章"}]})
    assert r.status_code == 200 and r.json["status"] == "returned"
    mine = dad.get(f"{R}/{aid}").json
    assert mine["returned_items"][0]["reason"] == "日清单缺少医院公章"
    assert mine["returned_items"][0]["item_label"] == "加盖公章的抢救治疗费日清单"
    assert mine["editable_steps"] == ["materials"]
    # Only the named item may change.
    r = dad.put(f"{R}/{aid}/contact", json={"contact_name": "赵大山", "contact_phone": "13935300156"})
    assert r.status_code == 409 and r.json["code"] == "rescue.not_reopened"
    page = mine["materials"]["cost_list"][0]["id"]
    assert dad.delete(f"{R}/{aid}/materials/cost_list/{page}").status_code == 200
    assert photo(dad, f"{R}/{aid}/materials/cost_list").status_code == 200
    # Resubmitted two days later: the review clock restarts from then.
    set_clock(app, TODAY + timedelta(days=2))
    dad.sign_in_again()
    r = dad.post(f"{R}/{aid}/resubmit")
    assert r.status_code == 200 and r.json["status"] == "submitted"
    assert r.json["review_due"] == "2026-12-08" and r.json["returned_items"] == []
    r = manager(client, f"{aid}/approve", json={"amount_within_7_days": "138900.00", "amount_beyond_7_days": "0"})
    assert r.status_code == 200 and r.json["approved_amount"] == "138900.00"
    assert r.json["payment_due"] == "2026-12-07"   # Thursday 12-03 → Fri, Mon
    r = manager(client, f"{aid}/payments", json={"amount": "138900.00", "paid_at": at(TODAY + timedelta(days=2), 9).isoformat(),
                                                 "payee": "阳泉市第一人民医院"})
    assert r.status_code == 200 and r.json["status"] == "paid" and r.json["paid_amount"] == "138900.00"
    r = manager(client, f"{aid}/close", json={"returned_amount": "0.00"})
    assert r.status_code == 200 and r.json["status"] == "closed" and r.json["final_amount"] == "138900.00"
    # The applicant was told at each turn.
    messages = {m["template"]: m for m in dad.get("/api/v1/me/messages").json["items"]}
    assert {"rescue_returned", "rescue_approved", "rescue_paid"} <= set(messages)
    assert "日清单缺少医院公章" in messages["rescue_returned"]["body"]
    assert "138,900.00" in messages["rescue_approved"]["body"]
    history = dad.get(f"{R}/{aid}/events").json
    events = [e["step"] for e in history]
    assert events[-4:] == ["resubmitted", "approved", "paid", "closed"] and "returned" in events
    returned = next(e for e in history if e["step"] == "returned")
    assert returned["summary"] == "补正项目：加盖公章的抢救治疗费日清单：日清单缺少医院公章"
    assert returned["actor"] == "山西省道路交通事故社会救助基金管理中心"


def test_a_return_names_items_and_refuses_unknown_ones(client, dad):
    aid = submitted(dad, TODAY)["id"]
    r = manager(client, f"{aid}/return", json={"items": []})
    assert r.status_code == 422 and r.json["code"] == "rescue.return_items_required"
    r = manager(client, f"{aid}/return", json={"items": [{"item": "shoe_size", "reason": "x"}]})
    assert r.status_code == 422 and r.json["code"] == "rescue.return_item_invalid"


def test_resubmit_only_from_returned_and_withdraw_from_returned(client, dad):
    aid = submitted(dad, TODAY)["id"]
    r = dad.post(f"{R}/{aid}/resubmit")
    assert r.status_code == 409 and r.json["code"] == "rescue.invalid_transition"
    manager(client, f"{aid}/return", json={"items": [{"item": "contact_phone", "reason": "电话打不通"}]})
    assert dad.get(f"{R}/{aid}").json["editable_steps"] == ["contact"]
    r = dad.post(f"{R}/{aid}/withdraw")
    assert r.status_code == 200 and r.json["status"] == "withdrawn"
    r = manager(client, f"{aid}/approve", json={"amount_within_7_days": "1.00"})
    assert r.status_code == 409 and r.json["code"] == "rescue.invalid_transition"


def test_withdraw_a_submitted_application_but_not_an_approved_one(client, dad):
    aid = submitted(dad, TODAY)["id"]
    other = submitted(dad, TODAY, accident_over={"police_notice_no": "N-2"})["id"]
    assert dad.post(f"{R}/{aid}/withdraw").json["status"] == "withdrawn"
    manager(client, f"{other}/approve", json={"amount_within_7_days": "1000.00"})
    r = dad.post(f"{R}/{other}/withdraw")
    assert r.status_code == 409 and r.json["code"] == "rescue.invalid_transition"


def test_approval_caps_the_part_beyond_7_days_at_300000(dad, client):
    aid = until_victim(dad, TODAY)
    photo(dad, f"{R}/{aid}/materials/over_7_days_explanation")
    hospital_step(dad, aid, TODAY, period="beyond_7_days", claimed_amount=None)
    photo(dad, f"{R}/{aid}/materials/cost_list")
    photo(dad, f"{R}/{aid}/materials/treatment_summary")
    dad.put(f"{R}/{aid}/contact", json={"contact_name": "赵大山", "contact_phone": "13935300155"})
    from tests.conftest import signature_png, upload
    dad.post(f"{R}/{aid}/signature", data=upload(signature_png()), content_type="multipart/form-data")
    assert dad.post(f"{R}/{aid}/submit").status_code == 200
    r = manager(client, f"{aid}/approve", json={"amount_within_7_days": "50000.00", "amount_beyond_7_days": "300000.01"})
    assert r.status_code == 422 and r.json["code"] == "rescue.over_cap"
    r = manager(client, f"{aid}/approve", json={"amount_within_7_days": "50000.00", "amount_beyond_7_days": "300000.00"})
    assert r.status_code == 200 and r.json["approved_amount"] == "350000.00"


def test_approval_refuses_a_beyond_part_without_beyond_care_and_more_than_claimed(client, dad):
    aid = submitted(dad, TODAY)["id"]
    r = manager(client, f"{aid}/approve", json={"amount_within_7_days": "100.00", "amount_beyond_7_days": "10.00"})
    assert r.status_code == 422 and r.json["code"] == "rescue.amount_invalid"
    r = manager(client, f"{aid}/approve", json={"amount_within_7_days": "138900.01"})
    assert r.status_code == 422 and r.json["code"] == "rescue.over_claimed"
    r = manager(client, f"{aid}/approve", json={"amount_within_7_days": "0"})
    assert r.status_code == 422 and r.json["code"] == "rescue.amount_invalid"


def test_reject_needs_a_reason_the_applicant_reads(client, dad):
    aid = submitted(dad, TODAY)["id"]
    r = manager(client, f"{aid}/reject", json={"reason": "   "})
    assert r.status_code == 422 and r.json["code"] == "rescue.reason_required"
    r = manager(client, f"{aid}/reject", json={"reason": "经核实不属于垫付情形"})
    assert r.status_code == 200 and r.json["status"] == "rejected"
    assert dad.get(f"{R}/{aid}").json["reject_reason"] == "经核实不属于垫付情形"
    r = manager(client, f"{aid}/payments", json={"amount": "1.00", "paid_at": at(TODAY).isoformat(),
                                                 "payee": "阳泉市第一人民医院"})
    assert r.status_code == 409 and r.json["code"] == "rescue.invalid_transition"


def test_payments_in_tranches_never_above_the_approved_amount_and_only_to_the_hospital(app, client, dad):
    aid = submitted(dad, TODAY)["id"]
    manager(client, f"{aid}/approve", json={"amount_within_7_days": "100000.00"})
    set_clock(app, TODAY + timedelta(days=1))
    pay = lambda amount, payee="阳泉市第一人民医院": manager(client, f"{aid}/payments", json={  # noqa: E731
        "amount": amount, "paid_at": at(TODAY + timedelta(days=1), 9).isoformat(), "payee": payee})
    r = pay("10.00", "赵大山")
    assert r.status_code == 422 and r.json["code"] == "rescue.payee_invalid"
    assert pay("60000.00").json["status"] == "paid"
    r = pay("40000.01")
    assert r.status_code == 422 and r.json["code"] == "rescue.payment_exceeds"
    r = pay("40000.00")
    assert r.status_code == 200 and r.json["paid_amount"] == "100000.00" and len(r.json["payments"]) == 2
    r = manager(client, f"{aid}/close", json={"returned_amount": "100000.01"})
    assert r.status_code == 422 and r.json["code"] == "rescue.amount_invalid"
    r = manager(client, f"{aid}/close", json={"returned_amount": "5000.00"})
    assert r.json["final_amount"] == "95000.00"
    r = pay("1.00")
    assert r.status_code == 409 and r.json["code"] == "rescue.invalid_transition"


def test_close_only_after_payment(client, dad):
    aid = submitted(dad, TODAY)["id"]
    manager(client, f"{aid}/approve", json={"amount_within_7_days": "1000.00"})
    r = manager(client, f"{aid}/close", json={"returned_amount": "0"})
    assert r.status_code == 409 and r.json["code"] == "rescue.invalid_transition"


def test_the_manager_does_not_see_drafts_nor_other_keys_act(client, dad):
    aid = ready(dad, TODAY)
    r = manager(client, f"{aid}/approve", json={"amount_within_7_days": "1.00"})
    assert r.status_code == 404
    submitted_id = submitted(dad, TODAY, accident_over={"police_notice_no": "N-3"})["id"]
    r = client.post(f"{P}/applications/{submitted_id}/approve", headers=POLICE, json={"amount_within_7_days": "1.00"})
    assert r.status_code == 403 and r.json["code"] == "partner.out_of_scope"


def test_another_provinces_fund_manager_is_out_of_scope(app, client, dad, runner):
    aid = submitted(dad, TODAY)["id"]
    from backend.services import partners
    with app.app_context():
        key, _ = partners.create("河北省道路交通事故社会救助基金管理中心", "fund_manager", "13")
    r = client.post(f"{P}/applications/{aid}/approve", headers={"X-Partner-Key": key},
                    json={"amount_within_7_days": "1.00"})
    assert r.status_code == 403 and r.json["code"] == "partner.out_of_scope"
    assert client.get(f"{P}/applications", headers={"X-Partner-Key": key}).json["total"] == 0


# --- partners looking at a page's picture ----------------------------------------------------

def test_the_fund_manager_sees_a_page_and_the_applicant_reads_who_looked(app, client, dad):
    body = submitted(dad, TODAY)
    page = body["materials"]["cost_list"][0]["id"]
    r = client.get(f"{P}/applications/{body['id']}/materials/cost_list/{page}", headers=MANAGER)
    assert r.status_code == 200 and r.mimetype == "image/jpeg" and r.data[:2] == b"\xff\xd8"
    assert r.headers["Cache-Control"] == "no-store"
    assert r.data == dad.get(f"{R}/{body['id']}/materials/cost_list/{page}").data   # the stored page itself
    looks = [i for i in dad.get("/api/v1/me/access-log").json["items"] if i["act"] == "viewed_material_page"]
    assert len(looks) == 1
    look = looks[0]
    assert look["actor"] == "山西省道路交通事故社会救助基金管理中心" and look["actor_role"] == "partner"
    assert look["act_label"] == "查看了您上传的申请材料照片"
    assert "加盖公章的抢救治疗费日清单" in look["summary"] and body["application_no"] in look["subject"]
    from backend.adapters.models import AccessLogEntry
    from backend.services.runtime import session
    with app.app_context():
        entry = session().query(AccessLogEntry).one()
        assert entry.detail["partner_role"] == "fund_manager" and entry.detail["partner_key_id"]
        assert entry.detail["page_id"] == page


def test_a_page_is_out_of_reach_of_another_province_of_the_police_and_of_a_draft(app, client, dad):
    body = submitted(dad, TODAY)
    page = body["materials"]["police_notice"][0]["id"]
    address = f"{P}/applications/{body['id']}/materials/police_notice/{page}"
    from backend.services import partners
    with app.app_context():
        hebei, _ = partners.create("河北省道路交通事故社会救助基金管理中心", "fund_manager", "13")
    for key in (hebei, "demo-police-140300"):
        r = client.get(address, headers={"X-Partner-Key": key})
        assert r.status_code == 403 and r.json["code"] == "partner.out_of_scope"
    r = client.get(f"{P}/applications/{body['id']}/materials/cost_list/{page}", headers=MANAGER)
    assert r.status_code == 404 and r.json["code"] == "rescue.page_not_found"   # not a page of that material
    draft = until_victim(dad, TODAY)
    first = dad.get(f"{R}/{draft}").json["materials"]["police_notice"][0]["id"]
    r = client.get(f"{P}/applications/{draft}/materials/police_notice/{first}", headers=MANAGER)
    assert r.status_code == 404 and r.json["code"] == "rescue.not_found"
    assert client.get(address).status_code == 401
    assert not [i for i in dad.get("/api/v1/me/access-log").json["items"] if i["act"] == "viewed_material_page"]


def test_the_hospital_sees_its_own_patients_papers_of_its_own_kinds_only(client, dad):
    body = submitted(dad, TODAY)
    own, other = hospital_id(client), hospital_id(client, "阳煤总医院")
    cost = body["materials"]["cost_list"][0]["id"]
    id_card = body["materials"]["victim_id_card"][0]["id"]
    r = client.get(f"{P}/applications/{body['id']}/materials/cost_list/{cost}",
                   headers={"X-Partner-Key": f"demo-hospital-{own}"})
    assert r.status_code == 200 and r.mimetype == "image/jpeg"
    r = client.get(f"{P}/applications/{body['id']}/materials/cost_list/{cost}",
                   headers={"X-Partner-Key": f"demo-hospital-{other}"})
    assert r.status_code == 403 and r.json["code"] == "rescue.page_not_for_hospital"
    r = client.get(f"{P}/applications/{body['id']}/materials/victim_id_card/{id_card}",
                   headers={"X-Partner-Key": f"demo-hospital-{own}"})
    assert r.status_code == 403 and r.json["code"] == "rescue.page_not_for_hospital"
    assert "受害人身份证明" in r.json["message"]
    looks = [i for i in dad.get("/api/v1/me/access-log").json["items"] if i["act"] == "viewed_material_page"]
    assert [i["actor"] for i in looks] == ["阳泉市第一人民医院"]


# --- police notices ---------------------------------------------------------------------------

def test_a_notice_registered_by_the_police_shows_as_verified(client, dad):
    r = client.post(f"{P}/notices", headers=POLICE, json={
        "notice_no": "阳公交垫〔2026〕0318号", "accident_at": at(TODAY - timedelta(days=3), 18, 40).isoformat(),
        "accident_region": "140300", "situation": "uninsured_vehicle", "victim_name": "赵小军"})
    assert r.status_code == 201 and r.json["victim_name"] == "赵*军"
    body = submitted(dad, TODAY)
    assert body["notice_verified"] is True
    r = client.post(f"{P}/notices", headers=POLICE, json={
        "notice_no": "阳公交垫〔2026〕0318号", "accident_at": at(TODAY).isoformat(), "accident_region": "140300",
        "situation": "hit_and_run"})
    assert r.status_code == 409 and r.json["code"] == "rescue.notice_exists"


def test_the_police_register_notices_of_their_own_region_only(client):
    r = client.post(f"{P}/notices", headers=POLICE, json={
        "notice_no": "并公交垫1", "accident_at": at(TODAY).isoformat(), "accident_region": "140100",
        "situation": "hit_and_run"})
    assert r.status_code == 403 and r.json["code"] == "rescue.notice_outside_region"
    r = client.post(f"{P}/notices", headers=MANAGER, json={
        "notice_no": "x", "accident_at": at(TODAY).isoformat(), "accident_region": "140300", "situation": "hit_and_run"})
    assert r.status_code == 403 and r.json["code"] == "partner.out_of_scope"


# --- hospitals ----------------------------------------------------------------------------------

def test_green_channel_hospitals_of_yangquan_and_taiyuan(client):
    yq = [h["name"] for h in client.get("/api/v1/rescue/hospitals?region=140300").json]
    ty = [h["name"] for h in client.get("/api/v1/rescue/hospitals?region=140100").json]
    assert {"阳泉市第一人民医院", "阳煤总医院"} <= set(yq) and len(ty) >= 3


def test_the_hospital_uploads_its_own_patients_cost_list_only(client, dad):
    aid = until_victim(dad, TODAY)
    hospital_step(dad, aid, TODAY)
    own = hospital_id(client)
    other = hospital_id(client, "阳煤总医院")
    from tests.api.flows import id_photo
    from tests.conftest import upload
    send = lambda key, material="cost_list": client.post(  # noqa: E731
        f"{P}/applications/{aid}/materials/{material}", headers={"X-Partner-Key": key},
        data=upload(id_photo(), "p.jpg", "image/jpeg"), content_type="multipart/form-data")
    r = send(f"demo-hospital-{other}")
    assert r.status_code == 403 and r.json["code"] == "rescue.not_for_hospital"
    r = send(f"demo-hospital-{own}", "victim_id_card")
    assert r.status_code == 422 and r.json["code"] == "rescue.material_not_for_hospital"
    assert send(f"demo-hospital-{own}").status_code == 201
    assert send(f"demo-hospital-{own}", "medical_record").status_code == 201
    body = dad.get(f"{R}/{aid}").json
    assert body["materials"]["cost_list"][0]["uploaded_by"] == "阳泉市第一人民医院"
    assert body["next_step"] == "contact"


# --- working days and the daily job -------------------------------------------------------------

def test_review_due_skips_national_day_and_counts_the_working_saturday(app, login):
    # Submitted Wednesday 2026-09-30: Oct 1-7 off; Oct 8, 9 and Saturday Oct 10 (调休上班).
    day = date(2026, 9, 30)
    set_clock(app, day)
    body = submitted(login("赵大山"), day)
    assert body["review_due"] == "2026-10-10" and body["due_dates_provisional"] is False


def test_across_the_2027_spring_festival_the_dates_are_marked_provisional(app, login):
    # Thursday 2027-02-04: Feb 5-10 off by the statutory rule; Feb 11, 12, 15.
    day = date(2027, 2, 4)
    set_clock(app, day)
    body = submitted(login("赵大山"), day)
    assert body["review_due"] == "2027-02-15" and body["due_dates_provisional"] is True


def test_the_daily_job_flags_an_overdue_review_once_without_moving_the_status(app, runner, dad):
    aid = submitted(dad, TODAY)["id"]
    set_clock(app, TODAY + timedelta(days=4))   # Saturday 12-05, review was due Friday 12-04
    assert runner.invoke(args=["expire"]).exit_code == 0
    dad.sign_in_again()
    body = dad.get(f"{R}/{aid}").json
    assert body["status"] == "submitted" and body["review_overdue"] is True
    runner.invoke(args=["expire"])
    events = [e["step"] for e in dad.get(f"{R}/{aid}/events").json]
    assert events.count("review_overdue") == 1


def test_partner_acts_on_my_application_are_in_my_access_log(client, dad):
    aid = submitted(dad, TODAY)["id"]
    manager(client, f"{aid}/return", json={"items": [{"item": "cost_list", "reason": "日清单缺少医院公章"}]})
    items = dad.get("/api/v1/me/access-log").json["items"]
    assert any(i["act"] == "rescue.returned" and i["actor"] == "山西省道路交通事故社会救助基金管理中心" for i in items)


def test_my_data_export_holds_my_applications_and_erasing_my_account_discards_my_drafts(app, dad):
    body = submitted(dad, TODAY)
    draft = start(dad)
    export = dad.get("/api/v1/me/data-export").json
    assert [a["application_no"] for a in export["rescue_applications"]] == [body["application_no"], None]
    assert export["rescue_applications"][0]["events"]
    assert dad.delete("/api/v1/me").status_code == 204
    from backend.adapters.models import RescueApplication
    from backend.services.runtime import session
    with app.app_context():
        statuses = {a.id: a.status for a in session().query(RescueApplication)}
    assert statuses == {body["id"]: "submitted", draft: "discarded"}


def test_a_returned_application_cannot_be_returned_again_or_approved_before_resubmission(client, dad):
    aid = submitted(dad, TODAY)["id"]
    items = {"items": [{"item": "cost_list", "reason": "日清单缺少医院公章"}]}
    assert manager(client, f"{aid}/return", json=items).status_code == 200
    r = manager(client, f"{aid}/return", json=items)
    assert r.status_code == 409 and r.json["code"] == "rescue.invalid_transition"
    r = manager(client, f"{aid}/approve", json={"amount_within_7_days": "1.00"})
    assert r.status_code == 409 and r.json["code"] == "rescue.invalid_transition"


def test_the_hospital_closes_its_own_patients_paid_application_only(app, client, dad):
    aid = submitted(dad, TODAY)["id"]
    manager(client, f"{aid}/approve", json={"amount_within_7_days": "1000.00"})
    manager(client, f"{aid}/payments", json={"amount": "1000.00", "paid_at": at(TODAY).isoformat(),
                                             "payee": "阳泉市第一人民医院"})
    other = hospital_id(client, "阳煤总医院")
    r = client.post(f"{P}/applications/{aid}/close", headers={"X-Partner-Key": f"demo-hospital-{other}"},
                    json={"returned_amount": "0"})
    assert r.status_code == 403 and r.json["code"] == "partner.out_of_scope"
    own = hospital_id(client)
    r = client.post(f"{P}/applications/{aid}/close", headers={"X-Partner-Key": f"demo-hospital-{own}"},
                    json={"returned_amount": "200.00"})
    assert r.status_code == 200 and r.json["status"] == "closed" and r.json["final_amount"] == "800.00"


def test_a_funeral_advance_needs_its_own_papers_and_is_capped_by_the_standard(client, dad):
    from tests.conftest import signature_png, upload
    aid = until_victim(dad, TODAY, kind="funeral", victim={**SON, "victim_condition": "deceased"})
    assert hospital_step(dad, aid, TODAY, claimed_amount=None).status_code == 200
    r = photo(dad, f"{R}/{aid}/materials/cost_list")
    assert r.status_code == 422 and r.json["code"] == "rescue.material_invalid"
    photo(dad, f"{R}/{aid}/materials/body_handling_notice")
    assert dad.get(f"{R}/{aid}").json["next_step"] == "materials"
    assert photo(dad, f"{R}/{aid}/materials/funeral_invoice").json["next_step"] == "contact"
    dad.put(f"{R}/{aid}/contact", json={"contact_name": "赵大山", "contact_phone": "13935300155"})
    dad.post(f"{R}/{aid}/signature", data=upload(signature_png()), content_type="multipart/form-data")
    body = dad.post(f"{R}/{aid}/submit").json
    assert body["status"] == "submitted" and body["kind_label"] == "丧葬费垫付"
    r = manager(client, f"{aid}/approve", json={"amount_within_7_days": "42000.01"})
    assert r.status_code == 422 and r.json["code"] == "rescue.over_cap"
    assert manager(client, f"{aid}/approve", json={"amount_within_7_days": "42000.00"}).status_code == 200
