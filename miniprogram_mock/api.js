// The one module that talks to the API. It keeps the tokens, refreshes them once on
// a 401, shows a loading state for every request, and turns the one error shape
// `{code, status, message, errors}` into a WeUI toast or dialog with `message` as
// the server wrote it. Pages call `get`, `post`, `put`, `del`, `blob`, `upload`.
// The Chinese names of API values (schemes, relations, steps, events ...) come from
// the server too (`GET /labels`, loaded once before the first page): `label(group,
// value)` and `options(group)`; the mock keeps no word table of its own.
import { loading, showError } from "./lib/feedback.js";

const BASE = "/api/v1";
const TOKENS = "yibao.tokens";

export class ApiError extends Error {
  constructor({ code, status, message, errors }) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    this.errors = errors || {};
    this.shown = false;
  }
}

const NETWORK = { code: "network.failed", status: 0, message: "网络连接失败，请检查网络后重试。", errors: {} };
const OFFLINE = { code: "network.offline", status: 0, message: "网络未连接，请检查手机网络后重试。", errors: {} };

/** A request that never reached the server (fetch's TypeError, an XHR error): the
 * phone is offline (navigator.onLine) or the network failed on the way. */
export function networkError() {
  return new ApiError(navigator.onLine === false ? OFFLINE : NETWORK);
}

// While the shell loads a page, a failed request is not a pop-up: the shell puts the
// page's error state with 重试 in place of the half-built page (app.js). A request
// the page sends from a handler still shows its refusal as a toast or dialog.
let loadingPage = () => false;

export function whilePageLoads(test) {
  loadingPage = test;
}

// --- tokens -----------------------------------------------------------------------

export function tokens() {
  try {
    return JSON.parse(localStorage.getItem(TOKENS)) || null;
  } catch {
    return null;
  }
}

export function loggedIn() {
  return Boolean(tokens()?.access_token);
}

/** After wx-login: keep the pair for every later request. */
export function remember(pair) {
  localStorage.setItem(TOKENS, JSON.stringify({
    access_token: pair.access_token, refresh_token: pair.refresh_token,
  }));
}

export function forget() {
  localStorage.removeItem(TOKENS);
}

// Two requests that both meet a 401 share one refresh: a refresh token used twice
// revokes the whole chain on the server.
let refreshing = null;

function refreshOnce() {
  const refreshToken = tokens()?.refresh_token;
  if (!refreshToken) return Promise.resolve(false);
  refreshing ??= fetch(`${BASE}/auth/refresh`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ refresh_token: refreshToken }),
  }).then(async (response) => {
    if (!response.ok) return false;
    remember(await response.json());
    return true;
  }).catch(() => false).finally(() => { refreshing = null; });
  return refreshing;
}

function loggedOut(error) {
  // The login page shows the message once it is on screen.
  error.shown = true;
  forget();
  window.dispatchEvent(new CustomEvent("yibao:logged-out", { detail: { message: error.message } }));
}

// --- requests ---------------------------------------------------------------------

async function errorFrom(response) {
  try {
    const body = await response.json();
    if (body && typeof body.message === "string") return new ApiError(body);
  } catch {
    // not our JSON: a proxy's page, say
  }
  return new ApiError({ code: "request.failed", status: response.status,
                        message: "服务暂时不可用，请稍后再试。", errors: {} });
}

function report(error, quiet, deferred = false) {
  if (deferred && error.status !== 401) {
    error.deferred = true;
    throw error;
  }
  if (!quiet && !error.shown) {
    error.shown = true;
    showError(error);
  }
  throw error;
}

/**
 * One call to the API. `json` is sent as JSON, `form` as multipart; `as` is
 * "json" (default), "blob" or "none". `quiet` leaves showing the error to the page.
 */
