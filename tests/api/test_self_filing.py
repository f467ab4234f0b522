"""Filing for oneself, seed 002 step by step: from 授权登录 to 备案成功."""

import io
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
import zxingcpp
from PIL import Image

from backend import create_app
from tests.api.flows import (effective_self_filing, long_term_details, self_filing_until_signature,
                             temporary_details)
from tests.conftest import PEOPLE, assert_error_shape, signature_png, upload

SELF_STEPS = ["insured", "notice", "details", "signature"]


def test_a_new_draft_lists_the_four_steps_in_seed_order(login):
    body = login("李明").post("/api/v1/filings", json={"for": "self"}).json
    assert body["status"] == "draft" and body["for"] == "self"
    assert [s["name"] for s in body["steps"]] == SELF_STEPS
    assert body["next_step"] == "insured"


def test_li_ming_files_for_himself_and_sees_bei_an_cheng_gong(login):
    liming = login("李明")
    filing = effective_self_filing(liming)
    assert filing["status"] == "effective" and filing["status_label"] == "备案成功"
    assert filing["filing_no"].startswith("YD140100")
    assert filing["valid_from"] == filing["start_date"] and filing["valid_to"] is None
    assert filing["destination_region_name"] == "海口市"
    assert all(step["done"] for step in filing["steps"]) and filing["next_step"] is None


@pytest.mark.parametrize("step, body", [
    ("notice", {"accepted": True, "version": "2026.1"}),
    ("details", long_term_details()),
])
def test_steps_cannot_be_skipped(login, step, body):
    liming = login("李明")
    fid = liming.post("/api/v1/filings", json={"for": "self"}).json["id"]
    error = assert_error_shape(liming.put(f"/api/v1/filings/{fid}/{step}", json=body), 409,
                               "filing.step_out_of_order")
    assert "请先完成" in error["message"]


def test_the_signature_cannot_come_before_the_details(login):
    liming = login("李明")
    fid = liming.post("/api/v1/filings", json={"for": "self"}).json["id"]
    liming.put(f"/api/v1/filings/{fid}/insured", json={"scheme": "employee", "insured_region": "140100"})
    response = liming.post(f"/api/v1/filings/{fid}/signature", data=upload(signature_png()),
                           content_type="multipart/form-data")
    assert_error_shape(response, 409, "filing.step_out_of_order")


def test_an_unfinished_filing_cannot_be_submitted(login):
    liming = login("李明")
    fid = self_filing_until_signature(liming)
    error = assert_error_shape(liming.post(f"/api/v1/filings/{fid}/submit"), 409, "filing.incomplete")
    assert "签署个人承诺书" in error["message"]


@pytest.mark.parametrize("body", [
    {"scheme": "resident", "insured_region": "140100"},   # wrong scheme
    {"scheme": "employee", "insured_region": "460100"},   # wrong region
])
def test_choices_that_do_not_match_the_insurance_record_stop_the_filing(login, body):
    liming = login("李明")
    fid = liming.post("/api/v1/filings", json={"for": "self"}).json["id"]
    error = assert_error_shape(liming.put(f"/api/v1/filings/{fid}/insured", json=body), 422,
                               "filing.insurance_mismatch")
    assert "无法备案" in error["message"]
    # The filing cannot go on: the notice still waits for a matching insured step.
    assert_error_shape(liming.put(f"/api/v1/filings/{fid}/notice", json={"accepted": True, "version": "2026.1"}),
                       409, "filing.step_out_of_order")
    assert liming.get(f"/api/v1/filings/{fid}").json["next_step"] == "insured"


def test_a_step_may_be_redone_while_the_filing_is_a_draft_and_later_steps_are_asked_again(login):
    liming = login("李明")
    fid = self_filing_until_signature(liming)
    again = liming.put(f"/api/v1/filings/{fid}/details", json=temporary_details())
    assert again.status_code == 200 and again.json["category"] == "temporary"
    redo = liming.put(f"/api/v1/filings/{fid}/insured", json={"scheme": "employee", "insured_region": "140100"})
    assert redo.json["next_step"] == "notice"


