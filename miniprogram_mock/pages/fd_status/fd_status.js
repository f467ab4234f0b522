// A sign-up: submit it once every step is done (→ 待团队确认), then its status as
// the team answers (已签约 with its year, or 未通过 with the team's reason), its
// history, and withdrawal or termination with a reason from the list.
import * as api from "../../api.js";
import { navigateTo } from "../../app.js";
import { formatDate, formatDateTime, h } from "../../lib/dom.js";
import { renderSteps } from "../../lib/fd.js";
import { toast } from "../../lib/feedback.js";
import { renderEvents } from "../../lib/history.js";
import { submitting } from "../../lib/form.js";

export default {
  title: "签约详情",
  template: `
    <div class="js_steps"></div>
    <div class="weui-msg yb-fd-msg">
      <div class="weui-msg__icon-area"><i class="weui-icon_msg js_icon" aria-hidden="true"></i></div>
      <div class="weui-msg__text-area">
        <h1 class="weui-msg__title js_title"></h1>
        <p class="weui-msg__desc-primary js_desc"></p>
      </div>
    </div>
    <div class="weui-form-preview yb-preview">
      <div class="weui-form-preview__bd js_rows"></div>
    </div>
    <section class="js_parts_area" hidden aria-labelledby="js_parts_title">
      <h2 class="weui-cells__title" id="js_parts_title">增值服务包包含</h2>
      <div class="weui-cells js_parts"></div>
    </section>
    <div class="yb-actions js_submit_area" hidden>
      <button type="button" class="weui-btn weui-btn_primary js_submit">提交签约申请</button>
    </div>
    <section class="yb-card js_renew_area" hidden aria-labelledby="js_renew_title">
      <h2 class="yb-card__title" id="js_renew_title">续约</h2>
      <p class="js_renew_text"></p>
      <div class="yb-actions yb-actions_tight">
        <button type="button" class="weui-btn weui-btn_default js_go_renew">去续约</button>
      </div>
    </section>
    <div class="yb-actions js_again_area" hidden>
      <button type="button" class="weui-btn weui-btn_primary js_again">重新选择团队</button>
    </div>

    <section aria-labelledby="js_events_title">
      <h2 class="weui-cells__title" id="js_events_title">办理记录</h2>
      <ol class="yb-timeline js_events"></ol>
    </section>

    <section class="js_cancel_area" hidden aria-labelledby="js_cancel_title">
      <h2 class="weui-cells__title" id="js_cancel_title"><span class="js_cancel_word">解约</span></h2>
      <form class="js_cancel_form" novalidate>
        <div class="weui-cells weui-cells_form">
          <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_fd_reason">
            <div class="weui-cell__hd"><span class="weui-label">原因</span></div>
            <div class="weui-cell__bd"><select id="js_fd_reason" class="weui-select" name="reason"></select></div>
          </label>
          <label class="weui-cell weui-cell_active" for="js_fd_note">
            <div class="weui-cell__hd"><span class="weui-label">说明</span></div>
            <div class="weui-cell__bd"><input id="js_fd_note" class="weui-input" name="note" maxlength="500" placeholder="选“其他原因”时必填"></div>
          </label>
        </div>
        <div class="yb-actions">
          <button type="submit" class="weui-btn weui-btn_warn js_cancel"><span class="js_cancel_word">解约</span></button>
        </div>
      </form>
    </section>
  `,

  async onLoad(ctx) {
    const id = Number(ctx.query.id);
    const reason = ctx.$("#js_fd_reason");
    reason.replaceChildren(h("option", { value: "" }, "请选择原因"),
                           ...api.options("signup.cancel_reason").map(([v, label]) => h("option", { value: v }, label)));
    const refresh = async () => {
      const [signup, events] = await Promise.all([api.get(`/fd/signups/${id}`), api.get(`/fd/signups/${id}/events`)]);
      show(ctx, signup, events);
      return signup;
    };
    await refresh();
    ctx.on(".js_submit", "click", async () => {
      await api.post(`/fd/signups/${id}/submit`);
      toast("已提交，等待家庭医生团队确认", { icon: "success" });
      await refresh();
    });
    ctx.on(".js_again", "click", () => navigateTo("fd_index"));
    ctx.on(".js_go_renew", "click", () => navigateTo("fd_renew", { id }));
    const form = ctx.$(".js_cancel_form");
    ctx.on(form, "submit", async (event) => {
      event.preventDefault();
      const note = form.elements.note.value.trim();
      await submitting(form, () => api.post(`/fd/signups/${id}/cancel`, { reason: reason.value, note: note || null }));
      toast("已办理", { icon: "success" });
      await refresh();
    });
  },
};

