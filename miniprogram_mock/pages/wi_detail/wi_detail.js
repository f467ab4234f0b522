// A work-injury filing: its status (待审核, 备案成功, 未通过 …), the certificate's QR
// code once in force, settlements, the history, and cancelling online.
import * as api from "../../api.js";
import { redirectTo, reLaunch } from "../../app.js";
import { formatDate, h } from "../../lib/dom.js";
import { submitting, values } from "../../lib/form.js";
import { renderEvents } from "../../lib/history.js";

export default {
  title: "工伤备案详情",
  template: `
    <div class="weui-msg">
      <div class="weui-msg__text-area">
        <h1 class="weui-msg__title js_status"></h1>
        <p class="weui-msg__desc">备案号 <strong class="js_filing_no"></strong></p>
        <p class="weui-msg__desc-primary js_validity"></p>
        <p class="weui-msg__desc js_reason"></p>
      </div>
    </div>
    <div class="weui-form-preview yb-preview"><div class="weui-form-preview__bd js_summary"></div></div>
    <figure class="yb-cert" hidden>
      <img class="yb-cert__qr js_qr" alt="工伤备案凭证二维码">
      <figcaption class="yb-muted">工伤备案凭证：就医时可出示二维码供医院核验</figcaption>
    </figure>
    <h2 class="weui-cells__title">办理记录</h2>
    <ol class="yb-timeline js_events"></ol>
    <form class="js_cancel" novalidate hidden>
      <div class="weui-cells weui-cells_form">
        <label class="weui-cell weui-cell_active" for="js_cancel_reason">
          <div class="weui-cell__hd"><span class="weui-label">取消原因</span></div>
          <div class="weui-cell__bd"><input id="js_cancel_reason" class="weui-input" name="reason" maxlength="500"></div>
        </label>
      </div>
      <div class="yb-actions"><button type="submit" class="weui-btn weui-btn_warn">取消备案</button></div>
    </form>
    <div class="yb-actions"><button type="button" class="weui-btn weui-btn_default js_home">返回首页</button></div>
  `,

  async onLoad(ctx) {
    const id = Number(ctx.query.id);
    const filing = await api.get(`/wi-filings/${id}`);
    if (filing.status === "draft") {
      redirectTo("wi_step", { id });
      return;
    }
    ctx.on(".js_home", "click", () => reLaunch("home_index"));
    ctx.$(".js_status").textContent = filing.status_label;
    ctx.$(".js_filing_no").textContent = filing.filing_no || "—";
    ctx.$(".js_validity").textContent = filing.valid_from
      ? `有效期：${formatDate(filing.valid_from)} 至 ${filing.valid_to ? formatDate(filing.valid_to) : "变更或取消前长期有效"}` : "";
    ctx.$(".js_reason").textContent = filing.reject_reason ? `未通过原因：${filing.reject_reason}` : "";
    const rows = [["工伤职工", filing.insured_person?.name], ["工伤认定", filing.injury?.injury],
                  ["备案类型", filing.filing_type_label], ["就医地", filing.destination_region_name],
                  ["就医机构", filing.institution],
                  ["直接结算", filing.services.map((s) => `${s.label}（${s.catalogue_label}）`).join("、")],
                  ...filing.settlements.map((s) => ["已结算", `${s.institution} ${s.total}元`])];
    ctx.$(".js_summary").replaceChildren(...rows.map(([k, v]) => h("div", { class: "weui-form-preview__item" },
      h("span", { class: "weui-form-preview__label" }, k), h("span", { class: "weui-form-preview__value" }, v || ""))));
    renderEvents(ctx.$(".js_events"), await api.get(`/wi-filings/${id}/events`));
    if (filing.status === "effective") {
      ctx.url = URL.createObjectURL(await api.blob(`/wi-filings/${id}/certificate.png`));
      ctx.$(".js_qr").src = ctx.url;
      ctx.$(".yb-cert").hidden = false;
    }
    const form = ctx.$(".js_cancel");
    form.hidden = !["effective", "pending"].includes(filing.status);
    ctx.on(form, "submit", async (event) => {
      event.preventDefault();
      await submitting(form, () => api.post(`/wi-filings/${id}/cancel`, { reason: values(form).reason || "" }));
      redirectTo("wi_detail", { id });
    });
  },

  onUnload(ctx) {
    if (ctx.url) URL.revokeObjectURL(ctx.url);
  },
};