def test_an_outdated_notice_version_is_refused(login):
    liming = login("李明")
    fid = liming.post("/api/v1/filings", json={"for": "self"}).json["id"]
    liming.put(f"/api/v1/filings/{fid}/insured", json={"scheme": "employee", "insured_region": "140100"})
    error = assert_error_shape(liming.put(f"/api/v1/filings/{fid}/notice",
                                          json={"accepted": True, "version": "2019.1"}), 409,
                               "filing.notice_outdated")
    assert "2026.1" in error["message"]
    assert_error_shape(liming.put(f"/api/v1/filings/{fid}/notice", json={"accepted": False, "version": "2026.1"}),
                       422, "filing.notice_not_accepted")


@pytest.mark.parametrize("overrides, field", [
    ({"category": "long_term", "person_type": "emergency"}, "person_type"),
    ({"destination_region": "140100"}, "destination_region"),
    ({"destination_region": "460000"}, "destination_region"),
    ({"address": ""}, "address"),
    ({"contact_phone": "12345"}, "contact_phone"),
    ({"start_date": (date.today() - timedelta(days=400)).isoformat()}, "start_date"),
])
def test_details_that_break_a_rule_are_refused_field_by_field(login, overrides, field):
    liming = login("李明")
    fid = self_filing_until_signature(liming)
    error = assert_error_shape(liming.put(f"/api/v1/filings/{fid}/details", json=long_term_details(**overrides)),
                               422)
    assert field in error["errors"]


def test_a_temporary_filing_shorter_than_six_months_is_refused(login):
    liming = login("李明")
    fid = self_filing_until_signature(liming)
    start = date.today() + timedelta(days=3)
    error = assert_error_shape(liming.put(f"/api/v1/filings/{fid}/details", json=temporary_details(
        end_date=(start + timedelta(days=90)).isoformat())), 422, "filing.details_invalid")
    assert "不少于6个月" in error["errors"]["end_date"][0]


def test_a_temporary_filing_is_valid_until_its_end_date(login):
    liming = login("李明")
    start = date.today() + timedelta(days=3)
    filing = effective_self_filing(liming, details=temporary_details())
    assert filing["valid_from"] == start.isoformat()
    assert filing["valid_to"] == (start + timedelta(days=200)).isoformat()


def test_a_shanxi_resident_is_told_an_in_province_stay_needs_no_filing(login):
    zhao = login("赵大山")
    fid = zhao.post("/api/v1/filings", json={"for": "self"}).json["id"]
    zhao.put(f"/api/v1/filings/{fid}/insured", json={"scheme": "resident", "insured_region": "140300"})
    zhao.put(f"/api/v1/filings/{fid}/notice", json={"accepted": True, "version": "2026.1"})
    error = assert_error_shape(zhao.put(f"/api/v1/filings/{fid}/details", json=temporary_details(
        destination_region="140100", person_type="referral")), 422, "filing.not_required")
    assert "无需" in error["message"]


def test_a_second_long_term_filing_is_refused_at_the_insured_step_naming_the_first(login):
    liming = login("李明")
    first = effective_self_filing(liming)
    fid = liming.post("/api/v1/filings", json={"for": "self"}).json["id"]
    error = assert_error_shape(liming.put(f"/api/v1/filings/{fid}/insured", json={
        "scheme": "employee", "insured_region": "140100", "category": "long_term"}), 409, "filing.long_term_exists")
    assert first["filing_no"] in error["message"] and "取消" in error["message"] and "海口市" in error["message"]
    assert liming.get(f"/api/v1/filings/{fid}").json["next_step"] == "insured"


def test_a_second_long_term_filing_is_refused_at_the_details_when_the_type_comes_there(login):
    liming = login("李明")
    first = effective_self_filing(liming)
    fid = liming.post("/api/v1/filings", json={"for": "self"}).json["id"]
    assert liming.put(f"/api/v1/filings/{fid}/insured", json={"scheme": "employee", "insured_region": "140100"}
                      ).status_code == 200
    assert liming.put(f"/api/v1/filings/{fid}/notice", json={"accepted": True, "version": "2026.1"}).status_code == 200
    error = assert_error_shape(liming.put(f"/api/v1/filings/{fid}/details",
                                          json=long_term_details(destination_region="430100",
                                                                 person_type="stationed_worker")),
                               409, "filing.long_term_exists")
    assert first["filing_no"] in error["message"]
    # A temporary filing beside it is a different thing and goes on.
    assert liming.put(f"/api/v1/filings/{fid}/details", json=temporary_details()).status_code == 200


