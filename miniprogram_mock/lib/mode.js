// 长辈版 (elder mode), after the MIIT 适老化 guideline: larger type, larger touch
// targets, no pop-ups. One switch, kept in localStorage, shown as a class on <html>
// (our CSS) and WeUI's own care mode on <body> (its higher-contrast colours).
const KEY = "yibao.elder";

export function isElder() {
  return document.documentElement.classList.contains("elder");
}

export function applyStoredMode() {
  setElderMode(localStorage.getItem(KEY) === "1");
}

export function setElderMode(on) {
  localStorage.setItem(KEY, on ? "1" : "0");
  document.documentElement.classList.toggle("elder", on);
  if (on) document.body.dataset.weuiMode = "care";
  else delete document.body.dataset.weuiMode;
  window.dispatchEvent(new CustomEvent("yibao:mode", { detail: { elder: on } }));
}
