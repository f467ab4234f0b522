"""Browser walks through the mini-program mock, in Debian's Chromium.

The app is the one from tests/conftest.py (migrated, seeded, fresh per test),
served on a free loopback port by werkzeug in a background thread. Every screen a
walk reaches is checked with axe-core and screenshotted, in the standard layout and
again in 长辈版, where the MIIT 适老化 sizes are measured too. Uncaught script errors
and console errors fail the walk.
"""

from __future__ import annotations

import io
import json
import os
import re
import threading
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}

# Chromium logs every HTTP error answer as a console error. Those are the server
# speaking (a refusal the walk provokes on purpose), not script errors: they are
# collected apart, and each walk says which statuses it expects.
NETWORK_LOG = re.compile(r"^Failed to load resource: (the server responded with a status of (\d+)|net::(\S+))")


def pytest_configure(config):
    config.addinivalue_line("markers", "phone_timezone(zone): the phone's clock is in this IANA zone, not Beijing")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: the browser walks need Debian's chromium "
                    "(./scripts/test installs it; or `apt-get install chromium`). No browser is downloaded.",
                    pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(app):
    """The test app on a free loopback port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def phone(browser, live_server, request):
    """A 390×844 phone with the mock open; `phone.screen(name)` checks and
    screenshots the current screen. The walk's folder is named after the test."""
    # A walk marked @pytest.mark.phone_timezone("...") runs on a phone whose clock is
    # set elsewhere: the server's Beijing times must still show as Beijing times.
    zone = request.node.get_closest_marker("phone_timezone")
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN",
                                  timezone_id=zone.args[0] if zone else "Asia/Shanghai", has_touch=False)
    page = context.new_page()
    walk = request.node.name.removeprefix("test_")
    device = Phone(page, live_server, walk)
    yield device
    if getattr(request.node, "rep_call_failed", False):
        page.screenshot(path=str(device.folder / "zz-failure.png"), full_page=True)
        print("script errors:", device.script_errors, "failed requests:", device.network_errors)
    context.close()
    if not device.finished and not getattr(request.node, "rep_call_failed", True):
        device.finish()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call_failed = report.failed
    return report


