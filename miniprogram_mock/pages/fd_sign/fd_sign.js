// 签字确认 for the sign-up: the same signing box as the filing pledge.
import * as api from "../../api.js";
import { redirectTo } from "../../app.js";
import { renderSteps } from "../../lib/fd.js";
import { SIGNING_BOX, signingBox } from "../../lib/signature.js";

export default {
  title: "签字确认",
  template: `
    <div class="js_steps"></div>
    <div class="yb-hd">
      <h1 class="yb-hd__title">请在下方框内签名</h1>
      <p class="yb-hd__desc" id="js_sign_tip"><span class="js_who"></span>签约，请在框内清晰书写姓名。</p>
    </div>
    ${SIGNING_BOX}
  `,

  async onLoad(ctx) {
    const id = Number(ctx.query.id);
    const signup = await api.get(`/fd/signups/${id}`);
    renderSteps(ctx.$(".js_steps"), signup, "signature");
    ctx.$(".js_who").textContent = signup.for === "member"
      ? `代${signup.resident.name}（${signup.agent?.relation_label || "家庭成员"}）` : "本人";
    signingBox(ctx, async (png) => {
      await api.upload(`/fd/signups/${id}/signature`, png, { filename: "signature.png" });
      redirectTo("fd_status", { id });
    });
  },

  onUnload(ctx) {
    ctx.pad?.destroy();
  },
};
