// What the rescue-fund screens share (道交救助基金, seed 000): the step indicator,
// which screen does an application's next step, and one uploader per material that
// takes several pages (a cost list runs to many photos). Words come from GET /labels.
import * as api from "../api.js";
import { h } from "./dom.js";
import { toast } from "./feedback.js";
import { renderSteps as steps } from "./steps.js";

export const FORM_STEPS = ["accident", "victim", "hospital", "materials", "contact"];

export async function load(id) {
  return api.get(`/rescue/applications/${Number(id)}`);
}

/** The screen of the application's next step: a form, the signature, or its status. */
export function screenFor(app) {
  if (app.status === "returned" || !["draft"].includes(app.status)) return ["rescue_status", { id: app.id }];
  if (FORM_STEPS.includes(app.next_step)) return ["rescue_step", { id: app.id, step: app.next_step }];
  if (app.next_step === "signature" || app.next_step === null) return ["rescue_sign", { id: app.id }];
  return ["rescue_status", { id: app.id }];
}

export function renderSteps(container, app, here) {
  const names = app.steps.map((s) => s.name);
  const done = new Set(app.steps.filter((s) => s.done).map((s) => s.name));
  steps(container, { names, done, here, labels: api.labels("rescue.step_short"), title: "申请进度" });
}

/** One material's pages: how many, a thumbnail-less list with 删除, and 添加一页. */
export function materialBox(ctx, app, material, onChange) {
  const name = api.label("rescue.material", material);
  const inputId = `js_file_${material}`;
  const stateId = `js_state_${material}`;
  const state = h("span", { id: stateId, class: "js_state", "aria-live": "polite" });
  const list = h("ul", { class: "yb-pages js_pages" });
  const input = h("input", { id: inputId, class: "weui-uploader__input js_input", type: "file",
                             accept: "image/jpeg,image/png", "aria-describedby": stateId });
  const box = h("label", { class: "weui-uploader__input-box", for: inputId },
    h("span", { class: "weui-hidden_abs" }, `添加${name}的一页照片`), input);
  const el = h("div", { class: "weui-cell weui-cell_uploader js_material", "data-material": material },
    h("div", { class: "weui-cell__bd" },
      h("div", { class: "weui-uploader" },
        h("div", { class: "weui-uploader__hd" },
          h("p", { class: "weui-uploader__title" }, name),
          h("div", { class: "weui-uploader__info" }, state)),
        list,
        h("div", { class: "weui-uploader__bd" }, box))));

  function show(current) {
    const pages = current.materials[material] || [];
    state.textContent = pages.length ? `已上传 ${pages.length} 页` : "未上传";
    list.replaceChildren(...pages.map((page, i) => {
      const remove = h("button", { type: "button", class: "weui-btn weui-btn_mini weui-btn_default js_delete",
                                   "aria-label": `删除${name}第${i + 1}页` }, "删除");
      remove.addEventListener("click", async () => {
        const next = await api.del(`/rescue/applications/${current.id}/materials/${material}/${page.id}`,
                                   { as: "json" });
        toast("已删除", { icon: "success" });
        onChange(next);
      });
      return h("li", { class: "yb-pages__item" }, h("span", {}, `第${i + 1}页 · ${page.uploaded_by}`), remove);
    }));
  }
  ctx.on(input, "change", async () => {
    const [file] = input.files;
    input.value = "";
    if (!file) return;
    state.textContent = "上传中…";
    try {
      const next = await api.upload(`/rescue/applications/${app.id}/materials/${material}`, file);
      onChange(next);
    } catch (error) {
      if (!(error instanceof api.ApiError)) throw error;
      state.textContent = `上传失败：${error.message}`;
    }
  });
  show(app);
  return { el, show };
}
