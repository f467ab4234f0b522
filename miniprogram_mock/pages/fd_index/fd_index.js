// 家庭医生签约: for whom (oneself or a family member), then the institutions of a
// region (GET /fd/institutions?region=&q=).
import * as api from "../../api.js";
import { navigateTo, redirectTo } from "../../app.js";
import { h } from "../../lib/dom.js";
import { age, who } from "../../lib/fd.js";
import { picker } from "../../lib/regions.js";

export default {
  title: "家庭医生签约",
  template: `
    <div class="yb-hd">
      <h1 class="yb-hd__title">家庭医生签约</h1>
      <p class="yb-hd__desc">选择离家近的社区卫生服务中心或乡镇卫生院，签约家庭医生团队和服务包。合同期一年。</p>
    </div>
    <h2 class="weui-cells__title" id="js_who_title">为谁签约</h2>
    <div class="weui-cells weui-cells_radio js_who" role="radiogroup" aria-labelledby="js_who_title"></div>
    <div class="weui-cells">
      <a class="weui-cell weui-cell_active weui-cell_access js_add_member" href="#/home_index?tab=mine">
        <span class="weui-cell__bd">添加家庭成员</span><span class="weui-cell__ft">在“我的医保”中添加</span>
      </a>
    </div>

    <form class="js_search" novalidate>
      <h2 class="weui-cells__title">选择签约机构</h2>
      <div class="weui-cells weui-cells_form">
        <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_fd_province">
          <div class="weui-cell__hd"><span class="weui-label">省份</span></div>
          <div class="weui-cell__bd"><select id="js_fd_province" class="weui-select"></select></div>
        </label>
        <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_fd_region">
          <div class="weui-cell__hd"><span class="weui-label">城市</span></div>
          <div class="weui-cell__bd"><select id="js_fd_region" class="weui-select" name="region"></select></div>
        </label>
        <label class="weui-cell weui-cell_active" for="js_fd_q">
          <div class="weui-cell__hd"><span class="weui-label">搜索机构</span></div>
          <div class="weui-cell__bd"><input id="js_fd_q" class="weui-input" name="q" maxlength="50" placeholder="机构名称、区县或地址"></div>
        </label>
      </div>
      <div class="yb-actions">
        <button type="submit" class="weui-btn weui-btn_default">查询机构</button>
      </div>
    </form>
    <div class="weui-panel weui-panel_access">
      <div class="weui-panel__bd js_institutions" aria-live="polite"></div>
    </div>
    <div class="yb-actions">
      <button type="button" class="weui-btn weui-btn_default js_records">我的签约记录</button>
    </div>
  `,

  async onLoad(ctx) {
    ctx.on(".js_records", "click", () => navigateTo("fd_records"));
    ctx.on(".js_add_member", "click", (event) => {
      event.preventDefault();
      navigateTo("home_index", { tab: "mine" });
    });
    const me = await api.get("/me");
    const chosen = who(ctx.query);
    const people = [
      { value: "self", label: `本人（${me.identity.name}）`, person: me.identity },
      ...me.family_members.map((m) => ({ value: `member:${m.id}`, label: `${m.person.name}（${m.relation_label}）`,
                                         person: m.person })),
    ];
    const current = chosen.for === "member" ? `member:${chosen.member}` : "self";
    ctx.$(".js_who").replaceChildren(...people.map((p, i) => {
      const id = `js_who_${i}`;
      const years = age(p.person);
      return h("label", { class: "weui-cell weui-cell_active weui-check__label", for: id },
        h("div", { class: "weui-cell__bd" }, p.label,
          years !== null ? h("span", { class: "weui-cell__desc" }, `${years}岁`) : null),
        h("div", { class: "weui-cell__ft" },
          h("input", { type: "radio", class: "weui-check", name: "who", value: p.value, id,
                       checked: p.value === current }),
          h("span", { class: "weui-icon-checked", "aria-hidden": "true" })));
    }));
    for (const radio of ctx.$$("input[name=who]")) {
      ctx.on(radio, "change", () => {
        const [kind, id] = radio.value.split(":");
        redirectTo("fd_index", kind === "member" ? { for: "member", member: id } : {});
      });
    }

    const [record] = await api.get("/me/insurance");
    await picker(ctx.$("#js_fd_province"), ctx.$("#js_fd_region"), record?.insured_region || "");

    const search = async () => {
      const region = ctx.$("#js_fd_region").value;
      const q = ctx.$("#js_fd_q").value.trim();
      const params = new URLSearchParams();
      if (region) params.set("region", region);
      if (q) params.set("q", q);
      const list = await api.get(`/fd/institutions?${params}`);
      ctx.$(".js_institutions").replaceChildren(...(list.length ? list.map((i) => institution(i, chosen)) :
        [h("div", { class: "weui-media-box yb-muted" }, "没有找到签约机构，请换个地区或关键词。")]));
    };
    ctx.on(".js_search", "submit", async (event) => {
      event.preventDefault();
      await search();
    });
    await search();
  },
};

function institution(i, chosen) {
  const available = i.teams.reduce((n, t) => n + t.available, 0);
  const link = h("a", { class: "weui-media-box weui-media-box_text js_institution", href: `#/fd_institution?id=${i.id}` },
    h("h3", { class: "weui-media-box__title" }, i.name),
    h("p", { class: "weui-media-box__desc" }, i.address),
    h("ul", { class: "weui-media-box__info" },
      h("li", { class: "weui-media-box__info__meta" }, i.kind_label),
      h("li", { class: "weui-media-box__info__meta" }, `${i.teams.length}个团队`),
      h("li", { class: "weui-media-box__info__meta weui-media-box__info__meta_extra" },
        available ? `剩余名额 ${available}` : "名额已满")));
  link.addEventListener("click", (event) => {
    event.preventDefault();
    navigateTo("fd_institution", { id: i.id, ...chosen });
  });
  return link;
}
