// One screen per step of the work-injury filing, chosen by the filing's `next_step`:
// injury → notice → (attachments, 为他人) → details → signature → 确认提交.
import * as api from "../../api.js";
import { redirectTo } from "../../app.js";
import { h } from "../../lib/dom.js";
import { toast } from "../../lib/feedback.js";
import { showErrors, submitting, values } from "../../lib/form.js";
import { picker } from "../../lib/regions.js";
import { SIGNING_BOX, signingBox } from "../../lib/signature.js";
import { renderSteps } from "../../lib/steps.js";

const cell = (label, id, input) => h("label", { class: "weui-cell weui-cell_active", for: id },
  h("div", { class: "weui-cell__hd" }, h("span", { class: "weui-label" }, label)),
  h("div", { class: "weui-cell__bd" }, input));
const text = (label, name, attrs = {}) => cell(label, `js_${name}`,
  h("input", { id: `js_${name}`, class: "weui-input", name, ...attrs }));
const choice = (label, name, pairs) => cell(label, `js_${name}`,
  h("select", { id: `js_${name}`, class: "weui-select", name },
    ...pairs.map(([value, words]) => h("option", { value }, words))));
const button = (words) => h("div", { class: "yb-actions" },
  h("button", { type: "submit", class: "weui-btn weui-btn_primary" }, words));

