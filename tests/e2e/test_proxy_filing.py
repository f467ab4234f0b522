"""李明 files for his mother 王秀英 (为他人备案): her details, his own read from his
login, the 代办承诺书 ticked and signed by hand (in 长辈版), photos of both people's
papers, his signature drawn with the mouse, and the history in words and Beijing
time, on a phone whose clock is set to another zone."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import advise, jpeg, log_in, sign_with_the_mouse

pytestmark = pytest.mark.e2e

RAW_KEY = re.compile(r"[a-z]+_[a-z_]+")


@pytest.mark.phone_timezone("America/Los_Angeles")
def test_li_ming_files_for_his_mother_with_two_photos_and_a_signature_drawn_by_hand(phone, client):
    page = phone.page
    log_in(phone, "李明")
    page.get_by_role("link", name="异地就医自助备案").click()
    phone.ready("filing_index")
    page.get_by_role("button", name="立即办理").click()
    phone.ready("filing_for")
    page.get_by_role("button", name="为他人备案").click()

    # First whether she needs to file: she will live in 海口.
    advise(phone, situation="long_term", destination="460100", scheme="employee", insured="140100")
    assert page.locator(".js_verdict_title").inner_text() == "需要办理异地就医备案"
    page.get_by_role("button", name="继续办理").click()

    # Her details typed in; his own shown from his login, not typed again.
    phone.ready("filing_insured")
    assert page.locator(".js_agent_name").inner_text() == "李明"
    assert page.locator(".js_agent_id").inner_text() == "140***********0318"
    page.get_by_label("姓名").fill("王秀英")
    page.get_by_label("身份证号码").fill("140121195203180429")
    page.get_by_label("备案人是我的").select_option("parent")
    page.get_by_label("参保身份").select_option("employee")
    page.get_by_label("参保地（省）").select_option("140000")
    page.locator("#js_ins_region option[value='140100']").wait_for(state="attached")
    page.get_by_label("参保地（市）").select_option("140100")
    phone.screen("filing_insured_other")
    page.get_by_role("button", name="确认", exact=True).click()

    phone.ready("filing_notice")
    page.get_by_label("已阅读备案告知书").check()
    page.get_by_role("button", name="我已阅读并同意").click()

    # 代办承诺书 (seed 002: 核对代办人信息；随后根据提示进行确认、签字): his own details
    # to check, the declaration, then the tick and his signature.
    phone.ready("filing_agent_declaration")
    assert page.locator(".js_agent_name").inner_text() == "李明"
    assert page.locator(".js_insured_name").inner_text() == "王秀英"
    declaration = client.get("/api/v1/documents/agent-declaration").json
    assert page.locator("#js_doc_title").inner_text() == declaration["title"]
    assert "代办承诺书" in declaration["title"]
    assert page.locator(".js_doc_body").inner_text().strip() == declaration["body"].strip()
    assert page.locator(".js_done").inner_text() == "确认并签字"
    # Signed but not ticked: nothing is sent, the tick is asked for.
    sign_with_the_mouse(phone)
    page.get_by_role("button", name="确认并签字").click()
    assert phone.toast() == "请先阅读《代办承诺书》并勾选“我已阅读并同意”"
    assert page.locator("#js_agree").get_attribute("aria-invalid") == "true"
    phone.screen("filing_agent_declaration")
    # In 长辈版, as his mother's generation would have it: the same, in the page.
    phone.elder(True)
    page.get_by_role("button", name="清除").click()
    page.get_by_role("button", name="确认并签字").click()
    assert page.locator(".js_inline_alert").inner_text().startswith("请先阅读《代办承诺书》")
    page.get_by_label("我已阅读并同意", exact=True).check()
    page.get_by_role("button", name="确认并签字").click()
    assert page.locator(".js_inline_alert").inner_text().startswith("请在框内签名")
    sign_with_the_mouse(phone)
    phone.screen("filing_agent_declaration_signed_elder")
    page.get_by_role("button", name="确认并签字").click()

    # Photos: the first upload loses its connection, and 重试 sends it again.
    phone.ready("filing_attachments")
    phone.elder(False)
    assert page.locator(".yb-steps__item_done", has_text="代办").count() == 1
    assert [s.get_attribute("data-kind") for s in page.locator(".js_slot").all()] == [
        "agent_id_card", "agent_hukou", "insured_id_card", "insured_hukou"]
    page.get_by_role("button", name="下一步").click()
    assert phone.toast() == "请上传代办人和备案人的身份证或户口本照片，每人至少一张。"
    phone.screen("filing_attachments")

    dropped = []

    def drop_first_upload(route):
        if not dropped:
            dropped.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r".*/attachments/agent_id_card$"), drop_first_upload)
    phone.expect_refusals("ERR_CONNECTION_RESET")
    agent_slot = page.locator('.js_slot[data-kind="agent_id_card"]')
    page.get_by_label("选择代办人身份证照片").set_input_files(
        {"name": "liming-id-card.jpg", "mimeType": "image/jpeg", "buffer": jpeg("LI MING ID CARD")})
    agent_slot.locator(".js_retry").wait_for(state="visible")
    assert agent_slot.locator(".js_state").inner_text() == "上传失败：网络连接失败，请检查网络后重试。"
    assert agent_slot.locator(".js_preview").is_visible()  # the photo is still there to retry
    phone.screen("filing_attachments_upload_failed")
    agent_slot.get_by_role("button", name="重试").click()
    page.wait_for_selector('.js_slot[data-kind="agent_id_card"][data-state="done"]')
    assert len(dropped) == 1
    page.unroute(re.compile(r".*/attachments/agent_id_card$"))

    insured_slot = page.locator('.js_slot[data-kind="insured_hukou"]')
    page.get_by_label("选择参保人户口本照片").set_input_files(
        {"name": "wang-hukou.jpg", "mimeType": "image/jpeg",
         "buffer": jpeg("WANG XIUYING HUKOU", size=(1000, 1400), colour=(236, 226, 205))})
    page.wait_for_selector('.js_slot[data-kind="insured_hukou"][data-state="done"]')
    phone.idle()
    for slot in (agent_slot, insured_slot):
        assert slot.locator(".js_state").inner_text() == "已上传"
        assert "blob:" in slot.locator(".js_preview").evaluate("el => el.style.backgroundImage")
        assert slot.get_by_role("button", name=re.compile("删除")).is_visible()
    phone.screen("filing_attachments_uploaded")
    page.get_by_role("button", name="下一步").click()

    phone.ready("filing_details")
    page.get_by_label("人员类别").select_option("retired_resettled")
    page.get_by_label("就医地（省）").select_option("460000")
    page.locator("#js_dest_region option[value='460100']").wait_for(state="attached")
    page.get_by_label("就医地（市）").select_option("460100")
    page.get_by_label("居住地址").fill("海南省海口市美兰区海甸岛人民大道58号")
    assert page.get_by_label("联系人").input_value() == "李明"
    page.get_by_label("联系电话").fill("13834560318")
    phone.screen("filing_details_other")
    page.get_by_role("button", name="下一步").click()

    phone.ready("filing_pledge")
    assert page.locator(".js_signer").inner_text() == "李明（代办人）"
    page.get_by_role("button", name="此处签字").click()

    # 撤销 takes back the last stroke, 清除 empties the box; then he signs.
    phone.ready("filing_sign")
    sign_with_the_mouse(phone)
    assert page.evaluate("() => import('/app.js').then(() => document.querySelector('.js_placeholder').hidden)")
    page.get_by_role("button", name="撤销").click()
    page.get_by_role("button", name="撤销").click()
    assert page.locator(".js_placeholder").is_visible()
    sign_with_the_mouse(phone)
    page.get_by_role("button", name="清除").click()
    assert page.locator(".js_placeholder").is_visible()
    sign_with_the_mouse(phone)
    phone.screen("filing_sign_other")
    page.get_by_role("button", name="确定").click()

    phone.ready("filing_confirm")
    assert page.locator(".js_insured").inner_text() == "王秀英"
    assert page.locator(".js_agent").inner_text() == "李明（备案人是代办人的父母）"
    page.wait_for_function("() => document.querySelector('.js_signature').naturalWidth > 0")
    phone.screen("filing_confirm_other")
    page.get_by_role("button", name="确认", exact=True).click()

    phone.ready("filing_success")
    assert page.get_by_role("heading", name="备案成功").is_visible()
    page.wait_for_function("() => document.querySelector('.js_qr').naturalWidth > 0")
    filing_no = page.locator(".js_filing_no").inner_text()
    phone.screen("filing_success_other")

    # 查看记录 → 为他人备案 lists it, with the two photos.
    page.get_by_role("button", name="查看记录").click()
    phone.ready("records_list")
    assert page.get_by_role("tab", name="为他人备案").get_attribute("aria-selected") == "true"
    record = page.locator(".js_record").first
    assert filing_no in record.inner_text() and "备案人 王秀英" in record.inner_text()
    phone.screen("records_list_other")
    filing_id = int(record.get_attribute("data-id"))
    record.click()
    phone.ready("records_detail")
    assert "2 张" in page.locator(".js_rows").inner_text()

    token = page.evaluate("() => JSON.parse(localStorage.getItem('yibao.tokens')).access_token")
    auth = {"Authorization": f"Bearer {token}"}
    filing = client.get(f"/api/v1/filings/{filing_id}", headers=auth).json
    assert filing["for"] == "other" and filing["status"] == "effective"
    assert next(s for s in filing["steps"] if s["name"] == "agent_declaration")["done"]

    # The history in words, never a raw key; its times are the server's Beijing
    # times as written, though this phone's clock is in Los Angeles.
    events = client.get(f"/api/v1/filings/{filing_id}/events", headers=auth).json
    assert {"agent_declaration", "agent_declaration_signed"} <= {e["step"] for e in events}
    history = page.locator(".js_events")
    shown = history.inner_text()
    assert not RAW_KEY.search(shown), shown
    items = history.locator(".js_event")
    assert items.count() == len(events)
    for item, event in zip(items.all(), events):
        text = item.inner_text()
        assert event["label"] in text and event["summary"] in text
        assert item.locator(".js_event_at").inner_text() == f"{event['at'][:10]} {event['at'][11:16]}"
    assert page.evaluate("() => new Date().getTimezoneOffset()") != -480  # the phone is not on Beijing time
    phone.screen("records_detail_other")
    # ... and those are Beijing times: RFC 3339 with the +08:00 offset.
    for event in events:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00", event["at"]), event["at"]
    assert sorted(a["kind"] for a in filing["attachments"]) == ["agent_id_card", "insured_hukou"]
    assert filing["insured_person"]["name"] == "王秀英"
    phone.finish()
