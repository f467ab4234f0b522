// The app shell: the page list (app.json), a hash router with a back stack like a
// mini-program's (navigateTo / redirectTo / navigateBack / reLaunch), and the
// title bar. Each page is pages/<name>/<name>.js exporting
// { title, template, css?, public?, onLoad(ctx), onUnload?() }.
import config from "./app.json" with { type: "json" };
import * as api from "./api.js";
import { bindChrome, clearMessages, dialog } from "./lib/feedback.js";
import { guard } from "./lib/guard.js";
import { applyStoredMode, isElder, setElderMode } from "./lib/mode.js";

export { isElder, setElderMode };

const PAGES = new Set(config.pages);
const STACK = "yibao.stack";
const FLASH = "yibao.flash";
const root = document.querySelector("#js_page");
const back = document.querySelector(".js_back");
const title = document.querySelector(".js_nav_title");

let stack = readStack();
let current = null;
let rendering = 0;
const styled = new Set();

function readStack() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STACK));
    return Array.isArray(saved) ? saved : [];
  } catch {
    return [];
  }
}

function saveStack() {
  sessionStorage.setItem(STACK, JSON.stringify(stack));
}

function url(name, query = {}) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") params.set(k, v);
  const qs = params.toString();
  return `#/${name}${qs ? `?${qs}` : ""}`;
}

function parse(hash) {
  const [path, qs = ""] = hash.replace(/^#\/?/, "").split("?");
  return { name: path || config.entryPagePath, query: Object.fromEntries(new URLSearchParams(qs)) };
}

/** Open a page on top of the current one (it gets a back button). */
export function navigateTo(name, query) {
  rendering += 1;  // a page still loading is left behind: it must not finish over this one
  stack.push(url(name, query));
  saveStack();
  location.hash = stack.at(-1);
}

/** Replace the current page (a finished step does not come back with 返回). */
export function redirectTo(name, query) {
  rendering += 1;
  if (stack.length) stack[stack.length - 1] = url(name, query);
  else stack.push(url(name, query));
  saveStack();
  location.replace(stack.at(-1));
}

export function navigateBack() {
  rendering += 1;
  if (stack.length > 1) {
    stack.pop();
    saveStack();
    location.replace(stack.at(-1));
  } else {
    reLaunch(config.entryPagePath);
  }
}

/** Start over from one page (after login, after logout); `below` are the pages
 * 返回 leads to from there (a finished filing goes back to the home page). */
export function reLaunch(name, query, below = []) {
  rendering += 1;
  stack = [...below.map((page) => url(page)), url(name, query)];
  saveStack();
  if (location.hash === stack.at(-1)) render();
  else location.replace(stack.at(-1));
}

function onHashChange() {
  const hash = location.hash || url(config.entryPagePath);
  if (stack.at(-1) !== hash) {
    // The browser's own back and forward buttons: keep the stack in step.
    if (stack.at(-2) === hash) stack.pop();
    else stack.push(hash);
    saveStack();
  }
  render();
}

async function render() {
  const ticket = ++rendering;
  delete root.dataset.ready;
  const hash = location.hash || url(config.entryPagePath);
  let { name, query } = parse(hash);
  if (!PAGES.has(name)) {
    reLaunch(config.entryPagePath);
    return;
  }
  const module = (await import(`./pages/${name}/${name}.js`)).default;
  // The Chinese names of API values, loaded once (a refusal is shown; the page
  // still opens).
  await api.loadLabels().catch((error) => {
    if (!(error instanceof api.ApiError)) throw error;
  });
  if (ticket !== rendering) return;
  if (!module.public && !api.loggedIn()) {
    reLaunch(config.loginPagePath);
    return;
  }
  if (!stack.length) {
    stack = [hash];
    saveStack();
  }

  if (current?.module.onUnload) current.module.onUnload(current.ctx);
  clearMessages();
  if (module.css && !styled.has(name)) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = `/pages/${name}/${name}.css`;
    document.head.append(link);
    styled.add(name);
  }
  const pageTitle = module.title || config.window.navigationBarTitleText;
  title.textContent = pageTitle;
  document.title = pageTitle;
  back.hidden = stack.length < 2;
  root.dataset.page = name;
  root.innerHTML = module.template;
  window.scrollTo(0, 0);

  const ctx = {
    root, query, name,
    $: (selector) => root.querySelector(selector),
    $$: (selector) => [...root.querySelectorAll(selector)],
    /** Listen inside the page; API refusals are shown, then end the handler. */
    on(selector, event, handler) {
      const el = typeof selector === "string" ? root.querySelector(selector) : selector;
      el.addEventListener(event, guard(handler));
      return el;
    },
  };
  current = { name, module, ctx };
  try {
    await module.onLoad?.(ctx);
  } catch (error) {
    if (!(error instanceof api.ApiError)) throw error;
  }
  if (ticket !== rendering) return;
  root.dataset.ready = name;
  const message = sessionStorage.getItem(FLASH);
  if (message) {
    sessionStorage.removeItem(FLASH);
    dialog(message);
  }
}

/** A message for the next page, shown once it is on screen. */
export function flash(message) {
  sessionStorage.setItem(FLASH, message);
}

function start() {
  applyStoredMode();
  bindChrome();
  back.addEventListener("click", navigateBack);
  window.addEventListener("hashchange", onHashChange);
  window.addEventListener("yibao:logged-out", (event) => {
    flash(event.detail?.message || "登录已失效，请重新登录。");
    reLaunch(config.loginPagePath);
  });
  if (!location.hash) location.replace(url(config.entryPagePath));
  if (!stack.length || stack.at(-1) !== (location.hash || url(config.entryPagePath))) {
    stack = [location.hash || url(config.entryPagePath)];
    saveStack();
  }
  render();
}

start();