export default {
  title: "工伤异地就医备案",
  template: `
    <div class="js_steps"></div>
    <div class="yb-hd"><h1 class="yb-hd__title js_title"></h1></div>
    <div class="js_body"></div>
  `,

  async onLoad(ctx) {
    const filing = await api.get(`/wi-filings/${Number(ctx.query.id)}`);
    if (filing.status !== "draft") {
      redirectTo("wi_detail", { id: filing.id });
      return;
    }
    const step = filing.next_step || "confirm";
    const names = [...filing.steps.map((s) => s.name), "confirm"];
    renderSteps(ctx.$(".js_steps"), {
      names, here: step, title: "备案进度", done: new Set(filing.steps.filter((s) => s.done).map((s) => s.name)),
      labels: { confirm: "确认提交", ...api.labels("wi_filing.step_short") },
    });
    ctx.$(".js_title").textContent = step === "confirm" ? "确认提交" : api.label("wi_filing.step", step);
    // Each step is its own address (the router renders on a change of address).
    const again = (saved) => (saved.status === "draft"
      ? redirectTo("wi_step", { id: saved.id, step: saved.next_step || "confirm", photos: saved.attachments.length })
      : redirectTo("wi_detail", { id: saved.id }));
    const path = `/wi-filings/${filing.id}`;
    const body = ctx.$(".js_body");
    const form = h("form", { class: "js_form", novalidate: true });
    const onSubmit = (build) => ctx.on(form, "submit", async (event) => {
      event.preventDefault();
      const saved = await submitting(form, build);
      if (saved) again(saved);
    });

    if (step === "injury") {
      if (filing.for === "self") {
        const injuries = await api.get("/me/work-injuries");
        form.append(h("div", { class: "weui-cells weui-cells_radio", role: "radiogroup", "aria-label": "工伤认定信息" },
          ...injuries.map((i, n) => h("label", { class: "weui-cell weui-check__label", for: `js_injury_${i.id}` },
            h("div", { class: "weui-cell__bd" }, `${i.basis_label}：${i.injury}`,
              h("p", { class: "yb-muted" }, `${i.decision_no} · ${i.employer} · ${i.insured_region_name}`)),
            h("div", { class: "weui-cell__ft" }, h("input", { type: "radio", class: "weui-check", name: "injury_id",
              id: `js_injury_${i.id}`, value: i.id, checked: n === 0 }), h("span", { class: "weui-icon-checked" }))))));
        if (!injuries.length) form.append(h("p", { class: "weui-cells__tips" }, "未查询到您的工伤认定记录。"));
      } else {
        form.append(h("div", { class: "weui-cells weui-cells_form" },
          text("工伤职工姓名", "name", { maxlength: 64 }), text("身份证号码", "id_number", { maxlength: 18 }),
          choice("是我的", "relation", api.options("relation"))));
      }
      form.append(button("下一步"));
      onSubmit(() => {
        const data = values(form);
        if (data.injury_id) data.injury_id = Number(data.injury_id);
        return api.put(`${path}/injury`, data);
      });
    } else if (step === "notice") {
      const notice = await api.get("/documents/wi-filing-notice");
      form.append(h("article", { class: "yb-doc", tabindex: "0", "aria-label": notice.title },
                    h("h2", { class: "yb-doc__title" }, notice.title), h("div", { class: "yb-doc__body" }, notice.body)),
                  h("div", { class: "yb-agree" }, h("label", { class: "weui-agree", for: "js_read" },
                    h("input", { id: "js_read", type: "checkbox", class: "yb-check", name: "accepted" }),
                    h("span", { class: "weui-agree__text" }, "已阅读工伤备案告知书"))),
                  button("我已阅读并同意"));
      onSubmit(() => {
        if (!ctx.$("#js_read").checked) {
          showErrors(form, { accepted: ["请先勾选“已阅读工伤备案告知书”。"] });
          toast("请先勾选“已阅读工伤备案告知书”");
          return null;
        }
        return api.put(`${path}/notice`, { accepted: true, version: notice.version });
      });
    } else if (step === "attachments") {
      const have = new Set(filing.attachments.map((a) => a.kind));
      for (const kind of ["agent_id_card", "insured_id_card"]) {
        const id = `js_photo_${kind}`;
        const input = h("input", { id, type: "file", accept: "image/jpeg,image/png", class: "weui-input js_photo",
                                   "data-kind": kind });
        form.append(h("div", { class: "weui-cells weui-cells_form" },
          cell(`${api.label("attachment.kind", kind)}${have.has(kind) ? "（已上传）" : ""}`, id, input)));
        ctx.on(input, "change", async () => {
          if (!input.files[0]) return;
          again(await api.upload(`${path}/attachments/${kind}`, input.files[0]));
        });
      }
      form.append(h("p", { class: "weui-cells__tips" }, "请上传代办人和工伤职工本人的身份证或户口本照片。"));
    } else if (step === "details") {
      form.append(h("div", { class: "weui-cells weui-cells_form" },
        choice("备案类型", "filing_type", api.options("wi_filing.type")),
        cell("就医省份", "js_dest_province", h("select", { id: "js_dest_province", class: "weui-select" })),
        cell("就医城市", "js_destination_region", h("select", { id: "js_destination_region", class: "weui-select",
                                                            name: "destination_region" })),
        text("开始日期", "start_date", { type: "date" }), text("结束日期", "end_date", { type: "date" }),
        text("居住地址", "address", { maxlength: 200, placeholder: "异地居住必填" }),
        text("就医机构", "institution", { maxlength: 200, placeholder: "转诊转院必填" }),
        text("转出机构", "referred_by_institution", { maxlength: 200, placeholder: "转诊转院必填" }),
        text("转诊单号", "referral_no", { maxlength: 64, placeholder: "转诊转院必填" })),
      h("h2", { class: "weui-cells__title", id: "js_services_title" }, "直接结算的服务"),
      h("div", { class: "weui-cells weui-cells_checkbox", role: "group", "aria-labelledby": "js_services_title" },
        ...api.options("wi_filing.service").map(([value, words]) => h("label", { class: "weui-cell weui-check__label",
                                                                                 for: `js_service_${value}` },
          h("div", { class: "weui-cell__hd" }, h("input", { type: "checkbox", class: "weui-check", name: `service_${value}`,
            id: `js_service_${value}`, checked: value !== "assistive_device" }), h("i", { class: "weui-icon-checked" })),
          h("div", { class: "weui-cell__bd" }, words)))),
      h("div", { class: "weui-cells weui-cells_form" },
        text("联系人", "contact_name", { maxlength: 64 }), text("联系电话", "contact_phone", { maxlength: 20, type: "tel" })),
      button("下一步"));
      body.append(form);
      await picker(ctx.$("#js_dest_province"), ctx.$("#js_destination_region"), "");
      onSubmit(() => {
        const data = values(form);
        const services = api.options("wi_filing.service").map(([v]) => v).filter((v) => data[`service_${v}`]);
        const request = { filing_type: data.filing_type, destination_region: data.destination_region || "",
                          start_date: data.start_date || "", services, contact_name: data.contact_name || "",
                          contact_phone: data.contact_phone || "" };
        for (const key of ["end_date", "address", "institution"]) if (data[key]) request[key] = data[key];
        if (data.referred_by_institution || data.referral_no) {
          request.referred_by = { institution: data.referred_by_institution || "", document_no: data.referral_no || "" };
        }
        return api.put(`${path}/details`, request);
      });
      return;
    } else if (step === "signature") {
      body.innerHTML = `<p class="yb-hd__desc" id="js_sign_tip">请阅读《工伤异地就医个人承诺书》后，用手指在框内清晰书写姓名。</p>${SIGNING_BOX}`;
      const pledge = await api.get("/documents/wi-filing-pledge");
      body.prepend(h("article", { class: "yb-doc", tabindex: "0", "aria-label": pledge.title },
                     h("h2", { class: "yb-doc__title" }, pledge.title), h("div", { class: "yb-doc__body" }, pledge.body)));
      signingBox(ctx, async (png) => again(await api.upload(`${path}/signature`, png, { filename: "signature.png" })));
      return;
    } else {
      form.append(h("div", { class: "weui-form-preview yb-preview" }, h("div", { class: "weui-form-preview__bd" },
        ...[["工伤职工", filing.insured_person?.name], ["工伤认定", filing.injury?.injury],
            ["备案类型", filing.filing_type_label], ["就医地", filing.destination_region_name],
            ["直接结算", filing.services.map((s) => s.label).join("、")]].map(([k, v]) =>
          h("div", { class: "weui-form-preview__item" }, h("span", { class: "weui-form-preview__label" }, k),
            h("span", { class: "weui-form-preview__value" }, v || ""))))), button("确认提交"));
      const key = sessionStorage.getItem(`yibao.wi.${filing.id}`) || crypto.randomUUID();
      sessionStorage.setItem(`yibao.wi.${filing.id}`, key);
      onSubmit(() => api.post(`${path}/submit`, null, { headers: { "Idempotency-Key": key } }));
    }
    body.append(form);
  },

  onUnload(ctx) {
    ctx.pad?.destroy();
  },
};
