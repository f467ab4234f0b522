// 授权登录: a stand-in for WeChat's login. A tester picks a demo person (or types a
// name and ID number), ticks the consent and taps 授权查询: POST /auth/wx-login with
// a demo code, then PUT /me/identity binds the account to the insurance registry.
import * as api from "../../api.js";
import { reLaunch } from "../../app.js";
import { h } from "../../lib/dom.js";
import { toast } from "../../lib/feedback.js";
import { showErrors, submitting, values } from "../../lib/form.js";

// shared/demo_people.md: the people the demo registry holds.
const DEMO_PEOPLE = [
  { name: "王秀英", id: "140121195203180429", code: "wangxiuying", note: "74岁，太原职工退休" },
  { name: "李明", id: "140121198007120318", code: "liming", note: "太原职工，为母亲代办" },
  { name: "赵大山", id: "140302198509210155", code: "zhaodashan", note: "阳泉城乡居民" },
  { name: "陈小红", id: "430104199302050268", code: "chenxiaohong", note: "长沙城乡居民" },
  { name: "刘小宝", id: "430121202309020572", code: "liuxiaobao", note: "陈小红之子，3岁" },
  { name: "刘德福", id: "430121194806110133", code: "liudefu", note: "78岁，高血压" },
  { name: "张隽", id: "650102198804230190", code: "zhangjun", note: "乌鲁木齐职工，常驻长沙" },
  { name: "孙不在", id: "140121197001010113", code: "sunbuzai", note: "未参保，应被拒绝" },
];

const CONSENT = "你同意医保电子凭证使用并传达相关数据用于医保服务查询";

export default {
  title: "授权登录",
  public: true,
  template: `
    <div class="yb-hd">
      <h1 class="yb-hd__title">医保服务 · 授权登录</h1>
      <p class="yb-hd__desc">此页模拟微信授权登录：选择一位演示人员，或填写姓名和身份证号码。</p>
    </div>
    <div class="weui-cells__title" id="js_demo_title">演示人员</div>
    <div class="yb-people js_people" role="group" aria-labelledby="js_demo_title"></div>
    <form class="js_form" novalidate>
      <div class="weui-cells__title">参保人信息</div>
      <div class="weui-cells weui-cells_form">
        <label class="weui-cell weui-cell_active" for="js_name">
          <div class="weui-cell__hd"><span class="weui-label">姓名</span></div>
          <div class="weui-cell__bd">
            <input id="js_name" class="weui-input js_name" name="name" autocomplete="name" placeholder="请输入姓名" maxlength="64">
          </div>
        </label>
        <label class="weui-cell weui-cell_active" for="js_id_number">
          <div class="weui-cell__hd"><span class="weui-label">身份证号码</span></div>
          <div class="weui-cell__bd">
            <input id="js_id_number" class="weui-input js_id_number" name="id_number" inputmode="text" autocomplete="off"
                   placeholder="18位身份证号码" maxlength="18">
          </div>
        </label>
      </div>
      <div class="yb-agree">
        <label class="weui-agree" for="js_consent">
          <input id="js_consent" type="checkbox" class="yb-check js_consent" name="consent">
          <span class="weui-agree__text">${CONSENT}</span>
        </label>
      </div>
      <div class="yb-actions">
        <button type="submit" class="weui-btn weui-btn_primary js_submit">授权查询</button>
      </div>
    </form>
    <p class="weui-footer"><span class="weui-footer__text">演示环境：登录码由内置的微信登录替身生成</span></p>
  `,
  css: true,

  onLoad(ctx) {
    const form = ctx.$(".js_form");
    let chosen = null;
    const buttons = DEMO_PEOPLE.map((person) => h("button", {
      type: "button", class: "yb-person js_person", "aria-pressed": "false",
      onclick: () => {
        chosen = person;
        ctx.$(".js_name").value = person.name;
        ctx.$(".js_id_number").value = person.id;
        for (const b of ctx.$$(".js_person")) b.setAttribute("aria-pressed", String(b === buttons[DEMO_PEOPLE.indexOf(person)]));
      },
    }, h("span", { class: "yb-person__name" }, person.name), h("span", { class: "yb-person__note" }, person.note)));
    ctx.$(".js_people").replaceChildren(...buttons);

    ctx.on(form, "submit", async (event) => {
      event.preventDefault();
      const data = values(form);
      if (!data.consent) {
        showErrors(form, { consent: [`请先勾选“${CONSENT}”。`] });
        toast(`请先勾选“${CONSENT}”`);
        return;
      }
      // The stand-in for wx.login turns the same code into the same account.
      const idNumber = (data.id_number || "").toUpperCase();
      const code = chosen && chosen.name === data.name && chosen.id === idNumber
        ? `demo-${chosen.code}` : `demo-${idNumber || data.name || "guest"}`;
      await submitting(form, async () => {
        const login = await api.post("/auth/wx-login", { code }, { auth: false });
        api.remember(login);
        try {
          await api.put("/me/identity", { name: data.name || "", id_number: idNumber, consent: true });
        } catch (error) {
          api.forget();  // an account not bound to the registry cannot do anything yet
          throw error;
        }
      });
      reLaunch("home_index");
    });
  },
};