export async function request(method, path, { json, form, headers = {}, as = "json", quiet = false,
                                             auth = true } = {}) {
  const send = () => {
    const h = { Accept: "application/json", ...headers };
    if (auth && tokens()?.access_token) h.Authorization = `Bearer ${tokens().access_token}`;
    let body;
    if (json !== undefined) {
      h["Content-Type"] = "application/json";
      body = JSON.stringify(json);
    } else if (form) {
      body = form;
    }
    return fetch(BASE + path, { method, headers: h, body });
  };

  let result = null;
  let error = null;
  const deferred = !quiet && loadingPage();
  loading.start();
  try {
    let response = await send();
    if (response.status === 401 && auth && await refreshOnce()) response = await send();
    if (!response.ok) {
      error = await errorFrom(response);
      if (response.status === 401 && auth) loggedOut(error);
    } else if (as === "blob") {
      result = await response.blob();
    } else if (as !== "none" && response.status !== 204) {
      result = await response.json();
    }
  } catch {
    error = networkError();
  } finally {
    loading.stop();
  }
  if (error) report(error, quiet, deferred);
  return result;
}

export const get = (path, options) => request("GET", path, options);
export const post = (path, json, options = {}) => request("POST", path, { ...options, json });
export const put = (path, json, options = {}) => request("PUT", path, { ...options, json });
export const del = (path, options = {}) => request("DELETE", path, { as: "none", ...options });
export const blob = (path, options = {}) => request("GET", path, { ...options, as: "blob" });

/**
 * A photo or signature upload (multipart, one field `file`), with progress.
 * fetch cannot report upload progress, so this one uses XMLHttpRequest.
 */
export async function upload(path, file, { onProgress = () => {}, quiet = false, filename,
                                            background = false } = {}) {
  const send = () => new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", BASE + path);
    xhr.setRequestHeader("Accept", "application/json");
    const access = tokens()?.access_token;
    if (access) xhr.setRequestHeader("Authorization", `Bearer ${access}`);
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    });
    xhr.addEventListener("load", () => resolve(xhr));
    xhr.addEventListener("error", () => resolve(null));
    xhr.addEventListener("abort", () => resolve(null));
    const form = new FormData();
    form.append("file", file, filename || file.name || "photo.jpg");
    xhr.send(form);
  });

  // `background`: the page shows its own progress, so no loading toast covers it.
  let xhr;
  if (!background) loading.start();
  try {
    xhr = await send();
    if (xhr && xhr.status === 401 && await refreshOnce()) xhr = await send();
    // 503 with Retry-After (`upload.busy`: every decoding slot of the server is taken
    // at a peak) passes in seconds: wait as told and send again, twice at most,
    // instead of asking the person to pick the photo again.
    for (let retries = 0; retries < 2 && xhr && xhr.status === 503; retries += 1) {
      const wait = Number(xhr.getResponseHeader("Retry-After"));
      if (!Number.isFinite(wait) || wait <= 0 || wait > 10) break;
      onProgress(0);
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      xhr = await send();
    }
  } finally {
    if (!background) loading.stop();
  }
  if (!xhr) report(networkError(), quiet);
  let body = null;
  try {
    body = JSON.parse(xhr.responseText);
  } catch {
    body = null;
  }
  if (xhr.status < 200 || xhr.status >= 300) {
    const error = body && typeof body.message === "string"
      ? new ApiError(body)
      : new ApiError({ code: "request.failed", status: xhr.status, message: "上传失败，请稍后重试。" });
    if (xhr.status === 401) loggedOut(error);
    report(error, quiet);
  }
  onProgress(100);
  return body;
}

// --- labels -----------------------------------------------------------------------

let labelsLoading = null;
let served = {};

/** `GET /labels`, once: one object of groups, each `{value: 中文}`. The router
 * awaits it before a page loads, so `label()` can answer synchronously. */
export function loadLabels() {
  labelsLoading ??= request("GET", "/labels", { auth: false }).then((body) => {
    served = body || {};
    return served;
  }).catch((error) => {
    labelsLoading = null;  // try again on the next page
    throw error;
  });
  return labelsLoading;
}

/** A whole group, `{value: 中文}`, in the server's order. Groups are named as in
 * the API description ("filing.step_short"); the JSON spells them with "_"
 * ("filing_step_short"), and either is found. */
export function labels(group) {
  return served[group] || served[group.replaceAll(".", "_")] || {};
}

/** The Chinese name the server gives `value` in `group` (e.g. label("relation",
 * "parent") → 父母). An unknown value is shown as it is rather than hidden. */
export function label(group, value) {
  if (value === null || value === undefined || value === "") return "";
  return labels(group)[value] ?? String(value);
}

/** A group as `[value, 中文]` pairs, for a form's options. */
export function options(group) {
  return Object.entries(labels(group));
}
