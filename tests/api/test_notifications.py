"""Notifications (订阅消息): the outbox written with each act, `GET /me/messages`,
read marking, the daily reminders, the delivery pass with the development sender and
with the real one against a fake WeChat, and `/qa/messages` (never in production)."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, time, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import func, select

from backend import create_app
from backend.adapters.models import Account, Message
from backend.adapters.subscribe import DevelopmentSender, WeChatSubscribeSender
from backend.services import notifications
from backend.services.runtime import CHINA, session
from tests.api.flows import effective_proxy_filing, effective_self_filing, temporary_details
from tests.api.test_family_doctor import HEZHIQIANG, ZHOUMIN, son_as_member, submitted, team_key, team_named
from tests.conftest import PEOPLE, TEST_CONFIG, Person, assert_error_shape, code_of

MESSAGES = "/api/v1/me/messages"


def messages(person) -> list[dict]:
    response = person.get(MESSAGES)
    assert response.status_code == 200, response.json
    return response.json["items"]


def count_messages(app) -> int:
    with app.app_context():
        return session().scalar(select(func.count(Message.id)))


def travel_to(app, day: date, *people) -> None:
    app.config["CLOCK"] = lambda: datetime.combine(day, time(9), CHINA).astimezone(timezone.utc)
    for person in people:
        person.sign_in_again()


# --- written with the act ------------------------------------------------------------------

def test_a_filing_in_force_tells_the_insured_person_in_chinese_with_wechat_fields(login):
    liming = login("李明")
    filing = effective_self_filing(liming)
    page = liming.get(MESSAGES).json
    assert (page["total"], page["unread"], page["page"]) == (1, 1, 1)
    [message] = page["items"]
    assert set(message) >= {"id", "template", "title", "body", "data", "created_at", "read"}
    assert message["template"] == "filing_effective" and message["title"] == "异地就医备案成功"
    assert filing["filing_no"] in message["body"] and "海口市" in message["body"] and "长期有效" in message["body"]
    assert message["data"]["character_string1"] == {"value": filing["filing_no"]}
    assert message["data"]["thing2"] == {"value": "海口市"}
    assert message["read"] is False and message["created_at"].endswith("+08:00")
    assert message["page"] == f"pages/filing/detail?id={filing['id']}"


def test_a_filing_made_by_an_agent_tells_the_insured_person_both_that_it_is_in_force_and_who_made_it(login):
    liming = login("李明")
    filing = effective_proxy_filing(liming)
    assert messages(liming) == []                     # the agent is not the recipient
    mother = login("王秀英")
    got = {m["template"]: m for m in messages(mother)}
    assert set(got) == {"filing_effective", "filing_made_by_agent"}
    made = got["filing_made_by_agent"]
    assert "李*" in made["body"] and filing["filing_no"] in made["body"] and "撤回" in made["body"]
    assert made["data"]["thing1"] == {"value": "李*"}


def test_cancelling_tells_the_insured_person_and_a_refused_cancel_writes_nothing(app, client, login):
    liming = login("李明")
    filing = effective_self_filing(liming)
    cancelled = liming.post(f"/api/v1/filings/{filing['id']}/cancel", json={"reason": "不再去海口居住"})
    assert cancelled.status_code == 200
    latest = messages(liming)[0]
    assert latest["template"] == "filing_cancelled" and "不再去海口居住" in latest["body"]
    before = count_messages(app)
    # Cancelling again is refused: no second message.
    assert liming.post(f"/api/v1/filings/{filing['id']}/cancel", json={"reason": "再次"}).status_code == 409
    assert count_messages(app) == before


def test_a_refused_submit_writes_no_message_and_a_replayed_one_no_second(app, login):
    from tests.api.flows import self_filing_until_signature
    from tests.conftest import signature_png, upload
    liming = login("李明")
    fid = self_filing_until_signature(liming, details=temporary_details())
    # Not signed yet: the submit is refused, and nothing is written.
    assert liming.post(f"/api/v1/filings/{fid}/submit").status_code in (409, 422)
    assert count_messages(app) == 0
    liming.post(f"/api/v1/filings/{fid}/signature", data=upload(signature_png()), content_type="multipart/form-data")
    first = liming.post(f"/api/v1/filings/{fid}/submit", headers={"Idempotency-Key": "same"})
    again = liming.post(f"/api/v1/filings/{fid}/submit", headers={"Idempotency-Key": "same"})
    assert first.status_code == again.status_code == 200
    assert count_messages(app) == 1


def test_the_team_accepting_or_declining_tells_the_resident(client, login):
    chen = login("陈小红")
    member_id = son_as_member(chen)
    mine = submitted(chen, team_named(client, ZHOUMIN))
    sons = submitted(chen, team_named(client, ZHOUMIN), **{"for": "member", "member_id": member_id})
    assert client.post(f"/api/v1/partner/fd/signups/{mine['id']}/accept", headers=team_key(mine),
                       json={}).status_code == 200
    assert client.post(f"/api/v1/partner/fd/signups/{sons['id']}/reject", headers=team_key(sons),
                       json={"reason": "团队儿童签约名额已满"}).status_code == 200
    [accepted] = messages(chen)
    assert accepted["template"] == "signup_accepted" and ZHOUMIN in accepted["body"]
    assert accepted["title"] == "家庭医生签约成功"
    [declined] = messages(login("刘小宝"))          # to the resident, not to his mother
    assert declined["template"] == "signup_rejected" and "团队儿童签约名额已满" in declined["body"]
    # A reject without a reason is refused, and writes nothing.
    third = submitted(chen, team_named(client, HEZHIQIANG), **{"for": "member", "member_id": member_id})
    assert client.post(f"/api/v1/partner/fd/signups/{third['id']}/reject", headers=team_key(third),
                       json={"reason": "  "}).status_code == 422
    assert len(messages(login("刘小宝"))) == 1


# --- only mine; read marking ---------------------------------------------------------------

def test_only_the_recipient_sees_and_marks_a_message(login):
    liming = login("李明")
    effective_self_filing(liming)
    [message] = messages(liming)
    stranger = login("赵大山")
    assert messages(stranger) == []
    assert_error_shape(stranger.post(f"{MESSAGES}/{message['id']}/read"), 404, "message.not_found")
    unbound = login(code="demo-nobody")
    assert unbound.get(MESSAGES).json == {"items": [], "page": 1, "per_page": 20, "total": 0, "unread": 0}
    assert_error_shape(unbound.post(f"{MESSAGES}/{message['id']}/read"), 404, "message.not_found")
    assert_error_shape(liming.post(f"{MESSAGES}/999999/read"), 404, "message.not_found")

    read = liming.post(f"{MESSAGES}/{message['id']}/read")
    assert read.status_code == 200 and read.json["read"] is True and read.json["read_at"].endswith("+08:00")
    assert liming.post(f"{MESSAGES}/{message['id']}/read").json["read_at"] == read.json["read_at"]
    page = liming.get(MESSAGES).json
    assert page["unread"] == 0 and page["items"][0]["read"] is True
    # A second account of the same person (another phone) sees the same messages.
    other_phone = Person(liming.client, code_of("李明", "13900000000")).bind()
    assert [m["id"] for m in messages(other_phone)] == [message["id"]]


def test_messages_come_newest_first_a_page_at_a_time(login):
    liming = login("李明")
    filing = effective_self_filing(liming)
    liming.post(f"/api/v1/filings/{filing['id']}/cancel", json={"reason": "计划有变"})
    page = liming.get(MESSAGES, query_string={"per_page": 1}).json
    assert page["total"] == 2 and [m["template"] for m in page["items"]] == ["filing_cancelled"]
    second = liming.get(MESSAGES, query_string={"per_page": 1, "page": 2}).json
    assert [m["template"] for m in second["items"]] == ["filing_effective"]


# --- the daily reminders --------------------------------------------------------------------

def test_the_daily_job_reminds_of_a_temporary_filing_30_days_before_its_end_once(app, runner, login):
    liming = login("李明")
    filing = effective_self_filing(liming, details=temporary_details())
    valid_to = date.fromisoformat(filing["valid_to"])
    travel_to(app, valid_to - timedelta(days=31), liming)
    assert runner.invoke(args=["expire"]).exit_code == 0
    assert [m["template"] for m in messages(liming)] == ["filing_effective"]
    travel_to(app, valid_to - timedelta(days=30), liming)
    for _ in range(2):
        result = runner.invoke(args=["expire"])
        assert result.exit_code == 0, result.output
    travel_to(app, valid_to - timedelta(days=5), liming)
    assert runner.invoke(args=["expire"]).exit_code == 0
    got = messages(liming)
    assert [m["template"] for m in got] == ["filing_expiring", "filing_effective"]
    assert valid_to.strftime("%Y年") in got[0]["body"] and "重新办理备案" in got[0]["body"]
    # Long-term filings have no end to remind of.


def test_the_daily_job_reminds_of_a_contract_30_days_before_its_end_once(app, client, runner, login):
    chen = login("陈小红")
    mine = submitted(chen, team_named(client, ZHOUMIN))
    accepted = client.post(f"/api/v1/partner/fd/signups/{mine['id']}/accept", headers=team_key(mine), json={})
    valid_to = date.fromisoformat(accepted.json["valid_to"])
    travel_to(app, valid_to - timedelta(days=20), chen)
    assert runner.invoke(args=["expire"]).exit_code == 0
    assert runner.invoke(args=["expire"]).exit_code == 0
    assert [m["template"] for m in messages(chen)] == ["signup_expiring", "signup_accepted"]


# --- delivery ------------------------------------------------------------------------------------

def test_the_development_sender_marks_pending_messages_sent_and_qa_sees_them(app, client, runner, login):
    assert isinstance(app.extensions["subscribe"], DevelopmentSender)
    liming = login("李明")
    effective_self_filing(liming)
    qa = client.get("/api/v1/qa/messages", query_string={"id_number": PEOPLE["李明"]})
    assert qa.status_code == 200 and [(m["template"], m["state"]) for m in qa.json] == [("filing_effective", "pending")]
    result = runner.invoke(args=["send-messages"])
    assert result.exit_code == 0 and "'messages_sent': 1" in result.output, result.output
    [sent] = client.get("/api/v1/qa/messages", query_string={"id_number": PEOPLE["李明"]}).json
    assert sent["state"] == "sent" and sent["attempts"] == 1 and sent["sent_at"].endswith("+08:00")
    assert client.get("/api/v1/qa/messages", query_string={"id_number": PEOPLE["赵大山"]}).json == []


def test_qa_messages_does_not_exist_in_production(app, database_url, tmp_path):
    production = create_app({**TEST_CONFIG, "ENV_NAME": "production", "DATABASE_URL": database_url,
                             "DATA_DIR": str(tmp_path / "prod"), "DATA_KEY": app.config["DATA_KEY"]})
    try:
        answer = production.test_client().get("/api/v1/qa/messages", query_string={"id_number": PEOPLE["李明"]})
        assert_error_shape(answer, 404)
    finally:
        production.extensions["db"].dispose()


class FakeWeChat(BaseHTTPRequestHandler):
    """cgi-bin/token and subscribeMessage.send as WeChat answers them; `send_answers`
    are given in turn (then errcode 0), and every send is remembered."""

    sends: list = []
    send_answers: list = []
    tokens_issued = 0

    def _answer(self, body: dict) -> None:
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):  # noqa: N802
        url = urlparse(self.path)
        assert url.path == "/cgi-bin/token"
        query = parse_qs(url.query)
        assert query["grant_type"] == ["client_credential"] and query["appid"] == ["wx-app"]
        FakeWeChat.tokens_issued += 1
        self._answer({"access_token": f"TOKEN-{FakeWeChat.tokens_issued}", "expires_in": 7200})

    def do_POST(self):  # noqa: N802
        url = urlparse(self.path)
        assert url.path == "/cgi-bin/message/subscribe/send"
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeWeChat.sends.append((parse_qs(url.query)["access_token"][0], body))
        self._answer(FakeWeChat.send_answers.pop(0) if FakeWeChat.send_answers else {"errcode": 0, "errmsg": "ok"})

    def log_message(self, *args):
        pass


@pytest.fixture
def wechat(app):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeWeChat)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeWeChat.sends, FakeWeChat.send_answers, FakeWeChat.tokens_issued = [], [], 0
    saved = app.extensions["subscribe"]
    app.extensions["subscribe"] = WeChatSubscribeSender(
        "wx-app", "wx-secret", {"filing_effective": "TPL-EFFECTIVE", "filing_made_by_agent": "TPL-AGENT"},
        base_url=f"http://127.0.0.1:{server.server_port}")
    yield FakeWeChat
    app.extensions["subscribe"] = saved
    server.shutdown()
    server.server_close()


def test_the_real_sender_calls_subscribe_send_and_retries_after_a_failure(app, runner, login, wechat):
    liming = login("李明")
    filing = effective_self_filing(liming)
    with app.app_context():
        openid = session().scalar(select(Account.openid).where(Account.id == liming.tokens["account"]["id"]))
    wechat.send_answers = [{"errcode": -1, "errmsg": "system error"}]
    now = datetime(2026, 12, 1, 9, 0, tzinfo=CHINA)
    app.config["CLOCK"] = lambda: now.astimezone(timezone.utc)
    with app.app_context():
        assert notifications.deliver() == {"messages_sent": 0, "messages_retry": 1, "messages_failed": 0}
        message = session().scalar(select(Message))
        assert (message.state, message.attempts) == ("pending", 1)
        assert message.last_error == "WeChat refused: errcode -1"
        assert message.next_attempt_at == (now + timedelta(minutes=1)).astimezone(timezone.utc)
        # Not due yet: nothing is tried.
        assert notifications.deliver() == {"messages_sent": 0, "messages_retry": 0, "messages_failed": 0}
    assert len(wechat.sends) == 1
    now += timedelta(minutes=2)
    result = runner.invoke(args=["send-messages"])
    assert result.exit_code == 0 and "'messages_sent': 1" in result.output, result.output
    token, body = wechat.sends[-1]
    assert token == "TOKEN-1" and len(wechat.sends) == 2 and wechat.tokens_issued == 1
    assert body["touser"] == openid and body["template_id"] == "TPL-EFFECTIVE"
    assert body["page"] == f"pages/filing/detail?id={filing['id']}"
    assert body["data"]["character_string1"] == {"value": filing["filing_no"]}
    with app.app_context():
        message = session().scalar(select(Message))
        assert (message.state, message.attempts, message.sent_at is not None) == ("sent", 2, True)


def test_the_real_sender_renews_an_expired_token_reaches_every_account_and_gives_up_in_the_end(
        app, login, wechat):
    liming = login("李明")
    Person(liming.client, code_of("李明", "13900000000")).bind()   # a second phone of the same person
    effective_self_filing(liming)
    wechat.send_answers = [{"errcode": 42001, "errmsg": "access_token expired"}]
    with app.app_context():
        assert notifications.deliver()["messages_sent"] == 1
    assert wechat.tokens_issued == 2
    assert len({body["touser"] for _, body in wechat.sends}) == 2 and wechat.sends[-1][0] == "TOKEN-2"



def test_the_real_sender_gives_up_after_the_last_attempt_and_a_person_without_an_account_at_once(
        app, login, wechat):
    liming = login("李明")
    effective_self_filing(liming, details=temporary_details())
    effective_proxy_filing(liming)      # to 王秀英, who has no account in this test
    wechat.send_answers = [{"errcode": -1}] * 20
    moment = [datetime(2026, 12, 1, 9, 0, tzinfo=CHINA)]
    app.config["CLOCK"] = lambda: moment[0].astimezone(timezone.utc)
    with app.app_context():
        for _ in range(6):
            notifications.deliver()
            moment[0] += timedelta(hours=3)
        states = sorted((m.template, m.state, m.attempts, m.last_error) for m in session().scalars(select(Message)))
    assert states == [
        ("filing_effective", "failed", 1, "no WeChat account is bound to this person"),
        ("filing_effective", "failed", 5, "WeChat refused: errcode -1"),
        ("filing_made_by_agent", "failed", 1, "no WeChat account is bound to this person")]
    assert len(wechat.sends) == 5


def test_a_message_body_and_fields_are_encrypted_at_rest(app, login):
    liming = login("李明")
    filing = effective_self_filing(liming)
    with app.app_context():
        from sqlalchemy import text
        body, data = session().execute(text("SELECT body, data FROM messages")).one()
    assert body.startswith("v1:") and data.startswith("v1:") and filing["filing_no"] not in body + data
