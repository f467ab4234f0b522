// What the filing screens share: words, the step indicator, the draft kept across
// reloads, and which screen a filing's `next_step` belongs to.
import * as api from "../api.js";
import { renderSteps as steps } from "./steps.js";

export const SCHEMES = { employee: "职工基本医疗保险", resident: "城乡居民基本医疗保险" };
export const CATEGORIES = { long_term: "异地长期居住人员", temporary: "临时外出就医人员" };
export const PERSON_TYPES = {
  long_term: {
    retired_resettled: "异地安置退休人员",
    long_term_resident: "异地长期居住人员",
    stationed_worker: "常驻异地工作人员",
  },
  temporary: {
    referral: "异地转诊就医人员",
    emergency: "异地急诊抢救人员",
    other_temporary: "非急诊且未转诊的其他临时外出就医人员",
  },
};
export const RELATIONS = {
  parent: "父母", child: "子女", spouse: "配偶", sibling: "兄弟姐妹",
  grandparent: "祖父母/外祖父母", grandchild: "孙子女/外孙子女", other: "其他",
};
export const EVENTS = {
  created: "创建备案", insured: "选择参保信息", notice: "阅读并同意备案告知书",
  attachment: "上传证件照片", attachments: "上传证件照片", attachment_deleted: "删除证件照片",
  details: "填写备案信息", signature: "签署个人承诺书", submitted: "备案成功",
  settled: "发生医保结算", cancelled: "取消备案", discarded: "放弃草稿", expired: "备案到期",
};

// The screen that does each step; once every step is done, the confirm screen.
const SCREEN_OF_STEP = {
  insured: "filing_insured", notice: "filing_notice", attachments: "filing_attachments",
  details: "filing_details", signature: "filing_pledge",
};

export function screenFor(filing) {
  if (filing.status !== "draft") return "filing_success";
  return SCREEN_OF_STEP[filing.next_step] || "filing_confirm";
}

// --- the draft, kept across reloads ------------------------------------------------

const DRAFT = "yibao.draft";

export function draft() {
  try {
    return JSON.parse(localStorage.getItem(DRAFT)) || null;
  } catch {
    return null;
  }
}

export function keepDraft(id) {
  const current = draft();
  if (current && current.id === id) return current;
  // The submit key is made once per draft, so a retried or reloaded submit is
  // answered with the same filing (Idempotency-Key).
  const value = { id, submitKey: crypto.randomUUID() };
  localStorage.setItem(DRAFT, JSON.stringify(value));
  return value;
}

export function forgetDraft(id) {
  if (!id || draft()?.id === Number(id)) localStorage.removeItem(DRAFT);
}

export async function load(id) {
  const filing = await api.get(`/filings/${Number(id)}`);
  if (filing.status === "draft") keepDraft(filing.id);
  return filing;
}

// --- the step indicator ------------------------------------------------------------

const SHORT = { insured: "参保信息", notice: "告知书", attachments: "上传证件", details: "备案信息",
                signature: "承诺签字", confirm: "确认提交" };

/** Steps from the filing itself, plus the final 确认提交; `here` is this screen's. */
export function renderSteps(container, filing, here) {
  const names = [...filing.steps.map((s) => s.name), "confirm"];
  const done = new Set(filing.steps.filter((s) => s.done).map((s) => s.name));
  if (filing.status !== "draft") names.forEach((n) => done.add(n));
  steps(container, { names, done, here, labels: SHORT, title: "备案进度" });
}
