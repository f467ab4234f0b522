// 确认承诺人签名及日期后，点击“确认”: the filing is submitted, once, with the
// draft's Idempotency-Key, so a retried tap or a reload cannot file twice.
import * as api from "../../api.js";
import { navigateTo, redirectTo, reLaunch } from "../../app.js";
import { formatDate, formatDateTime } from "../../lib/dom.js";
import { forgetDraft, keepDraft, load, renderSteps, screenFor } from "../../lib/filing.js";

export default {
  title: "确认备案信息",
  template: `
    <div class="js_steps"></div>
    <div class="yb-hd">
      <h1 class="yb-hd__title">确认备案信息</h1>
      <p class="yb-hd__desc">确认承诺人签名及日期后，点击“确认”提交备案。</p>
    </div>
    <div class="weui-form-preview yb-preview">
      <div class="weui-form-preview__hd">
        <div class="weui-form-preview__item">
          <span class="weui-form-preview__label">备案人</span>
          <em class="weui-form-preview__value js_insured"></em>
        </div>
      </div>
      <div class="weui-form-preview__bd">
        <div class="weui-form-preview__item"><span class="weui-form-preview__label">参保身份</span><span class="weui-form-preview__value js_scheme"></span></div>
        <div class="weui-form-preview__item"><span class="weui-form-preview__label">参保地</span><span class="weui-form-preview__value js_insured_region"></span></div>
        <div class="weui-form-preview__item"><span class="weui-form-preview__label">人员类别</span><span class="weui-form-preview__value js_person_type"></span></div>
        <div class="weui-form-preview__item"><span class="weui-form-preview__label">就医地</span><span class="weui-form-preview__value js_destination"></span></div>
        <div class="weui-form-preview__item"><span class="weui-form-preview__label">开始日期</span><span class="weui-form-preview__value js_start"></span></div>
        <div class="weui-form-preview__item"><span class="weui-form-preview__label">结束日期</span><span class="weui-form-preview__value js_end"></span></div>
        <div class="weui-form-preview__item"><span class="weui-form-preview__label">联系人</span><span class="weui-form-preview__value js_contact"></span></div>
        <div class="weui-form-preview__item js_agent_row" hidden><span class="weui-form-preview__label">代办人</span><span class="weui-form-preview__value js_agent"></span></div>
        <div class="weui-form-preview__item js_declaration_row" hidden><span class="weui-form-preview__label">代办承诺书签字</span><span class="weui-form-preview__value js_declaration"></span></div>
      </div>
    </div>
    <section class="yb-card" aria-labelledby="js_sig_title">
      <h2 class="yb-card__title" id="js_sig_title">承诺人签名</h2>
      <img class="yb-signature js_signature" alt="承诺人签名">
      <p class="yb-muted">签名日期：<span class="js_signed_at"></span></p>
      <button type="button" class="weui-btn weui-btn_default weui-btn_mini js_resign">重新签名</button>
    </section>
    <div class="yb-actions">
      <button type="button" class="weui-btn weui-btn_primary js_submit">确认</button>
    </div>
  `,

  async onLoad(ctx) {
    const filing = await load(ctx.query.id);
    if (filing.status !== "draft" || filing.next_step) {
      redirectTo(screenFor(filing), { id: filing.id });
      return;
    }
    renderSteps(ctx.$(".js_steps"), filing, "confirm");
    ctx.$(".js_insured").textContent = filing.insured_person?.name || "";
    ctx.$(".js_scheme").textContent = filing.scheme_label || api.label("scheme", filing.scheme);
    ctx.$(".js_insured_region").textContent = filing.insured_region_name || filing.insured_region;
    ctx.$(".js_person_type").textContent = filing.person_type_label || filing.person_type;
    ctx.$(".js_destination").textContent = filing.destination_region_name || filing.destination_region;
    ctx.$(".js_start").textContent = formatDate(filing.start_date);
    ctx.$(".js_end").textContent = filing.end_date ? formatDate(filing.end_date) : "长期有效";
    ctx.$(".js_contact").textContent = `${filing.contact_name} ${filing.contact_phone}`;
    if (filing.for === "other" && filing.agent) {
      ctx.$(".js_agent_row").hidden = false;
      ctx.$(".js_agent").textContent = filing.agent.relation_label
        ? `${filing.agent.name}（备案人是代办人的${filing.agent.relation_label}）` : filing.agent.name;
      const declared = filing.agent.agent_declaration_signed_at || filing.agent_declaration_signed_at;
      if (declared) {
        ctx.$(".js_declaration_row").hidden = false;
        ctx.$(".js_declaration").textContent = formatDateTime(declared);
      }
    }
    ctx.$(".js_signed_at").textContent = formatDateTime(filing.signed_at);
    const image = await api.blob(`/filings/${filing.id}/signature`);
    ctx.url = URL.createObjectURL(image);
    ctx.$(".js_signature").src = ctx.url;

    ctx.on(".js_resign", "click", () => navigateTo("filing_sign", { id: filing.id }));
    ctx.on(".js_submit", "click", async () => {
      const { submitKey } = keepDraft(filing.id);
      const done = await api.post(`/filings/${filing.id}/submit`, undefined, {
        headers: { "Idempotency-Key": submitKey },
      });
      forgetDraft(filing.id);
      reLaunch("filing_success", { id: done.id }, ["home_index"]);
    });
  },

  onUnload(ctx) {
    if (ctx.url) URL.revokeObjectURL(ctx.url);
  },
};
