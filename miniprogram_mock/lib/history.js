// A flow's history (GET /filings/{id}/events, GET /fd/signups/{id}/events) as a
// timeline: the server's name of each event (`label`) and its one-line account of
// the detail (`summary`), when and by whom. Raw keys and detail objects are never
// shown.
import { formatDateTime, h } from "./dom.js";

export function renderEvents(list, events) {
  list.replaceChildren(...events.map((e) => h("li", { class: "yb-timeline__item js_event" },
    h("p", { class: "yb-timeline__what" }, e.label || "办理记录"),
    e.summary ? h("p", { class: "yb-timeline__summary" }, e.summary) : null,
    h("p", { class: "yb-timeline__when yb-muted" },
      h("time", { class: "js_event_at", datetime: e.at || false }, formatDateTime(e.at)), by(e)))));
}

function by(e) {
  const role = e.actor_role_label || "";
  if (!e.actor) return role ? ` · ${role}` : "";
  // An agent acts for someone; everyone else for themselves.
  const behalf = e.actor_role === "agent" && e.on_behalf_of ? `为${e.on_behalf_of}办理` : "";
  const about = [role, behalf].filter(Boolean).join("，");
  return about ? ` · ${e.actor}（${about}）` : ` · ${e.actor}`;
}
