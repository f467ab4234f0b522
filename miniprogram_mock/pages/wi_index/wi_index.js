// 工伤异地就医备案 (seed 001): what it is, 为自己办理 / 为他人办理, and my work-injury filings.
import * as api from "../../api.js";
import { navigateTo } from "../../app.js";
import { h } from "../../lib/dom.js";

export default {
  title: "工伤异地就医备案",
  template: `
    <div class="yb-hd">
      <h1 class="yb-hd__title">工伤异地就医备案</h1>
      <p class="yb-hd__desc">已完成工伤认定的职工，跨省异地居住或经转诊转院就医的，备案后住院工伤医疗、住院工伤康复和辅助器具配置费用可在就医地直接结算，免垫付。</p>
    </div>
    <h2 class="weui-cells__title">我的工伤认定信息</h2>
    <div class="weui-cells js_injuries"></div>
    <div class="yb-actions">
      <button type="button" class="weui-btn weui-btn_primary js_self">为自己办理</button>
      <button type="button" class="weui-btn weui-btn_default js_other">为他人办理（家属代办）</button>
    </div>
    <h2 class="weui-cells__title">我的工伤备案记录</h2>
    <div class="weui-cells js_records"></div>
  `,

  async onLoad(ctx) {
    const start = async (forWhom) => {
      const filing = await api.post("/wi-filings", { for: forWhom });
      navigateTo("wi_step", { id: filing.id });
    };
    ctx.on(".js_self", "click", () => start("self"));
    ctx.on(".js_other", "click", () => start("other"));
    const injuries = await api.get("/me/work-injuries");
    ctx.$(".js_injuries").replaceChildren(...(injuries.length ? injuries.map((i) =>
      h("div", { class: "weui-cell" },
        h("div", { class: "weui-cell__bd" }, `${i.basis_label}：${i.injury}`,
          h("p", { class: "yb-muted" }, `${i.decision_no}（${i.insured_region_name}）`)))) :
      [h("div", { class: "weui-cell" }, h("div", { class: "weui-cell__bd yb-muted" }, "未查询到本人的工伤认定记录"))]));
    const pages = await Promise.all(["self", "other"].map((f) => api.get(`/wi-filings?for=${f}`)));
    const rows = pages.flatMap((p) => p.items);
    ctx.$(".js_records").replaceChildren(...(rows.length ? rows.map((f) =>
      h("a", { class: "weui-cell weui-cell_access js_record", href: `#/wi_detail?id=${f.id}`, "data-id": f.id },
        h("div", { class: "weui-cell__bd" },
          `${f.filing_type_label || "草稿"} · ${f.insured_person?.name || ""}`,
          h("p", { class: "yb-muted" }, f.filing_no || `草稿 ${f.id} 号`)),
        h("div", { class: "weui-cell__ft" }, f.status_label))) :
      [h("div", { class: "weui-cell" }, h("div", { class: "weui-cell__bd yb-muted" }, "暂无记录"))]));
  },
};
