"""长辈版 (MIIT 适老化): kept across reloads, large type and targets (measured on
every screen of every walk by the `phone` fixture), and no pop-ups: errors and
waits appear in the page itself."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

NO_POPUP = "() => [...document.querySelectorAll('.js_toast, .js_dialog, .js_loading')].every(el => getComputedStyle(el).display === 'none')"


def test_elder_mode_stays_on_after_a_reload_and_shows_errors_in_the_page_instead_of_pop_ups(phone):
    page = phone.page
    log_in(phone, "李明")
    page.get_by_role("button", name="长辈版").click()
    assert page.evaluate("() => document.documentElement.classList.contains('elder')")
    assert page.evaluate("() => document.body.dataset.weuiMode") == "care"
    assert page.locator(".js_inline_alert").inner_text().startswith("已切换到长辈版")
    assert page.evaluate(NO_POPUP)
    phone.screen("home_elder")

    page.reload()
    phone.ready("home_index")
    assert page.evaluate("() => document.documentElement.classList.contains('elder')")
    assert page.evaluate("() => localStorage.getItem('yibao.elder')") == "1"
    assert page.get_by_role("button", name="退出长辈版").is_visible()

    # A wait is a line in the page, not the loading toast.
    held = phone.hold(re.compile(r".*/api/v1/me/insurance$"))
    page.get_by_role("link", name="我的医保").click()
    held.wait()
    assert page.locator(".js_inline_loading").is_visible()
    assert "正在加载" in page.locator(".js_inline_loading").inner_text()
    assert page.evaluate(NO_POPUP)
    held.release()
    phone.ready("home_index")
    assert not page.locator(".js_inline_loading").is_visible()

    # 亲情账户: a wrong number is refused by the server; the message shows inline.
    page.get_by_label("姓名").fill("王秀英")
    page.get_by_label("身份证号码").fill("140121195203180428")
    page.get_by_label("是我的").select_option("parent")
    phone.expect_refusals(422)
    page.get_by_role("button", name="添加家庭成员").click()
    phone.idle()
    alert = page.locator(".js_inline_alert")
    alert.wait_for(state="visible")
    assert alert.inner_text().startswith("身份证号码有误，请核对后重新输入")
    assert page.evaluate(NO_POPUP)
    assert "身份证号码校验未通过" in page.locator("#js_err_id_number").inner_text()
    phone.screen("family_member_refused")

    page.get_by_label("身份证号码").fill("140121195203180429")
    page.get_by_role("button", name="添加家庭成员").click()
    page.locator(".js_member").wait_for()
    phone.idle()
    assert "王秀英" in page.locator(".js_family").inner_text()
    assert "父母" in page.locator(".js_family").inner_text()
    phone.screen("family_member_added")

    remove = page.get_by_role("button", name="移除家庭成员王秀英")
    remove.click()
    assert remove.inner_text() == "确认移除"
    remove.click()
    page.get_by_text("还没有添加家庭成员").wait_for()

    # Logged out, someone who is not insured is refused, in the page.
    page.get_by_role("button", name="退出登录").click()
    phone.ready("auth_login")
    page.get_by_role("button", name="孙不在").click()
    page.get_by_label("你同意医保电子凭证使用并传达相关数据用于医保服务查询").check()
    page.get_by_role("button", name="授权查询").click()
    phone.idle()
    alert.wait_for(state="visible")
    assert alert.inner_text().startswith("未查询到您本人的参保信息")
    assert page.evaluate(NO_POPUP)
    phone.screen("login_refused_elder")
    assert page.evaluate("() => localStorage.getItem('yibao.tokens')") is None

    phone.finish()


def test_the_same_refusal_is_a_weui_toast_in_the_standard_layout(phone):
    page = phone.page
    phone.open("/")
    phone.ready("auth_login")
    page.get_by_role("button", name="孙不在").click()
    page.get_by_label("你同意医保电子凭证使用并传达相关数据用于医保服务查询").check()
    phone.expect_refusals(422)
    page.get_by_role("button", name="授权查询").click()
    assert phone.toast().startswith("未查询到您本人的参保信息")
    assert not page.locator(".js_inline_alert").is_visible()
    phone.screen("login_refused")
    phone.finish()


def test_a_wechat_account_without_a_real_name_is_told_where_to_complete_it(phone):
    page = phone.page
    phone.open("/")
    phone.ready("auth_login")
    assert page.get_by_label("身份证号码").count() == 0 and page.get_by_label("姓名").count() == 0
    page.get_by_role("button", name="未实名的微信用户").click()
    page.get_by_label("你同意医保电子凭证使用并传达相关数据用于医保服务查询").check()
    phone.expect_refusals(403)
    page.get_by_role("button", name="授权查询").click()
    message = phone.dialog()
    assert message.startswith("您的微信账户尚未完成实名认证")
    assert "钱包" in message and "医保电子凭证" in message
    phone.screen("login_no_real_name")
    phone.close_dialog()
    assert page.evaluate("() => localStorage.getItem('yibao.tokens')") is None
    phone.finish()
