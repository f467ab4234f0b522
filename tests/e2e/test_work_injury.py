"""工伤异地就医备案 in the mock, both modes: 张隽 files `residence` to 长沙 for himself and
finds it in force with its certificate; 马丽's referral for him waits for the agency and
shows 待审核, then 备案成功 once the 乌鲁木齐 agency approves (through its key)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.api.test_wi_filings import AGENCY, for_him
from tests.e2e.conftest import log_in, sign_with_the_mouse

pytestmark = pytest.mark.e2e


def test_zhang_jun_files_residence_to_changsha_and_sees_the_certificate(phone):
    page = phone.page
    log_in(phone, "张隽")
    page.get_by_role("link", name="工伤异地就医备案").click()
    phone.ready("wi_index")
    assert "脑外伤" in page.locator(".js_injuries").inner_text()
    phone.screen("wi_index")
    page.get_by_role("button", name="为自己办理").click()
    phone.ready("wi_step")
    phone.screen("wi_injury")
    page.get_by_role("button", name="下一步").click()
    phone.ready("wi_step")
    page.get_by_label("已阅读工伤备案告知书").check()
    phone.screen("wi_notice")
    page.get_by_role("button", name="我已阅读并同意").click()
    phone.ready("wi_step")
    page.get_by_label("就医省份").select_option("430000")
    phone.idle()
    page.get_by_label("就医城市").select_option("430100")
    today = datetime.now(timezone(timedelta(hours=8))).date().isoformat()
    page.get_by_label("开始日期").fill(today)
    page.get_by_label("居住地址").fill("湖南省长沙市天心区劳动西路9号")
    page.get_by_label("就医机构").fill("湖南省职业病防治院")
    page.get_by_label("联系人").fill("张隽")
    page.get_by_label("联系电话").fill("13134560190")
    phone.screen("wi_details")
    page.get_by_role("button", name="下一步").click()
    phone.ready("wi_step")
    phone.screen("wi_signature")
    sign_with_the_mouse(phone)
    page.get_by_role("button", name="确定").click()
    phone.ready("wi_step")
    phone.screen("wi_confirm")
    page.get_by_role("button", name="确认提交").click()
    phone.ready("wi_detail")
    assert page.locator(".js_status").inner_text() == "备案成功"
    assert page.locator(".js_filing_no").inner_text().startswith("GS650100")
    page.locator(".js_qr").wait_for(state="visible")
    assert "住院工伤医疗费（执行就医地目录）" in page.locator(".js_summary").inner_text()
    phone.screen("wi_detail")


def test_his_wifes_referral_waits_for_the_agency_then_is_in_force(phone, login, client):
    pending = for_him(login("马丽"))
    page = phone.page
    log_in(phone, "张隽")
    page.get_by_role("link", name="工伤异地就医备案").click()
    phone.ready("wi_index")
    page.locator(f'.js_record[data-id="{pending["id"]}"]').click()
    phone.ready("wi_detail")
    assert page.locator(".js_status").inner_text() == "待参保地经办机构审核"
    assert page.locator(".yb-cert").is_hidden()
    phone.screen("wi_detail_pending")
    approved = client.post(f"/api/v1/partner/wi-filings/{pending['id']}/approve", headers=AGENCY)
    assert approved.status_code == 200, approved.json
    page.reload()
    phone.ready("wi_detail")
    assert page.locator(".js_status").inner_text() == "备案成功"
    assert "参保地经办机构审核通过" in page.locator(".js_events").inner_text()
    phone.screen("wi_detail_approved")


def test_his_wife_files_a_referral_for_him_through_the_screens(phone):
    from tests.conftest import PEOPLE, ROOT

    page = phone.page
    log_in(phone, "马丽")
    page.get_by_role("link", name="工伤异地就医备案").click()
    phone.ready("wi_index")
    page.get_by_role("button", name="为他人办理（家属代办）").click()
    phone.ready("wi_step")
    page.get_by_label("工伤职工姓名").fill("张隽")
    page.get_by_label("身份证号码").fill(PEOPLE["张隽"])
    page.get_by_label("是我的").select_option("spouse")
    phone.screen("wi_injury_other")
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("已阅读工伤备案告知书").check()
    page.get_by_role("button", name="我已阅读并同意").click()
    page.locator('[data-kind="agent_id_card"]').set_input_files(str(ROOT / "docs" / "samples" / "agent-id-card.jpg"))
    page.locator('label[for="js_photo_agent_id_card"]', has_text="已上传").wait_for()
    phone.screen("wi_attachments")
    page.locator('[data-kind="insured_id_card"]').set_input_files(str(ROOT / "docs" / "samples" / "insured-hukou.jpg"))
    page.get_by_label("备案类型").select_option("referral")
    page.get_by_label("就医省份").select_option("430000")
    page.locator("#js_destination_region option[value='430100']").wait_for(state="attached")
    page.get_by_label("就医城市").select_option("430100")
    start = datetime.now(timezone(timedelta(hours=8))).date()
    page.get_by_label("开始日期").fill(start.isoformat())
    page.get_by_label("结束日期").fill((start + timedelta(days=90)).isoformat())
    page.get_by_label("就医机构").fill("湖南省职业病防治院")
    page.get_by_label("转出机构").fill("新疆维吾尔自治区人民医院")
    page.get_by_label("转诊单号").fill("XJ-ZZ-2026-0193")
    page.get_by_label("联系人").fill("马丽")
    page.get_by_label("联系电话").fill("13134560267")
    page.get_by_role("button", name="下一步").click()
    page.locator(".js_canvas").wait_for()
    phone.ready("wi_step")
    sign_with_the_mouse(phone)
    page.get_by_role("button", name="确定").click()
    page.get_by_role("button", name="确认提交").click()
    phone.ready("wi_detail")
    assert page.locator(".js_status").inner_text() == "待参保地经办机构审核"
    assert "张隽" in page.locator(".js_summary").inner_text()
    phone.screen("wi_detail_referral")
