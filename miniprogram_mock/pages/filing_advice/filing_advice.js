// 先看是否需要备案: right after 为自己备案 / 为他人备案, before any draft is made. The
// person says where they will be treated and why; POST /filing-advice answers with
// seed 002's table. When no filing is needed the flow stops here, saying so, with
// 返回首页; otherwise 继续办理 makes the draft and the steps begin. The benefit rule
// (e.g. a 5-point cut for a resident referred to another province) is said here,
// once, as the server wrote it.
import * as api from "../../api.js";
import { redirectTo, reLaunch } from "../../app.js";
import { h } from "../../lib/dom.js";
import { keepAdvice, keepDraft, screenFor } from "../../lib/filing.js";
import { submitting, values } from "../../lib/form.js";
import { picker } from "../../lib/regions.js";

export default {
  title: "先看是否需要备案",
  template: `
    <div class="yb-hd">
      <h1 class="yb-hd__title">先看是否需要备案</h1>
      <p class="yb-hd__desc js_who"></p>
    </div>
    <form class="js_form" novalidate>
      <h2 class="weui-cells__title">参保情况</h2>
      <div class="weui-cells weui-cells_form">
        <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_adv_scheme">
          <div class="weui-cell__hd"><span class="weui-label">参保身份</span></div>
          <div class="weui-cell__bd"><select id="js_adv_scheme" class="weui-select" name="scheme"></select></div>
        </label>
        <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_adv_ins_province">
          <div class="weui-cell__hd"><span class="weui-label">参保地（省）</span></div>
          <div class="weui-cell__bd"><select id="js_adv_ins_province" class="weui-select" name="insured_province"></select></div>
        </label>
        <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_adv_ins_region">
          <div class="weui-cell__hd"><span class="weui-label">参保地（市）</span></div>
          <div class="weui-cell__bd"><select id="js_adv_ins_region" class="weui-select" name="insured_region"></select></div>
        </label>
      </div>
      <h2 class="weui-cells__title">就医情况</h2>
      <div class="weui-cells weui-cells_form">
        <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_adv_situation">
          <div class="weui-cell__hd"><span class="weui-label">就医情形</span></div>
          <div class="weui-cell__bd"><select id="js_adv_situation" class="weui-select" name="situation"></select></div>
        </label>
        <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_adv_dest_province">
          <div class="weui-cell__hd"><span class="weui-label">就医地（省）</span></div>
          <div class="weui-cell__bd"><select id="js_adv_dest_province" class="weui-select" name="destination_province"></select></div>
        </label>
        <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_adv_dest_region">
          <div class="weui-cell__hd"><span class="weui-label">就医地（市）</span></div>
          <div class="weui-cell__bd"><select id="js_adv_dest_region" class="weui-select" name="destination_region"></select></div>
        </label>
      </div>
      <div class="yb-actions">
        <button type="submit" class="weui-btn weui-btn_primary js_ask">查看是否需要备案</button>
      </div>
    </form>

    <section class="yb-card yb-verdict js_verdict" role="status" aria-labelledby="js_verdict_title" hidden>
      <h2 class="yb-verdict__title js_verdict_title" id="js_verdict_title"></h2>
      <p class="yb-verdict__scope js_verdict_scope"></p>
      <p class="yb-verdict__note js_verdict_note"></p>
      <div class="yb-actions yb-actions_tight">
        <button type="button" class="weui-btn weui-btn_primary js_continue" hidden>继续办理</button>
        <button type="button" class="weui-btn weui-btn_primary js_home" hidden>返回首页</button>
      </div>
    </section>
  `,

  async onLoad(ctx) {
    const forWhom = ctx.query.for === "other" ? "other" : "self";
    ctx.$(".js_who").textContent = forWhom === "self"
      ? "为自己备案：请先说明到哪里就医、因何就医，看看是否需要办理异地就医备案。"
      : "为他人备案：请按备案人（参保人）的参保情况填写，看看是否需要办理异地就医备案。";
    const form = ctx.$(".js_form");
    const scheme = ctx.$("#js_adv_scheme");
    scheme.replaceChildren(h("option", { value: "" }, "请选择参保身份"),
                           ...api.options("scheme").map(([v, label]) => h("option", { value: v }, label)));
    ctx.$("#js_adv_situation").replaceChildren(h("option", { value: "" }, "请选择就医情形"),
      ...api.options("situation").map(([v, label]) => h("option", { value: v }, label)));
    let region = "";
    if (forWhom === "self") {
      const [record] = await api.get("/me/insurance");
      if (record) {
        scheme.value = record.scheme;
        region = record.insured_region;
      }
    }
    await picker(ctx.$("#js_adv_ins_province"), ctx.$("#js_adv_ins_region"), region);
    await picker(ctx.$("#js_adv_dest_province"), ctx.$("#js_adv_dest_region"), "");

    const verdict = ctx.$(".js_verdict");
    let asked = null;
    const show = ({ required, title, scope, note }) => {
      ctx.$(".js_verdict_title").textContent = title;
      ctx.$(".js_verdict_scope").textContent = scope || "";
      ctx.$(".js_verdict_scope").hidden = !scope;
      ctx.$(".js_verdict_note").textContent = note;
      verdict.classList.toggle("yb-verdict_stop", !required);
      ctx.$(".js_continue").hidden = !required;
      ctx.$(".js_home").hidden = required;
      verdict.hidden = false;
      verdict.scrollIntoView({ block: "nearest" });
    };
    // A changed answer hides the verdict: it was for the old one.
    for (const el of form.elements) ctx.on(el, "change", () => { verdict.hidden = true; });

    ctx.on(form, "submit", async (event) => {
      event.preventDefault();
      const data = values(form);
      asked = { scheme: data.scheme || "", insured_region: data.insured_region || "",
                destination_region: data.destination_region || "", situation: data.situation || "" };
      let advice;
      try {
        advice = await submitting(form, () => api.post("/filing-advice", asked, { quiet: true }));
      } catch (error) {
        if (!(error instanceof api.ApiError)) throw error;
        if (error.code === "filing.same_region") {
          // Treated where one is insured: not out-of-area, nothing to file.
          show({ required: false, title: "无需办理备案", note: error.message });
          return;
        }
        throw error;  // shown by guard, under the fields too
      }
      show({
        required: advice.filing_required,
        title: advice.filing_required ? "需要办理异地就医备案" : "无需办理备案",
        scope: api.label("scope", advice.scope),
        note: advice.note,
      });
    });
    ctx.on(".js_home", "click", () => reLaunch("home_index"));
    ctx.on(".js_continue", "click", async () => {
      const filing = await api.post("/filings", { for: forWhom });
      keepDraft(filing.id);
      keepAdvice(filing.id, asked);
      redirectTo(screenFor(filing), { id: filing.id });
    });
  },
};
