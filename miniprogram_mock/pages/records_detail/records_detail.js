// One filing: its details, its history (GET /filings/{id}/events), and online
// cancellation with a reason. The server refuses once a settlement has happened at
// the filing place; its message is shown as written.
import * as api from "../../api.js";
import { isElder, navigateTo, redirectTo } from "../../app.js";
import { formatDate, formatDateTime, h } from "../../lib/dom.js";
import { confirm, toast } from "../../lib/feedback.js";
import { forgetDraft, screenFor } from "../../lib/filing.js";
import { renderEvents } from "../../lib/history.js";
import { submitting } from "../../lib/form.js";

export default {
  title: "备案详情",
  css: true,
  template: `
    <div class="yb-hd">
      <h1 class="yb-hd__title"><span class="js_title"></span></h1>
      <p class="yb-hd__desc"><span class="yb-status js_status"></span> <span class="js_filing_no"></span></p>
    </div>
    <div class="weui-form-preview yb-preview">
      <div class="weui-form-preview__bd js_rows"></div>
    </div>

    <div class="yb-actions js_draft_ops" hidden>
      <button type="button" class="weui-btn weui-btn_primary js_resume">继续办理</button>
      <button type="button" class="weui-btn weui-btn_default js_discard">删除草稿</button>
    </div>

    <section class="js_cert_area" hidden aria-labelledby="js_cert_title">
      <h2 class="weui-cells__title" id="js_cert_title">备案凭证</h2>
      <div class="yb-card yb-cert-card">
        <img class="yb-cert-card__qr js_qr" alt="备案凭证二维码" hidden>
        <button type="button" class="weui-btn weui-btn_default weui-btn_mini js_show_qr">显示二维码</button>
      </div>
    </section>

    <section aria-labelledby="js_events_title">
      <h2 class="weui-cells__title" id="js_events_title">办理记录</h2>
      <ol class="yb-timeline js_events"></ol>
    </section>

    <section class="js_cancel_area" hidden aria-labelledby="js_cancel_title">
      <h2 class="weui-cells__title" id="js_cancel_title">取消备案</h2>
      <form class="js_cancel_form" novalidate>
        <div class="weui-cells weui-cells_form">
          <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_cancel_reason">
            <div class="weui-cell__hd"><span class="weui-label">取消原因</span></div>
            <div class="weui-cell__bd"><select id="js_cancel_reason" class="weui-select" name="reason" required></select></div>
          </label>
          <label class="weui-cell weui-cell_active js_cancel_other" for="js_cancel_note" hidden>
            <div class="weui-cell__hd"><span class="weui-label">具体原因</span></div>
            <div class="weui-cell__bd"><textarea id="js_cancel_note" class="weui-textarea" name="note" rows="2" maxlength="500" placeholder="请填写取消原因"></textarea></div>
          </label>
        </div>
        <p class="weui-cells__tips" id="js_cancel_tip">请选择取消原因。备案后未在备案地发生医保结算的，可线上取消备案。</p>
        <div class="weui-cells__tips yb-refusal js_refusal" role="alert" hidden></div>
        <div class="yb-actions">
          <button type="submit" class="weui-btn weui-btn_warn js_cancel" aria-describedby="js_cancel_tip" disabled>取消备案</button>
        </div>
        <!-- 长辈版 has no pop-ups: the question opens here, with large buttons. -->
        <div class="yb-ask js_cancel_confirm" role="group" aria-labelledby="js_cancel_ask" hidden>
          <p class="yb-ask__title" id="js_cancel_ask">确定取消备案？</p>
          <p class="yb-ask__text js_cancel_ask_text"></p>
          <div class="yb-ask__actions">
            <button type="button" class="weui-btn weui-btn_default js_cancel_no">再想想</button>
            <button type="button" class="weui-btn weui-btn_warn js_cancel_yes">确定取消</button>
          </div>
        </div>
      </form>
    </section>
  `,

  async onLoad(ctx) {
    const id = Number(ctx.query.id);
    const [filing, events] = await Promise.all([api.get(`/filings/${id}`), api.get(`/filings/${id}/events`)]);
    show(ctx, filing, events);

    ctx.on(".js_resume", "click", () => navigateTo(screenFor(filing), { id }));
    ctx.on(".js_discard", "click", async () => {
      await api.del(`/filings/${id}`);
      forgetDraft(id);
      toast("草稿已删除", { icon: "success" });
      redirectTo("records_list", { for: filing.for });
    });
    ctx.on(".js_show_qr", "click", async () => {
      const image = await api.blob(`/filings/${id}/certificate.png`);
      ctx.url = URL.createObjectURL(image);
      const img = ctx.$(".js_qr");
      img.src = ctx.url;
      img.hidden = false;
      ctx.$(".js_show_qr").hidden = true;
    });

    // 取消备案: a reason from the list (GET /labels, filing.cancel_reason), or the
    // person's own words for 其他原因; then a question before it is done.
    const form = ctx.$(".js_cancel_form");
    const reason = ctx.$("#js_cancel_reason");
    const note = ctx.$("#js_cancel_note");
    const cancel = ctx.$(".js_cancel");
    const inline = ctx.$(".js_cancel_confirm");
    reason.replaceChildren(h("option", { value: "" }, "请选择取消原因"),
                           ...api.options("filing.cancel_reason").map(([v, words]) => h("option", { value: v }, words)));
    const reasonText = () => (reason.value === "other" ? note.value.trim() : api.label("filing.cancel_reason", reason.value));
    const ready = () => {
      ctx.$(".js_cancel_other").hidden = reason.value !== "other";
      cancel.disabled = !reasonText();
      inline.hidden = true;
    };
    ctx.on(reason, "change", ready);
    ctx.on(note, "input", ready);
    const ask = "取消后此备案不再有效，在备案地就医不能直接结算；以后再去异地就医，需要重新备案。";
    ctx.$(".js_cancel_ask_text").textContent = ask;

    const carryOut = async () => {
      const refusal = ctx.$(".js_refusal");
      refusal.hidden = true;
      try {
        await submitting(form, () => api.post(`/filings/${id}/cancel`, { reason: reasonText() }));
      } catch (error) {
        // Kept on the page as well: the person may want to read it again.
        if (error instanceof api.ApiError && error.status === 409) {
          refusal.textContent = error.message;
          refusal.hidden = false;
        }
        throw error;
      }
      toast("已取消备案", { icon: "success" });
      const [again, history] = await Promise.all([api.get(`/filings/${id}`), api.get(`/filings/${id}/events`)]);
      show(ctx, again, history);
    };
    ctx.on(form, "submit", async () => {
      if (!reasonText()) return;
      if (isElder()) {
        inline.hidden = false;
        ctx.$(".js_cancel_no").focus();
        return;
      }
      if (await confirm(ask, { title: "确定取消备案？", ok: "确定取消", cancel: "再想想" })) await carryOut();
    });
    ctx.on(".js_cancel_no", "click", () => {
      inline.hidden = true;
      cancel.focus();
    });
    ctx.on(".js_cancel_yes", "click", async () => {
      inline.hidden = true;
      await carryOut();
    });
  },

  onUnload(ctx) {
    if (ctx.url) URL.revokeObjectURL(ctx.url);
  },
};

