// A rescue-fund application's status: 待审核 with the review date, 待补正 with what
// to fix (only those items open, then 重新提交), 已核定 / 已垫付 / 已结清 with the
// amounts, 不予垫付 with the reason; withdrawal; the history.
import * as api from "../../api.js";
import { navigateTo } from "../../app.js";
import { formatDate, formatDateTime, h } from "../../lib/dom.js";
import { confirm, toast } from "../../lib/feedback.js";
import { renderEvents } from "../../lib/history.js";
import { load, screenFor } from "../../lib/rescue.js";

const ICON = { submitted: "weui-icon-waiting", returned: "weui-icon-warn", approved: "weui-icon-success",
               paid: "weui-icon-success", closed: "weui-icon-success", rejected: "weui-icon-warn",
               withdrawn: "weui-icon-info", draft: "weui-icon-info" };
const yuan = (v) => (v == null ? "" : `${Number(v).toLocaleString("zh-CN", { minimumFractionDigits: 2 })} 元`);

export default {
  title: "申请详情",
  template: `
    <div class="weui-msg">
      <div class="weui-msg__icon-area"><i class="weui-icon_msg js_icon" aria-hidden="true"></i></div>
      <div class="weui-msg__text-area">
        <h1 class="weui-msg__title js_status"></h1>
        <p class="weui-msg__desc-primary js_desc"></p>
      </div>
    </div>
    <section class="js_fix_area" hidden aria-labelledby="js_fix_title">
      <h2 class="weui-cells__title" id="js_fix_title">需要补正的项目</h2>
      <div class="weui-cells js_fix"></div>
      <div class="yb-actions">
        <button type="button" class="weui-btn weui-btn_primary js_resubmit">重新提交</button>
      </div>
    </section>
    <div class="yb-actions js_continue_area" hidden>
      <button type="button" class="weui-btn weui-btn_primary js_continue">继续办理</button>
    </div>
    <div class="weui-form-preview yb-preview">
      <div class="weui-form-preview__bd js_rows"></div>
    </div>
    <section aria-labelledby="js_events_title">
      <h2 class="weui-cells__title" id="js_events_title">办理记录</h2>
      <ol class="yb-timeline js_events"></ol>
    </section>
    <div class="yb-actions js_withdraw_area" hidden>
      <button type="button" class="weui-btn weui-btn_warn js_withdraw">撤回申请</button>
    </div>
  `,

  async onLoad(ctx) {
    const id = Number(ctx.query.id);
    const refresh = async () => {
      const [app, events] = await Promise.all([load(id), api.get(`/rescue/applications/${id}/events`)]);
      show(ctx, app, events);
      return app;
    };
    await refresh();
    ctx.on(".js_resubmit", "click", async () => {
      await api.post(`/rescue/applications/${id}/resubmit`);
      toast("已重新提交", { icon: "success" });
      await refresh();
    });
    ctx.on(".js_continue", "click", async () => navigateTo(...screenFor(await load(id))));
    ctx.on(".js_withdraw", "click", async () => {
      if (!await confirm("撤回后该申请不再审核，确定撤回吗？")) return;
      await api.post(`/rescue/applications/${id}/withdraw`);
      toast("已撤回", { icon: "success" });
      await refresh();
    });
  },
};

function show(ctx, app, events) {
  ctx.$(".js_icon").className = `weui-icon_msg js_icon ${ICON[app.status] || "weui-icon-info"}`;
  ctx.$(".js_status").textContent = app.status_label;
  const desc = {
    submitted: `救助基金管理机构将于 ${formatDate(app.review_due)} 前完成审核${app.due_dates_provisional ? "（按法定节假日暂计）" : ""}。`,
    returned: "请按下列项目补正后重新提交，审核时限重新计算。",
    approved: `核定垫付 ${yuan(app.approved_amount)}，将于 ${formatDate(app.payment_due)} 前支付给救治医院。`,
    paid: `已向${app.hospital.name}垫付 ${yuan(app.paid_amount)}。`,
    closed: `已结清，最终垫付 ${yuan(app.final_amount)}。`,
    rejected: `原因：${app.reject_reason || ""}`,
    withdrawn: "申请已撤回。",
    draft: "申请尚未提交。",
  }[app.status] || "";
  ctx.$(".js_desc").textContent = desc;
  ctx.$(".js_fix_area").hidden = app.status !== "returned";
  ctx.$(".js_fix").replaceChildren(...app.returned_items.map((item) => {
    const link = h("a", { class: "weui-cell weui-cell_access js_fix_item", href: `#/rescue_step?id=${app.id}&step=${item.step}` },
      h("div", { class: "weui-cell__bd" }, h("p", {}, item.item_label), h("p", { class: "yb-muted" }, item.reason)),
      h("div", { class: "weui-cell__ft" }, "去修改"));
    link.addEventListener("click", (event) => {
      event.preventDefault();
      navigateTo("rescue_step", { id: app.id, step: item.step });
    });
    return link;
  }));
  ctx.$(".js_continue_area").hidden = app.status !== "draft";
  ctx.$(".js_withdraw_area").hidden = !["submitted", "returned"].includes(app.status);
  const rows = [
    ["申请编号", app.application_no],
    ["申请类型", app.kind_label],
    ["受害人", app.victim.identified === false ? "身份无法确认" : app.victim.name],
    ["救治医院", app.hospital.name],
    ["提交时间", app.submitted_at ? formatDateTime(app.submitted_at) : null],
    ["核定金额", app.approved_amount ? yuan(app.approved_amount) : null],
    ["已垫付", app.paid_amount ? yuan(app.paid_amount) : null],
  ].filter(([, v]) => v);
  ctx.$(".js_rows").replaceChildren(...rows.map(([k, v]) => h("div", { class: "weui-form-preview__item" },
    h("span", { class: "weui-form-preview__label" }, k), h("span", { class: "weui-form-preview__value" }, v))));
  renderEvents(ctx.$(".js_events"), events);
}
