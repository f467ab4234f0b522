// One step of a rescue-fund application (事故信息, 受害人, 救治医院, 材料, 联系人): its
// photos first (each material takes several pages), then its fields. A returned
// application opens only the steps the fund manager named; saving goes back to its status.
import * as api from "../../api.js";
import { navigateTo, redirectTo } from "../../app.js";
import { h } from "../../lib/dom.js";
import { toast } from "../../lib/feedback.js";
import { submitting, values } from "../../lib/form.js";
import { load, materialBox, renderSteps, screenFor } from "../../lib/rescue.js";

const MATERIALS = {
  accident: ["police_notice"],
  victim: ["victim_id_card", "victim_unidentified_certificate", "relation_proof"],
  hospital: ["over_7_days_explanation"],
  materials: ["cost_list", "treatment_summary", "medical_record"],
  contact: [],
};
const FUNERAL_MATERIALS = { materials: ["body_handling_notice", "funeral_invoice"], hospital: [] };

const field = (id, label, input) => h("label", { class: "weui-cell weui-cell_active", for: id },
  h("div", { class: "weui-cell__hd" }, h("span", { class: "weui-label" }, label)),
  h("div", { class: "weui-cell__bd" }, input));
const text = (id, name, value, attrs = {}) => h("input", { id, name, class: "weui-input", value: value ?? "", ...attrs });
const choice = (id, name, group, value, { only, empty } = {}) => {
  const items = api.options(group).filter(([v]) => !only || only.includes(v));
  const select = h("select", { id, name, class: "weui-select" },
    empty ? h("option", { value: "" }, empty) : null,
    ...items.map(([v, label]) => h("option", { value: v, selected: v === value }, label)));
  return select;
};
const selectCell = (id, label, select) => h("label", {
  class: "weui-cell weui-cell_active weui-cell_select weui-cell_select-after", for: id },
  h("div", { class: "weui-cell__hd" }, h("span", { class: "weui-label" }, label)),
  h("div", { class: "weui-cell__bd" }, select));
const local = (iso) => (iso ? iso.slice(0, 16) : "");                 // Beijing wall time, as sent
const beijing = (value) => (value ? `${value}:00+08:00` : undefined);

function fields(app, step) {
  const a = app.accident, v = app.victim, hp = app.hospital;
  if (step === "accident") {
    return [
      field("js_r_no", "通知书编号", text("js_r_no", "police_notice_no", a.police_notice_no, { maxlength: 40 })),
      field("js_r_unit", "交警部门", text("js_r_unit", "police_unit", a.police_unit, { maxlength: 100 })),
      field("js_r_at", "事故时间", text("js_r_at", "accident_at", local(a.accident_at), { type: "datetime-local" })),
      selectCell("js_r_region", "事故地", h("select", { id: "js_r_region", name: "accident_region", class: "weui-select" },
        h("option", { value: "140300", selected: a.accident_region !== "140100" }, "阳泉市"),
        h("option", { value: "140100", selected: a.accident_region === "140100" }, "太原市"))),
      field("js_r_place", "事故地点", text("js_r_place", "accident_place", a.accident_place, { maxlength: 200 })),
      selectCell("js_r_situation", "垫付情形", choice("js_r_situation", "situation", "rescue.situation", a.situation)),
    ];
  }
  if (step === "victim") {
    const cells = [selectCell("js_r_identified", "身份", h("select", { id: "js_r_identified", name: "victim_identified", class: "weui-select" },
      h("option", { value: "true", selected: v.identified !== false }, "身份已确认"),
      h("option", { value: "false", selected: v.identified === false }, "身份无法确认")))];
    if (app.for === "other") {
      cells.push(field("js_r_vname", "受害人姓名", text("js_r_vname", "victim_name", v.name, { maxlength: 64 })),
        field("js_r_vid", "身份证号码", text("js_r_vid", "victim_id_number", "", { maxlength: 18, autocomplete: "off",
                                                                             placeholder: v.id_number || "18位身份证号码" })),
        selectCell("js_r_relation", "受害人是我的", choice("js_r_relation", "relation", "rescue.relation", v.relation,
                                                       { empty: "请选择", only: api.options("rescue.relation").map(([x]) => x).filter((x) => x !== "self") })));
    }
    cells.push(selectCell("js_r_condition", "受害人状况", choice("js_r_condition", "victim_condition", "rescue.condition",
      v.condition, { only: app.kind === "funeral" ? ["deceased"] : ["in_treatment", "discharged"] })));
    return cells;
  }
  if (step === "hospital") {
    // A funeral advance has no 7-day period: the server counts it as one (domain file,
    // "Funeral variant"), so the choice is not offered.
    const funeral = app.kind === "funeral";
    return [
      selectCell("js_r_hospital", "救治医院", h("select", { id: "js_r_hospital", name: "hospital_id", class: "weui-select js_hospitals" })),
      field("js_r_start", "开始抢救", text("js_r_start", "rescue_started_at", local(hp.rescue_started_at), { type: "datetime-local" })),
      field("js_r_inpatient", "住院号", text("js_r_inpatient", "inpatient_no", hp.inpatient_no, { maxlength: 40, placeholder: "选填" })),
      funeral ? h("input", { type: "hidden", name: "period", value: "within_7_days" })
        : selectCell("js_r_period", "抢救治疗", choice("js_r_period", "period", "rescue.period", hp.period)),
      field("js_r_amount", "申请金额", text("js_r_amount", "claimed_amount", hp.claimed_amount, { inputmode: "decimal", placeholder: "选填，单位元" })),
    ];
  }
  if (step === "contact") {
    return [
      field("js_r_cname", "联系人", text("js_r_cname", "contact_name", app.contact.name, { maxlength: 64 })),
      field("js_r_cphone", "联系电话", text("js_r_cphone", "contact_phone", "", { maxlength: 20, placeholder: app.contact.phone || "手机号或带区号的固定电话" })),
    ];
  }
  return [];
}

