// 垫付申请书 + 承诺: the text generated from the document `rescue-application`, signed by
// hand, then 提交申请 (once: the same Idempotency-Key for a retry).
import * as api from "../../api.js";
import { redirectTo } from "../../app.js";
import { toast } from "../../lib/feedback.js";
import { SIGNING_BOX, signingBox } from "../../lib/signature.js";
import { load, renderSteps, screenFor } from "../../lib/rescue.js";

export default {
  title: "签署垫付申请书",
  template: `
    <div class="js_steps"></div>
    <article class="yb-doc" tabindex="0" aria-labelledby="js_doc_title">
      <h1 class="yb-doc__title" id="js_doc_title">垫付申请书及承诺</h1>
      <div class="yb-doc__body js_doc_body"></div>
    </article>
    <p class="weui-cells__tips" id="js_sign_tip">请在下方框内手写签名，签名后点击“签名并提交”。</p>
    ${SIGNING_BOX}
  `,

  async onLoad(ctx) {
    const app = await load(ctx.query.id);
    if (app.status !== "draft" || !["signature", null].includes(app.next_step)) {
      redirectTo(...screenFor(app));
      return;
    }
    renderSteps(ctx.$(".js_steps"), app, "signature");
    const doc = await api.get("/documents/rescue-application");
    ctx.$("#js_doc_title").textContent = doc.title;
    ctx.$(".js_doc_body").textContent = doc.body;
    const key = `rescue-${app.id}-${crypto.randomUUID()}`;
    signingBox(ctx, async (png) => {
      await api.upload(`/rescue/applications/${app.id}/signature`, png, { filename: "signature.png" });
      const done = await api.post(`/rescue/applications/${app.id}/submit`, undefined, { headers: { "Idempotency-Key": key } });
      toast("已提交", { icon: "success" });
      redirectTo("rescue_status", { id: done.id });
    }, { confirm: "签名并提交" });
  },
};
