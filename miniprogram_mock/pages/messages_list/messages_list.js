// 消息: the notifications the server wrote for me (订阅消息 stand-in), newest first,
// unread ones marked; opening one shows its text and marks it read. Every word is
// the server's (`GET /labels`, group `message.words`; titles and texts in each message).
import * as api from "../../api.js";
import { formatDateTime, h } from "../../lib/dom.js";

const PER_PAGE = 20;
const word = (key) => api.label("message.words", key);

export default {
  title: "我的消息",
  template: `
    <div class="yb-hd"><h1 class="yb-hd__title js_title"></h1></div>
    <div class="weui-cells js_list"></div>
    <div class="yb-actions js_more_area" hidden>
      <button type="button" class="weui-btn weui-btn_default js_more">加载更多</button>
    </div>
  `,

  async onLoad(ctx) {
    ctx.$(".js_title").textContent = word("title");
    const list = ctx.$(".js_list");
    let page = 1;
    const more = async () => {
      const result = await api.get(`/me/messages?page=${page}&per_page=${PER_PAGE}`);
      list.append(...result.items.map((m) => item(m)));
      if (!list.children.length) {
        list.append(h("div", { class: "weui-cell" }, h("div", { class: "weui-cell__bd yb-muted js_empty" }, word("empty"))));
      }
      ctx.$(".js_more_area").hidden = page * PER_PAGE >= result.total;
      page += 1;
    };
    ctx.on(".js_more", "click", more);
    await more();
  },
};

function item(m) {
  const bodyId = `js_message_body_${m.id}`;
  const mark = h("span", { class: `yb-status js_mark ${m.read ? "" : "yb-status_unread"}` },
                 m.read ? word("read") : word("unread"));
  const open = h("button", { type: "button", class: "yb-message__open js_open", "aria-expanded": "false",
                             "aria-controls": bodyId },
    h("span", { class: "yb-message__title js_message_title" }, m.title), " ", mark,
    h("span", { class: "weui-cell__desc yb-message__time" }, formatDateTime(m.created_at)));
  const body = h("p", { class: "yb-message__body js_message_body", id: bodyId, hidden: true }, m.body);
  const row = h("div", { class: `weui-cell yb-message js_message ${m.read ? "" : "yb-message_unread"}`,
                         dataset: { id: m.id, template: m.template } },
    h("div", { class: "weui-cell__bd" }, open, body));
  open.addEventListener("click", async () => {
    const opening = body.hidden;
    body.hidden = !opening;
    open.setAttribute("aria-expanded", String(opening));
    if (opening && !m.read) {
      const read = await api.post(`/me/messages/${m.id}/read`);
      m.read = read.read;
      mark.textContent = word("read");
      mark.classList.remove("yb-status_unread");
      row.classList.remove("yb-message_unread");
    }
  });
  return row;
}
