"""Work-injury cross-province treatment filing (工伤保险跨省异地就医备案).

Sources: seed 001 (the 张隽 case: insured in 新疆, working in 长沙, brain injury treated
at 湖南省职业病防治院, settled directly at discharge), 人社部发〔2025〕17号 (cross-province
direct settlement of work-injury care in every prefecture-level city from 2025-04-01),
as summarised in `shared/domain-work-injury.md`, with the decisions written there.

Flow A's shape (异地就医备案, backend/domain/filing.py) with another insurance (工伤保险,
run by 人社), another registry (recognised work injuries) and another agency (the
insured place's work-injury agency, which answers referral filings). What is the same
is taken from Flow A: the start-date window, the contact rules, the photo kinds of the
proxy path, the settlement date rule, the month arithmetic.

Standard library only: the service layer loads and saves, this module decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backend.domain import labels
from backend.domain.errors import Conflict, Invalid, fields_in_words
from backend.domain.filing import add_months, check_contact, check_start_date, scope_of
from backend.domain.workflow import Workflow

# The four bases of seed 001 (restated by Beijing's notice S6): one must be on record.
BASES = ("injury_recognition", "recurrence", "rehabilitation", "assistive_device")
FILING_TYPES = ("residence", "referral")
# What is settled directly (seed 001.6), and by whose catalogue.
SERVICES = ("inpatient_medical", "inpatient_rehab", "assistive_device")
SERVICE_CATALOGUE = {"inpatient_medical": "destination", "inpatient_rehab": "destination",
                     "assistive_device": "insured_place"}

STATUSES = ("draft", "pending", "effective", "rejected", "cancelled", "expired")
STATUS_LABELS = labels.WI_FILING_STATUS
STEP_LABELS = labels.WI_FILING_STEP

FLOW = Workflow(
    name="wi_filing",
    steps={
        "self": ("injury", "notice", "details", "signature"),
        # A brain-injured worker may not manage a phone: a family member files, with
        # photos of both people's papers, as on Flow A's proxy path.
        "other": ("injury", "notice", "attachments", "details", "signature"),
    },
    transitions={
        # residence: in force at once when the registry checks pass (as Flow A)
        ("draft", "submit"): "effective",
        # referral: the insured place's agency must say yes (our decision)
        ("draft", "submit_for_approval"): "pending",
        ("draft", "discard"): "discarded",
        ("pending", "approve"): "effective",
        ("pending", "decline"): "rejected",
        ("pending", "cancel"): "cancelled",
        ("pending", "expire"): "expired",
        ("effective", "cancel"): "cancelled",
        # A hospital settles under a filing in force; it stays in force but can no
        # longer be cancelled online (as Flow A).
        ("effective", "settle"): "effective",
        ("effective", "expire"): "expired",
    },
    step_labels=STEP_LABELS,
    status_labels=STATUS_LABELS,
    event_labels=labels.WI_FILING_EVENT,
)

# A person's filing that blocks another: in force, or waiting for the agency.
OPEN_STATUSES = ("pending", "effective")


def submit_action(filing_type: str) -> str:
    return "submit" if filing_type == "residence" else "submit_for_approval"


# --- the injury step --------------------------------------------------------------

def check_recognised(count: int) -> None:
    """seed 001: the filing rests on a completed recognition (or recurrence, rehab or
    device confirmation); without one on record there is nothing to file."""
    if count == 0:
        raise Conflict("未查询到已完成的工伤认定（或工伤复发、康复、辅助器具配置确认）记录，不能办理工伤异地就医备案。"
                       "请先向参保地人力资源社会保障部门申请工伤认定；如已认定，请联系参保地工伤保险经办机构核实。",
                       code="wi_filing.no_recognition")


def check_one_open(existing_filing_no: str | None, status: str | None = None) -> None:
    """One work-injury filing in force (or waiting for the agency) per person; a second
    is refused at the first step, naming the one there is (our decision)."""
    if existing_filing_no:
        what = STATUS_LABELS.get(status or "", "")
        raise Conflict(f"已有一份{what}的工伤异地就医备案（备案号 {existing_filing_no}），不能再次办理。"
                       "如需变更，请先在“查看记录”中取消该备案；已发生结算的，请联系参保地工伤保险经办机构。",
                       code="wi_filing.exists", errors={"filing_no": [existing_filing_no]})


# --- the details step --------------------------------------------------------------

REFERRAL_MAX_MONTHS = 6   # our decision: a referral names an end date at most 6 months on


@dataclass(frozen=True)
class Details:
    filing_type: str
    destination_region: str
    start_date: date
    end_date: date | None
    address: str | None
    institution: str | None
    referred_by_institution: str | None
    referral_no: str | None
    services: tuple[str, ...]
    contact_name: str
    contact_phone: str


def check_details(d: Details, *, insured_region: str, today: date, destination_is_city: bool) -> None:
    """Everything a work-injury filing's details must satisfy, one message per field.
    A destination in the insured province is its own refusal: in-province work-injury
    care is outside seed 001."""
    errors: dict[str, list[str]] = {}
    if not destination_is_city:
        errors["destination_region"] = ["请选择就医地所在的地级市（6位行政区划代码）。"]
    elif scope_of(insured_region, d.destination_region) != "cross_province":
        raise Invalid("工伤异地就医直接结算只适用于跨省就医：就医地须在参保省份以外。省内异地就医请咨询参保地工伤保险经办机构。",
                      code="wi_filing.not_cross_province",
                      errors={"destination_region": ["就医地须在参保省份以外。"]})
    check_start_date(errors, d.start_date, today)
    if d.end_date is not None and d.end_date <= d.start_date:
        errors["end_date"] = ["结束日期须晚于开始日期。"]
    if d.filing_type == "residence":
        if not (d.address or "").strip():
            errors["address"] = ["异地居住备案须填写在就医地的居住地址。"]
    else:
        latest_end = add_months(d.start_date, REFERRAL_MAX_MONTHS)
        if d.end_date is None:
            errors["end_date"] = ["转诊转院备案须填写结束日期。"]
        elif d.end_date > latest_end and "end_date" not in errors:
            errors["end_date"] = [f"转诊转院备案有效期最长6个月，结束日期请不晚于 {latest_end}。"]
        if not (d.institution or "").strip():
            errors["institution"] = ["转诊转院备案须填写转入的就医地工伤保险协议医疗机构。"]
        if not (d.referred_by_institution or "").strip():
            errors["referred_by.institution"] = ["请填写出具转诊意见的参保地工伤保险协议机构。"]
        if not (d.referral_no or "").strip():
            errors["referred_by.document_no"] = ["请填写转诊单编号。"]
    if not d.services:
        errors["services"] = ["请至少选择一项直接结算的服务。"]
    elif len(set(d.services)) != len(d.services):
        errors["services"] = ["服务项目不能重复。"]
    check_contact(errors, d.contact_name, d.contact_phone)
    if errors:
        raise Invalid("备案信息有误，请按提示修改：" + fields_in_words(errors) + "。",
                      code="wi_filing.details_invalid", errors=errors)


def validity(filing_type: str, start_date: date, end_date: date | None) -> tuple[date, date | None]:
    """residence runs until cancelled (an end date given is kept); referral to its end date."""
    return start_date, end_date


def filing_number(insured_region: str, day: date, serial: int) -> str:
    return f"GS{insured_region}{day:%Y%m%d}{serial:06d}"


# --- after filing -----------------------------------------------------------------

def check_cancellable(settlement: tuple[str, str] | None) -> None:
    """As Flow A: refused once a work-injury settlement happened at the destination."""
    if settlement:
        institution, when = settlement
        raise Conflict(f"该工伤备案已于 {when} 在{institution}发生工伤医疗费用直接结算，不能线上取消；"
                       "如需变更或取消，请联系参保地工伤保险经办机构。", code="wi_filing.settled")


def check_reason(reason: str, code: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Invalid("请填写原因，参保人将看到该原因。", code=code, errors={"reason": ["请填写原因。"]})
    return reason


def check_settlement_amounts(amounts: dict[str, object], services: list[str]) -> None:
    """At least one amount, and only for services the filing covers (the agency pays
    by the filing; what it does not cover stays a manual claim)."""
    given = {k: v for k, v in amounts.items() if v is not None}
    if not given or not any(v > 0 for v in given.values()):
        raise Invalid("请至少填写一项大于0的结算金额。", code="wi_settlement.amount_missing",
                      errors={"amounts": ["至少一项金额大于0。"]})
    outside = [k for k, v in given.items() if v > 0 and k not in services]
    if outside:
        names = "、".join(labels.WI_SERVICE[k] for k in outside)
        raise Invalid(f"该备案未包含“{names}”，不能按备案直接结算；请按手工报销办理。",
                      code="wi_settlement.service_not_filed",
                      errors={f"amounts.{k}": ["备案未包含此项服务。"] for k in outside})
    total = sum(given.values())
    if total > 10_000_000:
        raise Invalid("结算金额合计不能超过1000万元。", code="settlement.amount_invalid",
                      errors={"amounts": ["合计超出范围。"]})
