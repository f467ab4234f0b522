// The signing box: signature_pad (from npm) on a canvas sized for the screen, with
// 清除 (clear) and 撤销 (undo, the last stroke). Exported as a PNG for the server,
// which refuses a blank box or a dot.
import SignaturePad from "../node_modules/signature_pad/dist/signature_pad.js";

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
