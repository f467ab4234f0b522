// 服务大厅 → 道交救助基金: what the fund does, its notice (告知书) to read and tick,
// then 为本人申请 / 为他人申请 (seed 000: often a relative acts for the victim).
import * as api from "../../api.js";
import { navigateTo } from "../../app.js";
import { toast } from "../../lib/feedback.js";
import { screenFor } from "../../lib/rescue.js";

export default {
  title: "道交救助基金",
  template: `
    <div class="yb-hd">
      <h1 class="yb-hd__title">道路交通事故社会救助基金</h1>
      <p class="yb-hd__desc">交通事故受害人抢救费用、丧葬费用的先行垫付，不以事故责任认定为前提。</p>
    </div>
    <div class="weui-cells">
      <a class="weui-cell weui-cell_access js_records" href="#/rescue_records">
        <div class="weui-cell__bd">申请记录</div><div class="weui-cell__ft"></div>
      </a>
    </div>
    <h2 class="weui-cells__title">垫付申请</h2>
    <form class="js_form" novalidate>
      <div class="weui-cells weui-cells_radio" role="radiogroup" aria-label="申请类型">
        <label class="weui-cell weui-cell_active weui-check__label" for="js_kind_rescue">
          <div class="weui-cell__bd"><span class="js_kind_rescue_label">抢救治疗费垫付</span></div>
          <div class="weui-cell__ft"><input type="radio" class="weui-check" name="kind" value="rescue" id="js_kind_rescue" checked><span class="weui-icon-checked"></span></div>
        </label>
        <label class="weui-cell weui-cell_active weui-check__label" for="js_kind_funeral">
          <div class="weui-cell__bd"><span class="js_kind_funeral_label">丧葬费垫付</span></div>
          <div class="weui-cell__ft"><input type="radio" class="weui-check" name="kind" value="funeral" id="js_kind_funeral"><span class="weui-icon-checked"></span></div>
        </label>
      </div>
      <article class="yb-doc" tabindex="0" aria-labelledby="js_doc_title">
        <h2 class="yb-doc__title" id="js_doc_title">救助基金告知书</h2>
        <div class="yb-doc__body js_doc_body"></div>
      </article>
      <div class="yb-agree">
        <label class="weui-agree" for="js_agree">
          <input id="js_agree" type="checkbox" class="yb-check" name="accepted">
          <span class="weui-agree__text">已阅读救助基金告知书</span>
        </label>
      </div>
      <div class="yb-actions">
        <button type="button" class="weui-btn weui-btn_primary js_other">我已阅读并同意，为他人申请</button>
        <button type="button" class="weui-btn weui-btn_default js_self">我已阅读并同意，为本人申请</button>
      </div>
    </form>
  `,

  async onLoad(ctx) {
    ctx.$(".js_kind_rescue_label").textContent = api.label("rescue.kind", "rescue");
    ctx.$(".js_kind_funeral_label").textContent = api.label("rescue.kind", "funeral");
    const notice = await api.get("/documents/rescue-notice");
    ctx.$("#js_doc_title").textContent = notice.title;
    ctx.$(".js_doc_body").textContent = notice.body;
    const start = async (forWhom) => {
      if (!ctx.$("#js_agree").checked) {
        toast("请先勾选“已阅读救助基金告知书”。");
        return;
      }
      const kind = ctx.$("input[name=kind]:checked").value;
      const app = await api.post("/rescue/applications", { kind, for: forWhom });
      const next = await api.put(`/rescue/applications/${app.id}/notice`, { accepted: true, version: notice.version });
      navigateTo(...screenFor(next));
    };
    ctx.on(".js_other", "click", () => start("other"));
    ctx.on(".js_self", "click", () => start("self"));
  },
};
