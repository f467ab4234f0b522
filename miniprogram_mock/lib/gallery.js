// A photo full screen, as WeUI's gallery shows it: black, the photo fitted, 关闭 at
// the bottom (and Esc, and a tap on the photo). The focus goes back where it was.
import { h } from "./dom.js";

export function openGallery(url, label) {
  const opener = document.activeElement;
  const close = h("button", { type: "button", class: "weui-gallery__del yb-gallery__close js_gallery_close" }, "关闭");
  const box = h("div", { class: "weui-gallery yb-gallery js_gallery", role: "dialog", "aria-modal": "true",
                         "aria-label": `${label}（大图）` },
    h("span", { class: "weui-gallery__img js_gallery_img", role: "img", "aria-label": label,
                style: `background-image:url("${url}")` }),
    h("div", { class: "weui-gallery__opr" }, close));
  const onKey = (event) => { if (event.key === "Escape") done(); };
  function done() {
    box.remove();
    document.removeEventListener("keydown", onKey);
    if (opener && opener.isConnected) opener.focus();
  }
  close.addEventListener("click", done);
  box.querySelector(".js_gallery_img").addEventListener("click", done);
  document.addEventListener("keydown", onKey);
  (document.querySelector("#js_page") || document.body).append(box);
  close.focus();
  return done;
}
