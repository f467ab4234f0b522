// The step indicator shown on every screen of a flow: done steps ticked, this one
// marked as the current step for screen readers too.
import { h } from "./dom.js";

/** `names` in order, `done` a Set of names, `here` this screen's step, `labels`
 * the short words under each dot, `title` what the progress is of. */
export function renderSteps(container, { names, done, here, labels, title }) {
  const position = names.indexOf(here) + 1;
  // Focusable: when the steps are more than the width, the bar scrolls by keyboard too.
  const list = h("ol", { class: "yb-steps", tabindex: "0", "aria-label": `${title}：第${position}步，共${names.length}步` },
    names.map((name, i) => {
      const state = name === here ? "current" : done.has(name) ? "done" : "todo";
      return h("li", { class: `yb-steps__item yb-steps__item_${state}`,
                       "aria-current": name === here ? "step" : false },
        h("span", { class: "yb-steps__dot", "aria-hidden": "true" }, state === "done" ? "✓" : String(i + 1)),
        h("span", { class: "yb-steps__label" }, labels[name] || name,
          h("span", { class: "weui-hidden_abs" }, state === "done" ? "（已完成）" : state === "current" ? "（当前）" : "")));
    }));
  container.replaceChildren(list);
  // More steps than the width holds: the bar scrolls sideways, showing this one.
  const current = list.querySelector("[aria-current=step]");
  if (current && list.scrollWidth > list.clientWidth) {
    list.scrollLeft = current.offsetLeft - (list.clientWidth - current.offsetWidth) / 2;
  }
}
