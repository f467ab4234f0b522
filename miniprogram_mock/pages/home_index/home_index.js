// 首页: 服务大厅 (the service tiles) and 我的医保 (identity, 亲情账户, who acts for me,
// 长辈版, logout).
import * as api from "../../api.js";
import { isElder, navigateTo, redirectTo, reLaunch, setElderMode } from "../../app.js";
import { h } from "../../lib/dom.js";
import { confirm, toast } from "../../lib/feedback.js";
import { submitting, values } from "../../lib/form.js";

export default {
  title: "医保服务",
  css: true,
  template: `
    <section class="js_tab_hall" aria-labelledby="js_hall_title" hidden>
      <div class="yb-banner">
        <h1 class="yb-banner__title" id="js_hall_title">服务大厅</h1>
        <p class="yb-banner__who"><span class="js_greeting">您好</span></p>
        <p class="yb-banner__insurance js_insurance"></p>
      </div>
      <h2 class="weui-cells__title">就医费用报销一件事</h2>
      <div class="weui-grids yb-grids">
        <a class="weui-grid js_go_filing" href="#/filing_index">
          <span class="weui-grid__icon yb-icon yb-icon_blue" aria-hidden="true">备</span>
          <span class="weui-grid__label">异地就医自助备案</span>
        </a>
        <a class="weui-grid js_go_records" href="#/records_list">
          <span class="weui-grid__icon yb-icon yb-icon_teal" aria-hidden="true">查</span>
          <span class="weui-grid__label">异地备案查询</span>
        </a>
        <a class="weui-grid js_go_wi" href="#/wi_index">
          <span class="weui-grid__icon yb-icon yb-icon_teal" aria-hidden="true">工</span>
          <span class="weui-grid__label">工伤异地就医备案</span>
        </a>
        <a class="weui-grid js_go_fd" href="#/fd_index">
          <span class="weui-grid__icon yb-icon yb-icon_green" aria-hidden="true">医</span>
          <span class="weui-grid__label">家庭医生签约</span>
        </a>
        <a class="weui-grid js_go_rescue" href="#/rescue_index">
          <span class="weui-grid__icon yb-icon yb-icon_orange" aria-hidden="true">救</span>
          <span class="weui-grid__label">道交救助基金</span>
        </a>
        <button type="button" class="weui-grid yb-grid-button js_elder_tile">
          <span class="weui-grid__icon yb-icon yb-icon_orange" aria-hidden="true">老</span>
          <span class="weui-grid__label js_elder_label">长辈版</span>
        </button>
      </div>
    </section>

    <section class="js_tab_mine" aria-labelledby="js_mine_title" hidden>
      <div class="yb-banner">
        <h1 class="yb-banner__title" id="js_mine_title">我的医保</h1>
        <p class="yb-banner__who"><span class="js_mine_name"></span></p>
        <p class="yb-banner__insurance js_mine_id"></p>
      </div>
      <div class="weui-cells">
        <a class="weui-cell weui-cell_access js_go_messages" href="#/messages_list">
          <div class="weui-cell__bd js_messages_label"></div>
          <div class="weui-cell__ft js_messages_unread"></div>
        </a>
      </div>
      <h2 class="weui-cells__title">参保信息</h2>
      <div class="weui-cells js_records"></div>

      <h2 class="weui-cells__title" id="js_family_title">亲情账户 · 家庭成员</h2>
      <div class="weui-cells js_family" aria-labelledby="js_family_title"></div>
      <p class="weui-cells__tips">添加后可为家人办理异地就医备案和家庭医生签约。</p>
      <form class="js_add_family" novalidate>
        <h3 class="weui-cells__title">添加家庭成员</h3>
        <div class="weui-cells weui-cells_form">
          <label class="weui-cell weui-cell_active" for="js_fm_name">
            <div class="weui-cell__hd"><span class="weui-label">姓名</span></div>
            <div class="weui-cell__bd"><input id="js_fm_name" class="weui-input" name="name" placeholder="家庭成员姓名" maxlength="64"></div>
          </label>
          <label class="weui-cell weui-cell_active" for="js_fm_id">
            <div class="weui-cell__hd"><span class="weui-label">身份证号码</span></div>
            <div class="weui-cell__bd"><input id="js_fm_id" class="weui-input" name="id_number" placeholder="18位身份证号码" maxlength="18" autocomplete="off"></div>
          </label>
          <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_fm_relation">
            <div class="weui-cell__hd"><span class="weui-label">是我的</span></div>
            <div class="weui-cell__bd"><select id="js_fm_relation" class="weui-select" name="relation"></select></div>
          </label>
        </div>
        <div class="yb-actions">
          <button type="submit" class="weui-btn weui-btn_default">添加家庭成员</button>
        </div>
      </form>

      <h2 class="weui-cells__title" id="js_agents_title">代办人（可为我办理业务的亲属）</h2>
      <div class="weui-cells js_agents" aria-labelledby="js_agents_title" tabindex="-1"></div>
      <p class="weui-cells__tips">撤销后，对方不能再为您办理异地就医备案和家庭医生签约，未办完的备案也不能继续。</p>
      <section class="js_withdrawn_area" aria-labelledby="js_withdrawn_title" hidden>
        <h2 class="weui-cells__title" id="js_withdrawn_title">已撤销授权的代办人</h2>
        <div class="weui-cells js_withdrawn"></div>
        <p class="weui-cells__tips">恢复后，对方可以再为您办理业务。</p>
      </section>

      <h2 class="weui-cells__title">显示</h2>
      <div class="weui-cells weui-cells_form">
        <label class="weui-cell weui-cell_active weui-cell_switch" for="js_elder_switch">
          <div class="weui-cell__bd">长辈版（大字体、大按钮、无弹窗）</div>
          <div class="weui-cell__ft"><input id="js_elder_switch" class="weui-switch js_elder_switch" type="checkbox"></div>
        </label>
      </div>
      <div class="yb-actions">
        <button type="button" class="weui-btn weui-btn_default js_logout">退出登录</button>
      </div>
    </section>

    <nav class="weui-tabbar yb-tabbar" aria-label="底部导航">
      <a class="weui-tabbar__item js_tabbar_hall" href="#/home_index?tab=hall">
        <span class="weui-tabbar__icon yb-tab-icon" aria-hidden="true">厅</span>
        <span class="weui-tabbar__label">服务大厅</span>
      </a>
      <a class="weui-tabbar__item js_tabbar_mine" href="#/home_index?tab=mine">
        <span class="weui-tabbar__icon yb-tab-icon" aria-hidden="true">我</span>
        <span class="weui-tabbar__label">我的医保</span>
      </a>
    </nav>
  `,

  async onLoad(ctx) {
    const tab = ctx.query.tab === "mine" ? "mine" : "hall";
    ctx.$(`.js_tab_${tab}`).hidden = false;
    const on = ctx.$(`.js_tabbar_${tab}`);
    on.classList.add("weui-bar__item_on");
    on.setAttribute("aria-current", "page");
    // Tabs replace each other; they do not stack up behind 返回.
    for (const name of ["hall", "mine"]) {
      ctx.on(`.js_tabbar_${name}`, "click", (event) => {
        event.preventDefault();
        if (name !== tab) redirectTo("home_index", { tab: name });
      });
    }
    for (const [hook, page] of [["js_go_filing", "filing_index"], ["js_go_records", "records_list"],
                                ["js_go_fd", "fd_index"], ["js_go_messages", "messages_list"],
                                ["js_go_rescue", "rescue_index"]]) {
      ctx.on(`.${hook}`, "click", (event) => {
        event.preventDefault();
        navigateTo(page);
      });
    }

    const showMode = () => {
      ctx.$(".js_elder_label").textContent = isElder() ? "退出长辈版" : "长辈版";
      ctx.$(".js_elder_switch").checked = isElder();
    };
    showMode();
    ctx.on(".js_elder_tile", "click", () => {
      setElderMode(!isElder());
      showMode();
      toast(isElder() ? "已切换到长辈版" : "已切换到标准版", { icon: "success" });
    });
    ctx.on(".js_elder_switch", "change", (event) => {
      setElderMode(event.target.checked);
      showMode();
    });
    ctx.on(".js_logout", "click", async () => {
      const refresh = api.tokens()?.refresh_token;
      try {
        await api.post("/auth/logout", { refresh_token: refresh }, { quiet: true });
      } finally {
        api.forget();
        reLaunch("auth_login");
      }
    });

    const relation = ctx.$("#js_fm_relation");
    relation.replaceChildren(h("option", { value: "" }, "请选择关系"),
                             ...api.options("relation").map(([v, label]) => h("option", { value: v }, label)));

    const me = await api.get("/me");
    if (!me.identity_bound) {
      api.forget();
      reLaunch("auth_login");
      return;
    }
    const who = me.identity;
    ctx.$(".js_greeting").textContent = `${who.name}，您好`;
    ctx.$(".js_mine_name").textContent = who.name;
    ctx.$(".js_mine_id").textContent = `身份证号码 ${who.id_number}`;
    renderFamily(ctx, me.family_members);

    const records = await api.get("/me/insurance");
    ctx.$(".js_insurance").textContent = records
      .map((r) => `${r.scheme_label || api.label("scheme", r.scheme)} · ${r.insured_region_name || r.insured_region}`).join("；");
    ctx.$(".js_records").replaceChildren(...records.map((r) => h("div", { class: "weui-cell" },
      h("div", { class: "weui-cell__bd" }, r.scheme_label || api.label("scheme", r.scheme)),
      h("div", { class: "weui-cell__ft" }, `参保地 ${r.insured_region_name || r.insured_region}`))));
    if (tab === "mine") {
      ctx.$(".js_messages_label").textContent = api.label("message.words", "entry");
      const messages = await api.get("/me/messages?per_page=1");
      ctx.$(".js_messages_unread").replaceChildren(...(messages.unread
        ? [h("span", { class: "yb-badge js_unread_count" }, String(messages.unread)),
           h("span", { class: "weui-hidden_abs" }, api.label("message.words", "unread"))]
        : []));
      await showAgents(ctx);
    }

    const form = ctx.$(".js_add_family");
    ctx.on(form, "submit", async (event) => {
      event.preventDefault();
      const data = values(form);
      await submitting(form, () => api.post("/me/family-members", {
        name: data.name || "", id_number: (data.id_number || "").toUpperCase(), relation: data.relation || "",
      }));
      form.reset();
      toast("已添加家庭成员", { icon: "success" });
      renderFamily(ctx, await api.get("/me/family-members"));
    });
  },
};

