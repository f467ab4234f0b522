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

// Server times are RFC 3339 in Beijing time with the offset (2026-12-01T13:05:00+08:00)
// and dates Beijing dates (2026-12-01). They are shown as the server wrote them,
// cut from the string: never through Date and the browser's own time zone.
const SERVER_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?/;

/** 2026-12-01T13:05:00+08:00 → 2026-12-01 13:05; a date alone stays a date. */
export function formatDateTime(value) {
  if (!value) return "—";
  const match = SERVER_TIME.exec(String(value));
  if (!match) return String(value);
  return match[2] ? `${match[1]} ${match[2]}` : match[1];
}

/** 2026-12-01T13:05:00+08:00 or 2026-12-01 → 2026-12-01. */
export function formatDate(value) {
  if (!value) return "—";
  const match = SERVER_TIME.exec(String(value));
  return match ? match[1] : String(value);
}

/** Today's date in Beijing (YYYY-MM-DD), `offsetDays` away: what the server calls
 * today, wherever the phone's clock is set. */
export function today(offsetDays = 0) {
  const beijing = new Date(Date.now() + 8 * 3600 * 1000 + offsetDays * 86400 * 1000);
  return beijing.toISOString().slice(0, 10);
}
