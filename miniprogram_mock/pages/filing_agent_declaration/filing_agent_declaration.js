// 代办承诺书 (为他人备案, between the notice and the photos; seed 002: "核对代办人
// 信息；随后根据提示进行确认、签字"): the agent checks his own details, reads the
// declaration, ticks 我已阅读并同意 and signs in the box; 确认并签字 accepts it
// (PUT .../agent-declaration) and sends the signature (POST .../signature).
import * as api from "../../api.js";
import { navigateTo, redirectTo } from "../../app.js";
import { toast } from "../../lib/feedback.js";
import { load, renderSteps, screenFor } from "../../lib/filing.js";
import { clearErrors, showErrors } from "../../lib/form.js";
import { SIGNING_BOX, signingBox } from "../../lib/signature.js";

export default {
  title: "代办承诺书",
  template: `
    <div class="js_steps"></div>
    <div class="yb-hd">
      <h1 class="yb-hd__title">核对代办人信息</h1>
      <p class="yb-hd__desc">请核对代办人信息，阅读《代办承诺书》后确认并签字。</p>
    </div>
    <div class="weui-cells">
      <div class="weui-cell"><div class="weui-cell__bd">代办人</div><div class="weui-cell__ft js_agent_name"></div></div>
      <div class="weui-cell"><div class="weui-cell__bd">代办人身份证号码</div><div class="weui-cell__ft js_agent_id"></div></div>
      <div class="weui-cell"><div class="weui-cell__bd">备案人</div><div class="weui-cell__ft js_insured_name"></div></div>
    </div>
    <article class="yb-doc" tabindex="0" aria-labelledby="js_doc_title">
      <h2 class="yb-doc__title" id="js_doc_title">代办承诺书</h2>
      <div class="yb-doc__body js_doc_body"></div>
      <p class="yb-pledge__signer">承诺人：<span class="js_signer"></span></p>
    </article>
    <form class="js_form" novalidate>
      <div class="yb-agree">
        <label class="weui-agree" for="js_agree">
          <input id="js_agree" type="checkbox" class="yb-check" name="accepted">
          <span class="weui-agree__text">我已阅读并同意</span>
        </label>
      </div>
    </form>
    <div class="yb-hd">
      <p class="yb-hd__desc" id="js_sign_tip">请代办人在下方框内清晰书写姓名，签名将用于《代办承诺书》。</p>
    </div>
    ${SIGNING_BOX}
  `,

  async onLoad(ctx) {
    const filing = await load(ctx.query.id);
    if (filing.status !== "draft" || filing.for !== "other") {
      redirectTo(screenFor(filing), { id: filing.id });
      return;
    }
    renderSteps(ctx.$(".js_steps"), filing, "agent_declaration");
    const declaration = await api.get("/documents/agent-declaration");
    ctx.$("#js_doc_title").textContent = declaration.title;
    ctx.$(".js_doc_body").textContent = declaration.body;
    ctx.$(".js_agent_name").textContent = filing.agent?.name || "";
    ctx.$(".js_agent_id").textContent = filing.agent?.id_number || "";
    ctx.$(".js_insured_name").textContent = filing.insured_person?.name || "";
    ctx.$(".js_signer").textContent = filing.agent?.name ? `${filing.agent.name}（代办人）` : "";

    const form = ctx.$(".js_form");
    const agree = ctx.$("#js_agree");
    ctx.on(agree, "change", () => { if (agree.checked) clearErrors(form); });
    signingBox(ctx, async (png) => {
      await api.put(`/filings/${filing.id}/agent-declaration`, { accepted: true, version: declaration.version });
      await api.upload(`/filings/${filing.id}/agent-declaration/signature`, png, { filename: "agent-declaration.png" });
      const saved = await load(filing.id);
      navigateTo(screenFor(saved), { id: saved.id });
    }, {
      confirm: "确认并签字",
      ready() {
        if (agree.checked) return true;
        showErrors(form, { accepted: ["请先勾选“我已阅读并同意”。"] });
        toast("请先阅读《代办承诺书》并勾选“我已阅读并同意”");
        return false;
      },
    });
  },

  onUnload(ctx) {
    ctx.pad?.destroy();
  },
};
