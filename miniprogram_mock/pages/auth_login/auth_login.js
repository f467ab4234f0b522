// 授权登录: a stand-in for WeChat's login and its real name (实名, through 医保电子凭证).
// A tester picks a demo person, that is a WeChat account real-named to them, ticks
// the consent and taps 授权查询: POST /auth/wx-login with the stand-in's code
// `demo-<ID number>`, then PUT /me/identity {consent} binds the account to the person
// its real name names. Nobody types a name or an ID number: the identity comes from
// the real name, as seed 002's 授权登录 passes it from 医保电子凭证.
import * as api from "../../api.js";
import { isElder, reLaunch, setElderMode } from "../../app.js";
import { h } from "../../lib/dom.js";
import { toast } from "../../lib/feedback.js";
import { showErrors, submitting, values } from "../../lib/form.js";

// shared/demo_people.md: the people the demo registry holds; each button is a WeChat
// account real-named to that person (the stand-in's code `demo-<ID number>`).
const DEMO_PEOPLE = [
  { name: "王秀英", id: "140121195203180429", note: "74岁，太原职工退休" },
  { name: "李明", id: "140121198007120318", note: "太原职工，为母亲代办" },
  { name: "赵大山", id: "140302198509210155", note: "阳泉城乡居民" },
  { name: "陈小红", id: "430104199302050268", note: "长沙城乡居民" },
  { name: "刘小宝", id: "430121202309020572", note: "陈小红之子，3岁" },
  { name: "刘德福", id: "430121194806110133", note: "78岁，高血压" },
  { name: "张隽", id: "650102198804230190", note: "乌鲁木齐职工，常驻长沙" },
  { name: "马丽", id: "650102199003150267", note: "张隽的妻子，为他办理工伤备案" },
  { name: "孙不在", id: "140121197001010113", note: "未参保，应被拒绝" },
  { name: "未实名的微信用户", id: null, note: "微信未实名，应被拒绝" },
].map((person) => ({ ...person, code: person.id ? `demo-${person.id}` : "demo-guest" }));

const CONSENT = "你同意医保电子凭证使用并传达相关数据用于医保服务查询";

export default {
  title: "授权登录",
  public: true,
  template: `
    <div class="yb-hd">
      <h1 class="yb-hd__title">医保服务 · 授权登录</h1>
      <p class="yb-hd__desc">此页模拟微信授权登录：选择一位演示人员（即已实名认证为此人的微信账户）。身份信息来自微信实名与医保电子凭证，无需填写姓名和身份证号码。</p>
    </div>
    <div class="weui-cells weui-cells_form">
      <label class="weui-cell weui-cell_active weui-cell_switch" for="js_login_elder">
        <div class="weui-cell__bd">长辈版（大字体、大按钮、无弹窗）</div>
        <div class="weui-cell__ft"><input id="js_login_elder" class="weui-switch js_login_elder" type="checkbox"></div>
      </label>
    </div>
    <div class="weui-cells__title" id="js_demo_title">演示人员</div>
    <div class="yb-people js_people" role="group" aria-labelledby="js_demo_title"></div>
    <form class="js_form" novalidate>
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
    <p class="weui-footer"><span class="weui-footer__text">演示环境：登录码与实名信息由内置的微信替身生成</span></p>
  `,
  css: true,

  onLoad(ctx) {
    // 长辈版 from the first screen: an older person need not log in at the small size.
    const elder = ctx.$(".js_login_elder");
    elder.checked = isElder();
    ctx.on(elder, "change", () => setElderMode(elder.checked));
    const form = ctx.$(".js_form");
    let chosen = null;
    const buttons = DEMO_PEOPLE.map((person) => h("button", {
      type: "button", class: "yb-person js_person", "aria-pressed": "false",
      onclick: () => {
        chosen = person;
        for (const b of ctx.$$(".js_person")) b.setAttribute("aria-pressed", String(b === buttons[DEMO_PEOPLE.indexOf(person)]));
      },
    }, h("span", { class: "yb-person__name" }, person.name), h("span", { class: "yb-person__note" }, person.note)));
    ctx.$(".js_people").replaceChildren(...buttons);

    ctx.on(form, "submit", async (event) => {
      event.preventDefault();
      const data = values(form);
      if (!chosen) {
        toast("请先选择一位演示人员");
        return;
      }
      if (!data.consent) {
        showErrors(form, { consent: [`请先勾选“${CONSENT}”。`] });
        toast(`请先勾选“${CONSENT}”`);
        return;
      }
      await submitting(form, async () => {
        // The stand-in for wx.login turns the same code into the same account, and
        // real-names `demo-<ID number>` accounts to that person.
        const login = await api.post("/auth/wx-login", { code: chosen.code }, { auth: false });
        api.remember(login);
        try {
          await api.put("/me/identity", { consent: true });
        } catch (error) {
          api.forget();  // an account not bound to the registry cannot do anything yet
          throw error;
        }
      });
      reLaunch("home_index");
    });
  },
};