const LOOK = {
  draft: ["weui-icon-waiting", "待提交"],
  pending: ["weui-icon-waiting", "已提交，待团队确认"],
  active: ["weui-icon-success", "签约成功"],
  rejected: ["weui-icon-warn", "团队未同意签约"],
  cancelled: ["weui-icon-info", "已解约"],
  expired: ["weui-icon-info", "合同已到期"],
};

function show(ctx, s, events) {
  renderSteps(ctx.$(".js_steps"), s, s.status === "draft" ? (s.next_step || "submit") : "submit");
  const [icon, title] = LOOK[s.status] || ["weui-icon-info", s.status_label];
  ctx.$(".js_icon").className = `${icon} weui-icon_msg js_icon`;
  ctx.$(".js_title").textContent = title;
  ctx.$(".js_desc").textContent = {
    draft: s.next_step ? "还有步骤未完成。" : "请核对签约信息后提交签约申请。",
    pending: "家庭医生团队确认后即签约生效，请留意签约状态。",
    active: `合同有效期 ${formatDate(s.valid_from)} 至 ${formatDate(s.valid_to)}`,
    rejected: `未通过原因：${s.reject_reason || "—"}。您可以重新选择团队申请。`,
    cancelled: s.cancel_reason_label ? `原因：${s.cancel_reason_label}${s.cancel_note ? `（${s.cancel_note}）` : ""}` : "",
    expired: "可重新签约。",
  }[s.status] || "";
  const rows = [
    ["签约人", `${s.resident.name}（${s.resident.id_number}）`],
    ["代办人", s.agent ? `${s.agent.name}（签约人是其${s.agent.relation_label || "家庭成员"}）` : null],
    ["签约机构", s.team.institution_name],
    ["家庭医生团队", s.team.name],
    ["服务包", s.packages.map((p) => p.name).join("、")],
    ["个人年付费用", s.annual_fee ? `${s.annual_fee}元` : "免费"],
    ["重点人群", s.key_group_labels?.length ? s.key_group_labels.join("、") : null],
    ["签字时间", s.signed_at ? formatDateTime(s.signed_at) : null],
    ["状态", s.status_label],
  ].filter(([, v]) => v);
  ctx.$(".js_rows").replaceChildren(...rows.map(([label, value]) => h("div", { class: "weui-form-preview__item" },
    h("span", { class: "weui-form-preview__label" }, label), h("span", { class: "weui-form-preview__value" }, value))));
  const parts = s.value_added_parts || [];
  ctx.$(".js_parts_area").hidden = !parts.length;
  ctx.$(".js_parts").replaceChildren(...parts.map((p) => h("div", { class: "weui-cell js_part", "data-part": p.part },
    h("div", { class: "weui-cell__bd" }, p.label),
    h("div", { class: p.applies ? "weui-cell__ft" : "weui-cell__ft yb-muted" }, p.applies ? "适用" : "不适用"))));
  renderEvents(ctx.$(".js_events"), events);
  ctx.$(".js_submit_area").hidden = !(s.status === "draft" && !s.next_step);
  ctx.$(".js_again_area").hidden = s.status !== "rejected";
  // 续约: offered while the contract is on; the server says whether the window is open.
  ctx.$(".js_renew_area").hidden = !s.renewable_from;
  if (s.renewable_from) {
    ctx.$(".js_renew_text").textContent =
      `合同到期前30天内可续约（${formatDate(s.renewable_from)}起），由同一团队继续服务一年。` +
      (s.renewals ? `已续约${s.renewals}次。` : "");
  }
  ctx.$(".js_cancel_area").hidden = !["draft", "pending", "active"].includes(s.status);
  for (const el of ctx.$$(".js_cancel_word")) el.textContent = s.status === "active" ? "解约" : "撤回申请";
}