function body(app, step, data) {
  if (step === "accident") return { ...data, accident_at: beijing(data.accident_at) };
  if (step === "victim") {
    const out = { ...data, victim_identified: data.victim_identified !== "false" };
    if (!out.victim_identified) { delete out.victim_name; delete out.victim_id_number; }
    return out;
  }
  if (step === "hospital") {
    return { ...data, hospital_id: Number(data.hospital_id), rescue_started_at: beijing(data.rescue_started_at) };
  }
  return data;
}

export default {
  title: "垫付申请",
  css: true,
  template: `
    <div class="js_steps"></div>
    <div class="yb-hd"><h1 class="yb-hd__title js_title"></h1></div>
    <section class="js_materials_area" aria-labelledby="js_materials_title">
      <h2 class="weui-cells__title" id="js_materials_title">材料照片（每项可上传多页）</h2>
      <div class="weui-cells weui-cells_form js_materials"></div>
    </section>
    <form class="js_form" novalidate>
      <div class="weui-cells weui-cells_form js_fields"></div>
      <div class="yb-actions">
        <button type="submit" class="weui-btn weui-btn_primary js_next">下一步</button>
      </div>
    </form>
  `,

  async onLoad(ctx) {
    const step = ctx.query.step;
    let app = await load(ctx.query.id);
    if (!app.editable_steps.includes(step)) {
      redirectTo(...screenFor(app));
      return;
    }
    ctx.$(".js_title").textContent = api.label("rescue.step", step);
    renderSteps(ctx.$(".js_steps"), app, step);
    const materials = (app.kind === "funeral" && FUNERAL_MATERIALS[step]) || MATERIALS[step] || [];
    const boxes = materials.map((m) => materialBox(ctx, app, m, (next) => {
      app = next;
      boxes.forEach((b) => b.show(app));
      renderSteps(ctx.$(".js_steps"), app, step);
    }));
    ctx.$(".js_materials").replaceChildren(...boxes.map((b) => b.el));
    ctx.$(".js_materials_area").hidden = !boxes.length;
    ctx.$(".js_fields").replaceChildren(...fields(app, step));
    ctx.$(".js_fields").hidden = step === "materials";
    if (step === "hospital") {
      const hospitals = await api.get("/rescue/hospitals");
      ctx.$(".js_hospitals").replaceChildren(...hospitals.map((x) => h("option", { value: x.id, selected: x.id === app.hospital.id },
        `${x.name}（${x.region_name}）`)));
    }
    if (app.status === "returned") ctx.$(".js_next").textContent = "保存修改";
    const form = ctx.$(".js_form");
    ctx.on(form, "submit", async (event) => {
      event.preventDefault();
      await submitting(form, async () => {
        if (step === "materials") {
          app = await load(app.id);
          if (!app.steps.find((s) => s.name === "materials").done) {
            toast(app.kind === "funeral" ? "请上传尸体处理通知书和丧葬费用票据。" : "请上传日清单，以及抢救治疗情况说明或病历。");
            return;
          }
        } else {
          app = await api.put(`/rescue/applications/${app.id}/${step}`, body(app, step, values(form)));
        }
        if (app.status === "returned") {
          toast("已保存", { icon: "success" });
          navigateTo("rescue_status", { id: app.id });
        } else {
          navigateTo(...screenFor(app));
        }
      });
    });
  },
};
