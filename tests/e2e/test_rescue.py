"""道交救助基金 (seed 000) in the browser: 赵大山 applies for his son 赵小军 from 服务大厅,
page by page (the cost list in two pages), signs and submits; the fund manager returns
it ("日清单缺少医院公章"); he sees what to fix, only that step opens, replaces the page
and resubmits. Every screen is checked in the standard layout and 长辈版. The funeral advance (丧葬费垫付) is walked too, its own screens measured at
320, 375 and 414 px."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from backend.adapters.clock import CHINA
from tests.e2e.conftest import log_in, sign_with_the_mouse
from tests.e2e.test_phone_pages import fits
from tests.api.flows import id_photo

pytestmark = pytest.mark.e2e

MANAGER = {"X-Partner-Key": "demo-fund-manager-14"}


def add_page(page, phone, material, label):
    box = page.locator(f'.js_material[data-material="{material}"]')
    before = box.locator(".yb-pages__item").count()
    page.get_by_label(f"添加{label}的一页照片").set_input_files(
        {"name": f"{material}.jpg", "mimeType": "image/jpeg", "buffer": id_photo()})
    box.locator(".yb-pages__item").nth(before).wait_for()
    phone.idle()


def contact_sign_and_submit(page, phone, screenshot=False):
    """The last two screens: 赵大山 as the contact, his signature drawn, 签名并提交."""
    page.wait_for_selector(".js_title:text('填写联系人')")
    phone.ready("rescue_step")
    page.get_by_label("联系人").fill("赵大山")
    page.get_by_label("联系电话").fill("13935300155")
    page.get_by_role("button", name="下一步").click()
    phone.ready("rescue_sign")
    if screenshot:
        phone.screen("rescue_sign")
    sign_with_the_mouse(phone)
    page.get_by_role("button", name="签名并提交").click()
    phone.ready("rescue_status")


def test_zhao_dashan_applies_for_his_son_is_asked_to_fix_the_cost_list_and_resubmits(phone, client):
    page = phone.page
    accident = datetime.now(CHINA) - timedelta(days=3)
    log_in(phone, "赵大山")
    page.get_by_role("link", name="道交救助基金").click()
    phone.ready("rescue_index")
    phone.screen("rescue_index")
    page.get_by_label("已阅读救助基金告知书").check()
    page.get_by_role("button", name="我已阅读并同意，为他人申请").click()

    phone.ready("rescue_step")
    add_page(page, phone, "police_notice", "抢救费用垫付通知书")
    page.get_by_label("通知书编号").fill("阳公交垫〔2026〕0318号")
    page.get_by_label("交警部门").fill("阳泉市公安局交通警察支队城区大队")
    page.get_by_label("事故时间").fill(accident.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("事故地点").fill("国道239线阳泉城区段")
    page.get_by_label("垫付情形").select_option("uninsured_vehicle")
    phone.screen("rescue_accident")
    page.get_by_role("button", name="下一步").click()

    page.wait_for_selector(".js_title:text('填写受害人信息')")
    phone.ready("rescue_step")
    add_page(page, phone, "victim_id_card", "受害人身份证明")
    add_page(page, phone, "relation_proof", "亲属关系证明（户口本）")
    page.get_by_label("受害人姓名").fill("赵小军")
    page.get_by_label("身份证号码").fill("140302200703150213")
    page.get_by_label("受害人是我的").select_option("child")
    phone.screen("rescue_victim")
    page.get_by_role("button", name="下一步").click()

    page.wait_for_selector(".js_title:text('选择救治医院')")
    phone.ready("rescue_step")
    page.get_by_label("救治医院").select_option(label="阳泉市第一人民医院（阳泉市）")
    page.get_by_label("开始抢救").fill((accident + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("申请金额").fill("138900.00")
    phone.screen("rescue_hospital")
    page.get_by_role("button", name="下一步").click()

    page.wait_for_selector(".js_title:text('上传申请材料')")
    phone.ready("rescue_step")
    add_page(page, phone, "cost_list", "加盖公章的抢救治疗费日清单")
    add_page(page, phone, "cost_list", "加盖公章的抢救治疗费日清单")
    add_page(page, phone, "treatment_summary", "抢救治疗情况简要说明")
    assert "已上传 2 页" in page.locator('.js_material[data-material="cost_list"] .js_state').inner_text()
    phone.screen("rescue_materials")
    page.get_by_role("button", name="下一步").click()

    contact_sign_and_submit(page, phone, screenshot=True)
    assert page.locator(".js_status").inner_text() == "待审核"
    assert "前完成审核" in page.locator(".js_desc").inner_text()
    phone.screen("rescue_submitted")

    # The fund manager returns it, naming the cost list.
    queue = client.get("/api/v1/partner/rescue/applications", headers=MANAGER).json
    app_id = queue["items"][0]["id"]
    r = client.post(f"/api/v1/partner/rescue/applications/{app_id}/return", headers=MANAGER,
                    json={"items": [{"item": "cost_list", "reason": "日清单缺少医院公章"}]})
    assert r.status_code == 200

    page.reload()
    phone.ready("rescue_status")
    assert page.locator(".js_status").inner_text() == "待补正"
    assert "日清单缺少医院公章" in page.locator(".js_fix").inner_text()
    phone.screen("rescue_returned")
    page.locator(".js_fix_item").first.click()
    phone.ready("rescue_step")
    box = page.locator('.js_material[data-material="cost_list"]')
    box.get_by_role("button", name="删除加盖公章的抢救治疗费日清单第1页").click()
    page.wait_for_function("() => document.querySelectorAll('[data-material=cost_list] .yb-pages__item').length === 1")
    phone.idle()
    add_page(page, phone, "cost_list", "加盖公章的抢救治疗费日清单")
    page.get_by_role("button", name="保存修改").click()
    phone.ready("rescue_status")
    page.get_by_role("button", name="重新提交").click()
    page.wait_for_selector(".js_status:text('待审核')")
    phone.idle()
    assert "补正后重新提交" in page.locator(".js_events").inner_text()
    phone.screen("rescue_resubmitted")

    page.get_by_role("link", name="服务大厅").click() if page.get_by_role("link", name="服务大厅").count() else None
    phone.open("/#/rescue_records")
    phone.ready("rescue_records")
    assert "待审核" in page.locator(".js_list").inner_text()
    phone.screen("rescue_records")


def test_zhao_dashan_applies_for_his_brothers_funeral_advance_and_sees_it_paid_and_closed(phone, client):
    """丧葬费垫付 chosen on the first screen: the victim deceased, no 7-day choice at the
    hospital, the 尸体处理通知书 and the funeral bill as its materials; the fund manager
    approves, pays and closes, and he sees 已结清. Both layouts on every screen."""
    page = phone.page
    accident = datetime.now(CHINA) - timedelta(days=5)
    log_in(phone, "赵大山")
    page.get_by_role("link", name="道交救助基金").click()
    phone.ready("rescue_index")
    page.get_by_text("丧葬费垫付", exact=True).click()   # the whole WeUI row is the radio's label
    assert page.get_by_label("丧葬费垫付").is_checked()
    phone.screen("rescue_index_funeral")
    fits(phone, "rescue_index_funeral")   # 320, 375 and 414 px, both layouts
    page.get_by_label("已阅读救助基金告知书").check()
    page.get_by_role("button", name="我已阅读并同意，为他人申请").click()

    phone.ready("rescue_step")
    add_page(page, phone, "police_notice", "抢救费用垫付通知书")
    page.get_by_label("通知书编号").fill("阳公交丧〔2026〕0502号")
    page.get_by_label("交警部门").fill("阳泉市公安局交通警察支队郊区大队")
    page.get_by_label("事故时间").fill(accident.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("事故地点").fill("阳五高速")
    page.get_by_label("垫付情形").select_option("hit_and_run")
    page.get_by_role("button", name="下一步").click()

    page.wait_for_selector(".js_title:text('填写受害人信息')")
    phone.ready("rescue_step")
    add_page(page, phone, "victim_id_card", "受害人身份证明")
    add_page(page, phone, "relation_proof", "亲属关系证明（户口本）")
    page.get_by_label("受害人姓名").fill("赵大海")
    page.get_by_label("身份证号码").fill("140302198803120011")
    page.get_by_label("受害人是我的").select_option("sibling")
    conditions = page.get_by_label("受害人状况").locator("option").all_inner_texts()
    assert conditions == ["已死亡"]
    phone.screen("rescue_funeral_victim")
    fits(phone, "rescue_funeral_victim")   # 320, 375 and 414 px, both layouts
    page.get_by_role("button", name="下一步").click()

    page.wait_for_selector(".js_title:text('选择救治医院')")
    phone.ready("rescue_step")
    assert page.get_by_label("抢救治疗").count() == 0   # no 7-day period in a funeral advance
    page.get_by_label("救治医院").select_option(label="阳泉市第一人民医院（阳泉市）")
    page.get_by_label("开始抢救").fill((accident + timedelta(minutes=40)).strftime("%Y-%m-%dT%H:%M"))
    phone.screen("rescue_funeral_hospital")
    fits(phone, "rescue_funeral_hospital")
    page.get_by_role("button", name="下一步").click()

    page.wait_for_selector(".js_title:text('上传申请材料')")
    phone.ready("rescue_step")
    shown = page.locator(".js_material").evaluate_all("els => els.map(e => e.dataset.material)")
    assert shown == ["body_handling_notice", "funeral_invoice"]
    page.get_by_role("button", name="下一步").click()
    assert phone.toast() == "请上传尸体处理通知书和丧葬费用票据。"
    phone.idle()
    add_page(page, phone, "body_handling_notice", "尸体处理通知书")
    add_page(page, phone, "funeral_invoice", "丧葬费用票据")
    phone.screen("rescue_funeral_materials")
    fits(phone, "rescue_funeral_materials")   # 320, 375 and 414 px, both layouts
    page.get_by_role("button", name="下一步").click()

    contact_sign_and_submit(page, phone)
    assert page.locator(".js_status").inner_text() == "待审核"
    assert "丧葬费垫付" in page.locator("body").inner_text()

    queue = client.get("/api/v1/partner/rescue/applications", headers=MANAGER).json
    app_id = queue["items"][0]["id"]
    base = f"/api/v1/partner/rescue/applications/{app_id}"
    assert client.post(f"{base}/approve", headers=MANAGER, json={"amount_within_7_days": "36000.00"}).status_code == 200
    paid_at = datetime.now(CHINA).replace(microsecond=0).isoformat()
    assert client.post(f"{base}/payments", headers=MANAGER, json={
        "amount": "36000.00", "paid_at": paid_at, "payee": "阳泉市第一人民医院"}).status_code == 200
    assert client.post(f"{base}/close", headers=MANAGER, json={"returned_amount": "0.00"}).status_code == 200

    page.reload()
    phone.ready("rescue_status")
    assert page.locator(".js_status").inner_text() == "已结清"
    phone.screen("rescue_funeral_closed")
    fits(phone, "rescue_funeral_closed")   # 320, 375 and 414 px, both layouts
