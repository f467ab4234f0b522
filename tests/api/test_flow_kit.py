"""What the step-flow kit promises every flow alike: Chinese labels from one table,
one answer for "not yours", status moves through the table (expiry included, with an
event), idempotent submits, and a cancellation that never commits beside a settlement."""

from __future__ import annotations

import json
import re
import threading
from datetime import date, datetime, time, timedelta, timezone

import pytest

from backend.services.runtime import CHINA
from tests.api.flows import (FILINGS, effective_proxy_filing, effective_self_filing, long_term_details,
                             self_filing_until_signature, temporary_details)
from tests.conftest import ROOT, assert_error_shape, signature_png, upload

ENGLISH_KEY = re.compile(r"\b[a-z]+(_[a-z]+)+\b")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _enum_values(node, found):
    if isinstance(node, dict):
        for value in node.get("enum", []):
            if isinstance(value, str):
                found.add(value)
        for child in node.values():
            _enum_values(child, found)
    elif isinstance(node, list):
        for child in node:
            _enum_values(child, found)
    return found


def test_every_enum_value_of_the_spec_has_a_chinese_label_in_the_served_table(client):
    table = client.get("/api/v1/labels").json
    labelled = {value for group in table.values() for value in group}
    spec = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    missing = sorted(_enum_values(spec, set()) - labelled)
    assert missing == [], f"values without a label in backend/domain/labels.py: {missing}"
    for group, values in table.items():
        for value, label in values.items():
            assert CHINESE.search(label) and not ENGLISH_KEY.search(label), (group, value, label)


def test_the_served_labels_name_every_step_status_and_event_of_both_flows(client):
    table = client.get("/api/v1/labels").json
    assert table["filing.step"]["agent_declaration"] == "签署代办承诺书"
    assert table["filing.status"]["effective"] == "备案成功"
    assert table["filing.event"]["attachment_uploaded"] == "上传证件照片"
    assert table["signup.event"]["terminated_by_team"] == "团队解约"
    assert table["signup.cancel_reason"]["own_wish"] == "本人申请解约"