class Phone:
    def __init__(self, page: Page, base_url: str, walk: str):
        self.page = page
        self.base_url = base_url
        self.folder = SCREENSHOTS / walk
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.count = 0
        self.script_errors: list[str] = []
        self.network_errors: list[str] = []
        self.expected_statuses: set[str] = set()
        self.finished = False
        # Every address the page was at: a form's fields must never end up in one.
        self.addresses: list[str] = []
        page.on("framenavigated", lambda frame: self.addresses.append(frame.url) if frame == page.main_frame else None)
        page.on("pageerror", lambda error: self.script_errors.append(f"uncaught: {error}"))
        page.on("console", self._console)
        page.set_default_timeout(15_000)
        # Records every time the loading state comes on, to show each request has one.
        page.add_init_script("""
            window.__loadingShown = 0;
            new MutationObserver(() => {
              const on = document.documentElement.dataset.loading === "1";
              if (on && !window.__wasLoading) window.__loadingShown += 1;
              window.__wasLoading = on;
            }).observe(document, {attributes: true, attributeFilter: ["data-loading"], subtree: true});
        """)

    def _console(self, message):
        if message.type != "error":
            return
        network = NETWORK_LOG.match(message.text)
        if network:
            self.network_errors.append(network.group(2) or network.group(3))
        else:
            self.script_errors.append(f"console.error: {message.text}")

    # --- driving ---------------------------------------------------------------------

    def open(self, path: str = "/"):
        self.page.goto(self.base_url + path)

    def ready(self, page_name: str):
        """The page is rendered and no request is in flight."""
        self.page.wait_for_selector(f'main[data-ready="{page_name}"]', state="attached")
        self.idle()

    def idle(self):
        self.page.wait_for_function("() => !document.documentElement.dataset.loading")

    def expect_refusals(self, *statuses):
        """The walk provokes these HTTP answers on purpose (e.g. 409 for a refused
        cancellation); Chromium logs them, and that is not a script error."""
        self.expected_statuses.update(str(s) for s in statuses)

    def hold(self, pattern) -> "Held":
        """Keep requests matching `pattern` waiting until released: what the
        person sees while the server has not answered yet."""
        return Held(self.page, pattern)

    def toast(self) -> str:
        """The WeUI toast's text, once it shows."""
        box = self.page.locator(".js_toast .weui-toast")
        box.wait_for(state="visible")
        return box.inner_text()

    def dialog(self) -> str:
        """The WeUI dialog's text, once it shows."""
        box = self.page.locator(".js_dialog .weui-dialog")
        box.wait_for(state="visible")
        return box.locator(".weui-dialog__bd").inner_text()

    def close_dialog(self):
        self.page.locator(".js_dialog").get_by_role("button", name="知道了").click()

    def elder(self, on: bool):
        self.page.evaluate("on => import('/app.js').then(app => app.setElderMode(on))", on)

    # --- looking ----------------------------------------------------------------------

    def screen(self, name: str):
        """Check this screen with axe in both layouts, measure 长辈版, and save a
        screenshot of each: test-artifacts/screenshots/<walk>/<nn>-<screen>.png."""
        self.idle()
        self.count += 1
        stem = f"{self.count:02d}-{name}"
        was_elder = self.page.evaluate("() => document.documentElement.classList.contains('elder')")
        for elder in (was_elder, not was_elder):
            self.elder(elder)
            self.page.evaluate("() => window.scrollTo(0, 0)")
            self.page.wait_for_timeout(50)
            violations = self.axe()
            assert not violations, f"{stem} ({'长辈版' if elder else '标准版'}): axe found\n" + json.dumps(
                violations, ensure_ascii=False, indent=1)
            if elder:
                problems = self.elder_problems()
                assert not problems, f"{stem} (长辈版) breaks the 适老化 sizes:\n" + "\n".join(problems)
            # A full-page capture would draw the sticky tab bar over the middle of a long
            # screen; in the picture it belongs at the end, as on a phone scrolled down.
            self.page.screenshot(path=str(self.folder / f"{stem}{'-elder' if elder else ''}.png"), full_page=True,
                                 style=".yb-tabbar { position: static !important; }")
        self.elder(was_elder)
        self.page.evaluate("() => window.scrollTo(0, 0)")

    def axe(self) -> list[dict]:
        if not self.page.evaluate("() => Boolean(window.axe)"):
            # From the server, as the page's own scripts are: the CSP forbids inline ones.
            self.page.add_script_tag(url="/node_modules/axe-core/axe.min.js")
        return self.page.evaluate("""async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations
              .filter(v => v.impact === "serious" || v.impact === "critical")
              .map(v => ({id: v.id, impact: v.impact, help: v.help,
                          nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
        }""")

    def elder_problems(self) -> list[str]:
        """MIIT 适老化, as the issue puts it: body text ≥ 18 px, page headings and
        primary buttons ≥ 30 px, touch targets ≥ 60×60 px, and no pop-up on screen."""
        return self.page.evaluate(r"""() => {
          const problems = [];
          const visible = (el) => {
            if (el.closest('[aria-hidden="true"], [hidden]')) return false;
            const box = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            return box.width > 0 && box.height > 0 && box.right > 0 && style.visibility !== "hidden"
              && style.display !== "none" && Number(style.opacity) !== 0;
          };
          const describe = (el) => `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).trim().split(/\s+/).join(".") : ""} "${(el.textContent || el.getAttribute("aria-label") || "").trim().slice(0, 20)}"`;
          const px = (el) => parseFloat(getComputedStyle(el).fontSize);
          for (const el of document.querySelectorAll("body *")) {
            if (["SCRIPT", "STYLE", "CANVAS", "IMG"].includes(el.tagName) || !visible(el)) continue;
            const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
            if (ownText && px(el) < 18) problems.push(`text under 18px (${px(el)}px): ${describe(el)}`);
          }
          for (const el of document.querySelectorAll("h1, .weui-btn_primary")) {
            if (visible(el) && px(el) < 30) problems.push(`heading or main button under 30px (${px(el)}px): ${describe(el)}`);
          }
          const targets = document.querySelectorAll('a[href], button, select, textarea, input, [role="button"]');
          for (const el of targets) {
            if (el.type === "hidden") continue;
            // A check box, radio or file input is reached through its label.
            const target = ["checkbox", "radio", "file"].includes(el.type) && el.labels && el.labels[0] ? el.labels[0] : el;
            if (!visible(target) || target.classList.contains("yb-skip")) continue;
            const box = target.getBoundingClientRect();
            if (box.width < 59.5 || box.height < 59.5) {
              problems.push(`touch target under 60×60 (${Math.round(box.width)}×${Math.round(box.height)}): ${describe(target)}`);
            }
          }
          for (const el of document.querySelectorAll(".js_toast, .js_dialog, .js_loading, .weui-mask, .weui-toast, .weui-dialog")) {
            if (visible(el)) problems.push(`a pop-up is showing: ${describe(el)}`);
          }
          return problems;
        }""")

    def loading_count(self) -> int:
        return self.page.evaluate("() => window.__loadingShown")

    def finish(self):
        """No uncaught script error and no console error on the walk; HTTP errors
        only those the walk provoked."""
        self.finished = True
        assert not self.script_errors, "script errors on the walk:\n" + "\n".join(self.script_errors)
        unexpected = [s for s in self.network_errors if s not in self.expected_statuses]
        assert not unexpected, f"unexpected failed requests: {unexpected} (expected only {self.expected_statuses})"
        leaks = [a for a in self.addresses if leaked_fields(a)]
        assert not leaks, f"an address carried form fields or a query outside the hash: {leaks}"