function renderFamily(ctx, members) {
  const list = ctx.$(".js_family");
  if (!members.length) {
    list.replaceChildren(h("div", { class: "weui-cell" }, h("div", { class: "weui-cell__bd yb-muted" }, "还没有添加家庭成员")));
    return;
  }
  list.replaceChildren(...members.map((m) => {
    const remove = h("button", { type: "button", class: "weui-btn weui-btn_mini weui-btn_default js_remove",
                                 "aria-label": `移除家庭成员${m.person.name}` }, "移除");
    // Two taps instead of a confirm dialog: it works the same in 长辈版.
    remove.addEventListener("click", async () => {
      if (!remove.dataset.armed) {
        remove.dataset.armed = "1";
        remove.textContent = "确认移除";
        remove.classList.replace("weui-btn_default", "weui-btn_warn");
        return;
      }
      try {
        await api.del(`/me/family-members/${m.id}`);
      } catch (error) {
        if (!(error instanceof api.ApiError)) throw error;
        return;
      }
      renderFamily(ctx, await api.get("/me/family-members").catch(() => []));
    });
    return h("div", { class: "weui-cell js_member" },
      h("div", { class: "weui-cell__bd" },
        h("p", { class: "yb-member__name" }, m.person.name, " ", h("span", { class: "yb-status" }, m.relation_label || "")),
        h("p", { class: "weui-cell__desc" }, m.person.id_number)),
      h("div", { class: "weui-cell__ft" }, remove));
  }));
}

