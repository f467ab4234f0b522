// The signing box: signature_pad (from npm) on a canvas sized for the screen, with
// 清除 (clear) and 撤销 (undo, the last stroke). Exported as a PNG for the server,
// which refuses a blank box or a dot.
import SignaturePad from "../node_modules/signature_pad/dist/signature_pad.js";
import { toast } from "./feedback.js";

export function mountPad(canvas) {
  const pad = new SignaturePad(canvas, { penColor: "#000", minWidth: 1.2, maxWidth: 3.2 });

  function fit() {
    // Sharp on high-density screens, within the server's 2000×1000 canvas limit.
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    const data = pad.toData();
    canvas.width = Math.round(canvas.offsetWidth * ratio);
    canvas.height = Math.round(canvas.offsetHeight * ratio);
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    pad.fromData(data);
  }
  fit();
  const observer = new ResizeObserver(() => {
    if (canvas.width !== Math.round(canvas.offsetWidth * Math.min(window.devicePixelRatio || 1, 2))) fit();
  });
  observer.observe(canvas);

  return {
    pad,
    isEmpty: () => pad.isEmpty(),
    clear: () => pad.clear(),
    undo() {
      const strokes = pad.toData();
      strokes.pop();
      pad.fromData(strokes);
    },
    strokes: () => pad.toData().length,
    toBlob: () => new Promise((resolve) => canvas.toBlob(resolve, "image/png")),
    destroy() {
      observer.disconnect();
      pad.off();
    },
  };
}

// The markup signingBox() wires up; the page supplies the tip (#js_sign_tip) above it.
export const SIGNING_BOX = `
    <div class="yb-sign">
      <canvas class="yb-sign__canvas js_canvas" role="img" aria-label="签名区域" aria-describedby="js_sign_tip"></canvas>
      <span class="yb-sign__placeholder js_placeholder" aria-hidden="true">签名区</span>
    </div>
    <div class="yb-sign__tools">
      <button type="button" class="weui-btn weui-btn_default js_undo">撤销</button>
      <button type="button" class="weui-btn weui-btn_default js_clear">清除</button>
    </div>
    <div class="yb-actions">
      <button type="button" class="weui-btn weui-btn_primary js_done">确定</button>
    </div>`;

// A signing screen's box: the pad, its placeholder, 撤销 and 清除, and 确定, which
// refuses an empty box before anything is sent and otherwise hands the PNG on.
// `confirm` renames 确定; `ready()` is asked first and may stop it (a box to tick,
// say: it shows its own message and returns false).
export function signingBox(ctx, onSigned, { confirm, ready } = {}) {
  const pad = mountPad(ctx.$(".js_canvas"));
  ctx.pad = pad;
  const placeholder = ctx.$(".js_placeholder");
  pad.pad.addEventListener("beginStroke", () => { placeholder.hidden = true; });
  ctx.on(".js_undo", "click", () => {
    pad.undo();
    placeholder.hidden = !pad.isEmpty();
  });
  ctx.on(".js_clear", "click", () => {
    pad.clear();
    placeholder.hidden = false;
  });
  if (confirm) ctx.$(".js_done").textContent = confirm;
  ctx.on(".js_done", "click", async () => {
    if (ready && !ready()) return;
    if (pad.isEmpty()) {
      toast(`请在框内签名后再点击“${confirm || "确定"}”。`);
      return;
    }
    await onSigned(await pad.toBlob());
  });
  return pad;
}
