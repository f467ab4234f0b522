// 参保对象、参保身份、参保地 → 确认. They must match the registry, or the filing
// cannot go on (seed 002); the server says so, and its message is shown as written.
// For someone else: the insured person's name, number and relation, and the agent's
// own details, read from GET /me rather than typed again.
import * as api from "../../api.js";
import { navigateTo, redirectTo } from "../../app.js";
import { h } from "../../lib/dom.js";
import { load, renderSteps, screenFor } from "../../lib/filing.js";
import { submitting, values } from "../../lib/form.js";
import { picker } from "../../lib/regions.js";

export default {
  title: "选择参保信息",
  template: `
    <div class="js_steps"></div>
    <div class="yb-hd">
      <h1 class="yb-hd__title js_heading">选择参保信息</h1>
    </div>
    <form class="js_form" novalidate>
      <div class="js_self" hidden>
        <h2 class="weui-cells__title">参保对象</h2>
        <div class="weui-cells">
          <div class="weui-cell">
            <div class="weui-cell__bd">本人</div>
            <div class="weui-cell__ft js_self_name"></div>
          </div>
        </div>
      </div>

      <div class="js_other" hidden>
        <h2 class="weui-cells__title">备案人（参保对象）基本信息</h2>
        <div class="weui-cells weui-cells_form">
          <label class="weui-cell weui-cell_active" for="js_ins_name">
            <div class="weui-cell__hd"><span class="weui-label">姓名</span></div>
            <div class="weui-cell__bd"><input id="js_ins_name" class="weui-input" name="name" placeholder="备案人姓名" maxlength="64"></div>
          </label>
          <label class="weui-cell weui-cell_active" for="js_ins_id">
            <div class="weui-cell__hd"><span class="weui-label">身份证号码</span></div>
            <div class="weui-cell__bd"><input id="js_ins_id" class="weui-input" name="id_number" placeholder="备案人18位身份证号码" maxlength="18" autocomplete="off"></div>
          </label>
          <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_ins_relation">
            <div class="weui-cell__hd"><span class="weui-label">备案人是我的</span></div>
            <div class="weui-cell__bd"><select id="js_ins_relation" class="weui-select" name="relation"></select></div>
          </label>
        </div>
        <h2 class="weui-cells__title">代办人信息（请核对）</h2>
        <div class="weui-cells">
          <div class="weui-cell"><div class="weui-cell__bd">代办人姓名</div><div class="weui-cell__ft js_agent_name"></div></div>
          <div class="weui-cell"><div class="weui-cell__bd">代办人身份证号码</div><div class="weui-cell__ft js_agent_id"></div></div>
        </div>
        <p class="weui-cells__tips">代办人信息来自您的授权登录，无需重复填写。</p>
      </div>

      <h2 class="weui-cells__title">参保信息</h2>
      <div class="weui-cells weui-cells_form">
        <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_scheme">
          <div class="weui-cell__hd"><span class="weui-label">参保身份</span></div>
          <div class="weui-cell__bd"><select id="js_scheme" class="weui-select" name="scheme"></select></div>
        </label>
        <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_ins_province">
          <div class="weui-cell__hd"><span class="weui-label">参保地（省）</span></div>
          <div class="weui-cell__bd"><select id="js_ins_province" class="weui-select" name="insured_province"></select></div>
        </label>
        <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_ins_region">
          <div class="weui-cell__hd"><span class="weui-label">参保地（市）</span></div>
          <div class="weui-cell__bd"><select id="js_ins_region" class="weui-select" name="insured_region"></select></div>
        </label>
      </div>
      <p class="weui-cells__tips">参保对象、参保身份、参保地应与实际参保情况一致，否则无法备案。</p>
      <div class="yb-actions">
        <button type="submit" class="weui-btn weui-btn_primary">确认</button>
      </div>
    </form>
  `,

  async onLoad(ctx) {
    const filing = await load(ctx.query.id);
    if (filing.status !== "draft") {
      redirectTo(screenFor(filing), { id: filing.id });
      return;
    }
    renderSteps(ctx.$(".js_steps"), filing, "insured");
    const form = ctx.$(".js_form");
    const scheme = ctx.$("#js_scheme");
    scheme.replaceChildren(h("option", { value: "" }, "请选择参保身份"),
                           ...api.options("scheme").map(([v, label]) => h("option", { value: v }, label)));
    let region = filing.insured_region || "";
    scheme.value = filing.scheme || "";

    if (filing.for === "self") {
      ctx.$(".js_self").hidden = false;
      ctx.$(".js_self_name").textContent = filing.insured_person?.name || "";
      if (!filing.scheme) {
        // Offer the person's own record; they still confirm it.
        const [record] = await api.get("/me/insurance");
        if (record) {
          scheme.value = record.scheme;
          region = record.insured_region;
        }
      }
    } else {
      ctx.$(".js_other").hidden = false;
      ctx.$(".js_heading").textContent = "填写备案人信息";
      ctx.$(".js_other").querySelectorAll("input, select").forEach((el) => { el.required = true; });
      const relation = ctx.$("#js_ins_relation");
      relation.replaceChildren(h("option", { value: "" }, "请选择关系"),
                               ...api.options("relation").map(([v, label]) => h("option", { value: v }, label)));
      relation.value = filing.agent?.relation || "";
      if (filing.insured_person) ctx.$("#js_ins_name").value = filing.insured_person.name;
      const me = await api.get("/me");
      ctx.$(".js_agent_name").textContent = me.identity.name;
      ctx.$(".js_agent_id").textContent = me.identity.id_number;
    }
    await picker(ctx.$("#js_ins_province"), ctx.$("#js_ins_region"), region);

    ctx.on(form, "submit", async (event) => {
      event.preventDefault();
      const data = values(form);
      const body = { scheme: data.scheme || "", insured_region: data.insured_region || "" };
      if (filing.for === "other") {
        Object.assign(body, { name: data.name || "", id_number: (data.id_number || "").toUpperCase(),
                              relation: data.relation || "" });
      }
      const saved = await submitting(form, () => api.put(`/filings/${filing.id}/insured`, body));
      navigateTo(screenFor(saved), { id: saved.id });
    });
  },
};
