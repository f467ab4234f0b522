// Waits and messages, the WeUI way in standard mode (loading toast, toast, dialog)
// and inline in 长辈版, where the guideline asks for no pop-ups.
import { isElder } from "./mode.js";

const q = (selector) => document.querySelector(selector);
let pending = 0;
let toastTimer = null;

export const loading = {
  start() {
    pending += 1;
    if (pending === 1) showLoading(true);
  },
  stop() {
    pending = Math.max(0, pending - 1);
    if (pending === 0) showLoading(false);
  },
};

// --- one request at a time per action -----------------------------------------------

const SPINNER = '<span class="weui-primary-loading yb-btn-spinner js_btn_spinner" aria-hidden="true">'
  + '<span class="weui-primary-loading__dot"></span></span>';

function spin(button, on) {
  button.classList.toggle("weui-btn_loading", on);
  const spinner = button.querySelector(":scope > .js_btn_spinner");
  if (on && !spinner) button.insertAdjacentHTML("afterbegin", SPINNER);
  if (!on && spinner) spinner.remove();
}

/** Run `action` as the work of `button`: while it runs the button is disabled (a
 * second tap does nothing), and while one of its requests is waiting for the
 * server it shows WeUI's loading button (weui-btn_loading with the spinner). A tap
 * on a button that is already busy is ignored. The shell wraps every page
 * handler in this (ctx.on); a listener added by hand can call it too. */
export async function busy(button, action) {
  if (!(button instanceof HTMLButtonElement)) return action();
  if (button.dataset.busy) return undefined;
  const wasDisabled = button.disabled;
  button.dataset.busy = "1";
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  if (pending > 0) spin(button, true);
  try {
    return await action();
  } finally {
    delete button.dataset.busy;
    button.removeAttribute("aria-busy");
    spin(button, false);
    button.disabled = wasDisabled;
  }
}

function showLoading(on) {
  const html = document.documentElement;
  if (on) html.dataset.loading = "1";
  else delete html.dataset.loading;
  q("#js_page").setAttribute("aria-busy", on ? "true" : "false");
  q(".js_loading").hidden = !on || isElder();
  q(".js_inline_loading").hidden = !on || !isElder();
  // The button whose tap sent the request shows that it is waiting.
  for (const button of document.querySelectorAll("button[data-busy]")) spin(button, on);
}

/** A short message: a WeUI toast, or the inline bar in 长辈版. */
export function toast(message, { icon = "warn", duration = 3000 } = {}) {
  if (isElder()) {
    inlineAlert(message, icon === "success" ? "success" : "warn");
    return;
  }
  const box = q(".js_toast");
  q(".js_toast_text").textContent = message;
  q(".js_toast_icon").className =
    `weui-icon_toast js_toast_icon ${icon === "success" ? "weui-icon-success-no-circle" : "weui-icon-warn"}`;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, duration);
}

/** A message to acknowledge: a WeUI dialog, or the inline bar in 长辈版. */
export function dialog(message, title = "提示") {
  if (isElder()) {
    inlineAlert(message, "warn");
    return Promise.resolve();
  }
  const box = q(".js_dialog");
  q("#js_dialog_title").textContent = title;
  q("#js_dialog_text").textContent = message;
  box.hidden = false;
  const ok = q(".js_dialog_ok");
  const opener = document.activeElement;
  ok.focus();
  return new Promise((resolve) => {
    ok.addEventListener("click", () => {
      box.hidden = true;
      if (opener && opener.isConnected) opener.focus();
      resolve();
    }, { once: true });
  });
}

let answerConfirm = null;

/** A question before something that cannot be undone: a WeUI dialog with 取消
 * (focused, and what Esc does) and the action. Resolves true if the person goes
 * ahead. 长辈版 has no pop-ups, so a page asks inline there; calling this in
 * 长辈版 is a bug and says so. */
export function confirm(message, { title = "请确认", ok = "确定", cancel = "取消" } = {}) {
  if (isElder()) throw new Error("长辈版 has no pop-ups: ask in the page instead of confirm().");
  answerConfirm?.(false);
  const box = q(".js_confirm");
  const yes = q(".js_confirm_ok");
  const no = q(".js_confirm_cancel");
  q("#js_confirm_title").textContent = title;
  q("#js_confirm_text").textContent = message;
  yes.textContent = ok;
  no.textContent = cancel;
  const opener = document.activeElement;
  box.hidden = false;
  no.focus();
  return new Promise((resolve) => {
    const onYes = () => answerConfirm(true);
    const onNo = () => answerConfirm(false);
    const onKey = (event) => { if (event.key === "Escape") answerConfirm(false); };
    answerConfirm = (answer) => {
      answerConfirm = null;
      yes.removeEventListener("click", onYes);
      no.removeEventListener("click", onNo);
      box.removeEventListener("keydown", onKey);
      box.hidden = true;
      if (opener && opener.isConnected) opener.focus();
      resolve(answer);
    };
    yes.addEventListener("click", onYes);
    no.addEventListener("click", onNo);
    box.addEventListener("keydown", onKey);
  });
}

/** 长辈版: the message stays in the page, under the title bar, until dismissed. */
export function inlineAlert(message, kind = "warn") {
  const box = q(".js_inline_alert");
  q(".js_inline_alert_text").textContent = message;
  box.classList.toggle("yb-inline-alert_success", kind === "success");
  box.querySelector("i").className = kind === "success" ? "weui-icon-success" : "weui-icon-warn";
  box.hidden = false;
  box.focus();
}

export function clearMessages() {
  q(".js_inline_alert").hidden = true;
  q(".js_toast").hidden = true;
  q(".js_dialog").hidden = true;
  // A question left open by a page that is gone is a question not answered.
  answerConfirm?.(false);
}

/** The one error shape, shown as the server wrote it. Form mistakes (422 and the
 * like) and a dropped connection (status 0: try again) are a toast; refusals that
 * stop the person (409, 403, 404, ...) a dialog. */
export function showError(error) {
  const message = error.message || "请求未能完成，请稍后重试。";
  if ([0, 400, 413, 415, 422].includes(error.status)) toast(message);
  else return dialog(message);
  return Promise.resolve();
}

export function bindChrome() {
  q(".js_inline_alert_close").addEventListener("click", () => { q(".js_inline_alert").hidden = true; });
  window.addEventListener("yibao:mode", () => showLoading(pending > 0));
}
