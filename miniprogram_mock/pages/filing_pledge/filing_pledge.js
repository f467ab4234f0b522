// 个人承诺书: read it, then 此处签字 opens the signing box.
import * as api from "../../api.js";
import { navigateTo, redirectTo } from "../../app.js";
import { load, renderSteps, screenFor } from "../../lib/filing.js";

export default {
  title: "个人承诺书",
  template: `
    <div class="js_steps"></div>
    <article class="yb-doc" tabindex="0" aria-labelledby="js_doc_title">
      <h1 class="yb-doc__title" id="js_doc_title">异地就医个人承诺书</h1>
      <div class="yb-doc__body js_doc_body"></div>
      <p class="yb-pledge__signer">承诺人：<span class="js_signer"></span></p>
    </article>
    <div class="yb-actions">
      <button type="button" class="weui-btn weui-btn_primary js_sign">此处签字</button>
    </div>
  `,

  async onLoad(ctx) {
    const filing = await load(ctx.query.id);
    if (filing.status !== "draft") {
      redirectTo(screenFor(filing), { id: filing.id });
      return;
    }
    renderSteps(ctx.$(".js_steps"), filing, "signature");
    const pledge = await api.get("/documents/filing-pledge");
    ctx.$("#js_doc_title").textContent = pledge.title;
    ctx.$(".js_doc_body").textContent = pledge.body;
    // The agent signs when filing for someone else.
    const signer = filing.for === "other" ? filing.agent?.name : filing.insured_person?.name;
    ctx.$(".js_signer").textContent = signer ? `${signer}${filing.for === "other" ? "（代办人）" : ""}` : "";
    ctx.on(".js_sign", "click", () => navigateTo("filing_sign", { id: filing.id }));
  },
};
