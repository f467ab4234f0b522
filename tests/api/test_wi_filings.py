"""Work-injury cross-province filing (seed 001): 张隽, insured for work injury in 乌鲁木齐,
files to 长沙; his wife 马丽 files a referral for him. Every transition and refusal,
as the worker, the agent, the agency and the settlement system meet them."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from backend.domain.filing import add_months
from tests.api.flows import id_photo
from tests.conftest import PEOPLE, assert_error_shape, signature_png, upload

API = "/api/v1"
WI = f"{API}/wi-filings"
AGENCY = {"X-Partner-Key": "demo-wi-agency-650100"}
SETTLEMENT = {"X-Partner-Key": "demo-settlement-key"}
ZHANG = {"name": "张隽", "id_number": PEOPLE["张隽"], "relation": "spouse"}


def today() -> date:
    return datetime.now(timezone(timedelta(hours=8))).date()


def residence(**overrides) -> dict:
    body = {"filing_type": "residence", "destination_region": "430100", "start_date": today().isoformat(),
            "address": "湖南省长沙市天心区劳动西路9号", "institution": "湖南省职业病防治院",
            "services": ["inpatient_medical", "inpatient_rehab"], "contact_name": "张隽",
            "contact_phone": "13134560190"}
    body.update(overrides)
    return body


def referral(**overrides) -> dict:
    start = today()
    body = {"filing_type": "referral", "destination_region": "430100", "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=90)).isoformat(), "institution": "湖南省职业病防治院",
            "referred_by": {"institution": "新疆维吾尔自治区人民医院", "document_no": "XJ-ZZ-2026-0193"},
            "services": ["inpatient_medical", "inpatient_rehab"], "contact_name": "马丽",
            "contact_phone": "13134560267"}
    body.update(overrides)
    return body


def notice(client) -> dict:
    return {"accepted": True, "version": client.get(f"{API}/documents/wi-filing-notice").json["version"]}


def ok(response, status=200):
    assert response.status_code == status, response.get_json()
    return response.get_json()


def sign(person, fid):
    return person.post(f"{WI}/{fid}/signature", data=upload(signature_png()), content_type="multipart/form-data")


def photo(person, fid, kind):
    return person.post(f"{WI}/{fid}/attachments/{kind}", data=upload(id_photo(), "card.jpg", "image/jpeg"),
                       content_type="multipart/form-data")


def own_draft(person, details=None) -> int:
    fid = ok(person.post(WI, json={"for": "self"}), 201)["id"]
    ok(person.put(f"{WI}/{fid}/injury", json={}))
    ok(person.put(f"{WI}/{fid}/notice", json=notice(person.client)))
    ok(person.put(f"{WI}/{fid}/details", json=details or residence()))
    ok(sign(person, fid))
    return fid


def submitted(person, details=None) -> dict:
    fid = own_draft(person, details)
    return ok(person.post(f"{WI}/{fid}/submit", headers={"Idempotency-Key": f"wi-{fid}"}))


def for_him(wife, details=None) -> dict:
    """马丽 files for 张隽: whose injury, the notice, photos of both, details, pledge, submit."""
    fid = ok(wife.post(WI, json={"for": "other"}), 201)["id"]
    ok(wife.put(f"{WI}/{fid}/injury", json=ZHANG))
    ok(wife.put(f"{WI}/{fid}/notice", json=notice(wife.client)))
    ok(photo(wife, fid, "agent_id_card"), 201)
    ok(photo(wife, fid, "insured_id_card"), 201)
    ok(wife.put(f"{WI}/{fid}/details", json=details or referral()))
    ok(sign(wife, fid))
    return ok(wife.post(f"{WI}/{fid}/submit", headers={"Idempotency-Key": f"wi-{fid}"}))


def templates(client, name) -> list[str]:
    return [m["template"] for m in client.get(f"{API}/qa/messages?id_number={PEOPLE.get(name) or name}").json]


# --- the registry ---------------------------------------------------------------------

def test_zhang_jun_sees_his_recognised_injury_and_li_ming_has_none(login):
    injuries = ok(login("张隽").get(f"{API}/me/work-injuries"))
    assert [(i["basis"], i["basis_label"], i["insured_region"], i["insured_region_name"]) for i in injuries] == [
        ("injury_recognition", "工伤认定", "650100", "乌鲁木齐市")]
    assert "脑外伤" in injuries[0]["injury"] and injuries[0]["decision_no"]
    assert ok(login("李明").get(f"{API}/me/work-injuries")) == []


def test_without_a_recognition_the_first_step_refuses(login):
    li = login("李明")
    fid = ok(li.post(WI, json={"for": "self"}), 201)["id"]
    body = assert_error_shape(li.put(f"{WI}/{fid}/injury", json={}), 409, "wi_filing.no_recognition")
    assert "工伤认定" in body["message"]


def test_an_injury_that_is_not_his_is_refused(login):
    zhang = login("张隽")
    fid = ok(zhang.post(WI, json={"for": "self"}), 201)["id"]
    assert_error_shape(zhang.put(f"{WI}/{fid}/injury", json={"injury_id": 999}), 422, "wi_filing.injury_unknown")


# --- 张隽 files for himself: residence, in force at once --------------------------------

def test_residence_takes_effect_at_once_with_certificate_and_message(login, client):
    zhang = login("张隽")
    done = submitted(zhang)
    assert done["status"] == "effective" and done["status_label"] == "备案成功"
    assert done["filing_no"].startswith("GS650100") and done["valid_from"] == today().isoformat()
    assert done["valid_to"] is None and done["kind_label"] == "工伤异地就医备案"
    assert done["injury"]["basis"] == "injury_recognition" and done["insured_region"] == "650100"
    assert [s["catalogue"] for s in done["services"]] == ["destination", "destination"]
    assert [s["name"] for s in done["steps"]] == ["injury", "notice", "details", "signature"]
    assert "wi_filing_effective" in templates(client, "张隽")
    png = zhang.get(f"{WI}/{done['id']}/certificate.png")
    assert png.status_code == 200 and png.data[:4] == b"\x89PNG"
    events = [e["step"] for e in ok(zhang.get(f"{WI}/{done['id']}/events"))]
    assert events == ["created", "injury", "notice", "details", "signature", "submitted"]
    listed = ok(zhang.get(f"{WI}?for=self"))
    assert [i["id"] for i in listed["items"]] == [done["id"]]


def test_the_certificate_verifies_as_a_work_injury_filing(login, client, app):
    zhang = login("张隽")
    done = submitted(zhang)
    from backend.adapters.models import WiFiling
    with app.app_context():
        token = app.extensions["db"].session.get(WiFiling, done["id"]).verification_token
    seen = ok(client.get(f"{API}/wi-filing-verifications/{token}"))
    assert seen["kind"] == "work_injury" and seen["kind_label"] == "工伤异地就医备案"
    assert seen["in_force"] is True and seen["name"] == "张*" and seen["filing_no"] == done["filing_no"]
    assert seen["services"] == ["住院工伤医疗费", "住院工伤康复费"]
    assert_error_shape(client.get(f"{API}/wi-filing-verifications/nope"), 404, "wi_filing.verification_not_found")
    log = ok(zhang.get(f"{API}/me/access-log"))["items"]
    assert log[0]["act"] == "verified_certificate" and "工伤异地就医备案" in log[0]["subject"]


def test_a_second_filing_is_refused_at_the_first_step_naming_the_one_in_force(login):
    zhang = login("张隽")
    done = submitted(zhang)
    fid = ok(zhang.post(WI, json={"for": "self"}), 201)["id"]
    body = assert_error_shape(zhang.put(f"{WI}/{fid}/injury", json={}), 409, "wi_filing.exists")
    assert done["filing_no"] in body["message"]


def test_the_same_idempotency_key_gives_the_same_filing(login):
    zhang = login("张隽")
    fid = own_draft(zhang)
    first = ok(zhang.post(f"{WI}/{fid}/submit", headers={"Idempotency-Key": "same"}))
    again = ok(zhang.post(f"{WI}/{fid}/submit", headers={"Idempotency-Key": "same"}))
    assert again["filing_no"] == first["filing_no"]
    assert_error_shape(zhang.post(f"{WI}/{fid}/submit", headers={"Idempotency-Key": "other"}), 409,
                       "wi_filing.invalid_transition")


# --- the steps' rules -----------------------------------------------------------------

def test_steps_in_order_and_submit_only_when_complete(login):
    zhang = login("张隽")
    fid = ok(zhang.post(WI, json={"for": "self"}), 201)["id"]
    assert_error_shape(zhang.put(f"{WI}/{fid}/details", json=residence()), 409, "wi_filing.step_out_of_order")
    ok(zhang.put(f"{WI}/{fid}/injury", json={}))
    assert_error_shape(zhang.post(f"{WI}/{fid}/submit"), 409, "wi_filing.incomplete")
    assert_error_shape(zhang.put(f"{WI}/{fid}/notice", json={"accepted": False, "version": "2026.1"}), 422,
                       "wi_filing.notice_not_accepted")
    assert_error_shape(zhang.put(f"{WI}/{fid}/notice", json={"accepted": True, "version": "1999.1"}), 409,
                       "wi_filing.notice_outdated")
    assert_error_shape(photo(zhang, fid, "insured_id_card"), 409, "wi_filing.attachments_not_needed")


def test_only_cross_province(login):
    zhang = login("张隽")
    fid = ok(zhang.post(WI, json={"for": "self"}), 201)["id"]
    ok(zhang.put(f"{WI}/{fid}/injury", json={}))
    ok(zhang.put(f"{WI}/{fid}/notice", json=notice(zhang.client)))
    body = assert_error_shape(zhang.put(f"{WI}/{fid}/details", json=residence(destination_region="650200")), 422,
                              "wi_filing.not_cross_province")
    assert body["errors"] == {"destination_region": ["就医地须在参保省份以外。"]}


@pytest.mark.parametrize("details, fields", [
    (residence(address=None), {"address"}),
    (residence(services=[]), {"services"}),
    (residence(contact_phone="123"), {"contact_phone"}),
    (referral(end_date=None, institution=None, referred_by=None),
     {"end_date", "institution", "referred_by.institution", "referred_by.document_no"}),
    (referral(end_date=(add_months(date.today(), 6) + timedelta(days=2)).isoformat()), {"end_date"}),
])
def test_details_are_checked_field_by_field(login, details, fields):
    zhang = login("张隽")
    fid = ok(zhang.post(WI, json={"for": "self"}), 201)["id"]
    ok(zhang.put(f"{WI}/{fid}/injury", json={}))
    ok(zhang.put(f"{WI}/{fid}/notice", json=notice(zhang.client)))
    body = assert_error_shape(zhang.put(f"{WI}/{fid}/details", json=details), 422)
    assert set(body["errors"]) == fields, body


def test_someone_elses_filing_does_not_exist_for_a_stranger(login):
    done = submitted(login("张隽"))
    stranger = login("李明")
    assert_error_shape(stranger.get(f"{WI}/{done['id']}"), 404, "wi_filing.not_found")
    assert_error_shape(stranger.post(f"{WI}/{done['id']}/cancel", json={"reason": "x"}), 404, "wi_filing.not_found")


def test_a_draft_is_discarded(login):
    zhang = login("张隽")
    fid = ok(zhang.post(WI, json={"for": "self"}), 201)["id"]
    assert zhang.delete(f"{WI}/{fid}").status_code == 204
    assert_error_shape(zhang.get(f"{WI}/{fid}"), 404, "wi_filing.not_found")


# --- settlement and cancellation ----------------------------------------------------------

def settle(client, filing_no, amounts, **overrides):
    body = {"filing_no": filing_no, "settled_at": (datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat(),
            "institution": "湖南省职业病防治院", "amounts": amounts, **overrides}
    return client.post(f"{API}/partner/wi-settlements", headers=overrides.pop("headers", SETTLEMENT), json=body)


def test_a_settlement_per_service_then_cancel_is_refused(login, client):
    zhang = login("张隽")
    done = submitted(zhang)
    settled = ok(settle(client, done["filing_no"], {"inpatient_medical": "12000.00"}), 201)
    assert settled["amounts"] == {"inpatient_medical": "12000.00"} and settled["total"] == "12000.00"
    filing = ok(zhang.get(f"{WI}/{done['id']}"))
    assert filing["settled"] is True and filing["settlements"][0]["institution"] == "湖南省职业病防治院"
    refused = assert_error_shape(zhang.post(f"{WI}/{done['id']}/cancel", json={"reason": "回乌鲁木齐"}), 409,
                                 "wi_filing.settled")
    assert "湖南省职业病防治院" in refused["message"]
    history = ok(zhang.get(f"{WI}/{done['id']}/events"))
    assert history[-1]["step"] == "settled" and "12000.00元" in history[-1]["summary"]


def test_settlements_are_refused_outside_the_filing(login, client):
    zhang = login("张隽")
    done = submitted(zhang)
    assert_error_shape(settle(client, done["filing_no"], {"assistive_device": "800.00"}), 422,
                       "wi_settlement.service_not_filed")
    assert_error_shape(settle(client, done["filing_no"], {}), 422, "wi_settlement.amount_missing")
    assert_error_shape(settle(client, "GS000", {"inpatient_medical": "1.00"}), 404, "wi_filing.not_found")
    yesterday = (datetime.now(timezone.utc) - timedelta(days=2)).isoformat()
    assert_error_shape(settle(client, done["filing_no"], {"inpatient_medical": "1.00"}, settled_at=yesterday), 422,
                       "settlement.outside_validity")
    assert_error_shape(settle(client, done["filing_no"], {"inpatient_medical": "0"}), 422,
                       "settlement.amount_invalid")
    assert_error_shape(settle(client, done["filing_no"], {"inpatient_medical": "1.00"}, headers=AGENCY), 403,
                       "partner.out_of_scope")


def test_cancel_without_a_settlement_with_a_message(login, client):
    zhang = login("张隽")
    done = submitted(zhang)
    cancelled = ok(zhang.post(f"{WI}/{done['id']}/cancel", json={"reason": "计划有变"}))
    assert cancelled["status"] == "cancelled" and cancelled["cancel_reason"] == "计划有变"
    assert "wi_filing_cancelled" in templates(client, "张隽")
    assert_error_shape(settle(client, done["filing_no"], {"inpatient_medical": "1.00"}), 409,
                       "settlement.filing_not_effective")
    assert_error_shape(zhang.get(f"{WI}/{done['id']}/certificate.png"), 409, "wi_filing.no_certificate")


# --- 马丽 files a referral for him; the agency of 乌鲁木齐 answers --------------------------------

def test_the_wife_files_a_referral_it_waits_and_the_agency_approves(login, client):
    wife = login("马丽")
    pending = for_him(wife)
    assert pending["status"] == "pending" and pending["status_label"] == "待参保地经办机构审核"
    assert [s["name"] for s in pending["steps"]] == ["injury", "notice", "attachments", "details", "signature"]
    assert pending["insured_person"]["name"] == "张隽" and pending["viewer_role"] == "agent"
    assert pending["referred_by"]["document_no"] == "XJ-ZZ-2026-0193"
    sent = templates(client, "张隽")
    assert "wi_filing_pending" in sent and "wi_filing_made_by_agent" in sent
    queue = ok(client.get(f"{API}/partner/wi-filings?status=pending", headers=AGENCY))
    assert [i["id"] for i in queue["items"]] == [pending["id"]]
    assert queue["items"][0]["insured_person"]["name"] == "张*"
    assert_error_shape(client.get(f"{WI}/{pending['id']}/certificate.png",
                                  headers=wife.headers), 409, "wi_filing.no_certificate")
    approved = ok(client.post(f"{API}/partner/wi-filings/{pending['id']}/approve", headers=AGENCY))
    assert approved["status"] == "effective" and approved["decided_by"] == "乌鲁木齐市工伤保险经办机构"
    assert approved["valid_to"] == referral()["end_date"]
    assert "wi_filing_effective" in templates(client, "张隽")
    assert_error_shape(client.post(f"{API}/partner/wi-filings/{pending['id']}/approve", headers=AGENCY), 409,
                       "wi_filing.invalid_transition")
    # 张隽 finds it, made by his masked agent; his access log names the agency's answer
    zhang = login("张隽")
    mine = ok(zhang.get(f"{WI}?for=self"))["items"]
    assert [(i["id"], i["made_by_agent"], i["agent"]["name"]) for i in mine] == [(pending["id"], True, "马*")]
    acts = [(e["act"], e["actor"]) for e in ok(zhang.get(f"{API}/me/access-log?per_page=100"))["items"]]
    assert ("wi_filing.approved", "乌鲁木齐市工伤保险经办机构") in acts and ("wi_filing.submitted", "马*") in acts


def test_the_agency_rejects_with_a_reason_the_worker_reads(login, client):
    pending = for_him(login("马丽"))
    path = f"{API}/partner/wi-filings/{pending['id']}/reject"
    assert_error_shape(client.post(path, headers=AGENCY, json={"reason": "  "}), 422, "wi_filing.reason_required")
    rejected = ok(client.post(path, headers=AGENCY, json={"reason": "参保地协议机构具备相应诊疗条件"}))
    assert rejected["status"] == "rejected" and rejected["reject_reason"] == "参保地协议机构具备相应诊疗条件"
    assert "wi_filing_rejected" in templates(client, "张隽")
    # rejected is not in force: he may file again
    zhang = login("张隽")
    fid = ok(zhang.post(WI, json={"for": "self"}), 201)["id"]
    ok(zhang.put(f"{WI}/{fid}/injury", json={}))


def test_only_the_insured_places_agency_answers(login, client, runner):
    pending = for_him(login("马丽"))
    made = runner.invoke(args=["partner-key", "create", "--organisation", "太原市工伤保险经办机构",
                               "--role", "wi_agency", "--scope", "140100"])
    key = [w for w in made.output.split() if w.startswith("yb_")][0]
    other = {"X-Partner-Key": key}
    assert_error_shape(client.post(f"{API}/partner/wi-filings/{pending['id']}/approve", headers=other), 403,
                       "partner.out_of_scope")
    assert_error_shape(client.post(f"{API}/partner/wi-filings/{pending['id']}/approve", headers=SETTLEMENT), 403,
                       "partner.out_of_scope")
    assert ok(client.get(f"{API}/partner/wi-filings", headers=other))["total"] == 0
    assert_error_shape(client.post(f"{API}/partner/wi-filings/999/approve", headers=AGENCY), 404,
                       "wi_filing.not_found")


def test_a_pending_referral_is_withdrawn_by_the_agent(login, client):
    wife = login("马丽")
    pending = for_him(wife)
    withdrawn = ok(wife.post(f"{WI}/{pending['id']}/cancel", json={"reason": "已在乌鲁木齐住院"}))
    assert withdrawn["status"] == "cancelled"
    assert_error_shape(client.post(f"{API}/partner/wi-filings/{pending['id']}/approve", headers=AGENCY), 409,
                       "wi_filing.invalid_transition")


def test_after_a_settlement_the_agency_ends_the_filing_and_the_wife_files_a_referral(login, client):
    zhang = login("张隽")
    done = submitted(zhang)
    ok(settle(client, done["filing_no"], {"inpatient_medical": "12000.00"}), 201)
    wife = login("马丽")
    fid = ok(wife.post(WI, json={"for": "other"}), 201)["id"]
    assert_error_shape(wife.put(f"{WI}/{fid}/injury", json=ZHANG), 409, "wi_filing.exists")
    ended = ok(client.post(f"{API}/partner/wi-filings/{done['id']}/cancel", headers=AGENCY,
                           json={"reason": "本人返回参保地，申请终止异地居住备案"}))
    assert ended["status"] == "cancelled"
    assert ok(wife.put(f"{WI}/{fid}/injury", json=ZHANG))["next_step"] == "notice"


def test_a_referral_expires_after_its_end_date(login, app):
    pending = for_him(login("马丽"))
    from backend.services import wi_filings
    with app.app_context():
        assert wi_filings.expire_due(date.fromisoformat(referral()["end_date"]) + timedelta(days=1)) == 1
    zhang = login("张隽")
    assert ok(zhang.get(f"{WI}/{pending['id']}"))["status"] == "expired"
    assert ok(zhang.get(f"{WI}/{pending['id']}/events"))[-1]["step"] == "expired"


def test_the_agent_must_be_related_as_the_household_says(login):
    wife = login("马丽")
    fid = ok(wife.post(WI, json={"for": "other"}), 201)["id"]
    assert_error_shape(wife.put(f"{WI}/{fid}/injury", json={**ZHANG, "relation": "parent"}), 422,
                       "agent.relation_mismatch")
    assert_error_shape(wife.put(f"{WI}/{fid}/injury", json={"name": "张隽"}), 422, "wi_filing.insured_incomplete")


def test_his_data_export_holds_his_work_injury_filings_and_erasure_discards_a_draft(login, app):
    zhang = login("张隽")
    done = submitted(zhang)
    export = ok(zhang.get(f"{API}/me/data-export"))
    assert [(f["filing_no"], f["events"][-1]["step"]) for f in export["wi_filings"]] == [(done["filing_no"], "submitted")]
    wife = login("马丽")
    draft = ok(wife.post(WI, json={"for": "other"}), 201)["id"]
    assert wife.delete(f"{API}/me").status_code == 204
    from backend.adapters.models import WiFiling
    with app.app_context():
        assert app.extensions["db"].session.get(WiFiling, draft).status == "discarded"
