// 签约服务协议: tick 已阅读并同意《签约服务协议》, then sign.
import * as api from "../../api.js";
import { navigateTo } from "../../app.js";
import { renderSteps } from "../../lib/fd.js";
import { toast } from "../../lib/feedback.js";
import { showErrors } from "../../lib/form.js";

export default {
  title: "签约服务协议",
  template: `
    <div class="js_steps"></div>
    <article class="yb-doc" tabindex="0" aria-labelledby="js_doc_title">
      <h1 class="yb-doc__title" id="js_doc_title">家庭医生签约服务协议</h1>
      <div class="yb-doc__body js_doc_body"></div>
    </article>
    <div class="weui-cells">
      <div class="weui-cell"><div class="weui-cell__bd">签约人</div><div class="weui-cell__ft js_resident"></div></div>
      <div class="weui-cell"><div class="weui-cell__bd">签约团队</div><div class="weui-cell__ft js_team"></div></div>
      <div class="weui-cell"><div class="weui-cell__bd">服务包</div><div class="weui-cell__ft js_packages"></div></div>
      <div class="weui-cell"><div class="weui-cell__bd">个人年付费用</div><div class="weui-cell__ft js_fee"></div></div>
    </div>
    <form class="js_form" novalidate>
      <div class="yb-agree">
        <label class="weui-agree" for="js_agree">
          <input id="js_agree" type="checkbox" class="yb-check" name="accepted">
          <span class="weui-agree__text">已阅读并同意《签约服务协议》</span>
        </label>
      </div>
      <div class="yb-actions">
        <button type="submit" class="weui-btn weui-btn_primary">同意并签字</button>
      </div>
    </form>
  `,

  async onLoad(ctx) {
    const id = Number(ctx.query.id);
    const [signup, agreement] = await Promise.all([api.get(`/fd/signups/${id}`), api.get("/documents/signup-agreement")]);
    renderSteps(ctx.$(".js_steps"), signup, "agreement");
    ctx.$("#js_doc_title").textContent = agreement.title;
    ctx.$(".js_doc_body").textContent = agreement.body;
    ctx.$(".js_resident").textContent = signup.resident.name;
    ctx.$(".js_team").textContent = signup.team.name;
    ctx.$(".js_packages").textContent = signup.packages.map((p) => p.name).join("、");
    ctx.$(".js_fee").textContent = signup.annual_fee ? `${signup.annual_fee}元` : "免费";
    const form = ctx.$(".js_form");
    ctx.on(form, "submit", async (event) => {
      event.preventDefault();
      if (!ctx.$("#js_agree").checked) {
        showErrors(form, { accepted: ["请先勾选“已阅读并同意《签约服务协议》”。"] });
        toast("请先勾选“已阅读并同意《签约服务协议》”");
        return;
      }
      await api.put(`/fd/signups/${id}/agreement`, { accepted: true, version: agreement.version });
      navigateTo("fd_sign", { id });
    });
  },
};
