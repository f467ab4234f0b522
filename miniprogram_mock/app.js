// The app shell: the page list (app.json), a hash router with a back stack like a
// mini-program's (navigateTo / redirectTo / navigateBack / reLaunch), and the
// title bar. Each page is pages/<name>/<name>.js exporting
// { title, template, css?, public?, onLoad(ctx), onUnload?() }.
//
// The browser's history is the stack: every entry the app makes carries the stack
// as it stands there (history.state), navigateTo pushes an entry, redirectTo
// replaces one, navigateBack is the browser's back, and reLaunch goes back to the
// app's first entry and starts over from it. So the phone's back key walks the
// same path as 返回 (after 备案成功, one press lands on the home page).
//
// A page whose load fails (offline, a 5xx, its module not fetched) is replaced by
// an error state with 重试, which runs the page's load again without reloading
// the app. No form is ever submitted by the browser: a native submit would put the
// fields in the URL.
import config from "./app.json" with { type: "json" };
import * as api from "./api.js";
import { bindChrome, busy, clearMessages, dialog } from "./lib/feedback.js";
import { guard } from "./lib/guard.js";
import { applyStoredMode, isElder, setElderMode } from "./lib/mode.js";

export { isElder, setElderMode };

const PAGES = new Set(config.pages);
const FLASH = "yibao.flash";
const root = document.querySelector("#js_page");
const back = document.querySelector(".js_back");
const home = document.querySelector(".js_home");
const title = document.querySelector(".js_nav_title");

let stack = [];
let current = null;
let rendering = 0;
let pageLoads = 0;       // loads in progress: their failed requests are shown as the error state
let relaunching = null;  // the stack a reLaunch starts once the browser is back at the first entry
const styled = new Set();
const modules = new Map();
const failedImports = new Map();
const failedOnline = new Map();
const titles = new Map();

function url(name, query = {}) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) if (v !== undefined && v !== null && v !== "") params.set(k, v);
  const qs = params.toString();
  return `#/${name}${qs ? `?${qs}` : ""}`;
}

