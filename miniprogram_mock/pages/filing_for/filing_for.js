// 为自己备案 or 为他人备案, then 先看是否需要备案 (filing_advice), which makes the draft.
import { redirectTo } from "../../app.js";

export default {
  title: "异地就医自助备案",
  template: `
    <div class="yb-hd">
      <h1 class="yb-hd__title">请选择备案类型</h1>
      <p class="yb-hd__desc">参保人本人办理请选择“为自己备案”；为父母等家人代办请选择“为他人备案”。</p>
    </div>
    <div class="weui-cells">
      <button type="button" class="weui-cell weui-cell_active weui-cell_access yb-cell-button js_for" data-for="self">
        <span class="weui-cell__bd"><span class="yb-cell-title">为自己备案</span><span class="weui-cell__desc">本人参保，本人办理</span></span>
        <span class="weui-cell__ft" aria-hidden="true"></span>
      </button>
      <button type="button" class="weui-cell weui-cell_active weui-cell_access yb-cell-button js_for" data-for="other">
        <span class="weui-cell__bd"><span class="yb-cell-title">为他人备案</span><span class="weui-cell__desc">代办人为家人办理，需上传代办人和备案人的身份证或户口本照片</span></span>
        <span class="weui-cell__ft" aria-hidden="true"></span>
      </button>
    </div>
  `,

  onLoad(ctx) {
    // First whether a filing is needed at all; the draft is made after that. The
    // choice replaces this page: 返回 from the advice or from the draft's first step
    // goes to 异地就医自助备案, which offers the draft, not to a second choice.
    for (const button of ctx.$$(".js_for")) {
      ctx.on(button, "click", () => redirectTo("filing_advice", { for: button.dataset.for }));
    }
  },
};