/** Both lists of 代办人: who may act for me, and whose right I withdrew. */
async function showAgents(ctx) {
  const [agents, withdrawn] = await Promise.all([api.get("/me/agents"), api.get("/me/agents?withdrawn=true")]);
  renderAgents(ctx, agents);
  renderWithdrawn(ctx, withdrawn);
}

/** 已撤销授权的代办人: each can be given the right back (恢复授权); the server keeps
 * the access rules (only she can) and writes it in the history. */
function renderWithdrawn(ctx, grants) {
  // One row per agent: the same son may have been withdrawn from two grants.
  const seen = new Set();
  const rows = grants.filter((g) => {
    const key = `${g.agent.name}|${g.agent.id_number}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  ctx.$(".js_withdrawn_area").hidden = !rows.length;
  ctx.$(".js_withdrawn").replaceChildren(...rows.map((g) => {
    const relation = g.agent_relation_label || api.label("relation", g.agent_relation);
    const who = relation ? `${g.agent.name}（${relation}）` : g.agent.name;
    const restore = h("button", { type: "button", class: "weui-btn weui-btn_mini weui-btn_default js_restore",
                                  "aria-label": `恢复授权 ${who}` }, "恢复授权");
    ctx.on(restore, "click", async () => {
      restore.disabled = true;
      try {
        await api.post(`/me/agents/${g.id}/restore`);
      } finally {
        restore.disabled = false;
      }
      await showAgents(ctx);
      ctx.$(".js_agents").focus();
      toast(`已恢复${g.agent.name}的代办授权`, { icon: "success" });
    });
    return h("div", { class: "weui-cell js_withdrawn_agent", dataset: { id: g.id } },
      h("div", { class: "weui-cell__bd" },
        h("p", { class: "yb-member__name" }, who),
        h("p", { class: "weui-cell__desc" }, g.agent.id_number)),
      h("div", { class: "weui-cell__ft" }, restore));
  }));
}

/** 代办人: the relatives who added me to their 亲情账户 and may act for me. Each can
 * be withdrawn; the server then refuses them anything more on my behalf. */
function renderAgents(ctx, agents) {
  const list = ctx.$(".js_agents");
  if (!agents.length) {
    list.replaceChildren(h("div", { class: "weui-cell" }, h("div", { class: "weui-cell__bd yb-muted" }, "暂无代办人")));
    return;
  }
  list.replaceChildren(...agents.flatMap((a) => {
    const relation = a.agent_relation_label || api.label("relation", a.agent_relation);
    const who = relation ? `${a.agent.name}（${relation}）` : a.agent.name;
    const questionId = `js_agent_ask_${a.id}`;
    const confirmId = `js_agent_confirm_${a.id}`;
    const withdraw = h("button", { type: "button", class: "weui-btn weui-btn_mini weui-btn_default js_withdraw",
                                   "aria-label": `撤销授权 ${who}`, "aria-controls": confirmId,
                                   "aria-expanded": "false" }, "撤销授权");
    const row = h("div", { class: "weui-cell js_agent", dataset: { id: a.id } },
      h("div", { class: "weui-cell__bd" },
        h("p", { class: "yb-member__name js_agent_name" }, who),
        h("p", { class: "weui-cell__desc" }, a.agent.id_number)),
      h("div", { class: "weui-cell__ft" }, withdraw));
    const ask = `确定撤销${who}的代办授权吗？撤销后，对方不能再为您办理业务，未办完的备案也不能继续。`;

    const carryOut = async (buttons) => {
      for (const b of buttons) b.disabled = true;
      try {
        await api.del(`/me/agents/${a.id}`);
      } catch (error) {
        for (const b of buttons) b.disabled = false;
        throw error;
      }
      await showAgents(ctx);
      list.focus();
      toast(`已撤销${a.agent.name}的代办授权`, { icon: "success" });
    };

    // 长辈版 has no pop-ups: the question opens under the row, with large buttons.
    const yes = h("button", { type: "button", class: "weui-btn weui-btn_warn js_withdraw_yes" }, "确认撤销");
    const no = h("button", { type: "button", class: "weui-btn weui-btn_default js_withdraw_no" }, "取消");
    const inline = h("div", { class: "weui-cell yb-confirm js_withdraw_confirm", id: confirmId, role: "group",
                              "aria-labelledby": questionId, hidden: true },
      h("p", { class: "yb-confirm__text", id: questionId }, ask),
      h("div", { class: "yb-confirm__actions" }, yes, no));
    const showInline = (open) => {
      inline.hidden = !open;
      withdraw.setAttribute("aria-expanded", String(open));
      (open ? no : withdraw).focus();
    };

    ctx.on(withdraw, "click", async () => {
      if (isElder()) {
        showInline(inline.hidden);
        return;
      }
      if (await confirm(ask, { title: "撤销代办授权", ok: "确认撤销" })) await carryOut([withdraw]);
    });
    ctx.on(no, "click", () => showInline(false));
    ctx.on(yes, "click", () => carryOut([yes, no]));
    return [row, inline];
  }));
}
