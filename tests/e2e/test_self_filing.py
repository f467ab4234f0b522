"""李明 files for himself, screen by screen as seed 002 describes, to 备案成功."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import advise, log_in, sign_with_the_mouse

pytestmark = pytest.mark.e2e


def test_li_ming_files_for_himself_and_gets_a_filing_number_and_a_qr_certificate(phone, client):
    page = phone.page
    phone.open("/")
    phone.ready("auth_login")
    phone.screen("auth_login")
    log_in(phone, "李明")
    assert page.get_by_text("李明，您好").is_visible()
    phone.screen("home")

    page.get_by_role("link", name="异地就医自助备案").click()
    phone.ready("filing_index")
    phone.screen("filing_index")
    page.get_by_role("button", name="立即办理").click()
    phone.ready("filing_for")
    phone.screen("filing_for")
    page.get_by_role("button", name="为自己备案").click()

    # First whether he needs to file: his own insurance is offered; he works in 海口.
    phone.ready("filing_advice")
    assert page.get_by_label("参保身份").input_value() == "employee"
    advise(phone, situation="long_term", destination="460100")
    assert page.locator(".js_verdict_title").inner_text() == "需要办理异地就医备案"
    assert "双向享受" in page.locator(".js_verdict_note").inner_text()
    phone.screen("filing_advice")
    page.get_by_role("button", name="继续办理").click()

    # 参保对象、参保身份、参保地: offered from his own record; he confirms.
    phone.ready("filing_insured")
    assert page.get_by_label("参保身份").input_value() == "employee"
    assert page.get_by_label("参保地（市）").input_value() == "140100"
    assert "参保信息" in page.locator("[aria-current=step]").inner_text()
    phone.screen("filing_insured")
    page.get_by_role("button", name="确认", exact=True).click()

    # The notice: 我已阅读并同意 needs the tick first.
    phone.ready("filing_notice")
    assert "异地就医备案告知书" in page.locator("article").inner_text()
    page.get_by_role("button", name="我已阅读并同意").click()
    assert phone.toast() == "请先勾选“已阅读备案告知书”"
    assert page.locator("#js_err_accepted").inner_text() == "请先勾选“已阅读备案告知书”。"
    phone.screen("filing_notice")
    page.get_by_label("已阅读备案告知书").check()
    page.get_by_role("button", name="我已阅读并同意").click()

    # The details; a wrong phone number comes back from the server under its field.
    phone.ready("filing_details")
    page.get_by_label("人员类别").select_option("stationed_worker")
    page.get_by_label("就医地（省）").select_option("460000")
    page.locator("#js_dest_region option[value='460100']").wait_for(state="attached")
    page.get_by_label("就医地（市）").select_option("460100")
    phone.idle()
    assert "双向享受" in page.locator(".js_advice").inner_text()
    page.get_by_label("居住地址").fill("海南省海口市美兰区海甸岛人民大道58号")
    page.get_by_label("联系电话").fill("12345")
    phone.expect_refusals(422)
    page.get_by_role("button", name="下一步").click()
    phone.idle()
    assert phone.toast().startswith("备案信息有误，请按提示修改")
    assert "请填写正确的联系电话" in page.locator("#js_err_contact_phone").inner_text()
    assert page.get_by_label("联系电话").get_attribute("aria-invalid") == "true"
    phone.screen("filing_details")
    page.get_by_label("联系电话").fill("13834560318")
    page.get_by_role("button", name="下一步").click()

    # A reload on the pledge: the draft resumes where it was.
    phone.ready("filing_pledge")
    filing_id = int(re.search(r"id=(\d+)", page.url).group(1))
    page.reload()
    phone.ready("filing_pledge")
    assert page.evaluate("() => JSON.parse(localStorage.getItem('yibao.draft')).id") == filing_id
    page.goto(phone.base_url + "/#/filing_index")
    phone.ready("filing_index")
    assert "下一步：签署个人承诺书" in page.locator(".js_draft").inner_text()
    page.get_by_role("button", name="继续办理").click()
    phone.ready("filing_pledge")
    assert "个人承诺书" in page.locator("article").inner_text()
    phone.screen("filing_pledge")

    page.get_by_role("button", name="此处签字").click()
    phone.ready("filing_sign")
    page.get_by_role("button", name="确定").click()
    assert phone.toast() == "请在框内签名后再点击“确定”。"
    sign_with_the_mouse(phone)
    phone.screen("filing_sign")
    page.get_by_role("button", name="确定").click()

    # The signature and its date, then 确认.
    phone.ready("filing_confirm")
    signature = page.get_by_role("img", name="承诺人签名")
    signature.wait_for()
    assert page.evaluate("() => document.querySelector('.js_signature').naturalWidth") > 0
    assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", page.locator(".js_signed_at").inner_text())
    phone.screen("filing_confirm")
    # While the server has not answered, the WeUI loading toast shows and the
    # page is marked busy.
    held = phone.hold(re.compile(r".*/certificate\.png$"))
    page.get_by_role("button", name="确认", exact=True).click()
    held.wait()
    assert page.locator(".js_loading .weui-toast").is_visible()
    assert page.locator(".js_loading").inner_text() == "加载中"
    assert page.locator("#js_page").get_attribute("aria-busy") == "true"
    held.release()

    phone.ready("filing_success")
    assert not page.locator(".js_loading .weui-toast").is_visible()
    assert page.get_by_role("heading", name="备案成功").is_visible()
    page.wait_for_function("() => document.querySelector('.js_qr').naturalWidth > 0")
    shown_number = page.locator(".js_filing_no").inner_text()
    assert re.fullmatch(r"YD140100\d{8}\d{6}", shown_number)
    assert page.evaluate("() => localStorage.getItem('yibao.draft')") is None
    phone.screen("filing_success")

    # What the server holds is what the screen said.
    token = page.evaluate("() => JSON.parse(localStorage.getItem('yibao.tokens')).access_token")
    filing = client.get(f"/api/v1/filings/{filing_id}", headers={"Authorization": f"Bearer {token}"}).json
    assert filing["status"] == "effective" and filing["filing_no"] == shown_number
    assert filing["destination_region"] == "460100" and filing["person_type"] == "stationed_worker"

    # Every request of the walk showed the loading state.
    assert phone.loading_count() >= 10
    phone.finish()
