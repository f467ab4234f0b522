// 为他人备案: photos of the household register (户口本) or ID card of both the agent
// and the insured person (seed 002). Each photo is made smaller in the phone first
// (lib/photo.js), then shows a preview (tap it for the full screen), its upload
// progress in the page (no blocking toast), and a retry when the upload did not get
// through. A file over the server's limit that cannot be made smaller is refused
// here, before a byte is sent.
import * as api from "../../api.js";
import { navigateTo, redirectTo } from "../../app.js";
import { h } from "../../lib/dom.js";
import { toast } from "../../lib/feedback.js";
import { load, renderSteps, screenFor } from "../../lib/filing.js";
import { openGallery } from "../../lib/gallery.js";
import { PhotoTooLarge, prepare, sizeText } from "../../lib/photo.js";

// The kinds of photo, by whose papers they are; their names are the server's
// (attachment.kind, e.g. 代办人身份证).
const GROUPS = [
  { title: "代办人证件照片", kinds: ["agent_id_card", "agent_hukou"] },
  { title: "备案人证件照片", kinds: ["insured_id_card", "insured_hukou"] },
];

/** 代办人身份证 (the server's name, without a trailing 照片: the screen adds it). */
function nameOf(kind) {
  return api.label("attachment.kind", kind).replace(/照片$/, "");
}

