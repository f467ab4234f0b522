// 我的签约: contracts where I am the resident and those I made for family members.
import * as api from "../../api.js";
import { navigateTo } from "../../app.js";
import { formatDate, h } from "../../lib/dom.js";
import { STATUS_CLASS } from "../../lib/fd.js";

export default {
  title: "我的签约",
  template: `
    <div class="yb-hd"><h1 class="yb-hd__title">我的签约</h1></div>
    <div class="weui-panel weui-panel_access"><div class="weui-panel__bd js_list"></div></div>
    <div class="yb-actions">
      <button type="button" class="weui-btn weui-btn_primary js_new">签约家庭医生</button>
    </div>
  `,

  async onLoad(ctx) {
    ctx.on(".js_new", "click", () => navigateTo("fd_index"));
    const page = await api.get("/fd/signups?per_page=50");
    const list = ctx.$(".js_list");
    list.replaceChildren(...page.items.map((s) => {
      const link = h("a", { class: "weui-media-box weui-media-box_text js_signup", href: `#/fd_status?id=${s.id}`, "data-id": s.id },
        h("h2", { class: "weui-media-box__title" }, `${s.resident.name} · ${s.team.name}`),
        h("p", { class: "weui-media-box__desc" }, s.team.institution_name),
        h("ul", { class: "weui-media-box__info" },
          h("li", { class: "weui-media-box__info__meta" },
            h("span", { class: `yb-status yb-status_${STATUS_CLASS[s.status] || s.status}` }, s.status_label)),
          s.valid_to ? h("li", { class: "weui-media-box__info__meta" }, `至 ${formatDate(s.valid_to)}`) : null));
      link.addEventListener("click", (event) => {
        event.preventDefault();
        navigateTo("fd_status", { id: s.id });
      });
      return link;
    }));
    if (!page.items.length) list.append(h("div", { class: "weui-media-box yb-muted" }, "暂无签约记录"));
  },
};
