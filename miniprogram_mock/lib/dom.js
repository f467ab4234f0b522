// Small DOM helpers: pages keep WeUI classes for look and `js_` hooks for behaviour.

/** Build an element: h("p", {class: "weui-cell__bd"}, "text", child). Text is
 * always set as text, never parsed as HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") el.className = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function formatDate(value) {
  if (!value) return "—";
  return String(value).slice(0, 10);
}

// Times are shown in Beijing time (UTC+8, no daylight saving), whatever zone the
// phone or browser is set to: the API answers RFC 3339 with an offset.
const BEIJING_MS = 8 * 3600 * 1000;
const pad = (n) => String(n).padStart(2, "0");

function beijingWall(ms) {
  return new Date(ms + BEIJING_MS);  // read with getUTC*: the wall clock in Beijing
}

export function formatDateTime(value) {
  if (!value) return "—";
  const ms = new Date(value).getTime();
  if (Number.isNaN(ms)) return String(value);
  const d = beijingWall(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Today in Beijing, `offsetDays` on, as YYYY-MM-DD (the server's dates are Beijing dates). */
export function today(offsetDays = 0) {
  const d = beijingWall(Date.now() + offsetDays * 24 * 3600 * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
