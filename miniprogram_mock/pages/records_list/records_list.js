// 查看记录 / 异地备案查询: filings for oneself and those made for others.
import * as api from "../../api.js";
import { navigateTo, redirectTo } from "../../app.js";
import { formatDate, h } from "../../lib/dom.js";

const PER_PAGE = 20;

export default {
  title: "异地备案查询",
  template: `
    <div class="weui-navbar yb-navbar-tabs" role="tablist" aria-label="备案记录">
      <a class="weui-navbar__item js_tab" role="tab" data-for="self" href="#/records_list?for=self">为自己备案</a>
      <a class="weui-navbar__item js_tab" role="tab" data-for="other" href="#/records_list?for=other">为他人备案</a>
    </div>
    <div class="js_panel" role="tabpanel">
      <h1 class="weui-hidden_abs js_heading">备案记录</h1>
      <div class="weui-panel weui-panel_access">
        <div class="weui-panel__bd js_list"></div>
      </div>
      <div class="yb-actions js_more_area" hidden>
        <button type="button" class="weui-btn weui-btn_default js_more">加载更多</button>
      </div>
    </div>
  `,

  async onLoad(ctx) {
    const forWhom = ctx.query.for === "other" ? "other" : "self";
    for (const tab of ctx.$$(".js_tab")) {
      const on = tab.dataset.for === forWhom;
      tab.classList.toggle("weui-bar__item_on", on);
      tab.setAttribute("aria-selected", String(on));
      ctx.on(tab, "click", (event) => {
        event.preventDefault();
        if (!on) redirectTo("records_list", { for: tab.dataset.for });
      });
    }
    ctx.$(".js_heading").textContent = forWhom === "self" ? "为自己备案的记录" : "为他人备案的记录";
    const list = ctx.$(".js_list");
    let page = 1;

    const more = async () => {
      const result = await api.get(`/filings?for=${forWhom}&page=${page}&per_page=${PER_PAGE}`);
      list.append(...result.items.map((f) => item(f, forWhom)));
      if (!list.children.length) {
        list.append(h("div", { class: "weui-media-box yb-muted" },
          forWhom === "self" ? "暂无为自己备案的记录" : "暂无为他人备案的记录"));
      }
      ctx.$(".js_more_area").hidden = page * PER_PAGE >= result.total;
      page += 1;
    };
    ctx.on(".js_more", "click", more);
    await more();
  },
};

function item(f, forWhom) {
  const title = f.destination_region_name
    ? `${f.destination_region_name} · ${f.person_type_label || ""}` : "备案草稿（未填写就医地）";
  const link = h("a", { class: "weui-media-box weui-media-box_text js_record", href: `#/records_detail?id=${f.id}`,
                        "data-id": f.id },
    h("h2", { class: "weui-media-box__title" }, title),
    h("p", { class: "weui-media-box__desc" },
      f.filing_no ? `备案号 ${f.filing_no}` : `创建于 ${formatDate(f.created_at)}`),
    h("ul", { class: "weui-media-box__info" },
      h("li", { class: "weui-media-box__info__meta" }, h("span", { class: `yb-status yb-status_${f.status}` }, f.status_label)),
      forWhom === "other" || f.made_by_agent
        ? h("li", { class: "weui-media-box__info__meta" }, `备案人 ${f.insured_person?.name || "—"}`) : null,
      f.valid_from ? h("li", { class: "weui-media-box__info__meta weui-media-box__info__meta_extra" },
        `${formatDate(f.valid_from)} 起`) : null));
  link.addEventListener("click", (event) => {
    event.preventDefault();
    navigateTo("records_detail", { id: f.id });
  });
  return link;
}
