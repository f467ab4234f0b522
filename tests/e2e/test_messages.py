"""消息: a filing's success shows as a message on 我的医保 → 消息, unread until opened,
in both 标准版 and 长辈版 (phone.screen checks both)."""

from __future__ import annotations

import pytest

from tests.api.flows import effective_self_filing
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_a_filing_in_force_shows_as_an_unread_message_that_opening_marks_read(phone, login, client):
    liming = login("李明")
    filing = effective_self_filing(liming)

    page = phone.page
    log_in(phone, "李明")
    page.get_by_role("link", name="我的医保").click()
    phone.ready("home_index")
    entry = page.locator(".js_go_messages")
    entry.wait_for()
    page.locator(".js_unread_count").wait_for()
    assert "消息" in entry.inner_text() and page.locator(".js_unread_count").inner_text() == "1"
    entry.click()

    phone.ready("messages_list")
    assert page.get_by_role("heading", name="我的消息").is_visible()
    message = page.locator(".js_message").first
    assert message.get_attribute("data-template") == "filing_effective"
    assert message.locator(".js_message_title").inner_text() == "异地就医备案成功"
    assert message.locator(".js_mark").inner_text() == "未读"
    assert not message.locator(".js_message_body").is_visible()
    phone.screen("messages_list")

    message.locator(".js_open").click()
    body = message.locator(".js_message_body")
    body.wait_for()
    assert filing["filing_no"] in body.inner_text()
    page.wait_for_function("() => document.querySelector('.js_mark').textContent === '已读'")
    phone.screen("messages_list_open")
    assert liming.get("/api/v1/me/messages").json["unread"] == 0
    phone.finish()