def _blank_png(mode="RGBA", colour=(0, 0, 0, 0), size=(600, 200), dot=False):
    image = Image.new(mode, size, colour)
    if dot:
        image.putpixel((300, 100), (0, 0, 0, 255) if mode == "RGBA" else (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _jpeg_signature():
    buffer = io.BytesIO()
    Image.open(io.BytesIO(signature_png())).convert("RGB").save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize("data, status, code", [
    (_blank_png(), 422, "signature.blank"),
    (_blank_png("RGB", (255, 255, 255)), 422, "signature.blank"),
    (_blank_png(dot=True), 422, "signature.blank"),
    (_jpeg_signature(), 415, "signature.not_png"),
    (b"%PDF-1.4 not an image", 415, "signature.not_png"),
    (_blank_png(size=(2400, 800)), 422, "signature.too_large_canvas"),
])
def test_blank_dotted_and_non_png_signatures_are_refused(login, data, status, code):
    liming = login("李明")
    fid = self_filing_until_signature(liming)
    response = liming.post(f"/api/v1/filings/{fid}/signature", data=upload(data, "sign.png"),
                           content_type="multipart/form-data")
    assert_error_shape(response, status, code)
    assert liming.get(f"/api/v1/filings/{fid}").json["next_step"] == "signature"


def test_a_signature_without_a_file_is_refused_in_chinese(login):
    liming = login("李明")
    fid = self_filing_until_signature(liming)
    body = assert_error_shape(liming.post(f"/api/v1/filings/{fid}/signature", data={},
                                          content_type="multipart/form-data"), 422)
    assert "file" in body["errors"]


def test_the_stored_signature_records_the_pledge_version_signer_and_time(login):
    liming = login("李明")
    filing = effective_self_filing(liming)
    assert filing["pledge_version"] == "2026.1" and filing["signed_at"]
    png = liming.get(f"/api/v1/filings/{filing['id']}/signature")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    assert png.headers["Cache-Control"] == "no-store"
    events = liming.get(f"/api/v1/filings/{filing['id']}/events").json
    signature = next(e for e in events if e["step"] == "signature")
    assert signature["detail"]["pledge_version"] == "2026.1" and len(signature["detail"]["signature_sha256"]) == 64


def test_the_same_idempotency_key_returns_the_same_filing(login):
    liming = login("李明")
    fid = self_filing_until_signature(liming)
    liming.post(f"/api/v1/filings/{fid}/signature", data=upload(signature_png()), content_type="multipart/form-data")
    first = liming.post(f"/api/v1/filings/{fid}/submit", headers={"Idempotency-Key": "tap-1"})
    second = liming.post(f"/api/v1/filings/{fid}/submit", headers={"Idempotency-Key": "tap-1"})
    assert first.status_code == second.status_code == 200
    assert first.json["filing_no"] == second.json["filing_no"]
    # A new key on an effective filing is a second submit, and is refused.
    assert_error_shape(liming.post(f"/api/v1/filings/{fid}/submit", headers={"Idempotency-Key": "tap-2"}), 409)


@pytest.mark.parametrize("same_key", [True, False])
def test_two_concurrent_submits_of_one_draft_make_one_filing(app, login, same_key):
    liming = login("李明")
    fid = self_filing_until_signature(liming)
    liming.post(f"/api/v1/filings/{fid}/signature", data=upload(signature_png()), content_type="multipart/form-data")
    barrier = threading.Barrier(4)
    answers = []

    def submit(n):
        client = app.test_client()
        barrier.wait()
        key = "double-tap" if same_key else f"tap-{n}"
        r = client.post(f"/api/v1/filings/{fid}/submit", headers={**liming.headers, "Idempotency-Key": key})
        answers.append((r.status_code, r.get_json()))

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(code for code, _ in answers)
    numbers = {body.get("filing_no") for code, body in answers if code == 200}
    assert len(numbers) == 1
    assert statuses == ([200] * 4 if same_key else [200, 409, 409, 409]), answers
    listing = liming.get("/api/v1/filings?for=self&status=effective").json
    assert listing["total"] == 1


def test_records_list_newest_first_filter_by_status_and_paginate(login):
    liming = login("李明")
    effective = effective_self_filing(liming, details=temporary_details())
    drafts = [liming.post("/api/v1/filings", json={"for": "self"}).json["id"] for _ in range(3)]
    everything = liming.get("/api/v1/filings?for=self&per_page=2").json
    assert everything["total"] == 4 and [f["id"] for f in everything["items"]] == drafts[::-1][:2]
    page_two = liming.get("/api/v1/filings?for=self&per_page=2&page=2").json
    assert [f["id"] for f in page_two["items"]] == [drafts[0], effective["id"]]
    only = liming.get("/api/v1/filings?for=self&status=effective").json
    assert [f["id"] for f in only["items"]] == [effective["id"]]
    assert liming.get("/api/v1/filings?for=other").json["total"] == 0


def test_a_draft_can_be_discarded_and_is_gone(login):
    liming = login("李明")
    fid = liming.post("/api/v1/filings", json={"for": "self"}).json["id"]
    assert liming.delete(f"/api/v1/filings/{fid}").status_code == 204
    assert_error_shape(liming.get(f"/api/v1/filings/{fid}"), 404)
    effective = effective_self_filing(liming)
    assert_error_shape(liming.delete(f"/api/v1/filings/{effective['id']}"), 409, "filing.invalid_transition")


def test_the_event_log_tells_each_step_with_time_and_who_acted_for_whom(login):
    liming = login("李明")
    filing = effective_self_filing(liming)
    events = liming.get(f"/api/v1/filings/{filing['id']}/events").json
    assert [e["step"] for e in events] == ["created", "insured", "notice", "details", "signature", "submitted"]
    assert all(e["actor"] == "李*" and e["on_behalf_of"] == "李*" and e["actor_role"] == "self" for e in events)


def _settle(client, filing_no, key="demo-settlement-key", at=None):
    # By default a moment ago: inside the validity of a filing that starts today.
    at = at or (datetime.now(timezone.utc) - timedelta(minutes=5)).isoformat()
    return client.post("/api/v1/partner/settlements", headers={"X-Partner-Key": key}, json={
        "filing_no": filing_no, "amount": "12345.60", "settled_at": at, "institution": "海南省人民医院"})


def test_a_filing_without_settlement_can_be_cancelled_online(login):
    liming = login("李明")
    filing = effective_self_filing(liming)
    cancelled = liming.post(f"/api/v1/filings/{filing['id']}/cancel", json={"reason": "不再去海口居住"})
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert cancelled.json["cancel_reason"] == "不再去海口居住"
    # Cancelling frees the way for a new long-term filing.
    assert effective_self_filing(liming)["status"] == "effective"


def test_cancelling_without_a_reason_is_asked_for_one_in_words_that_say_so(login, client):
    liming = login("李明")
    filing = effective_self_filing(liming)
    path = f"/api/v1/filings/{filing['id']}/cancel"
    for body in ({"reason": ""}, {"reason": "   "}, {}, {"reason": None}):
        error = assert_error_shape(liming.post(path, json=body), 422)
        assert error["errors"] == {"reason": ["请选择或填写取消原因。"]}, body
        assert "长度超出范围" not in error["message"]
    too_long = assert_error_shape(liming.post(path, json={"reason": "久" * 501}), 422)
    assert too_long["errors"] == {"reason": ["取消原因不能超过500字。"]}
    assert liming.get(f"/api/v1/filings/{filing['id']}").json["status"] == "effective"
    # The list the mini-program offers comes from the labels.
    assert client.get("/api/v1/labels").json["filing.cancel_reason"]["trip_cancelled"] == "行程取消，不再外出就医"


def test_a_filing_with_a_settlement_at_the_filing_place_cannot_be_cancelled(client, login):
    liming = login("李明")
    filing = effective_self_filing(liming, details=long_term_details(start_date=date.today().isoformat(),
                                                                     person_type="stationed_worker"))
    assert _settle(client, filing["filing_no"]).status_code == 201
    error = assert_error_shape(liming.post(f"/api/v1/filings/{filing['id']}/cancel", json={"reason": "搬家"}),
                               409, "filing.settled")
    beijing_today = datetime.now(timezone(timedelta(hours=8))).date()
    assert "海南省人民医院" in error["message"] and str(beijing_today) in error["message"]
    assert liming.get(f"/api/v1/filings/{filing['id']}").json["status"] == "effective"


def test_settlements_need_a_partner_key_and_a_real_effective_filing(client, login):
    assert_error_shape(_settle(client, "YD-nothing", key="guess"), 401, "partner.key_invalid")
    assert_error_shape(_settle(client, "YD-nothing"), 404)
    liming = login("李明")
    filing = effective_self_filing(liming)
    liming.post(f"/api/v1/filings/{filing['id']}/cancel", json={"reason": "计划取消"})
    assert_error_shape(_settle(client, filing["filing_no"]), 409, "settlement.filing_not_effective")


def test_the_certificate_qr_code_holds_a_verification_url_that_shows_only_a_masked_name(client, login):
    liming = login("李明")
    filing = effective_self_filing(liming)
    png = liming.get(f"/api/v1/filings/{filing['id']}/certificate.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))
    prefix = "http://127.0.0.1:5000/api/v1/filing-verifications/"
    assert code.text.startswith(prefix)
    token = code.text.removeprefix(prefix)
    assert token != str(filing["id"]) and len(token) >= 24
    verified = client.get(f"/api/v1/filing-verifications/{token}")
    assert verified.status_code == 200
    assert verified.json["name"] == "李*" and verified.json["status"] == "effective"
    assert verified.json["destination_region_name"] == "海口市"
    assert PEOPLE["李明"] not in verified.get_data(as_text=True)
    assert_error_shape(client.get("/api/v1/filing-verifications/guessed-token"), 404)


def test_a_draft_has_no_certificate(login):
    liming = login("李明")
    fid = liming.post("/api/v1/filings", json={"for": "self"}).json["id"]
    assert_error_shape(liming.get(f"/api/v1/filings/{fid}/certificate.png"), 409, "filing.no_certificate")


def test_a_draft_survives_a_restart(app, login):
    liming = login("李明")
    fid = self_filing_until_signature(liming)
    app.extensions["db"].dispose()
    restarted = create_app(dict(app.config))
    client = restarted.test_client()
    body = client.get(f"/api/v1/filings/{fid}", headers=liming.headers).json
    assert body["next_step"] == "signature" and body["destination_region"] == "460100"
    restarted.extensions["db"].dispose()


def test_no_full_id_number_appears_in_any_answer_of_the_walkthrough(client, login):
    liming = login("李明")
    seen = []
    original = liming.client.open

    def recording_open(*args, **kwargs):
        response = original(*args, **kwargs)
        seen.append(response.get_data())
        return response

    liming.client.open = recording_open
    filing = effective_self_filing(liming)
    liming.get("/api/v1/me")
    liming.get("/api/v1/me/insurance")
    liming.get("/api/v1/filings?for=self")
    liming.get(f"/api/v1/filings/{filing['id']}/events")
    liming.client.open = original
    assert len(seen) >= 10
    for body in seen:
        for number in PEOPLE.values():
            assert number.encode() not in body


def test_messages_name_the_fields_as_the_form_does_not_as_the_api_does(login):
    liming = login("李明")
    fid = self_filing_until_signature(liming)
    rule = assert_error_shape(liming.put(f"/api/v1/filings/{fid}/details",
                                         json=long_term_details(contact_phone="12345")), 422)
    assert "联系电话" in rule["message"] and "contact_phone" not in rule["message"]
    assert "contact_phone" in rule["errors"]  # the field key stays for scripts
    schema = assert_error_shape(liming.put(f"/api/v1/filings/{fid}/details",
                                           json=long_term_details(start_date="明天")), 422)
    assert "开始日期" in schema["message"] and "start_date" not in schema["message"]
