// 备案成功: the filing number, its validity and the QR certificate. The image needs
// the bearer header, so it is fetched as a blob and shown through an object URL.
import * as api from "../../api.js";
import { navigateTo, reLaunch } from "../../app.js";
import { formatDate } from "../../lib/dom.js";
import { load } from "../../lib/filing.js";

export default {
  title: "备案结果",
  css: true,
  template: `
    <div class="weui-msg">
      <div class="weui-msg__icon-area"><i class="weui-icon-success weui-icon_msg" aria-hidden="true"></i></div>
      <div class="weui-msg__text-area">
        <h1 class="weui-msg__title js_title">备案成功</h1>
        <p class="weui-msg__desc">备案号 <strong class="js_filing_no"></strong></p>
        <p class="weui-msg__desc-primary js_validity"></p>
      </div>
      <div class="weui-msg__custom-area">
        <div class="weui-form-preview yb-preview">
          <div class="weui-form-preview__bd">
            <div class="weui-form-preview__item"><span class="weui-form-preview__label">备案人</span><span class="weui-form-preview__value js_insured"></span></div>
            <div class="weui-form-preview__item"><span class="weui-form-preview__label">就医地</span><span class="weui-form-preview__value js_destination"></span></div>
            <div class="weui-form-preview__item"><span class="weui-form-preview__label">人员类别</span><span class="weui-form-preview__value js_person_type"></span></div>
          </div>
        </div>
        <figure class="yb-cert">
          <img class="yb-cert__qr js_qr" alt="备案凭证二维码">
          <figcaption class="yb-muted">备案凭证：就医时可出示二维码供医院核验</figcaption>
        </figure>
      </div>
      <div class="weui-msg__opr-area">
        <p class="weui-btn-area">
          <button type="button" class="weui-btn weui-btn_primary js_records">查看记录</button>
          <button type="button" class="weui-btn weui-btn_default js_home">返回首页</button>
        </p>
      </div>
    </div>
  `,

  async onLoad(ctx) {
    const filing = await load(ctx.query.id);
    ctx.on(".js_records", "click", () => navigateTo("records_list", { for: filing.for === "self" ? "self" : "other" }));
    ctx.on(".js_home", "click", () => reLaunch("home_index"));
    if (filing.status !== "effective") {
      ctx.$(".js_title").textContent = filing.status_label;
      ctx.$(".weui-icon_msg").className = "weui-icon-info weui-icon_msg";
      ctx.$(".yb-cert").hidden = true;
    }
    ctx.$(".js_filing_no").textContent = filing.filing_no || "—";
    ctx.$(".js_validity").textContent = filing.valid_from
      ? `有效期：${formatDate(filing.valid_from)} 至 ${filing.valid_to ? formatDate(filing.valid_to) : "变更或取消前长期有效"}` : "";
    ctx.$(".js_insured").textContent = filing.insured_person?.name || "";
    ctx.$(".js_destination").textContent = filing.destination_region_name || filing.destination_region || "";
    ctx.$(".js_person_type").textContent = filing.person_type_label || "";
    if (filing.status === "effective") {
      const qr = await api.blob(`/filings/${filing.id}/certificate.png`);
      ctx.url = URL.createObjectURL(qr);
      ctx.$(".js_qr").src = ctx.url;
    }
  },

  onUnload(ctx) {
    if (ctx.url) URL.revokeObjectURL(ctx.url);
  },
};
