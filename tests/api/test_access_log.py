"""Every act has an author, and the person reads who acted on or looked at their data
(`GET /me/access-log`, PIPL art. 45)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from backend.adapters.models import AccessLogEntry, Filing, FilingEvent, SignupEvent
from backend.services.runtime import session
from tests.api.flows import FILINGS, effective_proxy_filing, effective_self_filing
from tests.api.test_family_doctor import ZHOUMIN, active, son_as_member, team_named, travel_to
from tests.conftest import assert_error_shape

LOG = "/api/v1/me/access-log"


def _log(person, **query) -> dict:
    response = person.get(LOG, query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def _photo(filing: dict, kind: str) -> dict:
    return next(a for a in filing["attachments"] if a["kind"] == kind)


def test_a_proxy_filing_shows_in_wang_xiuyings_access_log_with_li_mings_masked_name_and_each_photo_view(login):
    liming = login("李明")
    filing = effective_proxy_filing(liming)
    hukou = _photo(filing, "insured_hukou")
    assert liming.get(f"{FILINGS}/{filing['id']}/attachments/{hukou['id']}").status_code == 200
    assert liming.get(f"{FILINGS}/{filing['id']}/attachments/{hukou['id']}/thumbnail").status_code == 200
    # his own ID card is his: looking at it is not logged anywhere
    own = _photo(filing, "agent_id_card")
    assert liming.get(f"{FILINGS}/{filing['id']}/attachments/{own['id']}").status_code == 200

    wang = login("王秀英")
    log = _log(wang)
    acts = [item["act"] for item in log["items"]]
    assert acts.count("viewed_id_photo") == 2
    assert "filing.submitted" in acts and "filing.attachment_uploaded" in acts
    assert all(item["actor"] == "李*" and item["actor_role"] == "agent" and item["actor_role_label"] == "代办人"
               for item in log["items"])
    photo = next(item for item in log["items"] if item["act"] == "viewed_id_photo")
    assert photo["act_label"] == "查看了您的证件照片"
    assert "参保人户口本" in photo["summary"]
    assert photo["subject"] == f"异地就医备案（备案号 {filing['filing_no']}）"
    assert photo["record"] == {"kind": "filing", "id": filing["id"]}
    submitted = next(item for item in log["items"] if item["act"] == "filing.submitted")
    assert submitted["act_label"] == "提交备案，备案成功"
    # newest first: the looks came after the submit
    assert acts.index("viewed_id_photo") < acts.index("filing.submitted")
    assert log["total"] == len(log["items"]) and log["page"] == 1


def test_the_access_log_is_paginated_like_the_other_lists(login):
    liming = login("李明")
    effective_proxy_filing(liming)
    wang = login("王秀英")
    everything = _log(wang)["items"]
    first, second = _log(wang, page=1, per_page=3), _log(wang, page=2, per_page=3)
    assert first["total"] == second["total"] == len(everything) > 6
    assert first["items"] + second["items"] == everything[:6]


def test_the_agent_reading_her_record_and_signatures_is_logged_and_she_reading_his_papers_is_logged_for_him(login):
    liming = login("李明")
    filing = effective_proxy_filing(liming)
    assert liming.get(f"{FILINGS}/{filing['id']}").status_code == 200
    assert liming.get(f"{FILINGS}", query_string={"for": "other"}).status_code == 200
    assert liming.get(f"{FILINGS}/{filing['id']}/agent-declaration/signature").status_code == 200  # his own
    wang = login("王秀英")
    records = [i for i in _log(wang)["items"] if i["act"] == "viewed_record"]
    assert len(records) == 2 and {i["summary"] for i in records} == {"", "在记录列表中查看"}
    # She may see his ID card and his signatures: each look goes into *his* log.
    card = _photo(filing, "agent_id_card")
    assert wang.get(f"{FILINGS}/{filing['id']}/attachments/{card['id']}").status_code == 200
    assert wang.get(f"{FILINGS}/{filing['id']}/signature").status_code == 200
    assert wang.get(f"{FILINGS}/{filing['id']}").status_code == 200  # her own record: not logged
    his = _log(liming)["items"]
    assert [(i["act"], i["actor"], i["actor_role_label"]) for i in his] == [
        ("viewed_signature", "王*英", "备案人"), ("viewed_id_photo", "王*英", "备案人")]
    assert his[0]["summary"] == "签名：个人承诺书签名"


def test_a_public_verification_and_a_settlement_are_logged_with_who_did_them(app, client, login):
    liming = login("李明")
    filing = effective_self_filing(liming)
    with app.app_context():
        assert session().scalar(select(AccessLogEntry.id)) is None  # his own filing: nothing logged
        token = session().get(Filing, filing["id"]).verification_token
    assert client.get(f"/api/v1/filing-verifications/{token}").status_code == 200
    travel_to(app, date.fromisoformat(filing["valid_from"]) + timedelta(days=1), liming)
    settled = client.post("/api/v1/partner/settlements", headers={"X-Partner-Key": "demo-settlement-key"}, json={
        "filing_no": filing["filing_no"], "amount": "100.00", "settled_at": filing["valid_from"] + "T10:00:00+08:00",
        "institution": "海南省人民医院"})
    assert settled.status_code == 201, settled.json
    log = _log(liming)["items"]
    assert [(i["act"], i["actor"], i["actor_role_label"], i["act_label"]) for i in log] == [
        ("filing.settled", "国家医保信息平台（异地就医结算）", "合作机构", "医保结算"),
        ("verified_certificate", "扫码核验", "扫码核验", "核验了您的备案凭证")]
    assert "结算机构：海南省人民医院" in log[0]["summary"]
    # an unknown token logs nothing
    assert_error_shape(client.get("/api/v1/filing-verifications/nothing-here"), 404)
    assert _log(liming)["total"] == 2


def test_a_team_answering_and_a_mother_reading_her_sons_sign_up_show_in_the_sons_log(client, login):
    mother = login("陈小红")
    member_id = son_as_member(mother)
    signup = active(client, mother, team_named(client, ZHOUMIN), **{"for": "member", "member_id": member_id})
    history = mother.get(f"/api/v1/fd/signups/{signup['id']}/events").json
    accepted = next(e for e in history if e["step"] == "accepted")
    assert accepted["actor_role"] == "partner" and accepted["actor"].endswith(ZHOUMIN)
    with client.application.app_context():
        son_id = session().scalar(select(SignupEvent.on_behalf_of_person_id).limit(1))
        entries = session().scalars(select(AccessLogEntry).where(AccessLogEntry.subject_person_id == son_id)).all()
        # `active` read the sign-up once as the mother: one look at her son's record
        assert [(e.act, e.actor_role, e.record_kind) for e in entries] == [("viewed_record", "agent", "signup")]


def test_every_history_event_records_the_acting_account_and_its_capacity(client, login):
    liming = login("李明")
    filing = effective_proxy_filing(liming)
    me = liming.get("/api/v1/me").json
    with client.application.app_context():
        events = session().scalars(select(FilingEvent).where(FilingEvent.filing_id == filing["id"])).all()
        assert events and all(e.actor_account_id == me["id"] and e.actor_role == "agent"
                              and e.actor_organisation is None for e in events)


def test_the_access_log_needs_a_login_and_a_bound_identity(client, login):
    assert_error_shape(client.get(LOG), 401)
    assert_error_shape(login(code="demo-unbound").get(LOG), 403, "identity.required")
