"""Issue 14, the pages on a phone: dates picked in Chinese within the filing rules,
every screen fitting at 320, 375 and 414 px in both layouts, photos made smaller
before they go up, the advice before the filing, and the smaller things people
missed: an agent's real name for the person he acts for, giving a withdrawn agent
the right back, 长辈版 from the login page, the pregnant woman's eligibility line,
and the family-doctor renewal."""

from __future__ import annotations

import io
import os
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image

from backend.domain import filing as filing_rules
from backend.domain import uploads
from tests.api.flows import FILINGS, MOTHER, proxy_filing_through, start
from tests.api.test_family_doctor import HEZHIQIANG, active, team_named, travel_to
from tests.conftest import PEOPLE
from tests.e2e.conftest import PHONE, advise, log_in, sign_with_the_mouse

pytestmark = pytest.mark.e2e

LAYOUT = (Path(__file__).parent / "layout.js").read_text()
WIDTHS = (320, 375, 414)
BEIJING = timezone(timedelta(hours=8))


def chinese(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def fits(phone, screen: str):
    """Every text on this screen fits at 320, 375 and 414 px, standard and 长辈版:
    nothing cut, nothing narrower than two characters, no short label broken over
    two lines, nothing past the right edge."""
    page = phone.page
    was_elder = page.evaluate("() => document.documentElement.classList.contains('elder')")
    problems = []
    for elder in (False, True):
        phone.elder(elder)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": PHONE["height"]})
            page.wait_for_timeout(30)
            problems += [f"{screen} at {width} px ({'长辈版' if elder else '标准版'}): {p}"
                         for p in page.evaluate(LAYOUT)]
    page.set_viewport_size(PHONE)
    phone.elder(was_elder)
    assert not problems, "\n".join(problems)


def look(phone, name: str):
    """The screen checked (axe, 长辈版 sizes, screenshots) and measured at three widths."""
    phone.screen(name)
    fits(phone, name)


def pick_date(page, field: str, day: date):
    """Open the picker of `field`, choose the year, month and day, then 确定."""
    page.get_by_label(field).click()
    sheet = page.get_by_role("dialog", name=field)
    sheet.wait_for()
    sheet.get_by_role("button", name=f"{day.year}年", exact=True).click()
    sheet.get_by_role("button", name=f"{day.month}月", exact=True).click()
    sheet.get_by_role("button", name=f"{day.day}日", exact=True).click()
    assert sheet.locator(".yb-picker__chosen").inner_text() == f"已选：{chinese(day)}"
    sheet.get_by_role("button", name="确定").click()
    assert not sheet.is_visible()


def noisy_photo(size=(4000, 3000)) -> bytes:
    """A camera-sized photo with sensor noise: several MB as a JPEG."""
    noise = Image.effect_noise(size, 24).convert("RGB")
    base = Image.linear_gradient("L").resize(size).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(base, noise, 0.5).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def token_of(page) -> str:
    return page.evaluate("() => JSON.parse(localStorage.getItem('yibao.tokens')).access_token")


# --- dates, the advice first, and every screen of a filing at three widths ------------

def test_li_ming_picks_his_dates_in_chinese_within_the_rules_and_every_screen_fits(phone, client):
    page = phone.page
    phone.open("/")
    phone.ready("auth_login")
    fits(phone, "auth_login")
    log_in(phone, "李明")
    fits(phone, "home")
    page.get_by_role("link", name="我的医保").click()
    phone.ready("home_index")
    fits(phone, "home_mine")
    page.get_by_role("link", name="服务大厅").click()
    phone.ready("home_index")
    page.get_by_role("link", name="异地就医自助备案").click()
    phone.ready("filing_index")
    look(phone, "filing_index")
    page.get_by_role("button", name="立即办理").click()
    phone.ready("filing_for")
    fits(phone, "filing_for")
    page.get_by_role("button", name="为自己备案").click()

    # The advice comes first: a referral to 海口 must be filed.
    advise(phone, situation="referral", destination="460100")
    assert page.locator(".js_verdict_title").inner_text() == "需要办理异地就医备案"
    look(phone, "filing_advice_needed")
    page.get_by_role("button", name="继续办理").click()

    phone.ready("filing_insured")
    fits(phone, "filing_insured")
    page.get_by_role("button", name="确认", exact=True).click()
    phone.ready("filing_notice")
    fits(phone, "filing_notice")
    page.get_by_label("已阅读备案告知书").check()
    page.get_by_role("button", name="我已阅读并同意").click()

    # The details: what the advice was told is filled in already.
    phone.ready("filing_details")
    assert page.get_by_label("就医地（市）").input_value() == "460100"
    assert page.locator("#js_cat_temp").is_checked()
    assert page.get_by_label("人员类别").input_value() == "referral"
    today = datetime.now(BEIJING).date()
    earliest = today - timedelta(days=filing_rules.START_DATE_PAST_DAYS)
    latest = today + timedelta(days=filing_rules.START_DATE_FUTURE_DAYS)
    # The rules are on screen before 下一步, the dates in Chinese.
    start_tip = page.locator("#js_start_tip").inner_text()
    assert f"开始日期可选{chinese(earliest)}至{chinese(latest)}" in start_tip
    assert page.get_by_label("开始日期").inner_text() == chinese(today)
    start_day = today + timedelta(days=182)
    end_min = filing_rules.add_months(start_day, filing_rules.TEMPORARY_MIN_MONTHS)

    # The picker: a bottom sheet of years, months and days; nothing outside the rules.
    page.get_by_label("开始日期").click()
    sheet = page.get_by_role("dialog", name="开始日期")
    sheet.wait_for()
    assert sheet.locator(".yb-picker__range").inner_text() == f"可选 {chinese(earliest)} 至 {chinese(latest)}"
    years = [b.inner_text() for b in sheet.get_by_role("group", name="年").get_by_role("button").all()]
    assert years == [f"{y}年" for y in range(earliest.year, latest.year + 1)]
    sheet.get_by_role("button", name=f"{latest.year}年", exact=True).click()
    sheet.get_by_role("button", name=f"{latest.month}月", exact=True).click()
    assert sheet.get_by_role("button", name=f"{latest.day}日", exact=True).is_enabled()
    after = latest + timedelta(days=1)
    if after.month == latest.month:
        assert sheet.get_by_role("button", name=f"{after.day}日", exact=True).is_disabled()
    if latest.month < 12:
        assert sheet.get_by_role("button", name=f"{latest.month + 1}月", exact=True).is_disabled()
    look(phone, "filing_details_start_picker")
    sheet.get_by_role("button", name="取消").click()
    assert page.get_by_label("开始日期").inner_text() == chinese(today)

    pick_date(page, "开始日期", start_day)
    assert page.get_by_label("开始日期").inner_text() == chinese(start_day)
    assert page.locator("input[name=start_date]").input_value() == start_day.isoformat()
    # The six months are counted from the start picked, and said before 下一步.
    assert f"结束日期不早于{chinese(end_min)}" in page.locator("#js_end_tip").inner_text()
    page.get_by_label("结束日期").click()
    sheet = page.get_by_role("dialog", name="结束日期")
    sheet.get_by_role("button", name=f"{end_min.year}年", exact=True).click()
    sheet.get_by_role("button", name=f"{end_min.month}月", exact=True).click()
    before = end_min - timedelta(days=1)
    if before.month == end_min.month:
        assert sheet.get_by_role("button", name=f"{before.day}日", exact=True).is_disabled()
    sheet.get_by_role("button", name="取消").click()
    pick_date(page, "结束日期", end_min)
    assert page.get_by_label("结束日期").inner_text() == chinese(end_min)

    # 长辈版: the same picker opens in the page, under its field, not over it.
    phone.elder(True)
    page.get_by_label("开始日期").click()
    inline = page.get_by_role("dialog", name="开始日期")
    assert "yb-picker_inline" in inline.get_attribute("class")
    assert inline.get_attribute("aria-modal") is None
    fits(phone, "filing_details_picker_inline")
    inline.get_by_role("button", name="取消").click()
    phone.elder(False)

    page.get_by_label("居住地址").fill("海南省海口市美兰区海甸岛人民大道58号，海南省人民医院附近的小区")
    assert page.get_by_label("居住地址").evaluate("el => el.tagName") == "TEXTAREA"
    page.get_by_label("联系电话").fill("13834560318")
    look(phone, "filing_details")
    page.get_by_role("button", name="下一步").click()

    phone.ready("filing_pledge")
    fits(phone, "filing_pledge")
    filing_id = int(re.search(r"id=(\d+)", page.url).group(1))
    page.get_by_role("button", name="此处签字").click()
    phone.ready("filing_sign")
    sign_with_the_mouse(phone)
    fits(phone, "filing_sign")
    page.get_by_role("button", name="确定").click()
    phone.ready("filing_confirm")
    fits(phone, "filing_confirm")
    page.get_by_role("button", name="确认", exact=True).click()
    phone.ready("filing_success")
    fits(phone, "filing_success")

    # The server holds the dates picked.
    saved = client.get(f"{FILINGS}/{filing_id}", headers={"Authorization": f"Bearer {token_of(page)}"}).json
    assert (saved["start_date"], saved["end_date"]) == (start_day.isoformat(), end_min.isoformat())
    phone.finish()


def test_the_advice_stops_the_flow_when_no_filing_is_needed_and_says_a_cut_once(phone, client):
    page = phone.page
    log_in(phone, "赵大山")
    page.get_by_role("link", name="异地就医自助备案").click()
    phone.ready("filing_index")
    page.get_by_role("button", name="立即办理").click()
    phone.ready("filing_for")
    page.get_by_role("button", name="为自己备案").click()

    # In his own province, treated without a referral: nothing to file. The flow stops.
    advise(phone, situation="other", destination="140100")
    assert page.locator(".js_verdict_title").inner_text() == "无需办理备案"
    assert not page.get_by_role("button", name="继续办理").is_visible()
    home = page.get_by_role("button", name="返回首页")
    assert home.is_visible()
    look(phone, "filing_advice_not_needed")
    token = token_of(page)
    assert client.get(f"{FILINGS}?for=self", headers={"Authorization": f"Bearer {token}"}).json["items"] == []

    # Referred to 北京: a filing, with the 5-point cut said once, here.
    advise(phone, situation="referral", destination="110100")
    assert page.locator(".js_verdict_title").inner_text() == "需要办理异地就医备案"
    assert page.locator("#js_page").inner_text().count("5个百分点") == 1
    page.get_by_role("button", name="继续办理").click()
    phone.ready("filing_insured")
    page.get_by_role("button", name="确认", exact=True).click()
    phone.ready("filing_notice")
    page.get_by_label("已阅读备案告知书").check()
    page.get_by_role("button", name="我已阅读并同意").click()
    phone.ready("filing_details")
    page.locator(".js_advice").wait_for(state="visible")
    assert page.locator("#js_page").inner_text().count("5个百分点") == 1
    assert "个百分点）" not in page.locator(".js_advice").inner_text()

    # And back on the advice screen, 返回首页 when nothing is needed.
    page.goto(phone.base_url + "/#/filing_advice?for=self")
    advise(phone, situation="other", destination="140100")
    page.get_by_role("button", name="返回首页").click()
    phone.ready("home_index")
    phone.finish()


# --- photos ------------------------------------------------------------------------------

def test_a_camera_photo_goes_up_small_with_progress_and_opens_full_screen(phone, login, client):
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    page = phone.page
    log_in(phone, "李明")

    # The insured person's ID number shows whole, 18 digits, at every width.
    page.goto(phone.base_url + f"/#/filing_insured?id={fid}")
    phone.ready("filing_insured")
    page.get_by_label("身份证号码").fill(PEOPLE["王秀英"])
    fits(phone, "filing_insured_other")

    page.goto(phone.base_url + f"/#/filing_attachments?id={fid}")
    phone.ready("filing_attachments")
    sent = []
    page.on("request", lambda r: sent.append((r.url, len(r.post_data_buffer or b"")))
            if r.method == "POST" and "/attachments/" in r.url else None)
    photo = noisy_photo()
    assert len(photo) > 4 * 1024 * 1024

    held = phone.hold(re.compile(r".*/attachments/agent_id_card$"))
    page.set_input_files("#js_file_agent_id_card", files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg",
                                                            "buffer": photo}])
    held.wait()
    slot = page.locator(".js_slot[data-kind=agent_id_card]")
    # While it goes up: the progress in the page, no loading toast over it.
    assert slot.locator(".js_state").inner_text() == "上传中…"
    assert slot.locator(".js_progress").is_visible()
    assert not page.locator(".js_loading .weui-toast").is_visible()
    held.release()
    page.wait_for_function("() => document.querySelector('.js_slot[data-kind=agent_id_card]').dataset.state === 'done'")
    assert slot.locator(".js_state").inner_text() == "已上传"
    assert re.fullmatch(r"已压缩：6\.\d MB → \d+ KB", slot.locator(".js_size").inner_text())
    [(url, body)] = sent
    assert body < 1024 * 1024, f"{body} bytes went up"
    stored = client.get(f"{FILINGS}/{fid}", headers={"Authorization": f"Bearer {token_of(page)}"}).json
    [attachment] = [a for a in stored["attachments"] if a["kind"] == "agent_id_card"]
    assert max(attachment["width"], attachment["height"]) <= 2048
    look(phone, "filing_attachments_compressed")

    # Tap the thumbnail: the photo full screen; 关闭 closes it.
    page.get_by_role("button", name="查看代办人身份证照片大图").click()
    gallery = page.get_by_role("dialog", name="代办人身份证照片（大图）")
    gallery.wait_for()
    box = gallery.bounding_box()
    assert (box["width"], box["height"]) == (PHONE["width"], PHONE["height"])
    page.screenshot(path=str(phone.folder / "zz-gallery.png"))
    gallery.get_by_role("button", name="关闭").click()
    assert not gallery.is_visible()
    assert page.get_by_role("button", name="查看代办人身份证照片大图").evaluate("el => el === document.activeElement")

    # A file over the server's limit that is no photo: refused here, nothing sent.
    big = os.urandom(uploads.MAX_PHOTO_BYTES + 512 * 1024)
    page.set_input_files("#js_file_insured_hukou", files=[{"name": "scan.pdf", "mimeType": "application/pdf",
                                                           "buffer": big}])
    hukou = page.locator(".js_slot[data-kind=insured_hukou]")
    page.wait_for_function("() => document.querySelector('.js_slot[data-kind=insured_hukou]').dataset.state === 'failed'")
    assert hukou.locator(".js_state").inner_text() == "照片不能超过 10 MB，请压缩或重新拍摄后上传。"
    assert len(sent) == 1

    # A small file the phone cannot read goes up as it is: the server says why not.
    phone.expect_refusals(415, 422)
    page.set_input_files("#js_file_insured_hukou", files=[{"name": "photo.jpg", "mimeType": "image/jpeg",
                                                           "buffer": b"not a photo at all" * 20}])
    page.wait_for_function("() => document.querySelector('.js_slot[data-kind=insured_hukou]').dataset.state === 'failed'"
                           " && document.querySelector('.js_slot[data-kind=insured_hukou] .js_state').textContent.startsWith('上传失败')")
    assert len(sent) == 2
    phone.finish()