function parse(hash) {
  const [path, qs = ""] = hash.replace(/^#\/?/, "").split("?");
  return { name: path || config.entryPagePath, query: Object.fromEntries(new URLSearchParams(qs)) };
}

/** The address of an entry: the app's own path and the hash, never a query
 * string outside the hash. */
function address(hash) {
  return `${location.pathname}${hash}`;
}

function record(how) {
  const state = { yb: 1, stack: [...stack] };
  history[how === "push" ? "pushState" : "replaceState"](state, "", address(stack.at(-1)));
}

/** Open a page on top of the current one (it gets a back button). */
export function navigateTo(name, query) {
  stack.push(url(name, query));
  record("push");
  render();
}

/** Replace the current page (a finished step does not come back with 返回). */
export function redirectTo(name, query) {
  if (stack.length) stack[stack.length - 1] = url(name, query);
  else stack.push(url(name, query));
  record("replace");
  render();
}

/** 返回: the browser's own back, so the back key and 返回 are one path. */
export function navigateBack() {
  if (stack.length > 1) {
    rendering += 1;  // the page still loading is left behind: it must not finish over the one below
    history.back();
  } else {
    reLaunch(config.entryPagePath);
  }
}

/** Start over from one page (after login, after logout); `below` are the pages
 * 返回 leads to from there (a finished filing goes back to the home page). The
 * browser goes back to the app's first entry first, so no page left behind is
 * reached with the back key. */
export function reLaunch(name, query, below = []) {
  rendering += 1;
  const target = [...below.map((page) => url(page)), url(name, query)];
  const depth = (history.state?.yb ? history.state.stack.length : stack.length) - 1;
  if (depth > 0) {
    relaunching = target;
    history.go(-depth);
    return;
  }
  startOver(target);
}

function startOver(target) {
  stack = [target[0]];
  record("replace");
  for (const hash of target.slice(1)) {
    stack.push(hash);
    record("push");
  }
  render();
}

/** The browser moved in its history (back key, forward, a link followed). */
function onHistory() {
  if (relaunching) {
    const target = relaunching;
    relaunching = null;
    startOver(target);
    return;
  }
  const state = history.state;
  const hash = location.hash || url(config.entryPagePath);
  if (state?.yb) {
    if (JSON.stringify(state.stack) === JSON.stringify(stack)) return;  // already here
    stack = [...state.stack];
  } else {
    // An address the app did not make (a link, a typed hash): a page opened on top.
    stack = [...stack, hash];
    record("replace");
  }
  render();
}

// --- loading a page ---------------------------------------------------------------

/** The page's module. A failed import is cached by the browser under its URL, so a
 * retry asks for the module again under a new one (…?retry=1). */
async function loadModule(name) {
  if (modules.has(name)) return modules.get(name);
  const tries = failedImports.get(name) || 0;
  try {
    const module = (await import(`./pages/${name}/${name}.js${tries ? `?retry=${tries}` : ""}`)).default;
    modules.set(name, module);
    titles.set(name, module.title);
    return module;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;  // a bug in the module stays loud
    failedImports.set(name, tries + 1);
    if (navigator.onLine) failedOnline.set(name, (failedOnline.get(name) || 0) + 1);
    const failure = api.networkError();
    failure.module = name;
    throw failure;
  }
}

function showChrome(name, pageTitle) {
  title.textContent = pageTitle;
  document.title = pageTitle;
  back.hidden = stack.length < 2;
  // Opened on its own (a shared link, a notification): a way to the home page.
  home.hidden = !(stack.length === 1 && ![config.entryPagePath, config.loginPagePath].includes(name));
}

async function render() {
  const ticket = ++rendering;
  delete root.dataset.ready;
  delete root.dataset.failed;
  const hash = stack.at(-1) || url(config.entryPagePath);
  const { name, query } = parse(hash);
  if (!PAGES.has(name)) {
    reLaunch(config.entryPagePath);
    return;
  }
  let module = null;
  pageLoads += 1;
  try {
    module = await loadModule(name);
    // The Chinese names of API values, loaded once.
    await api.loadLabels();
    if (ticket !== rendering) return;
    if (!module.public && !api.loggedIn()) {
      reLaunch(config.loginPagePath);
      return;
    }
    const ctx = mount(name, module, query);
    await module.onLoad?.(ctx);
  } catch (error) {
    if (ticket !== rendering) return;
    if (!(error instanceof api.ApiError)) throw error;
    // 401: logged out, and the login page is on its way.
    if (error.status !== 401) fail(error, name);
    return;
  } finally {
    pageLoads -= 1;
  }
  if (ticket !== rendering) return;
  root.dataset.ready = name;
  const message = sessionStorage.getItem(FLASH);
  if (message) {
    sessionStorage.removeItem(FLASH);
    dialog(message);
  }
}

function mount(name, module, query) {
  if (current?.module.onUnload) current.module.onUnload(current.ctx);
  current = null;
  clearMessages();
  if (module.css && !styled.has(name)) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = `/pages/${name}/${name}.css`;
    link.addEventListener("error", () => { link.remove(); styled.delete(name); });
    document.head.append(link);
    styled.add(name);
  }
  showChrome(name, module.title || config.window.navigationBarTitleText);
  root.dataset.page = name;
  root.innerHTML = module.template;
  window.scrollTo(0, 0);

  const ctx = {
    root, query, name,
    $: (selector) => root.querySelector(selector),
    $$: (selector) => [...root.querySelectorAll(selector)],
    /** Listen inside the page. API refusals are shown, then end the handler; the
     * button that started it is busy until it ends (one request at a time). */
    on(selector, event, handler) {
      const el = typeof selector === "string" ? root.querySelector(selector) : selector;
      const guarded = guard(handler);
      el.addEventListener(event, (e) => busy(actor(el, e), () => guarded(e)));
      return el;
    },
  };
  current = { name, module, ctx };
  return ctx;
}

/** The button an event is the work of: the one tapped, or the form's submit button. */
function actor(el, event) {
  if (event.type === "submit") return event.submitter || el.querySelector("button[type=submit]");
  if (event.type === "click" && el instanceof HTMLButtonElement) return el;
  return null;
}

// --- the error state ----------------------------------------------------------------

const FAILED = `
  <div class="weui-msg yb-failed js_failed">
    <div class="weui-msg__icon-area"><i class="weui-icon-warn weui-icon_msg js_failed_icon" aria-hidden="true"></i></div>
    <div class="weui-msg__text-area" role="alert">
      <h1 class="weui-msg__title js_failed_title"></h1>
      <p class="weui-msg__desc js_failed_what"></p>
      <p class="weui-msg__desc js_failed_todo"></p>
    </div>
    <div class="weui-msg__opr-area">
      <p class="weui-btn-area">
        <button type="button" class="weui-btn weui-btn_primary js_retry">重试</button>
        <button type="button" class="weui-btn weui-btn_default js_failed_home">返回首页</button>
      </p>
    </div>
  </div>`;

