// 在指定区域内签名, then 确定: the PNG goes to POST /filings/{id}/signature.
// A page of its own rather than a pop-up, so it is the same in 长辈版.
import * as api from "../../api.js";
import { redirectTo } from "../../app.js";
import { load, renderSteps, screenFor } from "../../lib/filing.js";
import { SIGNING_BOX, signingBox } from "../../lib/signature.js";

export default {
  title: "签名",
  template: `
    <div class="js_steps"></div>
    <div class="yb-hd">
      <h1 class="yb-hd__title">请在下方框内签名</h1>
      <p class="yb-hd__desc" id="js_sign_tip">请用手指在框内清晰书写姓名，签名将用于《个人承诺书》。</p>
    </div>
    ${SIGNING_BOX}
  `,

  async onLoad(ctx) {
    const filing = await load(ctx.query.id);
    if (filing.status !== "draft") {
      redirectTo(screenFor(filing), { id: filing.id });
      return;
    }
    renderSteps(ctx.$(".js_steps"), filing, "signature");
    signingBox(ctx, async (png) => {
      const saved = await api.upload(`/filings/${filing.id}/signature`, png, { filename: "signature.png" });
      redirectTo(screenFor(saved), { id: saved.id });
    });
  },

  onUnload(ctx) {
    ctx.pad?.destroy();
  },
};
