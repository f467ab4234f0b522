"""Road-accident social rescue fund: the online advance application (道路交通事故社会
救助基金 垫付申请, seed 000).

Sources, as `shared/domain-rescue-fund.md` names them: seed 000 (阳泉 "警医保", the
山西道交救助基金 public account: 7 days without a cap, 60 days to apply, paid within 2
working days); S1 national measures 2021 (财政部等 令第107号: review 3 working days,
72 h → 7 days); S2 Shanxi measures 2022 (晋政办发〔2022〕91号: beyond 7 days capped at
300,000 yuan, payment 3 → 2 working days, the two Shanxi situations); S3 太原晚报
2022-02-10 (18,000 yuan compulsory-insurance medical limit, the 7-day rule).

Amounts, windows and caps are not constants here: they are dated, per-province
settings with their source (`backend/data/rescue_settings.json`, read by the service
and handed in as a `Settings`). Working days come from the holiday calendar
(`working_days.add`). Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from backend.domain import labels
from backend.domain.errors import Conflict, Invalid
from backend.domain.workflow import Workflow

KINDS = ("rescue", "funeral")
STATUSES = ("draft", "submitted", "returned", "approved", "paid", "closed", "rejected", "withdrawn")
# Applications that still count for the duplicate rule (same notice, victim, kind).
OPEN_STATUSES = ("submitted", "returned", "approved", "paid")
SITUATIONS = ("over_compulsory_limit", "uninsured_vehicle", "hit_and_run", "outside_compulsory_cover",
              "insurer_unpaid_30_days")
# What the victim is to the applicant (api.md's direction), `self` on the self path only.
RELATIONS = ("self", "parent", "child", "spouse", "sibling", "grandparent", "grandchild", "other_relative",
             "other_party")
RELATIVES = ("parent", "child", "spouse", "sibling", "grandparent", "grandchild", "other_relative")
CONDITIONS = ("in_treatment", "discharged", "deceased")
PERIODS = ("within_7_days", "beyond_7_days")

STEPS = ("notice", "accident", "victim", "hospital", "materials", "contact", "signature")

FLOW = Workflow(
    name="rescue",
    # Both paths meet the same steps; on the self path the victim step skips the
    # applicant-relation items (domain file, "Steps and screens").
    steps={"self": STEPS, "other": STEPS},
    transitions={
        ("draft", "submit"): "submitted",
        ("draft", "discard"): "discarded",
        ("submitted", "return"): "returned",
        ("returned", "resubmit"): "submitted",
        ("submitted", "approve"): "approved",
        ("submitted", "reject"): "rejected",
        ("submitted", "withdraw"): "withdrawn",
        ("returned", "withdraw"): "withdrawn",
        ("approved", "pay"): "paid",
        ("paid", "pay"): "paid",
        ("paid", "close"): "closed",
    },
    step_labels=labels.RESCUE_STEP,
    status_labels=labels.RESCUE_STATUS,
    event_labels=labels.RESCUE_EVENT,
    editable_statuses=("draft", "returned"),
)


# --- materials: pages (photos) per material, and the step each belongs to ---------------

@dataclass(frozen=True)
class Material:
    name: str
    step: str
    max_pages: int
    kinds: tuple[str, ...] = KINDS
    by_hospital: bool = False       # a `hospital` key may upload it for its patient


MATERIALS: dict[str, Material] = {m.name: m for m in (
    Material("police_notice", "accident", 3),
    Material("victim_id_card", "victim", 2),
    Material("victim_unidentified_certificate", "victim", 2),
    Material("relation_proof", "victim", 5),
    Material("over_7_days_explanation", "hospital", 5, ("rescue",), by_hospital=True),
    Material("cost_list", "materials", 30, ("rescue",), by_hospital=True),
    Material("treatment_summary", "materials", 30, ("rescue",), by_hospital=True),
    Material("medical_record", "materials", 30, ("rescue",), by_hospital=True),
    # funeral (national procedure): the police's body-handling notice and the funeral provider's bill.
    Material("body_handling_notice", "materials", 3, ("funeral",)),
    Material("funeral_invoice", "materials", 10, ("funeral",)),
)}


def material(name: str, kind: str) -> Material:
    m = MATERIALS.get(name)
    if m is None or kind not in m.kinds:
        allowed = "、".join(labels.RESCUE_MATERIAL[n] for n, x in MATERIALS.items() if kind in x.kinds)
        raise Invalid(f"没有这项材料。可上传的材料：{allowed}。", code="rescue.material_invalid",
                      errors={"material": ["取值应为：" + "、".join(n for n, x in MATERIALS.items()
                                                              if kind in x.kinds) + "。"]})
    return m


def check_room(m: Material, pages_now: int) -> None:
    if pages_now >= m.max_pages:
        raise Conflict(f"“{labels.RESCUE_MATERIAL[m.name]}”最多上传 {m.max_pages} 页，请先删除不需要的页面。",
                       code="rescue.too_many_pages", errors={"material": [f"最多 {m.max_pages} 页。"]})


def materials_complete(kind: str, pages: dict[str, int]) -> list[str]:
    """What the `materials` step still lacks (seed 000's list), [] when complete."""
    if kind == "funeral":
        return [n for n in ("body_handling_notice", "funeral_invoice") if not pages.get(n)]
    missing = [] if pages.get("cost_list") else ["cost_list"]
    if not (pages.get("treatment_summary") or pages.get("medical_record")):
        missing.append("treatment_summary")
    return missing


def missing_message(missing: list[str]) -> Invalid:
    words = "、".join(labels.RESCUE_MATERIAL[m] for m in missing)
    extra = "（抢救治疗情况简要说明或病历，至少一项）" if "treatment_summary" in missing else ""
    return Invalid(f"请上传：{words}{extra}。", code="rescue.materials_missing",
                   errors={m: ["请至少上传一页。"] for m in missing})


# --- settings: dated, per province, with their source ----------------------------------

@dataclass(frozen=True)
class Settings:
    province: str
    effective_from: date
    source: str
    application_window_days: int | None      # None: the source sets no window
    covered_rescue_days: int
    beyond_7_days_cap: Decimal | None         # None: the source sets no cap
    review_working_days: int
    payment_working_days: int
    compulsory_medical_limit: Decimal
    funeral_standard: Decimal
    funeral_standard_is_demo: bool


def settings_for(table: list[Settings], province: str, on: date) -> Settings:
    """The province's rule in force on `on`, else the national one ("00")."""
    for wanted in (province, "00"):
        rows = [s for s in table if s.province == wanted and s.effective_from <= on]
        if rows:
            return max(rows, key=lambda s: s.effective_from)
    raise LookupError(f"no rescue-fund settings for {province} on {on}")


# --- step rules --------------------------------------------------------------------------

def last_day(accident_day: date, settings: Settings) -> date:
    """Decision (S2): 60 days from the accident date, inclusive."""
    return accident_day + timedelta(days=settings.application_window_days)


def check_window(accident_day: date, today: date, settings: Settings, *, field: str = "accident_at") -> None:
    if settings.application_window_days is None:
        return
    end = last_day(accident_day, settings)
    if today > end:
        raise Invalid(f"申请期限已过：事故发生之日起 {settings.application_window_days} 日内可申请垫付，"
                      f"最后一日为 {end.year}年{end.month}月{end.day}日。请联系救助基金管理机构。",
                      code="rescue.deadline_passed", errors={field: [f"最后申请日为 {end.isoformat()}。"]})


def check_accident(*, accident_at: datetime, accident_region: str, now: datetime, today: date,
                   accident_day: date, settings: Settings) -> None:
    if accident_at > now:
        raise Invalid("事故发生时间不能晚于当前时间。", code="rescue.accident_in_future",
                      errors={"accident_at": ["不能晚于当前时间。"]})
    if not accident_region.startswith("14"):
        raise Invalid("山西道交救助基金只受理在山西省境内道路上发生的交通事故，请向事故发生地的救助基金申请。",
                      code="rescue.outside_province", errors={"accident_region": ["应为山西省内的地区。"]})
    check_window(accident_day, today, settings)


def check_relation(for_whom: str, kind: str, relation: str | None) -> None:
    if for_whom == "self":
        if relation not in (None, "self"):
            raise Invalid("为本人申请时，与受害人关系为“本人”。", code="rescue.relation_invalid",
                          errors={"relation": ["应为 self。"]})
        return
    if relation in (None, "self"):
        raise Invalid("为他人申请，请选择受害人与您的关系。", code="rescue.relation_invalid",
                      errors={"relation": ["请选择关系（本人除外）。"]})
    if kind == "funeral" and relation == "other_party":
        # Decision (open in the domain file): the national procedure says 受害人亲属.
        raise Invalid("丧葬费垫付由受害人亲属申请，事故其他当事人不能申请。", code="rescue.relation_invalid",
                      errors={"relation": ["丧葬费垫付须为亲属。"]})


def check_condition(kind: str, condition: str) -> None:
    if kind == "funeral" and condition != "deceased":
        raise Invalid("丧葬费垫付适用于受害人死亡的情形。", code="rescue.condition_invalid",
                      errors={"victim_condition": ["应为 deceased。"]})
    if kind == "rescue" and condition == "deceased":
        raise Invalid("受害人死亡的，请申请丧葬费垫付；抢救期间的费用仍可申请抢救费垫付并选择“治疗中”或“已出院”。",
                      code="rescue.condition_invalid", errors={"victim_condition": ["抢救费垫付请选择治疗中或已出院。"]})


def victim_photos_missing(identified: bool, relation: str | None, pages: dict[str, int]) -> list[str]:
    missing = []
    if identified and not pages.get("victim_id_card"):
        missing.append("victim_id_card")
    if not identified and not pages.get("victim_unidentified_certificate"):
        missing.append("victim_unidentified_certificate")
    if relation in RELATIVES and not pages.get("relation_proof"):
        missing.append("relation_proof")
    return missing


def check_rescue_start(rescue_started_at: datetime, accident_at: datetime, now: datetime) -> None:
    if rescue_started_at < accident_at:
        raise Invalid("开始抢救时间不能早于事故发生时间。", code="rescue.rescue_before_accident",
                      errors={"rescue_started_at": ["不能早于事故发生时间。"]})
    if rescue_started_at > now:
        raise Invalid("开始抢救时间不能晚于当前时间。", code="rescue.rescue_in_future",
                      errors={"rescue_started_at": ["不能晚于当前时间。"]})


def check_period(period: str, pages: dict[str, int]) -> None:
    """seed 000.16: care beyond 7 days needs the hospital's written explanation."""
    if period == "beyond_7_days" and not pages.get("over_7_days_explanation"):
        raise Invalid("抢救治疗超过7日的，须上传医疗机构出具的书面说明。", code="rescue.explanation_missing",
                      errors={"over_7_days_explanation": ["请至少上传一页。"]})


# --- review -------------------------------------------------------------------------------

def item_step(item: str) -> str | None:
    """A returned item (a material, a field or a step) → the step that reopens."""
    if item in STEPS:
        return item
    if item in MATERIALS:
        return MATERIALS[item].step
    return FIELD_STEP.get(item)


FIELD_STEP = {
    "police_notice_no": "accident", "police_unit": "accident", "accident_at": "accident",
    "accident_region": "accident", "accident_place": "accident", "situation": "accident",
    "victim_identified": "victim", "victim_name": "victim", "victim_id_number": "victim", "relation": "victim",
    "victim_condition": "victim", "hospital_id": "hospital", "rescue_started_at": "hospital",
    "inpatient_no": "hospital", "period": "hospital", "claimed_amount": "hospital",
    "contact_name": "contact", "contact_phone": "contact",
}


def check_return_items(items: list[dict]) -> set[str]:
    if not items:
        raise Invalid("请至少指出一项需要补正的材料或信息，并写明原因。", code="rescue.return_items_required",
                      errors={"items": ["至少一项。"]})
    steps, bad = set(), []
    for entry in items:
        step = item_step(entry["item"])
        if step is None or step == "notice":
            bad.append(entry["item"])
        else:
            steps.add(step)
    if bad:
        raise Invalid("补正项目不正确：" + "、".join(bad) + "。应为材料名称、字段名称或步骤名称。",
                      code="rescue.return_item_invalid", errors={"items": bad})
    return steps


def check_approval(kind: str, period: str | None, within: Decimal, beyond: Decimal,
                   claimed: Decimal | None, settings: Settings) -> Decimal:
    """The approved amount: within 7 days (no cap, seed 000) and beyond (only with the
    hospital's explanation, capped, S2); never above what was claimed. → the total."""
    if within < 0 or beyond < 0 or within + beyond <= 0:
        raise Invalid("核定金额应大于0。", code="rescue.amount_invalid",
                      errors={"amount_within_7_days": ["应大于0。"]})
    if kind == "funeral":
        if beyond:
            raise Invalid("丧葬费垫付没有“7日后”部分。", code="rescue.amount_invalid",
                          errors={"amount_beyond_7_days": ["应为0。"]})
        if within > settings.funeral_standard:
            raise Invalid(f"丧葬费垫付不超过标准 {settings.funeral_standard} 元。", code="rescue.over_cap",
                          errors={"amount_within_7_days": [f"不超过 {settings.funeral_standard} 元。"]})
    elif beyond:
        if period != "beyond_7_days":
            raise Invalid("申请未包含7日后的抢救治疗，不能核定7日后的金额。", code="rescue.amount_invalid",
                          errors={"amount_beyond_7_days": ["应为0。"]})
        if settings.beyond_7_days_cap is not None and beyond > settings.beyond_7_days_cap:
            raise Invalid(f"7日后的抢救费用垫付不超过 {settings.beyond_7_days_cap:,.2f} 元（{settings.source}）。",
                          code="rescue.over_cap",
                          errors={"amount_beyond_7_days": [f"不超过 {settings.beyond_7_days_cap} 元。"]})
    total = within + beyond
    if claimed is not None and total > claimed:
        raise Invalid(f"核定金额 {total:,.2f} 元超过申请金额 {claimed:,.2f} 元。", code="rescue.over_claimed",
                      errors={"amount_within_7_days": ["合计不超过申请金额。"]})
    return total


def check_payment(amount: Decimal, paid_so_far: Decimal, approved: Decimal, paid_at: datetime,
                  approved_at: datetime, now: datetime) -> None:
    if amount <= 0:
        raise Invalid("支付金额应大于0。", code="rescue.amount_invalid", errors={"amount": ["应大于0。"]})
    if paid_so_far + amount > approved:
        raise Invalid(f"累计支付 {paid_so_far + amount:,.2f} 元将超过核定金额 {approved:,.2f} 元。",
                      code="rescue.payment_exceeds", errors={"amount": [f"最多还可支付 {approved - paid_so_far} 元。"]})
    # Whole seconds: a payment time written without fractions in the second of the approval.
    if paid_at > now or paid_at < approved_at.replace(microsecond=0):
        raise Invalid("支付时间应在核定之后、当前时间之前。", code="rescue.paid_at_invalid",
                      errors={"paid_at": ["不早于核定时间，不晚于当前时间。"]})


def check_close(returned: Decimal, paid: Decimal) -> Decimal:
    if returned < 0 or returned > paid:
        raise Invalid(f"退回金额应在 0 至已支付的 {paid:,.2f} 元之间。", code="rescue.amount_invalid",
                      errors={"returned_amount": [f"0 至 {paid} 元。"]})
    return paid - returned


def application_number(region: str, day: date, serial: int) -> str:
    """`JZ{accident_region}{yyyymmdd}{serial:06d}` (design choice of the domain file)."""
    return f"JZ{region}{day:%Y%m%d}{serial:06d}"