# What a form submitted by the browser itself would put in the address.
FORM_FIELDS = ("name", "id_number", "relation", "scheme", "insured_region", "contact_name", "contact_phone",
               "address", "hospital", "reason", "note", "consent", "accepted", "person_type", "start_date")


def leaked_fields(address: str) -> list[str]:
    """The app keeps its own query inside the hash (#/records_detail?id=3); a query
    before the hash, or a form field's name anywhere, is a leak."""
    before_hash = address.partition("#")[0]
    found = [f"query outside the hash: {before_hash}"] if "?" in before_hash else []
    fields = re.findall(r"[?&]([a-z_]+)=", address)
    return found + [f for f in fields if f in FORM_FIELDS]


class Held:
    def __init__(self, page: Page, pattern):
        self.page = page
        self.pattern = pattern
        self.routes = []
        self.released = False
        page.route(pattern, lambda route: route.continue_() if self.released else self.routes.append(route))

    def wait(self, seconds: float = 15):
        for _ in range(int(seconds * 50)):
            if self.routes:
                return
            self.page.wait_for_timeout(20)
        raise AssertionError(f"no request matching {self.pattern} was made")

    def release(self):
        self.released = True
        for route in self.routes:
            route.continue_()
        self.page.unroute(self.pattern)


# --- shared walks ---------------------------------------------------------------------

def log_in(phone: Phone, name: str):
    """授权登录 as a demo person: pick the name, tick the consent, 授权查询."""
    page = phone.page
    phone.open("/")
    phone.ready("auth_login")
    page.get_by_role("button", name=name, exact=False).first.click()
    page.get_by_label("你同意医保电子凭证使用并传达相关数据用于医保服务查询").check()
    page.get_by_role("button", name="授权查询").click()
    phone.ready("home_index")


def sign_with_the_mouse(phone: Phone, canvas_selector: str = ".js_canvas"):
    """Write a name-like zigzag inside the box with the mouse, as a finger would."""
    page = phone.page
    page.locator(canvas_selector).scroll_into_view_if_needed()
    box = page.locator(canvas_selector).bounding_box()
    x, y = box["x"], box["y"]
    page.mouse.move(x + 30, y + 140)
    page.mouse.down()
    for dx, dy in [(60, 40), (95, 160), (140, 50), (180, 170), (230, 60), (280, 150), (320, 80)]:
        page.mouse.move(x + dx, y + dy, steps=10)
    page.mouse.up()
    page.mouse.move(x + 60, y + 100)
    page.mouse.down()
    page.mouse.move(x + 300, y + 110, steps=15)
    page.mouse.up()


def jpeg(text: str, size=(1280, 860), colour=(214, 228, 240)) -> bytes:
    """A photo of a document, made here: a card with a few lines on it."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([60, 60, size[0] - 60, size[1] - 60], outline=(40, 60, 90), width=8)
    for row in range(6):
        draw.line([(120, 180 + row * 90), (size[0] - 160, 180 + row * 90)], fill=(70, 80, 100), width=10)
    draw.text((120, 100), text, fill=(0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def choose_region(page, province_label: str, city_label: str, city: str):
    """A province, then one of its cities, once their options are in."""
    page.get_by_label(province_label).select_option(f"{city[:2]}0000")
    page.get_by_label(city_label).locator(f"option[value='{city}']").wait_for(state="attached")
    page.get_by_label(city_label).select_option(city)


def advise(phone: Phone, *, situation: str, destination: str, scheme: str | None = None, insured: str | None = None):
    """先看是否需要备案: what is asked right after 为自己/为他人备案, answered; the
    verdict is on screen when this returns."""
    page = phone.page
    phone.ready("filing_advice")
    if scheme:
        page.get_by_label("参保身份").select_option(scheme)
    if insured:
        choose_region(page, "参保地（省）", "参保地（市）", insured)
    page.get_by_label("就医情形").select_option(situation)
    choose_region(page, "就医地（省）", "就医地（市）", destination)
    page.get_by_role("button", name="查看是否需要备案").click()
    page.locator(".js_verdict").wait_for(state="visible")
    phone.idle()