def test_a_photo_refused_at_a_busy_moment_goes_up_by_itself_after_the_wait(phone, login, client):
    """At a peak the server may answer an upload 503 `upload.busy` with Retry-After:
    the phone waits as told and sends the photo again, and the person sees it uploaded,
    not an error asking her to pick it again."""
    liming = login("李明")
    fid = proxy_filing_through(liming, "agent_declaration")
    page = phone.page
    log_in(phone, "李明")
    page.goto(phone.base_url + f"/#/filing_attachments?id={fid}")
    phone.ready("filing_attachments")

    phone.expect_refusals(503)
    tries = []

    def busy_once(route):
        tries.append(route.request.method)
        if len(tries) == 1:
            route.fulfill(status=503, content_type="application/json", headers={"Retry-After": "1"},
                          body='{"code": "upload.busy", "status": 503, '
                               '"message": "当前上传照片的人较多，请稍等几秒后重新上传。", "errors": {}}')
        else:
            route.continue_()

    page.route(re.compile(r".*/attachments/agent_id_card$"), busy_once)
    page.set_input_files("#js_file_agent_id_card", files=[{"name": "IMG_0002.jpg", "mimeType": "image/jpeg",
                                                            "buffer": noisy_photo((1600, 1200))}])
    page.wait_for_function("() => document.querySelector('.js_slot[data-kind=agent_id_card]').dataset.state"
                           " === 'done'", timeout=20000)
    assert tries == ["POST", "POST"]
    assert page.locator(".js_slot[data-kind=agent_id_card] .js_state").inner_text() == "已上传"
    assert not page.locator(".js_toast .weui-toast").is_visible()
    stored = client.get(f"{FILINGS}/{fid}", headers={"Authorization": f"Bearer {token_of(page)}"}).json
    assert [a["kind"] for a in stored["attachments"]].count("agent_id_card") == 1
    phone.finish()


