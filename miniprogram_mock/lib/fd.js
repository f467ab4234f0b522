// What the family-doctor screens share: whose sign-up it is (carried in the query
// as for=self|member and member=<family member id>), words, and the steps.
import { renderSteps as steps } from "./steps.js";

export const STATUS_CLASS = { draft: "draft", pending: "pending", active: "effective", rejected: "rejected",
                              cancelled: "cancelled", expired: "cancelled" };
export const HEALTH_TAGS = { pregnant: "孕产妇", hypertension: "高血压", diabetes: "糖尿病" };
export const CANCEL_REASONS = {
  own_wish: "本人申请解约", moved_away: "迁出服务区域", unreachable_one_year: "连续一年联系不上",
  refused_service_one_year: "连续一年拒绝服务", other: "其他原因",
};
export const EVENTS = {
  created: "选择团队和服务包", packages: "选择团队和服务包", agreement: "阅读并同意签约服务协议",
  signature: "签字确认", submitted: "提交签约申请", accepted: "团队已同意签约", rejected: "团队未同意签约",
  cancelled: "解约/撤回申请", renewed: "续约", expired: "合同到期",
};

/** The query that carries whose sign-up this is from screen to screen. */
export function who(query) {
  return query.for === "member" && query.member ? { for: "member", member: query.member } : { for: "self" };
}

export function age(birthDate) {
  if (!birthDate) return null;
  const born = new Date(`${birthDate}T00:00:00`);
  const now = new Date();
  let years = now.getFullYear() - born.getFullYear();
  if (now.getMonth() < born.getMonth() || (now.getMonth() === born.getMonth() && now.getDate() < born.getDate())) years -= 1;
  return years;
}

const SHORT = { packages: "团队和服务包", agreement: "签约协议", signature: "签字", submit: "提交申请" };

export function renderSteps(container, signup, here) {
  const names = ["packages", "agreement", "signature", "submit"];
  const done = new Set((signup?.steps || []).filter((s) => s.done).map((s) => s.name));
  if (signup && signup.status !== "draft") done.add("submit");
  steps(container, { names, done, here, labels: SHORT, title: "签约进度" });
}
