// 道交救助基金 申请记录: my applications, newest first.
import * as api from "../../api.js";
import { navigateTo } from "../../app.js";
import { formatDate, h } from "../../lib/dom.js";

export default {
  title: "申请记录",
  template: `
    <div class="yb-hd"><h1 class="yb-hd__title">垫付申请记录</h1></div>
    <div class="weui-panel weui-panel_access"><div class="weui-panel__bd js_list"></div></div>
    <div class="yb-actions">
      <button type="button" class="weui-btn weui-btn_primary js_new">垫付申请</button>
    </div>
  `,

  async onLoad(ctx) {
    ctx.on(".js_new", "click", () => navigateTo("rescue_index"));
    const page = await api.get("/rescue/applications?per_page=50");
    const list = ctx.$(".js_list");
    list.replaceChildren(...page.items.map((app) => {
      const link = h("a", { class: "weui-media-box weui-media-box_text js_application", href: `#/rescue_status?id=${app.id}` },
        h("h2", { class: "weui-media-box__title" }, `${app.kind_label} · ${app.victim.identified === false ? "身份无法确认的受害人" : (app.victim.name || "受害人未填写")}`),
        h("p", { class: "weui-media-box__desc" }, app.application_no || "草稿"),
        h("ul", { class: "weui-media-box__info" },
          h("li", { class: "weui-media-box__info__meta" }, h("span", { class: "yb-status" }, app.status_label)),
          app.review_due && app.status === "submitted"
            ? h("li", { class: "weui-media-box__info__meta" }, `审核截止 ${formatDate(app.review_due)}`) : null));
      link.addEventListener("click", (event) => {
        event.preventDefault();
        navigateTo("rescue_status", { id: app.id });
      });
      return link;
    }));
    if (!page.items.length) list.append(h("div", { class: "weui-media-box yb-muted" }, "暂无申请记录"));
  },
};
