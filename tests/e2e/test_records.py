"""查看记录, a filing's history, and cancelling online (seed 002: only while no
settlement has happened at the filing place)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.api.flows import effective_self_filing, long_term_details, temporary_details
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

BEIJING = timezone(timedelta(hours=8))


def test_cancelling_is_refused_as_the_server_words_it_after_a_settlement_and_allowed_without_one(phone, login,
                                                                                              client):
    # Two filings in force for 李明, made through the API: a temporary one in 北京
    # and a long-term one in 海口 (the temporary one first: while a long-term filing
    # is in force no other may be started). The long-term one starts today, and a
    # hospital in 海口 has just settled a bill on it (settlements fall inside the
    # validity and never in the future).
    liming = login("李明")
    unsettled = effective_self_filing(liming, details=temporary_details())
    now = datetime.now(BEIJING)
    settled = effective_self_filing(liming, details=long_term_details(start_date=now.date().isoformat(),
                                                                      person_type="stationed_worker"))
    settlement = client.post("/api/v1/partner/settlements", headers={"X-Partner-Key": "demo-settlement-key"}, json={
        "filing_no": settled["filing_no"], "amount": "8650.00",
        "settled_at": (now - timedelta(minutes=1)).isoformat(timespec="seconds"),
        "institution": "海南省人民医院"})
    assert settlement.status_code == 201, settlement.json

    page = phone.page
    log_in(phone, "李明")
    page.get_by_role("link", name="异地备案查询").click()
    phone.ready("records_list")
    records = page.locator(".js_record")
    assert records.count() == 2
    assert page.get_by_role("tab", name="为自己备案").get_attribute("aria-selected") == "true"
    phone.screen("records_list")

    page.locator(f'.js_record[data-id="{settled["id"]}"]').click()
    phone.ready("records_detail")
    history = page.locator(".js_events").inner_text()
    # Each event in the server's words: its label, then the detail as a sentence.
    for words in ("开始办理", "阅读并同意备案告知书", "签署个人承诺书", "提交备案，备案成功", "医保结算",
                  "结算机构：海南省人民医院"):
        assert words in history
    assert settled["filing_no"] in page.locator(".js_filing_no").inner_text()
    phone.screen("records_detail")

    # Refused: the message is the server's own, word for word, in a WeUI dialog
    # and kept on the page.
    phone.expect_refusals(409)
    page.get_by_label("取消原因").select_option(label="已返回参保地居住")
    page.get_by_role("button", name="取消备案").click()
    page.locator(".js_confirm").get_by_role("button", name="确定取消").click()
    shown = phone.dialog()
    refusal = liming.post(f"/api/v1/filings/{settled['id']}/cancel", json={"reason": "已返回参保地居住"})
    assert refusal.status_code == 409
    assert shown == refusal.json["message"]
    assert "海南省人民医院发生医保结算，不能线上取消" in shown
    assert page.locator(".js_refusal").inner_text() == shown
    phone.screen("records_detail_cancel_refused")
    phone.close_dialog()
    assert page.locator(".yb-status").first.inner_text() == "备案成功"

    # Allowed: the other filing, never settled.
    page.locator(".js_back").click()
    phone.ready("records_list")
    page.locator(f'.js_record[data-id="{unsettled["id"]}"]').click()
    phone.ready("records_detail")
    page.get_by_label("取消原因").select_option(label="行程取消，不再外出就医")
    page.get_by_role("button", name="取消备案").click()
    page.locator(".js_confirm").get_by_role("button", name="确定取消").click()
    assert phone.toast() == "已取消备案"
    page.locator(".js_cancel_area").wait_for(state="hidden")
    phone.idle()
    assert page.locator(".js_status").inner_text() == "已取消"
    last = page.locator(".js_event").last.inner_text()
    assert "取消备案" in last and "原因：行程取消，不再外出就医" in last
    phone.screen("records_detail_cancelled")
    assert liming.get(f"/api/v1/filings/{unsettled['id']}").json["status"] == "cancelled"
    phone.finish()


def test_an_expired_access_token_is_refreshed_once_and_the_page_still_loads(phone, login):
    effective_self_filing(login("李明"))
    page = phone.page
    log_in(phone, "李明")
    before = page.evaluate("() => JSON.parse(localStorage.getItem('yibao.tokens'))")
    page.evaluate("""() => localStorage.setItem('yibao.tokens', JSON.stringify(
        {...JSON.parse(localStorage.getItem('yibao.tokens')), access_token: 'expired.or.forged'}))""")
    phone.expect_refusals(401)
    page.get_by_role("link", name="异地备案查询").click()
    phone.ready("records_list")
    assert page.locator(".js_record").count() == 1
    after = page.evaluate("() => JSON.parse(localStorage.getItem('yibao.tokens'))")
    assert after["refresh_token"] != before["refresh_token"]
    assert after["access_token"] != "expired.or.forged"
    assert not page.locator(".js_dialog .weui-dialog").is_visible()
    phone.finish()


def test_a_refresh_token_that_no_longer_works_sends_the_person_back_to_login_with_the_reason(phone, login):
    page = phone.page
    log_in(phone, "李明")
    page.evaluate("() => localStorage.setItem('yibao.tokens', JSON.stringify("
                  "{access_token: 'expired', refresh_token: 'rt_revoked'}))")
    phone.expect_refusals(401)
    page.get_by_role("link", name="异地备案查询").click()
    phone.ready("auth_login")
    assert phone.dialog() == "登录已失效，请重新登录。"
    assert page.evaluate("() => localStorage.getItem('yibao.tokens')") is None
    phone.finish()