function show(ctx, f, events) {
  ctx.$(".js_title").textContent = f.destination_region_name
    ? `${f.for === "self" ? "为自己备案" : "为他人备案"} · ${f.destination_region_name}` : "备案草稿";
  const status = ctx.$(".js_status");
  status.textContent = f.status_label;
  status.className = `yb-status yb-status_${f.status} js_status`;
  ctx.$(".js_filing_no").textContent = f.filing_no ? `备案号 ${f.filing_no}` : "";
  const rows = [
    ["备案人", f.insured_person ? `${f.insured_person.name}（${f.insured_person.id_number}）` : null],
    ["代办人", f.agent ? `${f.agent.name}${f.agent.relation_label ? `（备案人是代办人的${f.agent.relation_label}）` : ""}` : null],
    ["代办承诺书签字", f.agent?.agent_declaration_signed_at || f.agent_declaration_signed_at
      ? formatDateTime(f.agent?.agent_declaration_signed_at || f.agent_declaration_signed_at) : null],
    ["参保身份", f.scheme_label || api.label("scheme", f.scheme)],
    ["参保地", f.insured_region_name],
    ["人员类别", f.person_type_label],
    ["就医地", f.destination_region_name],
    ["有效期", f.valid_from ? `${formatDate(f.valid_from)} 至 ${f.valid_to ? formatDate(f.valid_to) : "变更或取消前长期有效"}`
      : f.start_date ? `${formatDate(f.start_date)} 起` : null],
    ["居住地址", f.address],
    ["就诊医院", f.hospital],
    ["联系人", f.contact_name ? `${f.contact_name} ${f.contact_phone}` : null],
    ["证件照片", f.attachments?.length ? `${f.attachments.length} 张` : null],
    ["已发生结算", f.status === "effective" || f.settled ? (f.settled ? "是" : "否") : null],
    ["取消原因", f.cancel_reason],
  ].filter(([, v]) => v);
  ctx.$(".js_rows").replaceChildren(...rows.map(([label, value]) => h("div", { class: "weui-form-preview__item" },
    h("span", { class: "weui-form-preview__label" }, label),
    h("span", { class: "weui-form-preview__value" }, value))));

  renderEvents(ctx.$(".js_events"), events);

  ctx.$(".js_draft_ops").hidden = f.status !== "draft";
  ctx.$(".js_cancel_area").hidden = f.status !== "effective";
  ctx.$(".js_cert_area").hidden = f.status !== "effective";
}

