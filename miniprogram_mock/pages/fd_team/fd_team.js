// A team: its members by role, its places, the packages it offers. The basic
// package is always included; the value-added one is open to every resident: its
// outpatient part applies to all, its health management to key groups, as the
// rule here explains; the server decides, and the sign-up lists which parts apply.
import * as api from "../../api.js";
import { navigateTo } from "../../app.js";
import { h } from "../../lib/dom.js";
import { toast } from "../../lib/feedback.js";
import { age, renderSteps, who } from "../../lib/fd.js";
import { showErrors, submitting } from "../../lib/form.js";

export default {
  title: "选择服务包",
  css: true,
  template: `
    <div class="js_steps"></div>
    <div class="yb-hd">
      <h1 class="yb-hd__title js_team_name"></h1>
      <p class="yb-hd__desc js_institution"></p>
      <p class="yb-hd__desc js_intro"></p>
    </div>
    <h2 class="weui-cells__title">团队成员</h2>
    <div class="weui-cells js_members"></div>
    <p class="weui-cells__tips js_places"></p>

    <form class="js_form" novalidate>
      <h2 class="weui-cells__title">签约人</h2>
      <div class="weui-cells">
        <div class="weui-cell"><div class="weui-cell__bd js_signer"></div><div class="weui-cell__ft js_signer_age"></div></div>
      </div>

      <h2 class="weui-cells__title" id="js_packages_title">选择服务包</h2>
      <div class="weui-cells weui-cells_checkbox js_packages" role="group" aria-labelledby="js_packages_title"></div>
      <div class="yb-card yb-rule" id="js_rule">
        <p class="yb-rule__title">增值服务包说明</p>
        <p>增值服务包面向所有签约居民：普通门诊费用由医保门诊统筹基金支付70%，每年额度不低于420元。其中的健康管理服务面向重点人群：0-6岁儿童、65岁及以上老人、孕产妇、高血压或糖尿病患者。年龄按身份证号码计算；孕产妇和高血压、糖尿病患者请在下方“健康状况”中申报。</p>
        <p class="js_eligibility"></p>
      </div>

      <h2 class="weui-cells__title" id="js_health_title">健康状况（选填，敏感信息）</h2>
      <div class="weui-cells weui-cells_checkbox js_health" role="group" aria-labelledby="js_health_title"></div>
      <details class="yb-card yb-consent-doc">
        <summary class="js_consent_title">健康信息使用授权</summary>
        <p class="js_consent_body"></p>
      </details>
      <div class="yb-agree">
        <label class="weui-agree" for="js_health_consent">
          <input id="js_health_consent" type="checkbox" class="yb-check" name="health_consent">
          <span class="weui-agree__text">申报健康状况时，我已阅读并同意《健康信息使用授权》</span>
        </label>
      </div>
      <div class="yb-actions">
        <button type="submit" class="weui-btn weui-btn_primary">下一步</button>
      </div>
    </form>
  `,

  async onLoad(ctx) {
    const chosen = who(ctx.query);
    renderSteps(ctx.$(".js_steps"), null, "packages");
    const [team, me, consent] = await Promise.all([
      api.get(`/fd/teams/${Number(ctx.query.id)}`), api.get("/me"), api.get("/documents/health-consent")]);
    ctx.$(".js_team_name").textContent = team.name;
    ctx.$(".js_institution").textContent = team.institution_name;
    ctx.$(".js_intro").textContent = team.intro || "";
    ctx.$(".js_members").replaceChildren(...team.members.map((m) => h("div", { class: "weui-cell" },
      h("div", { class: "weui-cell__bd" }, m.name,
        h("span", { class: "weui-cell__desc" }, [m.title, m.organisation].filter(Boolean).join(" · "))),
      h("div", { class: "weui-cell__ft" }, m.role_label))));
    ctx.$(".js_places").textContent = team.full
      ? "该团队签约名额已满，请选择同一机构的其他团队。"
      : `已签约 ${team.signed} 人，剩余名额 ${team.available} 个`;

    const member = chosen.for === "member" ? me.family_members.find((m) => String(m.id) === String(chosen.member)) : null;
    const person = member ? member.person : me.identity;
    const years = age(person);
    ctx.$(".js_signer").textContent = member ? `${person.name}（${member.relation_label}）` : `${person.name}（本人）`;
    ctx.$(".js_signer_age").textContent = years === null ? "" : `${years}岁`;
    // The key groups (seed 001, backend/domain/family_doctor.py key_groups): the age
    // groups from the ID number, the rest from the health state ticked below; the
    // line is written again whenever a tick changes. Their names are the server's.
    const eligibility = () => {
      const ticked = ctx.$$("input[name=health_tags]:checked").map((el) => el.value);
      const groups = [...(years !== null && years <= 6 ? ["child"] : []),
                      ...(years !== null && years >= 65 ? ["elderly"] : []), ...ticked];
      const who = `${person.name}${years === null ? "" : `${years}岁，`}`;
      ctx.$(".js_eligibility").textContent = groups.length
        ? `${who}属于${groups.map((g) => api.label("key_group", g)).join("、")}，选择增值服务包可享门诊和健康管理服务。`
        : `${who}可以选择增值服务包（门诊服务）；如为孕产妇或慢病患者，请在下方申报健康状况，另享健康管理服务。`;
    };

    ctx.$(".js_packages").replaceChildren(...team.packages.map((p) => {
      const id = `js_pkg_${p.id}`;
      const basic = p.kind === "basic";
      return h("label", { class: "weui-cell weui-cell_active weui-check__label", for: id },
        h("div", { class: "weui-cell__hd" },
          h("input", { type: "checkbox", class: "weui-check", name: "package_ids", value: p.id, id,
                       checked: basic, disabled: basic,
                       "aria-describedby": p.kind === "value_added" ? "js_rule" : false }),
          h("span", { class: "weui-icon-checked", "aria-hidden": "true" })),
        h("div", { class: "weui-cell__bd" },
          h("span", { class: "yb-cell-title" }, p.name,
            h("span", { class: `yb-status yb-pkg_${p.kind}` }, p.free ? "免费" : `${p.price}元/年，自付`)),
          h("span", { class: "weui-cell__desc" }, basic ? `必选。${p.note || ""}` : p.note || p.includes.join("、"))));
    }));
    ctx.$(".js_health").replaceChildren(...api.options("health_tag").map(([tag, label]) => {
      const id = `js_tag_${tag}`;
      return h("label", { class: "weui-cell weui-cell_active weui-check__label", for: id },
        h("div", { class: "weui-cell__hd" },
          h("input", { type: "checkbox", class: "weui-check", name: "health_tags", value: tag, id }),
          h("span", { class: "weui-icon-checked", "aria-hidden": "true" })),
        h("div", { class: "weui-cell__bd" }, label));
    }));
    eligibility();
    for (const box of ctx.$$("input[name=health_tags]")) ctx.on(box, "change", eligibility);
    ctx.$(".js_consent_title").textContent = consent.title;
    ctx.$(".js_consent_body").textContent = consent.body;

    const form = ctx.$(".js_form");
    ctx.on(form, "submit", async (event) => {
      event.preventDefault();
      const checked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked:not(:disabled)`)].map((el) => el.value);
      const tags = checked("health_tags");
      const healthConsent = ctx.$("#js_health_consent").checked;
      if (tags.length && !healthConsent) {
        showErrors(form, { health_consent: ["申报健康状况须同意健康信息使用授权。"] });
        toast("申报健康状况须先阅读并同意《健康信息使用授权》");
        return;
      }
      const body = { for: chosen.for, team_id: team.id, package_ids: checked("package_ids").map(Number),
                     health_tags: tags, health_consent: healthConsent };
      if (member) body.member_id = member.id;
      const signup = await submitting(form, () => api.post("/fd/signups", body));
      navigateTo("fd_agreement", { id: signup.id });
    });
  },
};
