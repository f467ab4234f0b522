// 备案告知书: read it, tick 已阅读备案告知书, tap 我已阅读并同意.
import * as api from "../../api.js";
import { navigateTo, redirectTo } from "../../app.js";
import { load, renderSteps, screenFor } from "../../lib/filing.js";
import { toast } from "../../lib/feedback.js";
import { showErrors } from "../../lib/form.js";

export default {
  title: "备案告知书",
  template: `
    <div class="js_steps"></div>
    <article class="yb-doc" tabindex="0" aria-labelledby="js_doc_title">
      <h1 class="yb-doc__title" id="js_doc_title">异地就医备案告知书</h1>
      <div class="yb-doc__body js_doc_body"></div>
    </article>
    <form class="js_form" novalidate>
      <div class="yb-agree">
        <label class="weui-agree" for="js_read">
          <input id="js_read" type="checkbox" class="yb-check" name="accepted">
          <span class="weui-agree__text">已阅读备案告知书</span>
        </label>
      </div>
      <div class="yb-actions">
        <button type="submit" class="weui-btn weui-btn_primary">我已阅读并同意</button>
      </div>
    </form>
  `,

  async onLoad(ctx) {
    const filing = await load(ctx.query.id);
    if (filing.status !== "draft") {
      redirectTo(screenFor(filing), { id: filing.id });
      return;
    }
    renderSteps(ctx.$(".js_steps"), filing, "notice");
    const notice = await api.get("/documents/filing-notice");
    ctx.$("#js_doc_title").textContent = notice.title;
    ctx.$(".js_doc_body").textContent = notice.body;
    const form = ctx.$(".js_form");
    ctx.on(form, "submit", async (event) => {
      event.preventDefault();
      if (!ctx.$("#js_read").checked) {
        showErrors(form, { accepted: ["请先勾选“已阅读备案告知书”。"] });
        toast("请先勾选“已阅读备案告知书”");
        return;
      }
      const saved = await api.put(`/filings/${filing.id}/notice`, { accepted: true, version: notice.version });
      navigateTo(screenFor(saved), { id: saved.id });
    });
  },
};
