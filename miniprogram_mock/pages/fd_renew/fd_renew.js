// 续约: in the last 30 days before a contract ends (seed 001; the window is the
// server's: `renewable_from` on the sign-up), the same team for one more year. The
// packages may change for the next year; the agreement is accepted again, as it is
// read then. POST /fd/signups/{id}/renew; the server refuses too early or too late,
// and its message is shown as written.
import * as api from "../../api.js";
import { redirectTo } from "../../app.js";
import { chineseDate } from "../../lib/datepicker.js";
import { h } from "../../lib/dom.js";
import { toast } from "../../lib/feedback.js";
import { showErrors, submitting } from "../../lib/form.js";

export default {
  title: "续约",
  template: `
    <div class="yb-hd">
      <h1 class="yb-hd__title">家庭医生签约续约</h1>
      <p class="yb-hd__desc js_window"></p>
    </div>
    <div class="weui-cells">
      <div class="weui-cell"><div class="weui-cell__bd">签约人</div><div class="weui-cell__ft js_resident"></div></div>
      <div class="weui-cell"><div class="weui-cell__bd">签约团队</div><div class="weui-cell__ft js_team"></div></div>
      <div class="weui-cell"><div class="weui-cell__bd">本期到期</div><div class="weui-cell__ft js_valid_to"></div></div>
    </div>
    <form class="js_form" novalidate>
      <h2 class="weui-cells__title" id="js_renew_packages_title">下一年度服务包</h2>
      <div class="weui-cells weui-cells_checkbox js_packages" role="group" aria-labelledby="js_renew_packages_title"></div>
      <details class="yb-card yb-consent-doc">
        <summary class="js_doc_title">家庭医生签约服务协议</summary>
        <p class="yb-doc__body js_doc_body"></p>
      </details>
      <div class="yb-agree">
        <label class="weui-agree" for="js_renew_agree">
          <input id="js_renew_agree" type="checkbox" class="yb-check" name="accepted">
          <span class="weui-agree__text">已阅读并同意《签约服务协议》，续约一年</span>
        </label>
      </div>
      <div class="yb-actions">
        <button type="submit" class="weui-btn weui-btn_primary js_renew">确认续约</button>
      </div>
    </form>
  `,

  async onLoad(ctx) {
    const id = Number(ctx.query.id);
    const [signup, agreement] = await Promise.all([api.get(`/fd/signups/${id}`), api.get("/documents/signup-agreement")]);
    const team = await api.get(`/fd/teams/${signup.team.id}`);
    ctx.$(".js_resident").textContent = signup.resident.name;
    ctx.$(".js_team").textContent = signup.team.name;
    ctx.$(".js_valid_to").textContent = chineseDate(signup.valid_to);
    ctx.$(".js_window").textContent = signup.renewable_from
      ? `合同到期前30天内可续约：${chineseDate(signup.renewable_from)}至${chineseDate(signup.valid_to)}。续约后由同一团队继续服务一年；如需更换团队，请在到期后重新签约。`
      : "此签约当前不能续约。";
    ctx.$(".js_doc_title").textContent = agreement.title;
    ctx.$(".js_doc_body").textContent = agreement.body;
    const current = new Set(signup.packages.map((p) => p.id));
    ctx.$(".js_packages").replaceChildren(...team.packages.map((p) => {
      const boxId = `js_renew_pkg_${p.id}`;
      const basic = p.kind === "basic";
      return h("label", { class: "weui-cell weui-cell_active weui-check__label", for: boxId },
        h("div", { class: "weui-cell__hd" },
          h("input", { type: "checkbox", class: "weui-check", name: "package_ids", value: p.id, id: boxId,
                       checked: basic || current.has(p.id), disabled: basic }),
          h("span", { class: "weui-icon-checked", "aria-hidden": "true" })),
        h("div", { class: "weui-cell__bd" },
          h("span", { class: "yb-cell-title" }, p.name,
            h("span", { class: `yb-status yb-pkg_${p.kind}` }, p.free ? "免费" : `${p.price}元/年，自付`)),
          h("span", { class: "weui-cell__desc" }, basic ? `必选。${p.note || ""}` : p.note || p.includes.join("、"))));
    }));

    const form = ctx.$(".js_form");
    ctx.on(form, "submit", async (event) => {
      event.preventDefault();
      if (!ctx.$("#js_renew_agree").checked) {
        showErrors(form, { accepted: ["请先勾选“已阅读并同意《签约服务协议》”。"] });
        toast("请先勾选“已阅读并同意《签约服务协议》”");
        return;
      }
      const packageIds = [...form.querySelectorAll("input[name=package_ids]:checked:not(:disabled)")].map((el) => Number(el.value));
      const renewed = await submitting(form, () => api.post(`/fd/signups/${id}/renew`,
        { accepted: true, version: agreement.version, package_ids: packageIds }));
      toast(`已续约至${chineseDate(renewed.valid_to)}`, { icon: "success" });
      redirectTo("fd_status", { id });
    });
  },
};
