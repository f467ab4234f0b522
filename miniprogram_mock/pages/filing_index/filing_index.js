// 异地就医自助备案: 立即办理, 查看记录, and the unfinished draft, if there is one.
import * as api from "../../api.js";
import { navigateTo } from "../../app.js";
import { draft, forgetDraft, screenFor } from "../../lib/filing.js";

export default {
  title: "异地就医自助备案",
  template: `
    <div class="yb-hd">
      <h1 class="yb-hd__title">异地就医自助备案</h1>
      <p class="yb-hd__desc">跨省异地就医实行“先备案，后结算”。备案成功后，可在备案地开通直接结算的定点医疗机构直接结算，原则上执行参保地的支付政策。</p>
    </div>
    <div class="yb-card js_draft" hidden>
      <p class="yb-draft__title">您有一份未完成的备案</p>
      <p class="yb-muted js_draft_desc"></p>
      <div class="yb-actions yb-actions_tight">
        <button type="button" class="weui-btn weui-btn_primary js_resume">继续办理</button>
        <button type="button" class="weui-btn weui-btn_default js_discard">放弃这份草稿</button>
      </div>
    </div>
    <div class="weui-cells">
      <div class="weui-cell"><div class="weui-cell__bd"><span class="yb-cell-title">异地长期居住人员</span><span class="weui-cell__desc">异地安置退休、异地长期居住、常驻异地工作</span></div></div>
      <div class="weui-cell"><div class="weui-cell__bd"><span class="yb-cell-title">临时外出就医人员</span><span class="weui-cell__desc">异地转诊、急诊抢救、其他临时外出</span></div></div>
    </div>
    <p class="weui-cells__tips">“起止日期”中的开始日期，应早于实际就诊住院日期。备案后未在备案地发生医保结算的，可线上取消备案。</p>
    <div class="yb-actions">
      <button type="button" class="weui-btn weui-btn_primary js_start">立即办理</button>
      <button type="button" class="weui-btn weui-btn_default js_records">查看记录</button>
    </div>
  `,

  async onLoad(ctx) {
    ctx.on(".js_start", "click", () => navigateTo("filing_for"));
    ctx.on(".js_records", "click", () => navigateTo("records_list"));
    const saved = draft();
    if (!saved) return;
    let filing;
    try {
      filing = await api.get(`/filings/${saved.id}`, { quiet: true });
    } catch (error) {
      if (!(error instanceof api.ApiError) || ![403, 404].includes(error.status)) throw error;
      forgetDraft();
      return;
    }
    if (filing.status !== "draft") {
      forgetDraft();
      return;
    }
    const step = filing.steps.find((s) => s.name === filing.next_step);
    ctx.$(".js_draft_desc").textContent =
      `${filing.for === "self" ? "为自己备案" : "为他人备案"}${filing.insured_person ? ` · ${filing.insured_person.name}` : ""}` +
      ` · 下一步：${step ? step.label : "确认提交"}`;
    ctx.$(".js_draft").hidden = false;
    ctx.on(".js_resume", "click", () => navigateTo(screenFor(filing), { id: filing.id }));
    ctx.on(".js_discard", "click", async () => {
      await api.del(`/filings/${filing.id}`);
      forgetDraft();
      ctx.$(".js_draft").hidden = true;
    });
  },
};
