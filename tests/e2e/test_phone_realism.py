"""What a phone does to the mock that a desk does not (issue 14): a request that
fails while a page loads, no network at all, the back key, a double tap, a link
opened on its own, and a cancellation tapped by mistake.

The cheap checks run at 320, 375 and 414 px, in the standard layout and in 长辈版;
the long walks at one width. Every walk also fails if an address the page was at
carries a form's fields (conftest's Phone.finish).
"""

from __future__ import annotations

import json
import re
import pytest

from tests.api.flows import effective_self_filing, proxy_filing_through, self_filing_until_signature
from tests.conftest import signature_png, upload
from tests.e2e.conftest import ROOT, Phone, advise, log_in

pytestmark = pytest.mark.e2e

WIDTHS = (320, 375, 414)
MODES = ("standard", "elder")
UNAVAILABLE = {"code": "service.unavailable", "status": 503, "message": "服务暂时不可用，请稍后再试。", "errors": {}}

# The pages of app.json that load nothing from the server when they open.
LOADS_NOTHING = {"auth_login", "filing_for"}


# --- helpers ------------------------------------------------------------------------

def fit(phone: Phone, width: int, mode: str):
    """This width, and this layout from the first paint on."""
    phone.page.set_viewport_size({"width": width, "height": 760})
    phone.page.add_init_script(f"if (location.protocol.startsWith('http')) localStorage.setItem('yibao.elder', '{'1' if mode == 'elder' else '0'}')")


class FailOnce:
    """The next GET to the API (labels aside: they are loaded once, before the first
    page) answers 503, as a server behind a proxy does when it is overloaded."""

    def __init__(self, phone: Phone):
        self.armed = False
        self.failed: list[str] = []
        phone.expect_refusals(503)
        phone.page.route(re.compile(r".*/api/v1/.*"), self._handle)

    def _handle(self, route):
        request = route.request
        if self.armed and request.method == "GET" and not request.url.endswith("/labels"):
            self.armed = False
            self.failed.append(request.url)
            route.fulfill(status=503, content_type="application/json", body=json.dumps(UNAVAILABLE))
        else:
            route.continue_()

    def arm(self):
        self.armed = True


def go(phone: Phone, hash_: str):
    """Open a page inside the running app, as a link in it would."""
    phone.page.evaluate("hash => { location.hash = hash; }", hash_)


def failed_state(phone: Phone, kind: str | None = None):
    page = phone.page
    page.wait_for_selector("main[data-failed]", state="attached")
    phone.idle()
    state = page.locator(".js_failed")
    assert state.is_visible()
    if kind:
        assert page.locator("main").get_attribute("data-failed") == kind
    return state


def requests_to(phone: Phone, method: str, pattern: str) -> list[str]:
    sent: list[str] = []
    phone.page.on("request", lambda r: sent.append(r.url) if r.method == method and re.search(pattern, r.url) else None)
    return sent


def app_pages() -> list[str]:
    return json.loads((ROOT / "miniprogram_mock" / "app.json").read_text())["pages"]


def team(client, name: str) -> dict:
    for institution in client.get("/api/v1/fd/institutions").json:
        for t in institution["teams"]:
            if t["name"] == name:
                return client.get(f"/api/v1/fd/teams/{t['id']}").json
    raise AssertionError(name)


