// One institution and its family-doctor teams (GET /fd/institutions/{id}).
import * as api from "../../api.js";
import { navigateTo } from "../../app.js";
import { h } from "../../lib/dom.js";
import { who } from "../../lib/fd.js";

export default {
  title: "选择家庭医生团队",
  template: `
    <div class="yb-hd">
      <h1 class="yb-hd__title js_name"></h1>
      <p class="yb-hd__desc"><span class="js_kind"></span> · <span class="js_address"></span></p>
      <p class="yb-hd__desc js_phone"></p>
    </div>
    <h2 class="weui-cells__title">家庭医生团队</h2>
    <div class="weui-cells js_teams"></div>
  `,

  async onLoad(ctx) {
    const chosen = who(ctx.query);
    const i = await api.get(`/fd/institutions/${Number(ctx.query.id)}`);
    ctx.$(".js_name").textContent = i.name;
    ctx.$(".js_kind").textContent = i.kind_label;
    ctx.$(".js_address").textContent = i.address;
    ctx.$(".js_phone").textContent = i.phone ? `联系电话 ${i.phone}` : "";
    ctx.$(".js_teams").replaceChildren(...i.teams.map((t) => {
      const button = h("button", { type: "button", class: "weui-cell weui-cell_active weui-cell_access yb-cell-button js_team",
                                   "data-id": t.id },
        h("span", { class: "weui-cell__bd" },
          h("span", { class: "yb-cell-title" }, t.name),
          h("span", { class: "weui-cell__desc" }, t.members.map((m) => `${m.role_label} ${m.name}`).join("，"))),
        h("span", { class: "weui-cell__ft" }, t.full ? "名额已满" : `剩余 ${t.available}`));
      button.addEventListener("click", () => navigateTo("fd_team", { id: t.id, ...chosen }));
      return button;
    }));
  },
};
