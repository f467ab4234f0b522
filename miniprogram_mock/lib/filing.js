// What the filing screens share: the step indicator, the draft kept across
// reloads, and which screen a filing's `next_step` belongs to. The Chinese names of
// schemes, person types, relations, steps and events are the server's (api.label,
// from GET /labels).
import * as api from "../api.js";
import { renderSteps as steps } from "./steps.js";

// seed 002: the person types of each filing category (values; their names are served).
export const PERSON_TYPES_OF = {
  long_term: ["retired_resettled", "long_term_resident", "stationed_worker"],
  temporary: ["referral", "emergency", "other_temporary"],
};

// The screen that does each step; once every step is done, the confirm screen.
const SCREEN_OF_STEP = {
  insured: "filing_insured", notice: "filing_notice", agent_declaration: "filing_agent_declaration",
  attachments: "filing_attachments", details: "filing_details", signature: "filing_pledge",
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

/** Steps from the filing itself, plus the final 确认提交; `here` is this screen's. */
export function renderSteps(container, filing, here) {
  const names = [...filing.steps.map((s) => s.name), "confirm"];
  const done = new Set(filing.steps.filter((s) => s.done).map((s) => s.name));
  if (filing.status !== "draft") names.forEach((n) => done.add(n));
  // 确认提交 is the screen's own last step, not one of the server's.
  const words = { confirm: "确认提交", ...api.labels("filing.step_short") };
  steps(container, { names, done, here, labels: words, title: "备案进度" });
}

// --- the dates of the details step ------------------------------------------------

// backend/domain/filing.py (national rules and seed 002): the start date lies from
// 180 days back (补办, for one admitted before filing) to a year ahead; a temporary
// filing lasts at least 6 months; a long-term one needs no end date. The server
// checks again; these only keep the picker to the dates it will accept.
export const DATE_RULES = { startPastDays: 180, startFutureDays: 365, temporaryMinMonths: 6, endPickerYears: 5 };

// --- what 先看是否需要备案 was told, for the details step -------------------------

const ADVICE = "yibao.advice";

export function keepAdvice(id, asked) {
  sessionStorage.setItem(ADVICE, JSON.stringify({ id, ...asked }));
}

/** The destination and situation given on the advice screen for this draft, if any. */
export function adviceFor(id) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(ADVICE));
    return saved && saved.id === Number(id) ? saved : null;
  } catch {
    return null;
  }
}
