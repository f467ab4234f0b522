// The date picker, after weui.js's datePicker: a sheet rising from the bottom with
// 取消 / 确定 and three columns, 年 月 日, where only the dates within the rules can
// be chosen. The field shows the date as people write it (2027年6月1日) and sends
// the ISO date (2027-06-01) in a hidden input. 长辈版 has no pop-ups, so there the
// same sheet opens in the page, under the field. The browser's own date input is not
// used: its mm/dd/yyyy and typed digits (20270601 read as year 70601) confuse people.
import { h } from "./dom.js";
import { isElder } from "./mode.js";

// --- dates as ISO strings (YYYY-MM-DD), compared as strings; never a time zone ---

const pad = (n) => String(n).padStart(2, "0");
export const iso = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;
export const parts = (value) => value.split("-").map(Number);
export const daysIn = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function addDays(value, days) {
  const [y, m, d] = parts(value);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Months on, the day kept or, in a shorter month, its last day (as
 * backend/domain/filing.py add_months counts the six months of a temporary filing). */
export function addMonths(value, months) {
  const [y, m, d] = parts(value);
  const index = m - 1 + months;
  const year = y + Math.floor(index / 12);
  const month = (index % 12 + 12) % 12 + 1;
  return iso(year, month, Math.min(d, daysIn(year, month)));
}

/** 2027-06-01 → 2027年6月1日. */
export function chineseDate(value) {
  if (!value) return "";
  const [y, m, d] = parts(String(value).slice(0, 10));
  return `${y}年${m}月${d}日`;
}

const clamp = (value, min, max) => (value < min ? min : value > max ? max : value);

let opened = null;  // one sheet at a time

/**
 * Make `button` a date field writing into the hidden `input`. `min` and `max` are
 * ISO dates; `optional` offers 清除. Returns `{ set, value, setBounds }`.
 */
export function dateField(button, input, { title, min, max, optional = false, placeholder = "请选择日期",
                                          onChange = () => {} }) {
  const bounds = { min, max };

  function show() {
    button.textContent = input.value ? chineseDate(input.value) : placeholder;
    button.classList.toggle("yb-date_empty", !input.value);
    button.dataset.value = input.value;
    // Read out with its label and value: "开始日期 2027年6月1日".
    button.setAttribute("aria-label", `${title} ${input.value ? chineseDate(input.value) : placeholder}`);
  }

  function set(value, { quiet = false } = {}) {
    input.value = value || "";
    show();
    if (!quiet) onChange(input.value);
  }

  function open() {
    opened?.close(false);
    const start = clamp(input.value || bounds.min, bounds.min, bounds.max);
    let [y, m, d] = parts(start);
    const titleId = `${button.id}_picker_title`;
    const rangeText = `可选 ${chineseDate(bounds.min)} 至 ${chineseDate(bounds.max)}`;
    const chosen = h("p", { class: "yb-picker__chosen", "aria-live": "polite" });
    const years = h("div", { class: "yb-picker__col", role: "group", "aria-label": "年" });
    const months = h("div", { class: "yb-picker__col", role: "group", "aria-label": "月" });
    const days = h("div", { class: "yb-picker__col", role: "group", "aria-label": "日" });
    const ok = h("button", { type: "button", class: "yb-picker__action yb-picker__action_primary js_picker_ok" }, "确定");
    const cancel = h("button", { type: "button", class: "yb-picker__action js_picker_cancel" }, "取消");
    const clear = optional
      ? h("button", { type: "button", class: "weui-btn weui-btn_default weui-btn_mini yb-picker__clear js_picker_clear" }, "清除日期")
      : null;
    const elder = isElder();
    const sheet = h("div", { class: `yb-picker js_picker${elder ? " yb-picker_inline" : ""}`, role: "dialog",
                             "aria-modal": elder ? false : "true", "aria-labelledby": titleId },
      elder ? null : h("div", { class: "yb-picker__mask js_picker_mask", "aria-hidden": "true" }),
      h("div", { class: "yb-picker__panel" },
        h("div", { class: "yb-picker__hd" }, cancel, h("strong", { class: "yb-picker__title", id: titleId }, title), ok),
        h("p", { class: "yb-picker__range" }, rangeText),
        h("div", { class: "yb-picker__bd" }, years, months, days),
        chosen, clear));

    const column = (el, values, unit, current, enabled, pick) => {
      el.replaceChildren(...values.map((v) => h("button", {
        type: "button", class: "yb-picker__item", "aria-pressed": String(v === current), disabled: !enabled(v),
        onclick: () => { pick(v); draw(); },
      }, `${v}${unit}`)));
      const on = el.querySelector('[aria-pressed="true"]');
      if (on) el.scrollTop = on.offsetTop - (el.clientHeight - on.offsetHeight) / 2;
    };

    function fit() {
      d = Math.min(d, daysIn(y, m));
      [y, m, d] = parts(clamp(iso(y, m, d), bounds.min, bounds.max));
    }

    function draw() {
      fit();
      const [minY] = parts(bounds.min);
      const [maxY] = parts(bounds.max);
      const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
      column(years, range(minY, maxY), "年", y, () => true, (v) => { y = v; });
      column(months, range(1, 12), "月", m,
             (v) => iso(y, v, daysIn(y, v)) >= bounds.min && iso(y, v, 1) <= bounds.max, (v) => { m = v; });
      column(days, range(1, daysIn(y, m)), "日", d,
             (v) => iso(y, m, v) >= bounds.min && iso(y, m, v) <= bounds.max, (v) => { d = v; });
      chosen.textContent = `已选：${chineseDate(iso(y, m, d))}`;
    }

    const close = (focus = true) => {
      sheet.remove();
      button.setAttribute("aria-expanded", "false");
      document.removeEventListener("keydown", onKey);
      if (opened?.sheet === sheet) opened = null;
      if (focus) button.focus();
    };
    const onKey = (event) => { if (event.key === "Escape") close(); };
    ok.addEventListener("click", () => { set(iso(y, m, d)); close(); });
    cancel.addEventListener("click", () => close());
    clear?.addEventListener("click", () => { set(""); close(); });
    sheet.querySelector(".js_picker_mask")?.addEventListener("click", () => close());
    document.addEventListener("keydown", onKey);

    // In the page, under the field's group (长辈版); or at the end of the page, drawn
    // as a bottom sheet over it.
    const anchor = button.closest(".weui-cells") || button;
    if (elder) anchor.after(sheet);
    else (button.closest("#js_page") || document.body).append(sheet);
    button.setAttribute("aria-expanded", "true");
    draw();
    opened = { sheet, close };
    (years.querySelector('[aria-pressed="true"]') || ok).focus({ preventScroll: elder });
    if (elder) sheet.scrollIntoView({ block: "nearest" });
  }

  button.setAttribute("aria-haspopup", "dialog");
  button.setAttribute("aria-expanded", "false");
  button.addEventListener("click", (event) => {
    event.preventDefault();
    open();
  });
  show();
  return {
    set,
    value: () => input.value,
    /** New limits (a start date moved): a date now outside them is moved inside. */
    setBounds(nextMin, nextMax) {
      bounds.min = nextMin;
      bounds.max = nextMax;
      if (input.value && (input.value < nextMin || input.value > nextMax)) set(clamp(input.value, nextMin, nextMax));
    },
    bounds: () => ({ ...bounds }),
  };
}
