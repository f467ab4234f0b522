"""代办人: 王秀英 sees on 我的医保 that her son 李明 may act for her, and withdraws
it; from then on the server refuses him any filing for her."""

from __future__ import annotations

import pytest

from tests.api.flows import FILINGS, MOTHER, start
from tests.conftest import PEOPLE, assert_error_shape
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

NO_POPUP = "() => [...document.querySelectorAll('.js_toast, .js_dialog, .js_confirm, .js_loading')].every(el => getComputedStyle(el).display === 'none')"


def test_wang_xiuying_sees_her_son_by_name_and_withdraws_his_right_to_act_for_her_and_he_can_no_longer_file_for_her(phone, login):
    # 李明 adds his mother to his 亲情账户 (through the API).
    liming = login("李明")
    added = liming.post("/api/v1/me/family-members",
                        json={"name": "王秀英", "id_number": PEOPLE["王秀英"], "relation": "parent"})
    assert added.status_code == 201, added.json

    page = phone.page
    log_in(phone, "王秀英")
    page.get_by_role("link", name="我的医保").click()
    phone.ready("home_index")
    agent = page.locator(".js_agent")
    agent.wait_for()
    assert page.get_by_role("heading", name="代办人（可为我办理业务的亲属）").is_visible()
    assert agent.count() == 1
    assert agent.locator(".js_agent_name").inner_text() == "李明（子女）"
    assert "140***********0318" in agent.inner_text()
    withdraw = page.get_by_role("button", name="撤销授权 李明（子女）")
    phone.screen("agents")

    # 长辈版 asks in the page, not in a pop-up; 取消 leaves everything as it was.
    phone.elder(True)
    withdraw.click()
    question = page.get_by_role("group", name="确定撤销李明（子女）的代办授权吗？", exact=False)
    assert question.is_visible()
    assert withdraw.get_attribute("aria-expanded") == "true"
    assert page.evaluate(NO_POPUP)
    phone.screen("agents_confirm_inline")
    question.get_by_role("button", name="取消").click()
    assert not question.is_visible()
    assert agent.count() == 1
    phone.elder(False)

    # Standard layout: a WeUI dialog asks first; 确认撤销 withdraws it.
    withdraw.click()
    dialog = page.locator(".js_confirm .weui-dialog")
    dialog.wait_for(state="visible")
    assert dialog.locator(".weui-dialog__title").inner_text() == "撤销代办授权"
    assert dialog.locator(".weui-dialog__bd").inner_text().startswith("确定撤销李明（子女）的代办授权吗？")
    phone.screen("agents_confirm_dialog")
    page.locator(".js_confirm").get_by_role("button", name="确认撤销").click()
    assert phone.toast() == "已撤销李明的代办授权"
    page.get_by_text("暂无代办人").wait_for()
    assert agent.count() == 0
    phone.screen("agents_withdrawn")

    # From now on he cannot file for her: the insured step is refused.
    filing = start(liming)
    assert_error_shape(liming.put(f"{FILINGS}/{filing}/insured", json=MOTHER), 403, "family.withdrawn_by_insured")
    phone.finish()