function retryable(error) {
  return error.status === 0 || error.status >= 500 || [408, 429].includes(error.status);
}

function isOffline(error) {
  return error.status === 0 && (error.code === "network.offline" || navigator.onLine === false);
}

/** The page did not load: say what failed and what to do, in place of a half-built
 * page, with 重试 (the page's load again, without reloading the app). */
function fail(error, name) {
  if (current?.module.onUnload) current.module.onUnload(current.ctx);
  current = null;
  clearMessages();
  const pageTitle = titles.get(name) || config.window.navigationBarTitleText;
  // A page whose module never arrived has no name yet: "页面".
  const named = titles.has(name) ? `“${pageTitle}”` : "页面";
  showChrome(name, pageTitle);
  root.dataset.page = name;
  root.innerHTML = FAILED;
  const offline = isOffline(error);
  const again = retryable(error);
  root.dataset.failed = offline ? "offline" : again ? "retry" : "refused";
  const $ = (selector) => root.querySelector(selector);
  if (offline) {
    $(".js_failed_title").textContent = "网络未连接";
    $(".js_failed_what").textContent = `手机没有连接网络，${named}没有打开。`;
    $(".js_failed_todo").textContent = "请打开无线网络或移动数据，连上网络后点击“重试”。";
  } else if (error.status === 0) {
    $(".js_failed_title").textContent = "网络不给力";
    $(".js_failed_what").textContent = `${named}的内容没有加载出来：${error.message}`;
    $(".js_failed_todo").textContent = "请检查网络后点击“重试”。";
  } else if (again) {
    $(".js_failed_title").textContent = "页面加载失败";
    $(".js_failed_what").textContent = `${named}的内容没有加载出来：${error.message}`;
    $(".js_failed_todo").textContent = "请稍后点击“重试”重新加载。";
  } else {
    $(".js_failed_title").textContent = "无法打开此页面";
    $(".js_failed_what").textContent = error.message;
    $(".js_failed_todo").textContent = "请返回首页重新办理。";
  }
  const retry = $(".js_retry");
  const toHome = $(".js_failed_home");
  retry.hidden = !again;
  toHome.hidden = again || name === config.entryPagePath;
  if (!again) toHome.classList.replace("weui-btn_default", "weui-btn_primary");
  retry.addEventListener("click", () => {
    // The page's module came back twice while online: what it imports may be the
    // part the browser keeps as failed, and only a reload asks for that again (the
    // stack is in history.state, the draft in localStorage: nothing is lost).
    if (error.module && (failedOnline.get(error.module) || 0) >= 2) location.reload();
    else render();
  });
  toHome.addEventListener("click", () => reLaunch(config.entryPagePath));
}

/** Back online: the offline state says so (重试 now works). */
function onOnline() {
  if (root.dataset.failed !== "offline") return;
  root.dataset.failed = "retry";
  root.querySelector(".js_failed_title").textContent = "网络已恢复";
  root.querySelector(".js_failed_todo").textContent = "请点击“重试”重新加载。";
}

// --- start ------------------------------------------------------------------------

/** A message for the next page, shown once it is on screen. */
export function flash(message) {
  sessionStorage.setItem(FLASH, message);
}

function start() {
  // Before any page module runs, so a page that failed half-way cannot leak its
  // fields into the address: the browser never submits a form by itself.
  document.addEventListener("submit", (event) => event.preventDefault(), true);
  applyStoredMode();
  bindChrome();
  api.whilePageLoads(() => pageLoads > 0);
  back.addEventListener("click", navigateBack);
  home.addEventListener("click", () => reLaunch(config.entryPagePath));
  window.addEventListener("popstate", onHistory);
  window.addEventListener("hashchange", onHistory);
  window.addEventListener("online", onOnline);
  window.addEventListener("yibao:logged-out", (event) => {
    flash(event.detail?.message || "登录已失效，请重新登录。");
    reLaunch(config.loginPagePath);
  });
  const hash = location.hash || url(config.entryPagePath);
  // A reload keeps the stack its entry recorded.
  const saved = history.state;
  stack = saved?.yb && saved.stack.at(-1) === hash ? [...saved.stack] : [hash];
  record("replace");
  render();
}

start();