# --- agents, 长辈版 at login ------------------------------------------------------------

def test_wang_xiuying_sees_her_son_by_name_and_gives_him_back_the_right_she_withdrew(phone, login):
    liming = login("李明")
    assert liming.post("/api/v1/me/family-members",
                       json={"name": "王秀英", "id_number": PEOPLE["王秀英"], "relation": "parent"}).status_code == 201
    wang = login("王秀英")
    [grant] = wang.get("/api/v1/me/agents").json
    assert wang.delete(f"/api/v1/me/agents/{grant['id']}").status_code == 204

    page = phone.page
    log_in(phone, "王秀英")
    page.get_by_role("link", name="我的医保").click()
    phone.ready("home_index")
    withdrawn = page.locator(".js_withdrawn_agent")
    withdrawn.wait_for()
    assert page.get_by_role("heading", name="已撤销授权的代办人").is_visible()
    assert "李明（子女）" in withdrawn.inner_text()
    assert page.get_by_text("暂无代办人").is_visible()
    look(phone, "agents_withdrawn")

    page.get_by_role("button", name="恢复授权 李明（子女）").click()
    page.locator(".js_agent").wait_for()
    assert page.locator(".js_agent .js_agent_name").inner_text() == "李明（子女）"
    assert phone.toast() == "已恢复李明的代办授权"
    assert not page.locator(".js_withdrawn_area").is_visible()
    phone.screen("agents_restored")
    # He may file for her again.
    assert liming.put(f"{FILINGS}/{start(liming)}/insured", json=MOTHER).status_code == 200
    phone.finish()


