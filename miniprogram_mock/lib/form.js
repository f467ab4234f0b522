// Forms: read named fields, and show the server's per-field `errors` under each field.
import { h } from "./dom.js";

export function values(form) {
  const data = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === "radio") {
      if (el.checked) data[el.name] = el.value;
    } else if (el.type === "checkbox") {
      data[el.name] = el.checked;
    } else {
      const v = el.value.trim();
      if (v !== "") data[el.name] = v;
    }
  }
  return data;
}

export function clearErrors(root) {
  for (const el of root.querySelectorAll(".js_field_error")) el.remove();
  for (const el of root.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    const ids = (el.getAttribute("aria-describedby") || "").split(" ").filter((id) => !id.startsWith("js_err_"));
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  }
  for (const el of root.querySelectorAll(".weui-cell_warn")) el.classList.remove("weui-cell_warn");
}

/** `errors` is the error shape's `{field: [messages]}`. Fields not on the form are
 * listed at the form's end, so no message is lost. Returns the first bad field. */
export function showErrors(form, errors = {}) {
  clearErrors(form);
  let first = null;
  const leftover = [];
  for (const [field, messages] of Object.entries(errors)) {
    const input = form.querySelector(`[name="${CSS.escape(field)}"]`);
    const text = messages.join(" ");
    if (!input) {
      leftover.push(text);
      continue;
    }
    const id = `js_err_${field}`;
    const cell = input.closest(".weui-cell, .weui-agree") || input;
    cell.classList.add("weui-cell_warn");
    cell.after(h("div", { class: "weui-cells__tips weui-cells__tips_warn js_field_error", id }, text));
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
    first ??= input;
  }
  if (leftover.length) {
    form.append(h("div", { class: "weui-cells__tips weui-cells__tips_warn js_field_error", role: "alert" },
                  leftover.join(" ")));
  }
  return first;
}

/** Run a submit: errors from the server land under their fields; the message
 * itself was already shown by api.js. A submit started through the shell (ctx.on)
 * already has its button busy (lib/feedback.js busy); otherwise it is disabled here.
 * The browser itself never submits a form: the shell prevents every native submit. */
export async function submitting(form, action) {
  clearErrors(form);
  const found = form.querySelector("[type=submit]");
  const button = found && !found.dataset.busy ? found : null;
  if (button) button.disabled = true;
  try {
    return await action();
  } catch (error) {
    if (error && error.errors) {
      const first = showErrors(form, error.errors);
      if (first && error.status === 422) first.focus({ preventScroll: false });
    }
    throw error;
  } finally {
    if (button) button.disabled = false;
  }
}