def signed_signup(person, client) -> dict:
    """A sign-up with every step done, ready for 提交签约申请."""
    zhou = team(client, "周敏家庭医生团队")
    value_added = next(p for p in zhou["packages"] if p["kind"] == "value_added")
    response = person.post("/api/v1/fd/signups", json={"for": "self", "team_id": zhou["id"],
                                                         "package_ids": [value_added["id"]]})
    assert response.status_code == 201, response.json
    signup = response.json
    version = client.get("/api/v1/documents/signup-agreement").json["version"]
    assert person.put(f"/api/v1/fd/signups/{signup['id']}/agreement",
                      json={"accepted": True, "version": version}).status_code == 200
    response = person.post(f"/api/v1/fd/signups/{signup['id']}/signature", data=upload(signature_png()),
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.json
    return response.json


# --- a failed load: the error state and 重试 ------------------------------------------

@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_list_that_failed_to_load_says_so_and_loads_on_retry(phone, login, width, mode):
    effective_self_filing(login("李明"))
    fit(phone, width, mode)
    page = phone.page
    log_in(phone, "李明")
    fail = FailOnce(phone)
    fail.arm()
    page.get_by_role("link", name="异地备案查询").click()
    failed_state(phone, "retry")
    assert page.get_by_role("heading", name="页面加载失败").is_visible()
    assert "“异地备案查询”的内容没有加载出来：服务暂时不可用" in page.locator(".js_failed_what").inner_text()
    assert "重试" in page.locator(".js_failed_todo").inner_text()
    # Said in the page, not in a pop-up; no half-built list under it.
    assert not page.locator(".js_dialog .weui-dialog").is_visible()
    assert page.locator(".js_list").count() == 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    phone.screen("records_list_failed")

    page.get_by_role("button", name="重试").click()
    phone.ready("records_list")
    assert page.locator(".js_record").count() == 1
    assert page.url.endswith("#/records_list")  # 重试 did not reload the app
    assert len(fail.failed) == 1 and "/filings?" in fail.failed[0]
    phone.finish()


def test_every_page_that_loads_shows_the_error_state_and_retries_when_its_first_request_fails(phone, login, client):
    liming = login("李明")
    effective = effective_self_filing(liming)  # 北京 is free for the drafts below
    proxy = proxy_filing_through(liming, "details")  # for 王秀英: every step screen can open
    page = phone.page
    log_in(phone, "李明")
    signup = signed_signup(liming, client)
    zhou = team(client, "周敏家庭医生团队")

    screens = {
        "home_index": "#/home_index?tab=mine",
        "filing_insured": f"#/filing_insured?id={proxy}",
        "filing_notice": f"#/filing_notice?id={proxy}",
        "filing_agent_declaration": f"#/filing_agent_declaration?id={proxy}",
        "filing_attachments": f"#/filing_attachments?id={proxy}",
        "filing_details": f"#/filing_details?id={proxy}",
        "filing_pledge": f"#/filing_pledge?id={proxy}",
        "filing_sign": f"#/filing_sign?id={proxy}",
        # The draft visited above is the one 异地就医自助备案 offers to resume.
        "filing_index": "#/filing_index",
        "filing_advice": "#/filing_advice?for=self",
        "filing_success": f"#/filing_success?id={effective['id']}",
        "records_list": "#/records_list",
        "records_detail": f"#/records_detail?id={effective['id']}",
        "fd_index": "#/fd_index",
        "fd_institution": f"#/fd_institution?id={zhou['institution_id']}",
        "fd_team": f"#/fd_team?id={zhou['id']}",
        "fd_agreement": f"#/fd_agreement?id={signup['id']}",
        "fd_sign": f"#/fd_sign?id={signup['id']}",
        "fd_status": f"#/fd_status?id={signup['id']}",
        "fd_renew": f"#/fd_renew?id={signup['id']}",
        "fd_records": "#/fd_records",
        "messages_list": "#/messages_list",
    }
    # 确认备案信息 needs a draft with every step done: 王秀英's, once it is signed.
    confirm_draft = f"#/filing_confirm?id={proxy}"
    # The work-injury and rescue-fund screens: NEWER_SCREENS, below, one phone each.
    newer = {p for p in app_pages() if p.startswith(("wi_", "rescue_"))}
    covered = set(screens) | {"filing_confirm"} | LOADS_NOTHING | newer
    assert covered == set(app_pages()), f"a page of app.json is not covered: {set(app_pages()) ^ covered}"

    fail = FailOnce(phone)
    for name, address in screens.items():
        fail.arm()
        go(phone, address)
        failed_state(phone, "retry")
        assert page.get_by_role("heading", name="页面加载失败").is_visible(), name
        assert not page.locator(".js_dialog .weui-dialog").is_visible(), name
        if name == "fd_status":
            phone.screen("fd_status_failed")
        page.get_by_role("button", name="重试").click()
        phone.ready({"wi_detail": "wi_step"}.get(name, name))
        assert not page.locator("main[data-failed]").count(), name

    response = liming.post(f"/api/v1/filings/{proxy}/signature", data=upload(signature_png()),
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.json
    fail.arm()
    go(phone, confirm_draft)
    failed_state(phone, "retry")
    page.get_by_role("button", name="重试").click()
    phone.ready("filing_confirm")
    assert len(fail.failed) == len(screens) + 1
    phone.finish()


def test_a_refusal_while_a_page_loads_is_said_in_the_page_with_the_way_home(phone, login):
    # Someone else's filing, opened from a link: the server says no.
    other = effective_self_filing(login("赵大山"), scheme="resident", region="140300")
    page = phone.page
    log_in(phone, "李明")
    phone.expect_refusals(403, 404)
    go(phone, f"#/records_detail?id={other['id']}")
    failed_state(phone, "refused")
    assert page.get_by_role("heading", name="无法打开此页面").is_visible()
    assert page.get_by_role("button", name="重试").is_hidden()
    phone.screen("records_detail_refused")
    page.locator(".js_failed").get_by_role("button", name="返回首页").click()
    phone.ready("home_index")
    phone.finish()


# --- no form is ever submitted by the browser ----------------------------------------

def test_a_form_tapped_before_its_page_has_finished_loading_puts_nothing_in_the_address(phone):
    # 长辈版: no loading mask over the page, so the form can be tapped while it loads.
    fit(phone, 375, "elder")
    page = phone.page
    log_in(phone, "陈小红")
    # 我的医保, its last request held: the form is on screen, its handler not yet bound.
    held = phone.hold(re.compile(r".*/api/v1/me/agents$"))
    page.get_by_role("link", name="我的医保").click()
    held.wait()
    page.get_by_label("姓名").fill("刘小宝")
    page.get_by_label("身份证号码").fill("430121202309020572")
    page.get_by_label("是我的").select_option("child")
    page.get_by_role("button", name="添加家庭成员").click()
    page.wait_for_timeout(300)
    assert "#/home_index?tab=mine" in page.url and "刘小宝" not in page.url
    held.release()
    phone.ready("home_index")

    # And with the page answering 503 half-way, the half-built form is not left behind.
    fail = FailOnce(phone)
    fail.arm()
    page.get_by_role("link", name="服务大厅").click()
    failed_state(phone, "retry")
    page.get_by_role("button", name="重试").click()
    phone.ready("home_index")
    phone.finish()  # no address with ?name=, ?id_number= ... on the whole walk


def test_every_button_says_what_it_is_and_every_form_is_kept_from_the_browser(phone, login):
    effective_self_filing(login("李明"))
    page = phone.page
    log_in(phone, "李明")
    for address, name in (("#/home_index?tab=mine", "home_index"), ("#/records_list", "records_list")):
        go(phone, address)
        phone.ready(name)
        assert page.evaluate("() => [...document.querySelectorAll('button')].filter(b => !b.hasAttribute('type')).length") == 0
    # A native submit, whatever the form: the shell prevents it before any page code.
    prevented = page.evaluate("""() => {
        const form = document.createElement('form');
        form.innerHTML = '<input name="name" value="刘小宝"><button type="submit">提交</button>';
        document.querySelector('#js_page').append(form);
        const event = new SubmitEvent('submit', {bubbles: true, cancelable: true});
        form.dispatchEvent(event);
        form.remove();
        return event.defaultPrevented;
    }""")
    assert prevented
    phone.finish()


# --- offline ------------------------------------------------------------------------

def test_offline_a_tile_says_the_network_is_off_and_retry_opens_it_once_back_online(phone):
    page = phone.page
    log_in(phone, "陈小红")
    phone.expect_refusals("ERR_INTERNET_DISCONNECTED")
    phone.axe()  # axe itself is fetched from the server: before the network goes
    # A page never opened before: its module cannot be fetched.
    page.context.set_offline(True)
    page.get_by_role("link", name="家庭医生签约").click()
    failed_state(phone, "offline")
    assert page.get_by_role("heading", name="网络未连接").is_visible()
    assert page.locator(".js_failed_what").inner_text() == "手机没有连接网络，页面没有打开。"
    assert "连上网络后点击“重试”" in page.locator(".js_failed_todo").inner_text()
    phone.screen("fd_index_offline")
    page.get_by_role("button", name="重试").click()  # still offline: still said
    failed_state(phone, "offline")

    page.context.set_offline(False)
    page.wait_for_function("() => navigator.onLine")
    page.get_by_role("button", name="重试").click()
    phone.ready("fd_index")
    assert page.locator(".js_institution").count() > 0

    # A page already opened once: its request fails, the same state, the same retry.
    page.locator(".js_back").click()
    phone.ready("home_index")
    page.context.set_offline(True)
    page.get_by_role("link", name="家庭医生签约").click()
    failed_state(phone, "offline")
    page.context.set_offline(False)
    page.wait_for_function("() => navigator.onLine")
    assert page.get_by_role("heading", name="网络已恢复").is_visible()
    page.get_by_role("button", name="重试").click()
    phone.ready("fd_index")
    phone.finish()


def test_a_page_module_that_did_not_arrive_is_asked_for_again_not_kept_as_failed(phone):
    page = phone.page
    log_in(phone, "陈小红")
    phone.expect_refusals("ERR_FAILED")
    dropped: list[str] = []

    def drop_once(route):
        if dropped:
            route.continue_()
        else:
            dropped.append(route.request.url)
            route.abort()

    page.route(re.compile(r".*/pages/messages_list/messages_list\.js(\?.*)?$"), drop_once)
    page.get_by_role("link", name="我的医保").click()
    phone.ready("home_index")
    page.locator(".js_go_messages").click()
    failed_state(phone, "retry")
    assert page.get_by_role("heading", name="网络不给力").is_visible()
    page.get_by_role("button", name="重试").click()
    phone.ready("messages_list")
    assert len(dropped) == 1
    phone.finish()


# --- the back key -------------------------------------------------------------------

def stack(phone: Phone) -> list[str]:
    return phone.page.evaluate("() => history.state.stack")


def test_the_back_key_after_a_filing_is_made_lands_on_the_home_page_in_one_press(phone, login):
    liming = login("李明")
    fid = self_filing_until_signature(liming)
    assert liming.post(f"/api/v1/filings/{fid}/signature", data=upload(signature_png()),
                       content_type="multipart/form-data").status_code == 200
    page = phone.page
    log_in(phone, "李明")
    baseline = page.evaluate("() => history.length") - 1
    page.get_by_role("link", name="异地备案查询").click()
    phone.ready("records_list")
    page.locator(f'.js_record[data-id="{fid}"]').click()
    phone.ready("records_detail")
    page.get_by_role("button", name="继续办理").click()
    phone.ready("filing_confirm")
    assert len(stack(phone)) == 4
    page.get_by_role("button", name="确认", exact=True).click()
    phone.ready("filing_success")
    # The browser's history is the app's stack: home, then 备案成功.
    assert stack(phone) == ["#/home_index", f"#/filing_success?id={fid}"]
    assert page.evaluate("() => history.length") - baseline == 2

    page.go_back()
    phone.ready("home_index")
    assert stack(phone) == ["#/home_index"]
    assert page.locator(".js_back").is_hidden()
    phone.finish()


def test_after_a_redirect_the_back_key_and_the_back_button_go_to_the_page_before_it(phone):
    page = phone.page
    log_in(phone, "赵大山")
    page.get_by_role("link", name="异地就医自助备案").click()
    phone.ready("filing_index")
    page.get_by_role("button", name="立即办理").click()
    phone.ready("filing_for")
    page.get_by_role("button", name="为自己备案").click()
    # 为自己备案 was replaced by 先看是否需要备案, and that by the draft's first step.
    advise(phone, situation="long_term", destination="460100")
    assert [h.split("?")[0] for h in stack(phone)] == ["#/home_index", "#/filing_index", "#/filing_advice"]
    page.get_by_role("button", name="继续办理").click()
    phone.ready("filing_insured")
    assert [h.split("?")[0] for h in stack(phone)] == ["#/home_index", "#/filing_index", "#/filing_insured"]
    page.go_back()
    phone.ready("filing_index")
    assert "您有一份未完成的备案" in page.locator(".js_draft").inner_text()
    page.get_by_role("button", name="继续办理").click()
    phone.ready("filing_insured")
    page.locator(".js_back").click()  # 返回 in the title bar: the same path
    phone.ready("filing_index")
    page.go_back()
    phone.ready("home_index")
    phone.finish()


# --- a link opened on its own -------------------------------------------------------

@pytest.mark.parametrize("mode", MODES)
def test_a_page_opened_from_a_shared_link_has_a_way_home(phone, login, mode):
    effective_self_filing(login("李明"))
    fit(phone, 375, mode)
    page = phone.page
    log_in(phone, "李明")
    page.goto("about:blank")
    phone.open("/#/records_list")
    phone.ready("records_list")
    home = page.get_by_role("button", name="返回首页")
    assert home.is_visible() and page.locator(".js_back").is_hidden()
    phone.screen("records_list_opened_alone")
    home.click()
    phone.ready("home_index")
    assert home.is_hidden()
    assert stack(phone) == ["#/home_index"]
    phone.finish()


# --- one request at a time ----------------------------------------------------------

def test_a_double_tap_on_submit_sends_one_request_and_the_button_shows_it_is_waiting(phone, login, client):
    signup = signed_signup(login("刘德福"), client)
    fit(phone, 375, "elder")
    page = phone.page
    log_in(phone, "刘德福")
    go(phone, f"#/fd_status?id={signup['id']}")
    phone.ready("fd_status")
    sent = requests_to(phone, "POST", r"/fd/signups/\d+/submit$")
    title = page.locator(".js_title")
    at = "el => el.getBoundingClientRect().top + window.scrollY"
    top = title.evaluate(at)
    held = phone.hold(re.compile(r".*/fd/signups/\d+/submit$"))
    button = page.get_by_role("button", name="提交签约申请")
    button.dblclick()
    held.wait()
    page.wait_for_timeout(200)
    assert len(sent) == 1
    assert button.is_disabled()
    assert "weui-btn_loading" in button.get_attribute("class")
    assert button.locator(".weui-primary-loading").is_visible()
    # 长辈版's wait shows in the page, over it: nothing moves.
    assert page.locator(".js_inline_loading").is_visible()
    assert title.evaluate(at) == top
    page.screenshot(path=str(phone.folder / "01-fd_status_submitting-elder.png"))
    button.click(force=True)  # a third tap on the waiting button
    held.release()
    page.locator(".js_title").filter(has_text="已提交，待团队确认").wait_for()
    phone.idle()
    assert len(sent) == 1
    assert not page.locator(".js_inline_alert").is_visible() or "不能提交" not in page.locator(".js_inline_alert").inner_text()
    phone.finish()


@pytest.mark.parametrize("mode", MODES)
def test_a_double_tap_on_a_filing_step_sends_it_once(phone, login, mode):
    liming = login("李明")
    fid = liming.post("/api/v1/filings", json={"for": "self"}).json["id"]
    assert liming.put(f"/api/v1/filings/{fid}/insured", json={"scheme": "employee", "insured_region": "140100"}).status_code == 200
    version = liming.get("/api/v1/documents/filing-notice").json["version"]
    assert liming.put(f"/api/v1/filings/{fid}/notice", json={"accepted": True, "version": version}).status_code == 200
    fit(phone, 320, mode)
    page = phone.page
    log_in(phone, "李明")
    go(phone, f"#/filing_details?id={fid}")
    phone.ready("filing_details")
    page.get_by_label("人员类别").select_option("stationed_worker")
    page.get_by_label("就医地（省）").select_option("460000")
    page.locator("#js_dest_region option[value='460100']").wait_for(state="attached")
    page.get_by_label("就医地（市）").select_option("460100")
    page.get_by_label("居住地址").fill("海南省海口市美兰区海甸岛人民大道58号")
    page.get_by_label("联系电话").fill("13834560318")
    phone.idle()
    sent = requests_to(phone, "PUT", rf"/filings/{fid}/details$")
    held = phone.hold(re.compile(rf".*/filings/{fid}/details$"))
    button = page.get_by_role("button", name="下一步")
    button.dblclick()
    held.wait()
    assert "weui-btn_loading" in button.get_attribute("class") and button.is_disabled()
    held.release()
    phone.ready("filing_pledge")
    assert len(sent) == 1
    phone.finish()


# --- 取消备案 asks first --------------------------------------------------------------

def test_cancelling_a_filing_needs_a_reason_and_a_yes(phone, login):
    filing = effective_self_filing(login("李明"))
    page = phone.page
    log_in(phone, "李明")
    go(phone, f"#/records_detail?id={filing['id']}")
    phone.ready("records_detail")
    sent = requests_to(phone, "POST", r"/cancel$")
    cancel = page.get_by_role("button", name="取消备案")
    assert cancel.is_disabled()  # no reason yet
    reasons = page.get_by_label("取消原因").locator("option").all_inner_texts()
    assert reasons[0] == "请选择取消原因" and "已返回参保地居住" in reasons and reasons[-1] == "其他原因"
    page.get_by_label("取消原因").select_option(label="其他原因")
    assert cancel.is_disabled()  # 其他原因 needs its words
    page.get_by_label("具体原因").fill("家人接回太原照顾")
    assert cancel.is_enabled()
    phone.screen("records_detail_cancel_reason")

    # One tap asks; 再想想 keeps the filing.
    cancel.click()
    dialog = page.locator(".js_confirm .weui-dialog")
    dialog.wait_for(state="visible")
    assert dialog.locator(".weui-dialog__title").inner_text() == "确定取消备案？"
    page.locator(".js_confirm").get_by_role("button", name="再想想").click()
    assert dialog.is_hidden()
    assert sent == [] and page.locator(".js_status").inner_text() == "备案成功"

    cancel.click()
    page.locator(".js_confirm").get_by_role("button", name="确定取消").click()
    assert phone.toast() == "已取消备案"
    page.locator(".js_cancel_area").wait_for(state="hidden")
    phone.idle()
    assert len(sent) == 1
    assert "原因：家人接回太原照顾" in page.locator(".js_event").last.inner_text()
    phone.finish()


def test_in_elder_mode_the_question_is_asked_in_the_page(phone, login):
    filing = effective_self_filing(login("李明"))
    fit(phone, 414, "elder")
    page = phone.page
    log_in(phone, "李明")
    go(phone, f"#/records_detail?id={filing['id']}")
    phone.ready("records_detail")
    sent = requests_to(phone, "POST", r"/cancel$")
    page.get_by_label("取消原因").select_option(label="行程取消，不再外出就医")
    page.get_by_role("button", name="取消备案").click()
    ask = page.locator(".js_cancel_confirm")
    assert ask.is_visible() and "确定取消备案？" in ask.inner_text()
    phone.screen("records_detail_cancel_ask")
    ask.get_by_role("button", name="再想想").click()
    assert ask.is_hidden() and sent == []
    page.get_by_role("button", name="取消备案").click()
    ask.get_by_role("button", name="确定取消").click()
    page.locator(".js_cancel_area").wait_for(state="hidden")
    phone.idle()
    assert len(sent) == 1
    assert page.locator(".js_status").inner_text() == "已取消"
    phone.finish()


# The screens of the work-injury filing and the rescue fund, each opened by a link from
# the home page with its first request answering 503 (a fresh phone each: the long walk
# above stays on the screens it was written for).
NEWER_SCREENS = {
    "wi_index": lambda ids: "#/wi_index",
    "wi_detail": lambda ids: f"#/wi_detail?id={ids['wi']}",
    "wi_step": lambda ids: f"#/wi_step?id={ids['wi']}",
    "rescue_index": lambda ids: "#/rescue_index",
    "rescue_step": lambda ids: f"#/rescue_step?id={ids['rescue']}&step=accident",
    "rescue_sign": lambda ids: f"#/rescue_sign?id={ids['rescue']}",
    "rescue_status": lambda ids: f"#/rescue_status?id={ids['rescue']}",
    "rescue_records": lambda ids: "#/rescue_records",
}


def test_the_newer_flows_cover_every_screen_of_theirs():
    assert set(NEWER_SCREENS) == {p for p in app_pages() if p.startswith(("wi_", "rescue_"))}


@pytest.mark.parametrize("name", sorted(NEWER_SCREENS))
def test_a_work_injury_or_rescue_screen_that_failed_to_load_retries(phone, login, client, name):
    liming = login("李明")
    response = liming.post("/api/v1/wi-filings", json={"for": "self"})
    assert response.status_code == 201, response.json
    rescue = liming.post("/api/v1/rescue/applications", json={"kind": "rescue", "for": "other"})
    assert rescue.status_code == 201, rescue.json
    version = client.get("/api/v1/documents/rescue-notice").json["version"]
    accepted = liming.put(f"/api/v1/rescue/applications/{rescue.json['id']}/notice",
                          json={"accepted": True, "version": version})
    assert accepted.status_code == 200, accepted.json
    ids = {"wi": response.json["id"], "rescue": rescue.json["id"]}
    page = phone.page
    log_in(phone, "李明")
    phone.idle()  # the home page's own requests are answered before the 503 is set up
    fail = FailOnce(phone)
    fail.arm()
    go(phone, NEWER_SCREENS[name](ids))
    failed_state(phone, "retry")
    # the screen's own request, not one of the home page's
    assert not re.search(r"/api/v1/me(\?|$|/insurance|/messages)", fail.failed[0]), fail.failed
    assert page.get_by_role("heading", name="页面加载失败").is_visible()
    assert not page.locator(".js_dialog .weui-dialog").is_visible()
    page.get_by_role("button", name="重试").click()
    # A draft's detail page and its signing page (before the signing step) open the
    # draft's next step once they have loaded.
    phone.ready({"wi_detail": "wi_step", "rescue_sign": "rescue_step"}.get(name, name))
    assert not page.locator("main[data-failed]").count()
    assert len(fail.failed) == 1
    phone.finish()
