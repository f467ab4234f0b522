// What the family-doctor screens share: whose sign-up it is (carried in the query
// as for=self|member and member=<family member id>), age, and the steps. The
// Chinese names of health tags, cancel reasons, steps and events are the server's
// (api.label, from GET /labels).
import { labels } from "../api.js";
import { renderSteps as steps } from "./steps.js";

// CSS classes, not words.
export const STATUS_CLASS = { draft: "draft", pending: "pending", active: "effective", rejected: "rejected",
                              cancelled: "cancelled", expired: "cancelled" };

/** The query that carries whose sign-up this is from screen to screen. */
export function who(query) {
  return query.for === "member" && query.member ? { for: "member", member: query.member } : { for: "self" };
}

/** The age the server sends beside a masked ID number (never a full birth date). */
export function age(person) {
  return typeof person?.age === "number" ? person.age : null;
}

const STEPS = ["packages", "agreement", "signature", "submit"];

export function renderSteps(container, signup, here) {
  const done = new Set((signup?.steps || []).filter((s) => s.done).map((s) => s.name));
  if (signup && signup.status !== "draft") done.add("submit");
  // 提交申请 is the screen's own last step, not one of the server's.
  const words = { submit: "提交申请", ...labels("signup.step_short") };
  steps(container, { names: STEPS, done, here, labels: words, title: "签约进度" });
}
