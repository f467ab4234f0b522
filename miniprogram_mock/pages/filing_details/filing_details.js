// 填写异地就医自助备案信息及联系人信息 → 下一步. The benefit rule that applies is
// shown as soon as the destination and person type are known (POST /filing-advice).
import * as api from "../../api.js";
import { navigateTo, redirectTo } from "../../app.js";
import { addDays, addMonths, chineseDate, dateField } from "../../lib/datepicker.js";
import { h, today } from "../../lib/dom.js";
import { adviceFor, DATE_RULES, load, PERSON_TYPES_OF, renderSteps, screenFor } from "../../lib/filing.js";
import { guard } from "../../lib/guard.js";
import { submitting, values } from "../../lib/form.js";
import { picker } from "../../lib/regions.js";

// Which benefit situation (POST /filing-advice) each person type is in: values
// only, the names are the server's.
const SITUATION = {
  retired_resettled: "long_term", long_term_resident: "long_term", stationed_worker: "long_term",
  referral: "referral", emergency: "emergency", other_temporary: "other",
};

export default {
  title: "填写备案信息",
  template: `
    <div class="js_steps"></div>
    <div class="yb-hd">
      <h1 class="yb-hd__title">填写备案信息</h1>
      <p class="yb-hd__desc">请填写异地就医备案信息及联系人信息。</p>
    </div>
    <form class="js_form" novalidate>
      <h2 class="weui-cells__title" id="js_category_title">备案人员类型</h2>
      <div class="weui-cells weui-cells_radio" role="radiogroup" aria-labelledby="js_category_title">
        <label class="weui-cell weui-cell_active weui-check__label" for="js_cat_long">
          <div class="weui-cell__bd"><span class="js_category_name" data-category="long_term"></span><span class="weui-cell__desc">在参保省以外工作、居住、生活6个月以上</span></div>
          <div class="weui-cell__ft">
            <input type="radio" class="weui-check" name="category" value="long_term" id="js_cat_long">
            <span class="weui-icon-checked" aria-hidden="true"></span>
          </div>
        </label>
        <label class="weui-cell weui-cell_active weui-check__label" for="js_cat_temp">
          <div class="weui-cell__bd"><span class="js_category_name" data-category="temporary"></span><span class="weui-cell__desc">转诊、急诊抢救或其他临时外出就医</span></div>
          <div class="weui-cell__ft">
            <input type="radio" class="weui-check" name="category" value="temporary" id="js_cat_temp">
            <span class="weui-icon-checked" aria-hidden="true"></span>
          </div>
        </label>
      </div>

      <h2 class="weui-cells__title">备案信息</h2>
      <div class="weui-cells weui-cells_form">
        <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_person_type">
          <div class="weui-cell__hd"><span class="weui-label">人员类别</span></div>
          <div class="weui-cell__bd"><select id="js_person_type" class="weui-select" name="person_type"></select></div>
        </label>
        <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_dest_province">
          <div class="weui-cell__hd"><span class="weui-label">就医地（省）</span></div>
          <div class="weui-cell__bd"><select id="js_dest_province" class="weui-select" name="destination_province"></select></div>
        </label>
        <label class="weui-cell weui-cell_active weui-cell_select weui-cell_select-after" for="js_dest_region">
          <div class="weui-cell__hd"><span class="weui-label">就医地（市）</span></div>
          <div class="weui-cell__bd"><select id="js_dest_region" class="weui-select" name="destination_region"></select></div>
        </label>
        <label class="weui-cell weui-cell_active weui-cell_access" for="js_start">
          <div class="weui-cell__hd"><span class="weui-label">开始日期</span></div>
          <div class="weui-cell__bd"><button type="button" id="js_start" class="yb-date js_start" aria-describedby="js_start_tip"></button><input type="hidden" name="start_date"></div>
        </label>
        <label class="weui-cell weui-cell_active weui-cell_access" for="js_end">
          <div class="weui-cell__hd"><span class="weui-label">结束日期</span></div>
          <div class="weui-cell__bd"><button type="button" id="js_end" class="yb-date js_end" aria-describedby="js_end_tip"></button><input type="hidden" name="end_date"></div>
        </label>
      </div>
      <p class="weui-cells__tips js_start_tip" id="js_start_tip"></p>
      <p class="weui-cells__tips js_end_tip" id="js_end_tip"></p>
      <div class="weui-cells__tips yb-advice js_advice" role="status" hidden></div>

      <h2 class="weui-cells__title">就医地信息</h2>
      <div class="weui-cells weui-cells_form">
        <label class="weui-cell weui-cell_active" for="js_address">
          <div class="weui-cell__hd"><span class="weui-label">居住地址</span></div>
          <div class="weui-cell__bd"><textarea id="js_address" class="weui-textarea" name="address" rows="3" placeholder="在就医地的居住地址（长期居住必填）" maxlength="200"></textarea></div>
        </label>
        <label class="weui-cell weui-cell_active" for="js_hospital">
          <div class="weui-cell__hd"><span class="weui-label">就诊医院</span></div>
          <div class="weui-cell__bd"><input id="js_hospital" class="weui-input" name="hospital" placeholder="选填" maxlength="200"></div>
        </label>
        <label class="weui-cell weui-cell_active" for="js_reason">
          <div class="weui-cell__hd"><span class="weui-label">备案原因</span></div>
          <div class="weui-cell__bd"><textarea id="js_reason" class="weui-textarea" name="reason" rows="2" placeholder="选填" maxlength="500"></textarea></div>
        </label>
      </div>

      <h2 class="weui-cells__title">联系人信息</h2>
      <div class="weui-cells weui-cells_form">
        <label class="weui-cell weui-cell_active" for="js_contact_name">
          <div class="weui-cell__hd"><span class="weui-label">联系人</span></div>
          <div class="weui-cell__bd"><input id="js_contact_name" class="weui-input" name="contact_name" autocomplete="name" maxlength="64" placeholder="联系人姓名"></div>
        </label>
        <label class="weui-cell weui-cell_active" for="js_contact_phone">
          <div class="weui-cell__hd"><span class="weui-label">联系电话</span></div>
          <div class="weui-cell__bd"><input id="js_contact_phone" class="weui-input" name="contact_phone" type="tel" autocomplete="tel" maxlength="20" placeholder="11位手机号"></div>
        </label>
      </div>
      <div class="yb-actions">
        <button type="submit" class="weui-btn weui-btn_primary">下一步</button>
      </div>
    </form>
  `,

  async onLoad(ctx) {
    const filing = await load(ctx.query.id);
    if (filing.status !== "draft") {
      redirectTo(screenFor(filing), { id: filing.id });
      return;
    }
    renderSteps(ctx.$(".js_steps"), filing, "details");
    const form = ctx.$(".js_form");
    const personType = ctx.$("#js_person_type");

    // The benefit rule for this destination and person type (seed 002's table).
    const advise = guard(async () => {
      const box = ctx.$(".js_advice");
      const data = values(form);
      if (!data.destination_region || !data.person_type || data.destination_region === filing.insured_region) {
        box.hidden = true;
        return;
      }
      const advice = await api.post("/filing-advice", {
        scheme: filing.scheme, insured_region: filing.insured_region,
        destination_region: data.destination_region, situation: SITUATION[data.person_type],
      }, { quiet: true }).catch(() => null);
      if (!advice) return;
      // The rule as the server words it, once (its note already names any cut in
      // the ratio); a case that needs no filing says so and where to go instead.
      box.textContent = advice.filing_required
        ? `${api.label("scope", advice.scope)}：${advice.note}`
        : `按所选就医地和人员类别，无需办理备案：${advice.note}如确需备案，可继续填写。`;
      box.hidden = false;
    });
    const showTypes = (category, value = "") => {
      const types = PERSON_TYPES_OF[category] || [];
      personType.replaceChildren(h("option", { value: "" }, category ? "请选择人员类别" : "请先选择备案人员类型"),
                                 ...types.map((v) => h("option", { value: v }, api.label("filing.person_type", v))));
      personType.value = value;
    };
    for (const name of ctx.$$(".js_category_name")) name.textContent = api.label("filing.category", name.dataset.category);
    // What 先看是否需要备案 was told fills in what the draft does not hold yet.
    const asked = filing.category ? null : adviceFor(filing.id);
    const askedType = asked ? { referral: "referral", emergency: "emergency", other: "other_temporary" }[asked.situation] : null;
    const category = filing.category || (asked && asked.situation !== "long_term" ? "temporary" : "long_term");
    ctx.$(`input[name=category][value=${category}]`).checked = true;
    showTypes(category, filing.person_type || askedType || "");
    for (const radio of ctx.$$("input[name=category]")) {
      ctx.on(radio, "change", () => {
        showTypes(radio.value);
        advise();
      });
    }

    // The dates: picked within the rules, which are shown beside the fields.
    const startMin = today(-DATE_RULES.startPastDays);
    const startMax = today(DATE_RULES.startFutureDays);
    const chosenCategory = () => form.querySelector("input[name=category]:checked")?.value || "long_term";
    const endBounds = (start) => {
      const temporary = chosenCategory() === "temporary";
      return [temporary ? addMonths(start, DATE_RULES.temporaryMinMonths) : addDays(start, 1),
              addMonths(start, DATE_RULES.endPickerYears * 12)];
    };
    const end = dateField(ctx.$("#js_end"), form.elements.end_date, {
      title: "结束日期", min: endBounds(today())[0], max: endBounds(today())[1], optional: true, placeholder: "请选择结束日期",
    });
    const explainDates = () => {
      const start = form.elements.start_date.value || today();
      const [endMin, endMax] = endBounds(start);
      end.setBounds(endMin, endMax);
      ctx.$(".js_start_tip").textContent = `开始日期可选${chineseDate(startMin)}至${chineseDate(startMax)}，应早于实际就诊住院日期（已入院未备案的，可补办，最早可选${DATE_RULES.startPastDays}天前）。`;
      ctx.$(".js_end_tip").textContent = chosenCategory() === "temporary"
        ? `临时外出就医须填写结束日期，有效期不少于${DATE_RULES.temporaryMinMonths}个月：结束日期不早于${chineseDate(endMin)}。`
        : "长期居住可不填结束日期；如填写，须晚于开始日期。";
    };
    const start = dateField(ctx.$("#js_start"), form.elements.start_date, {
      title: "开始日期", min: startMin, max: startMax, onChange: explainDates,
    });
    start.set(filing.start_date && filing.start_date >= startMin ? filing.start_date : today(), { quiet: true });
    if (filing.end_date) end.set(filing.end_date, { quiet: true });
    explainDates();
    for (const radio of ctx.$$("input[name=category]")) ctx.on(radio, "change", explainDates);
    for (const name of ["address", "hospital", "reason", "contact_name", "contact_phone"]) {
      if (filing[name]) form.elements[name].value = filing[name];
    }
    if (!filing.contact_name) {
      // The person doing the filing is the natural contact: the agent, or oneself.
      const me = await api.get("/me");
      form.elements.contact_name.value = me.identity?.name || "";
      if (filing.agent?.phone && !filing.agent.phone.includes("*")) form.elements.contact_phone.value = filing.agent.phone;
    }
    await picker(ctx.$("#js_dest_province"), ctx.$("#js_dest_region"),
                 filing.destination_region || asked?.destination_region || "");

    ctx.on("#js_dest_region", "change", advise);
    ctx.on(personType, "change", advise);
    await advise();

    ctx.on(form, "submit", async (event) => {
      event.preventDefault();
      const data = values(form);
      const body = {
        category: data.category || "", person_type: data.person_type || "",
        destination_region: data.destination_region || "", start_date: data.start_date || "",
        end_date: data.end_date || null, address: data.address || null, hospital: data.hospital || null,
        reason: data.reason || null, contact_name: data.contact_name || "", contact_phone: data.contact_phone || "",
      };
      const saved = await submitting(form, () => api.put(`/filings/${filing.id}/details`, body));
      navigateTo(screenFor(saved), { id: saved.id });
    });
  },
};
