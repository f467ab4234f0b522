// Does every piece of text fit? Run in the page by tests/e2e/test_phone_pages.py at
// 320, 375 and 414 px, standard and 长辈版. Returns a list of problems, in words.
() => {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const visible = (el) => {
    if (el.closest('[aria-hidden="true"], [hidden], .weui-hidden_abs, .yb-skip')) return false;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && style.display !== "none";
  };
  const describe = (el) => `${el.tagName.toLowerCase()}.${String(el.className).trim().split(/\s+/).join(".")} "${(el.value || el.textContent || "").trim().slice(0, 24)}"`;
  if (document.documentElement.scrollWidth > vw + 1) problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${vw})`);
  for (const el of document.querySelectorAll("body *")) {
    if (["SCRIPT", "STYLE", "CANVAS", "IMG", "svg"].includes(el.tagName) || !visible(el)) continue;
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize);
    const isField = el.matches("input:not([type=checkbox]):not([type=radio]):not([type=file]), select, textarea");
    const text = isField ? (el.value || el.placeholder || "") : [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join("").trim();
    if (!text) continue;
    const box = el.getBoundingClientRect();
    // Inside a bar that scrolls sideways (the step bar), past the edge is just scrolled away.
    const scroller = (() => {
      for (let a = el.parentElement; a; a = a.parentElement) {
        if (["auto", "scroll"].includes(getComputedStyle(a).overflowX)) return a;
      }
      return null;
    })();
    if (box.right > vw + 1 && style.position !== "fixed" && !scroller) problems.push(`past the right edge (${Math.round(box.right)} > ${vw}): ${describe(el)}`);
    const block = style.display !== "inline";
    if (block && el.scrollWidth > el.clientWidth + 1 && !el.matches("select")) {
      problems.push(`text cut (${el.scrollWidth} > ${el.clientWidth}): ${describe(el)}`);
    }
    if (block && [...text].length >= 2 && box.width < 2 * size - 1) {
      problems.push(`narrower than two characters (${Math.round(box.width)}px): ${describe(el)}`);
    }
    // A short label (up to 6 characters) is never broken over two lines.
    const short = [...text].length <= 6 && !isField;
    if (short) {
      // The lines the element's own text runs over (a hidden helper text aside).
      const tops = new Set();
      for (const node of el.childNodes) {
        if (node.nodeType !== 3 || !node.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
      }
      if (tops.size > 1) problems.push(`a short label broken over ${tops.size} lines: ${describe(el)}`);
    }
  }
  return problems;
}