export default {
  title: "上传证件照片",
  css: true,
  template: `
    <div class="js_steps"></div>
    <div class="yb-hd">
      <h1 class="yb-hd__title">上传证件照片</h1>
      <p class="yb-hd__desc">请依次上传代办人、备案人的户口本或身份证照片，每人至少一张。照片仅用于本次备案审核。</p>
    </div>
    <div class="js_groups"></div>
    <div class="yb-actions">
      <button type="button" class="weui-btn weui-btn_primary js_next">下一步</button>
    </div>
  `,

  async onLoad(ctx) {
    let filing = await load(ctx.query.id);
    if (filing.status !== "draft") {
      redirectTo(screenFor(filing), { id: filing.id });
      return;
    }
    renderSteps(ctx.$(".js_steps"), filing, "attachments");
    const urls = [];
    ctx.urls = urls;
    const slots = new Map();

    const groups = GROUPS.map((group) => h("section", { class: "yb-section", "aria-label": group.title },
      h("h2", { class: "weui-cells__title" }, group.title),
      h("div", { class: "weui-cells weui-cells_form" },
        group.kinds.map((kind) => {
          const slot = makeSlot(kind, nameOf(kind));
          slots.set(kind, slot);
          return slot.el;
        }))));
    ctx.$(".js_groups").replaceChildren(...groups);

    function setFiling(next) {
      filing = next;
      renderSteps(ctx.$(".js_steps"), filing, "attachments");
      for (const [kind, slot] of slots) slot.attachment = filing.attachments.find((a) => a.kind === kind) || null;
    }

    function makeSlot(kind, label) {
      const inputId = `js_file_${kind}`;
      const stateId = `js_state_${kind}`;
      const preview = h("button", { type: "button", class: "weui-uploader__file js_preview",
                                    "aria-label": `查看${label}照片大图`, hidden: true });
      const status = h("span", { class: "weui-uploader__file-content js_percent", hidden: true });
      preview.append(status);
      const input = h("input", { id: inputId, class: "weui-uploader__input js_input", type: "file",
                                 accept: "image/jpeg,image/png", "aria-describedby": stateId });
      const box = h("label", { class: "weui-uploader__input-box", for: inputId },
        h("span", { class: "weui-hidden_abs" }, `选择${label}照片`), input);
      const bar = h("div", { class: "weui-progress__inner-bar js_bar", style: "width:0%" });
      const progress = h("div", { class: "weui-progress js_progress", hidden: true },
        h("div", { class: "weui-progress__bar", role: "progressbar", "aria-label": `${label}照片上传进度`,
                   "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0" }, bar));
      const state = h("span", { class: "js_state", id: stateId, "aria-live": "polite" }, "未上传");
      const size = h("p", { class: "yb-slot__size js_size", hidden: true });
      const retry = h("button", { type: "button", class: "weui-btn weui-btn_mini weui-btn_default js_retry", hidden: true }, "重试");
      const remove = h("button", { type: "button", class: "weui-btn weui-btn_mini weui-btn_default js_delete", hidden: true,
                                   "aria-label": `删除${label}照片` }, "删除");
      const el = h("div", { class: "weui-cell weui-cell_uploader js_slot", "data-kind": kind },
        h("div", { class: "weui-cell__bd" },
          h("div", { class: "weui-uploader" },
            h("div", { class: "weui-uploader__hd" },
              h("p", { class: "weui-uploader__title" }, label),
              h("div", { class: "weui-uploader__info" }, state)),
            size,
            h("div", { class: "weui-uploader__bd" },
              h("div", { class: "weui-uploader__files" }, preview), box),
            progress,
            h("div", { class: "yb-slot__ops" }, retry, remove))));

      const slot = { el, attachment: null, file: null, url: null };

      function showPreview(url) {
        preview.style.backgroundImage = `url("${url}")`;
        preview.hidden = false;
      }
      function setState(text, kindOfState) {
        state.textContent = text;
        el.dataset.state = kindOfState;
        state.classList.toggle("yb-warn", kindOfState === "failed");
      }
      function setProgress(percent) {
        progress.hidden = false;
        bar.style.width = `${percent}%`;
        bar.parentElement.setAttribute("aria-valuenow", String(percent));
        status.hidden = percent >= 100;
        status.textContent = `${percent}%`;
        preview.classList.toggle("weui-uploader__file_status", percent < 100);
      }

      async function send() {
        retry.hidden = true;
        remove.hidden = true;
        setState("上传中…", "uploading");
        setProgress(0);
        try {
          // The progress bar is the wait: no loading toast over the page.
          const next = await api.upload(`/filings/${filing.id}/attachments/${kind}`, slot.file,
                                        { onProgress: setProgress, background: true });
          setFiling(next);
          setState("已上传", "done");
          progress.hidden = true;
          remove.hidden = false;
        } catch (error) {
          if (!(error instanceof api.ApiError)) throw error;
          setState(`上传失败：${error.message}`, "failed");
          preview.classList.add("weui-uploader__file_status");
          status.hidden = false;
          status.textContent = "!";
          progress.hidden = true;
          retry.hidden = false;
        }
      }

      ctx.on(input, "change", async () => {
        const [file] = input.files;
        input.value = "";
        if (!file) return;
        retry.hidden = true;
        size.hidden = true;
        setState("正在压缩照片…", "compressing");
        let prepared;
        try {
          prepared = await prepare(file);
        } catch (error) {
          if (!(error instanceof PhotoTooLarge)) throw error;
          slot.file = null;
          setState(error.message, "failed");
          toast(error.message);
          return;
        }
        slot.file = prepared.file;
        size.textContent = prepared.compressed
          ? `已压缩：${sizeText(file.size)} → ${sizeText(prepared.file.size)}` : sizeText(file.size);
        size.hidden = false;
        const url = URL.createObjectURL(prepared.file);
        urls.push(url);
        slot.url = url;
        showPreview(url);
        await send();
      });
      ctx.on(preview, "click", async () => {
        if (!slot.url && slot.attachment) {
          const image = await api.blob(`/filings/${filing.id}/attachments/${slot.attachment.id}`);
          slot.url = URL.createObjectURL(image);
          urls.push(slot.url);
        }
        if (slot.url) openGallery(slot.url, `${label}照片`);
      });
      ctx.on(retry, "click", send);
      ctx.on(remove, "click", async () => {
        if (!slot.attachment) return;
        setFiling(await api.del(`/filings/${filing.id}/attachments/${slot.attachment.id}`, { as: "json" }));
        preview.hidden = true;
        remove.hidden = true;
        size.hidden = true;
        slot.url = null;
        setState("未上传", "empty");
      });

      slot.restore = async (attachment) => {
        slot.attachment = attachment;
        setState("已上传", "done");
        remove.hidden = false;
        const image = await api.blob(`/filings/${filing.id}/attachments/${attachment.id}/thumbnail`);
        const url = URL.createObjectURL(image);
        urls.push(url);
        showPreview(url);
      };
      return slot;
    }

    // After a reload: the photos already on the server.
    for (const attachment of filing.attachments) await slots.get(attachment.kind)?.restore(attachment);

    ctx.on(".js_next", "click", () => {
      const step = filing.steps.find((s) => s.name === "attachments");
      if (!step?.done) {
        toast("请上传代办人和备案人的身份证或户口本照片，每人至少一张。");
        return;
      }
      navigateTo(screenFor(filing), { id: filing.id });
    });
  },

  onUnload(ctx) {
    for (const url of ctx.urls || []) URL.revokeObjectURL(url);
  },
};