def test_elder_mode_can_be_switched_on_at_the_login_page(phone):
    page = phone.page
    phone.open("/")
    phone.ready("auth_login")
    switch = page.get_by_label("长辈版（大字体、大按钮、无弹窗）")
    assert not switch.is_checked()
    switch.check()
    assert page.evaluate("() => document.documentElement.classList.contains('elder')")
    assert page.evaluate("() => localStorage.getItem('yibao.elder')") == "1"
    assert float(page.locator("h1").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 30
    look(phone, "login_elder")
    page.get_by_role("button", name="刘德福").click()
    page.get_by_label("你同意医保电子凭证使用并传达相关数据用于医保服务查询").check()
    page.get_by_role("button", name="授权查询").click()
    phone.ready("home_index")
    assert page.evaluate("() => document.documentElement.classList.contains('elder')")
    look(phone, "home_elder")
    phone.finish()


# --- family doctor -------------------------------------------------------------------------

def test_ticking_pregnant_rewrites_the_eligibility_line_and_the_fd_screens_fit(phone):
    page = phone.page
    log_in(phone, "陈小红")
    page.get_by_role("link", name="家庭医生签约").click()
    phone.ready("fd_index")
    look(phone, "fd_index")
    page.get_by_role("link", name="岳麓区望月湖街道社区卫生服务中心").click()
    phone.ready("fd_institution")
    fits(phone, "fd_institution")
    page.get_by_role("button", name="周敏家庭医生团队").click()
    phone.ready("fd_team")
    line = page.locator(".js_eligibility")
    assert "可以选择增值服务包（门诊服务）" in line.inner_text()
    page.locator("label[for=js_tag_pregnant]").click()
    assert re.search(r"陈小红\d+岁，属于孕产妇，选择增值服务包可享门诊和健康管理服务。", line.inner_text())
    page.locator("label[for=js_tag_hypertension]").click()
    assert "属于孕产妇、高血压" in line.inner_text()
    look(phone, "fd_team_pregnant")
    page.locator("label[for=js_tag_pregnant]").click()
    page.locator("label[for=js_tag_hypertension]").click()
    assert "可以选择增值服务包（门诊服务）" in line.inner_text()
    phone.finish()


def test_chen_xiaohong_renews_her_contract_in_its_last_month(phone, app, client, login):
    chen = login("陈小红")
    signup = active(client, chen, team_named(client, HEZHIQIANG), kinds=())
    valid_to = date.fromisoformat(signup["valid_to"])
    # Ten days before it ends (the whole server's clock: she logs in after).
    travel_to(app, valid_to - timedelta(days=10), chen)

    page = phone.page
    log_in(phone, "陈小红")
    page.goto(phone.base_url + f"/#/fd_status?id={signup['id']}")
    phone.ready("fd_status")
    assert "合同到期前30天内可续约" in page.locator(".js_renew_area").inner_text()
    fits(phone, "fd_status_active")
    page.get_by_role("button", name="去续约").click()
    phone.ready("fd_renew")
    assert page.locator(".js_valid_to").inner_text() == chinese(valid_to)
    assert f"{chinese(date.fromisoformat(signup['renewable_from']))}至{chinese(valid_to)}" in page.locator(".js_window").inner_text()
    look(phone, "fd_renew")
    page.get_by_role("button", name="确认续约").click()
    assert page.locator("#js_err_accepted").is_visible()
    page.get_by_label("已阅读并同意《签约服务协议》，续约一年").check()
    page.get_by_role("button", name="确认续约").click()
    phone.ready("fd_status")
    renewed = chen.get(f"/api/v1/fd/signups/{signup['id']}").json
    assert renewed["renewals"] == 1 and renewed["valid_to"] > signup["valid_to"]
    assert "已续约1次" in page.locator(".js_renew_text").inner_text()
    assert renewed["valid_to"] in page.locator(".js_desc").inner_text()
    phone.screen("fd_status_renewed")
    phone.finish()


# --- the work-injury and rescue-fund screens at three widths, both modes -------------

def test_the_work_injury_and_rescue_screens_fit_at_320_375_and_414(phone, login, client):
    from tests.e2e.test_phone_realism import NEWER_SCREENS, go

    liming = login("李明")
    wi = liming.post("/api/v1/wi-filings", json={"for": "self"})
    assert wi.status_code == 201, wi.json
    rescue = liming.post("/api/v1/rescue/applications", json={"kind": "rescue", "for": "other"})
    assert rescue.status_code == 201, rescue.json
    version = client.get("/api/v1/documents/rescue-notice").json["version"]
    assert liming.put(f"/api/v1/rescue/applications/{rescue.json['id']}/notice",
                      json={"accepted": True, "version": version}).status_code == 200
    ids = {"wi": wi.json["id"], "rescue": rescue.json["id"]}
    log_in(phone, "李明")
    phone.idle()
    for name, address in NEWER_SCREENS.items():
        go(phone, address(ids))
        # A draft's detail and signing pages open its next step.
        shown = {"wi_detail": "wi_step", "rescue_sign": "rescue_step"}.get(name, name)
        phone.ready(shown)
        fits(phone, name)
    phone.finish()