def _labels_in(node, path=""):
    """Every value a person reads: `label`, `*_label(s)`, `summary`, `message`."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}"
            if key in ("label", "summary", "message") or key.endswith("_label") or key.endswith("_labels"):
                for text in value if isinstance(value, list) else [value]:
                    if text:
                        yield here, text
            yield from _labels_in(value, here)
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _labels_in(child, f"{path}[{i}]")


def test_no_label_in_any_answer_of_a_proxy_filing_or_a_sign_up_is_an_english_key(app, client, login):
    liming = login("李明")
    filing = effective_proxy_filing(liming)
    answers = [filing, liming.get(f"{FILINGS}/{filing['id']}/events").json,
               liming.post(f"{FILINGS}/{filing['id']}/cancel", json={"reason": "回太原居住"}).json,
               liming.get(f"{FILINGS}/{filing['id']}/events").json]
    chen = login("陈小红")
    team = client.get("/api/v1/fd/institutions?region=430100").json[0]["teams"][0]["id"]
    signup = chen.post("/api/v1/fd/signups", json={"for": "self", "team_id": team}).json
    chen.post(f"/api/v1/fd/signups/{signup['id']}/cancel", json={"reason": "own_wish"})
    answers += [chen.get(f"/api/v1/fd/signups/{signup['id']}").json,
                chen.get(f"/api/v1/fd/signups/{signup['id']}/events").json]
    seen = list(_labels_in(answers))
    assert any(text == "本人申请解约" or "本人申请解约" in text for _, text in seen)
    for where, text in seen:
        assert CHINESE.search(text) and not ENGLISH_KEY.search(text), (where, text)


def test_every_history_line_has_a_label_a_role_in_words_and_a_summary(login):
    liming = login("李明")
    filing = effective_proxy_filing(liming)
    events = liming.get(f"{FILINGS}/{filing['id']}/events").json
    by_step = {e["step"]: e for e in events}
    assert by_step["agent_declaration_signed"]["label"] == "签署代办承诺书"
    assert by_step["attachment_uploaded"]["summary"].startswith("证件：")
    assert by_step["submitted"]["summary"] == f"备案号：{filing['filing_no']}"
    assert {e["actor_role_label"] for e in events} == {"代办人"}


def test_not_yours_is_404_in_filings_and_sign_ups_alike(client, login):
    liming, wang = login("李明"), login("王秀英")
    draft = liming.post(FILINGS, json={"for": "other"}).json["id"]
    liming.put(f"{FILINGS}/{draft}/insured", json={"name": "王秀英", "id_number": "140121195203180429",
                                                   "relation": "parent", "scheme": "employee",
                                                   "insured_region": "140100"})
    # She may read the draft made for her, but it is not hers to fill in.
    assert wang.get(f"{FILINGS}/{draft}").status_code == 200
    assert_error_shape(wang.put(f"{FILINGS}/{draft}/notice", json={"accepted": True, "version": "2026.1"}),
                       404, "filing.not_found")
    chen = login("陈小红")
    member = chen.post("/api/v1/me/family-members", json={"name": "刘小宝", "id_number": "430121202309020572",
                                                          "relation": "child"}).json["id"]
    team = client.get("/api/v1/fd/institutions?region=430100").json[0]["teams"][0]["id"]
    signup = chen.post("/api/v1/fd/signups", json={"for": "member", "member_id": member, "team_id": team}).json
    stranger = login("张隽")
    assert_error_shape(stranger.put(f"/api/v1/fd/signups/{signup['id']}/agreement",
                                    json={"accepted": True, "version": "2026.1"}), 404, "signup.not_found")


def test_a_sign_up_submit_with_the_same_idempotency_key_answers_the_same_and_holds_one_place(client, login):
    chen = login("陈小红")
    team = client.get("/api/v1/fd/institutions?region=430100").json[0]["teams"][0]
    signup = chen.post("/api/v1/fd/signups", json={"for": "self", "team_id": team["id"]}).json
    version = client.get("/api/v1/documents/signup-agreement").json["version"]
    chen.put(f"/api/v1/fd/signups/{signup['id']}/agreement", json={"accepted": True, "version": version})
    chen.post(f"/api/v1/fd/signups/{signup['id']}/signature", data=upload(signature_png()),
              content_type="multipart/form-data")
    first = chen.post(f"/api/v1/fd/signups/{signup['id']}/submit", headers={"Idempotency-Key": "tap"})
    again = chen.post(f"/api/v1/fd/signups/{signup['id']}/submit", headers={"Idempotency-Key": "tap"})
    assert first.status_code == again.status_code == 200
    assert again.json["status"] == "pending" and again.json["submitted_at"] == first.json["submitted_at"]
    assert client.get(f"/api/v1/fd/teams/{team['id']}").json["signed"] == team["signed"] + 1
    assert_error_shape(chen.post(f"/api/v1/fd/signups/{signup['id']}/submit", headers={"Idempotency-Key": "new"}),
                       409, "signup.invalid_transition")


def test_a_temporary_filing_expires_through_the_table_with_an_event_by_the_system(app, login, runner):
    liming = login("李明")
    filing = effective_self_filing(liming, details=temporary_details())
    last = date.fromisoformat(filing["valid_to"])
    app.config["CLOCK"] = lambda: datetime.combine(last + timedelta(days=1), time(9), CHINA).astimezone(timezone.utc)
    liming.sign_in_again()
    result = runner.invoke(args=["expire"])
    assert "'filings': 1" in result.output, result.output
    assert liming.get(f"{FILINGS}/{filing['id']}").json["status"] == "expired"
    expired = liming.get(f"{FILINGS}/{filing['id']}/events").json[-1]
    assert (expired["step"], expired["label"], expired["actor_role"]) == ("expired", "备案到期", "system")
    assert "'filings': 0" in runner.invoke(args=["expire"]).output


# --- the facts the flows used to get wrong --------------------------------------------------

def test_a_working_employee_cannot_file_as_retired_and_resettled(login):
    zhang = login("张隽")   # employee of 乌鲁木齐, works in 长沙: not retired
    fid = self_filing_until_signature(zhang, region="650100",
                                      details=long_term_details(destination_region="430100",
                                                                person_type="stationed_worker"))
    refused = zhang.put(f"{FILINGS}/{fid}/details", json=long_term_details(destination_region="430100",
                                                                            person_type="retired_resettled"))
    body = assert_error_shape(refused, 422, "filing.details_invalid")
    assert "不是职工医保退休人员" in body["errors"]["person_type"][0]


def test_a_retired_employee_files_as_retired_and_resettled(login):
    wang = login("王秀英")
    fid = self_filing_until_signature(wang, details=long_term_details(person_type="retired_resettled"))
    assert wang.get(f"{FILINGS}/{fid}").json["person_type"] == "retired_resettled"


def _settle(client, filing_no, at):
    return client.post("/api/v1/partner/settlements", headers={"X-Partner-Key": "demo-settlement-key"}, json={
        "filing_no": filing_no, "amount": "100.00", "settled_at": at, "institution": "海南省人民医院"})


def test_a_settlement_before_the_filing_starts_or_in_the_future_is_refused(app, client, login):
    liming = login("李明")
    filing = effective_self_filing(liming)   # starts in a week
    starts = date.fromisoformat(filing["valid_from"])
    app.config["CLOCK"] = lambda: datetime.combine(starts + timedelta(days=2), time(12), CHINA).astimezone(timezone.utc)
    liming.sign_in_again()
    before = f"{starts - timedelta(days=1)}T10:00:00+08:00"
    body = assert_error_shape(_settle(client, filing["filing_no"], before), 422, "settlement.outside_validity")
    assert str(starts) in body["message"]
    future = f"{starts + timedelta(days=2)}T14:00:00+08:00"   # two hours after "now"
    assert_error_shape(_settle(client, filing["filing_no"], future), 422, "settlement.in_future")
    assert liming.get(f"{FILINGS}/{filing['id']}").json["settled"] is False


def test_a_settlement_after_a_temporary_filing_ends_is_refused(app, client, login):
    liming = login("李明")
    filing = effective_self_filing(liming, details=temporary_details())
    ends = date.fromisoformat(filing["valid_to"])
    app.config["CLOCK"] = lambda: datetime.combine(ends + timedelta(days=3), time(12), CHINA).astimezone(timezone.utc)
    after = f"{ends + timedelta(days=1)}T10:00:00+08:00"
    assert_error_shape(_settle(client, filing["filing_no"], after), 422, "settlement.outside_validity")
    assert _settle(client, filing["filing_no"], f"{ends}T10:00:00+08:00").status_code == 201


@pytest.mark.parametrize("round_", range(3))
def test_a_cancellation_and_a_settlement_arriving_together_never_both_succeed(app, client, login, round_):
    liming = login("李明")
    filing = effective_self_filing(liming, details=long_term_details(start_date=date.today().isoformat(),
                                                                     person_type="stationed_worker"))
    barrier = threading.Barrier(2)
    answers = {}

    def cancel():
        c = app.test_client()
        barrier.wait()
        answers["cancel"] = c.post(f"{FILINGS}/{filing['id']}/cancel", headers=liming.headers,
                                   json={"reason": "回太原居住"}).status_code

    def settle():
        c = app.test_client()
        barrier.wait()
        moment = (datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat()
        answers["settle"] = _settle(c, filing["filing_no"], moment).status_code

    threads = [threading.Thread(target=cancel), threading.Thread(target=settle)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers.values()) in ([200, 409], [201, 409]), answers
    after = liming.get(f"{FILINGS}/{filing['id']}").json
    assert (after["status"], after["settled"]) in (("cancelled", False), ("effective", True)), answers
