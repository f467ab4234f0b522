"""Out-of-area medical treatment filing (异地就医备案).

Sources: seed 002 (Shanxi Medical Insurance Bureau, "参保人异地就医可线上自助备案"),
and the national rules on cross-province direct settlement (医保发〔2022〕22号) as
summarised in `shared/domain.md`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from backend.domain import labels
from backend.domain.errors import Conflict, Invalid, fields_in_words
from backend.domain.workflow import Workflow

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")  # people's dates are Beijing dates
SCHEMES = ("employee", "resident")
SCHEME_LABELS = labels.SCHEME
CATEGORIES = ("long_term", "temporary")
CATEGORY_LABELS = labels.FILING_CATEGORY
# seed 002: the two groups of cross-province filers and their person types.
PERSON_TYPES = {
    "long_term": ("retired_resettled", "long_term_resident", "stationed_worker"),
    "temporary": ("referral", "emergency", "other_temporary"),
}
PERSON_TYPE_LABELS = labels.FILING_PERSON_TYPE
SITUATIONS = ("emergency", "referral", "long_term", "other")
SITUATION_OF_PERSON_TYPE = {
    "retired_resettled": "long_term",
    "long_term_resident": "long_term",
    "stationed_worker": "long_term",
    "referral": "referral",
    "emergency": "emergency",
    "other_temporary": "other",
}
RELATIONS = ("parent", "child", "spouse", "sibling", "grandparent", "grandchild", "other")
RELATION_LABELS = labels.RELATION
# Seen from the other side: if she is his parent, he is her child.
INVERSE_RELATION = {"parent": "child", "child": "parent", "spouse": "spouse", "sibling": "sibling",
                    "grandparent": "grandchild", "grandchild": "grandparent", "other": "other"}

STATUSES = ("draft", "effective", "cancelled", "expired")
STATUS_LABELS = labels.FILING_STATUS
STEP_LABELS = labels.FILING_STEP

FLOW = Workflow(
    name="filing",
    steps={
        # seed 002, "为自己备案": 参保信息 → 告知书 → 备案信息 → 承诺书签字.
        "self": ("insured", "notice", "details", "signature"),
        # seed 002, "为他人备案": 填写备案人基本信息，核对代办人信息；随后根据提示进行确认、签字
        # (the agent's declaration, 代办承诺)；依次上传代办人、备案人的户口本或身份证照片；
        # 填写备案信息及联系人信息；根据提示签字、确认、提交 (the personal pledge).
        "other": ("insured", "notice", "agent_declaration", "attachments", "details", "signature"),
    },
    transitions={
        ("draft", "submit"): "effective",
        ("draft", "discard"): "discarded",
        ("effective", "cancel"): "cancelled",
        # A hospital settles under a filing in force; the filing stays as it is, but
        # can no longer be cancelled online (seed 002).
        ("effective", "settle"): "effective",
        ("effective", "expire"): "expired",
    },
    step_labels=STEP_LABELS,
    status_labels=STATUS_LABELS,
    event_labels=labels.FILING_EVENT,
)

def in_force(status: str) -> bool:
    """A filing under which hospitals settle, and that has a certificate."""
    return FLOW.allows(status, "settle")


AGENT_PHOTO_KINDS = ("agent_id_card", "agent_hukou")
INSURED_PHOTO_KINDS = ("insured_id_card", "insured_hukou")
ATTACHMENT_KINDS = AGENT_PHOTO_KINDS + INSURED_PHOTO_KINDS


def attachments_complete(kinds: set[str]) -> bool:
    """seed 002: the agent uploads the household register or ID card of **both** the
    agent and the insured person."""
    return bool(kinds & set(AGENT_PHOTO_KINDS)) and bool(kinds & set(INSURED_PHOTO_KINDS))


# --- Who must file: seed 002's table, as data per insured province -------------

@dataclass(frozen=True)
class AdviceRule:
    scope: str                 # in_province | cross_province
    scheme: str                # employee | resident | any
    situation: str             # emergency | referral | long_term | other | any
    filing_required: bool
    ratio_change_points: int
    note: str


@dataclass(frozen=True)
class Advice:
    filing_required: bool
    scope: str
    ratio_change_points: int
    note: str


CROSS_PROVINCE_NOTE = ("跨省异地就医实行“先备案，后结算”，执行参保地的支付政策，"
                       "包括起付线、支付比例和最高支付限额。")
LONG_TERM_NOTE = ("异地长期居住人员备案后，住院可在备案地和参保地双向享受参保地同等待遇，"
                  "不降报销比例；门诊慢特病执行参保地待遇政策。")

# National rules (医保发〔2022〕22号): they set the cross-province frame; the
# in-province rules and local cuts for temporary filers are each province's own.
NATIONAL_RULES = (
    AdviceRule("cross_province", "any", "long_term", True, 0, LONG_TERM_NOTE),
    AdviceRule("cross_province", "any", "any", True, 0,
               CROSS_PROVINCE_NOTE + "临时外出就医人员的报销比例以参保地规定为准。"),
    AdviceRule("in_province", "any", "any", True, 0,
               "省内异地就医的备案规定以参保地医保部门公布的为准，建议先办理备案。"),
)

# seed 002, Shanxi (山西省医保局, 11月12日).
SHANXI_RULES = (
    AdviceRule("in_province", "resident", "any", False, 0,
               "山西省城乡居民参保人员住院省内异地就医，无需办理备案，可直接结算，不降待遇比例。"),
    AdviceRule("in_province", "employee", "emergency", False, 0,
               "急诊抢救人员由定点医疗机构上传“急诊”标识后，无需备案，直接结算，执行参保地报销政策。"),
    AdviceRule("in_province", "employee", "referral", False, 0,
               "非急诊且转诊人员视同已备案，可直接结算，执行参保地报销政策。"),
    AdviceRule("in_province", "employee", "other", False, 0,
               "非急诊且未转诊人员省内异地就医，执行参保地报销政策。"),
    AdviceRule("in_province", "employee", "long_term", True, 0,
               "异地长期居住人员住院就医，需办理异地就医自助备案后，方可不降低报销比例，直接结算。"),
    AdviceRule("cross_province", "resident", "referral", True, -5,
               "山西省城乡居民参保人员跨省异地转诊，住院报销比例下调5个百分点；"
               "转诊备案通常由参保地有资格的医院办理。"),
    AdviceRule("cross_province", "any", "long_term", True, 0, LONG_TERM_NOTE),
    AdviceRule("cross_province", "any", "any", True, 0, CROSS_PROVINCE_NOTE),
)

RULES_BY_PROVINCE = {"14": SHANXI_RULES}

# National rules: a region may make a long-term filer wait before changing or
# cancelling, at most 6 months. Per insured region, in days; default 0.
CANCEL_WAIT_DAYS_BY_REGION: dict[str, int] = {}
MAX_CANCEL_WAIT_DAYS = 183


def scope_of(insured_region: str, destination_region: str) -> str:
    """In-province when the first two digits (the province) agree (GB/T 2260)."""
    return "in_province" if insured_region[:2] == destination_region[:2] else "cross_province"


def advise(scheme: str, insured_region: str, destination_region: str, situation: str,
           rules_by_province: dict[str, tuple[AdviceRule, ...]] = RULES_BY_PROVINCE) -> Advice:
    """Whether a filing is needed before settling, and the benefit rule that applies
    (seed 002's table for Shanxi; the national rules elsewhere). The first matching
    row wins, so specific rows stand before general ones."""
    if insured_region == destination_region:
        raise Invalid("就医地与参保地相同，不属于异地就医，无需备案。", code="filing.same_region",
                      errors={"destination_region": ["就医地须在参保统筹区以外。"]})
    scope = scope_of(insured_region, destination_region)
    rules = rules_by_province.get(insured_region[:2], ()) + NATIONAL_RULES
    for rule in rules:
        if rule.scope == scope and rule.scheme in (scheme, "any") and rule.situation in (situation, "any"):
            return Advice(rule.filing_required, scope, rule.ratio_change_points, rule.note)
    raise AssertionError("the national rules cover every case")  # pragma: no cover


# --- The details step ----------------------------------------------------------

TEMPORARY_MIN_MONTHS = 6      # national rules: temporary filings last at least 6 months
START_DATE_PAST_DAYS = 180    # 补办: one admitted without a filing may still file before discharge
START_DATE_FUTURE_DAYS = 365
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError  # pragma: no cover


@dataclass(frozen=True)
class Details:
    category: str
    person_type: str
    destination_region: str
    start_date: date
    end_date: date | None
    address: str | None
    hospital: str | None
    reason: str | None
    contact_name: str
    contact_phone: str


def person_type_refusal(person_type: str, *, scheme: str, retired: bool) -> str | None:
    """seed 002: 异地安置退休人员 are retired employees who settled elsewhere; the
    registry, not the form, says who is retired (a working employee or a resident
    is not). Returns why the person type does not fit, or None."""
    if person_type == "retired_resettled" and not (scheme == "employee" and retired):
        return ("参保记录显示您不是职工医保退休人员，不能按“异地安置退休人员”备案；"
                "长期在外居住的请选择“异地长期居住人员”，在外工作的请选择“常驻异地工作人员”。")
    return None


def check_start_date(errors: dict[str, list[str]], start_date: date, today: date) -> None:
    """The window a filing may start in, for every cross-province filing alike (补办:
    one admitted without a filing may still file before discharge)."""
    if start_date < today - timedelta(days=START_DATE_PAST_DAYS):
        errors["start_date"] = [f"开始日期不能早于 {today - timedelta(days=START_DATE_PAST_DAYS)}；"
                                "已出院的费用请到参保地经办机构办理手工报销。"]
    elif start_date > today + timedelta(days=START_DATE_FUTURE_DAYS):
        errors["start_date"] = ["开始日期不能晚于一年以后。"]


def check_contact(errors: dict[str, list[str]], name: str, phone: str) -> None:
    if not name.strip():
        errors["contact_name"] = ["请填写联系人姓名。"]
    if not PHONE.match(phone.strip()):
        errors["contact_phone"] = ["请填写正确的联系电话：11位手机号或带区号的固定电话。"]


def check_details(d: Details, *, scheme: str, insured_region: str, today: date,
                  destination_is_city: bool, retired: bool = False) -> Advice:
    """Everything a filing's details must satisfy, with one message per field."""
    errors: dict[str, list[str]] = {}
    if d.person_type not in PERSON_TYPES.get(d.category, ()):
        allowed = "、".join(PERSON_TYPE_LABELS[p] for p in PERSON_TYPES.get(d.category, ()))
        errors["person_type"] = [f"“{CATEGORY_LABELS.get(d.category, d.category)}”的人员类别应为：{allowed}。"]
    elif refusal := person_type_refusal(d.person_type, scheme=scheme, retired=retired):
        errors["person_type"] = [refusal]
    if not destination_is_city:
        errors["destination_region"] = ["请选择就医地所在的地级市（6位行政区划代码）。"]
    elif d.destination_region == insured_region:
        errors["destination_region"] = ["就医地须在参保统筹区以外：与参保地相同的无需备案。"]
    check_start_date(errors, d.start_date, today)
    if d.category == "temporary":
        earliest_end = add_months(d.start_date, TEMPORARY_MIN_MONTHS)
        if d.end_date is None:
            errors["end_date"] = ["临时外出就医须填写结束日期。"]
        elif d.end_date < earliest_end:
            errors["end_date"] = [f"临时外出就医备案有效期不少于6个月，结束日期请不早于 {earliest_end}。"]
    elif d.category == "long_term":
        if not (d.address or "").strip():
            errors["address"] = ["长期居住备案须填写在备案地的居住地址。"]
        if d.end_date is not None and d.end_date <= d.start_date:
            errors["end_date"] = ["结束日期须晚于开始日期。"]
    check_contact(errors, d.contact_name, d.contact_phone)
    if errors:
        raise Invalid("备案信息有误，请按提示修改：" + fields_in_words(errors) + "。",
                      code="filing.details_invalid", errors=errors)
    advice = advise(scheme, insured_region, d.destination_region, SITUATION_OF_PERSON_TYPE[d.person_type])
    if not advice.filing_required:
        raise Invalid("按参保地政策，这种情况无需备案：" + advice.note,
                      code="filing.not_required",
                      errors={"person_type": ["此类情形无需办理异地就医备案。"]})
    return advice


def validity(category: str, start_date: date, end_date: date | None) -> tuple[date, date | None]:
    """National rules: long-term filings last until changed or cancelled (an end date
    the person gave is kept); temporary filings at least 6 months."""
    if category == "temporary":
        return start_date, max(end_date or start_date, add_months(start_date, TEMPORARY_MIN_MONTHS))
    return start_date, end_date


def check_one_long_term_in_force(existing_filing_no: str | None, destination: str | None = None) -> None:
    """National rules: a filing names one destination; moving means changing or
    cancelling. So one long-term filing in force per person, and a person who
    starts a second one is told at the first step that knows it is long-term (参保信息
    when the entry page said so, else 备案信息), not after signing."""
    if existing_filing_no:
        where = f"，备案地{destination}" if destination else ""
        raise Conflict(
            f"参保人已有一份生效中的异地长期居住备案（备案号 {existing_filing_no}{where}），"
            "在其有效期内不能再次办理。如需变更就医地，请先在“查看记录”中取消该备案，再重新办理。",
            code="filing.long_term_exists",
            errors={"filing_no": [existing_filing_no]},
        )


def filing_number(insured_region: str, day: date, serial: int) -> str:
    return f"YD{insured_region}{day:%Y%m%d}{serial:06d}"


def check_settlement_date(settled_at: datetime, *, now: datetime, valid_from: date, valid_to: date | None) -> None:
    """A settlement happens under a filing in force: not in the future, and on a
    (Beijing) day from the filing's first to its last, if it has one. Both times
    carry their zone."""
    if settled_at > now:
        raise Invalid("结算时间不能晚于当前时间。", code="settlement.in_future",
                      errors={"settled_at": ["结算时间不能是将来的时间。"]})
    settled_on = settled_at.astimezone(BEIJING).date()
    if settled_on < valid_from or (valid_to is not None and settled_on > valid_to):
        until = f"至 {valid_to}" if valid_to else "起长期有效"
        raise Invalid(f"结算日期 {settled_on} 不在该备案的有效期内（{valid_from} {until}）。",
                      code="settlement.outside_validity",
                      errors={"settled_at": [f"应在 {valid_from} {until}之内。"]})


def check_cancellable(*, category: str, valid_from: date, today: date, settlement: tuple[str, str] | None,
                      wait_days: int = 0) -> None:
    """seed 002: a filing with no settlement at the filing place may be cancelled
    online. National rules: a region may make a long-term filer wait up to 6 months."""
    if settlement:
        institution, when = settlement
        raise Conflict(
            f"该备案已于 {when} 在{institution}发生医保结算，不能线上取消；"
            "如需变更，请联系参保地医保经办机构。",
            code="filing.settled",
        )
    wait = min(wait_days, MAX_CANCEL_WAIT_DAYS)
    if category == "long_term" and wait and today < valid_from + timedelta(days=wait):
        raise Conflict(
            f"按参保地规定，长期居住备案须满 {wait} 天后方可变更或取消，"
            f"请于 {valid_from + timedelta(days=wait)} 之后再办理。",
            code="filing.cancel_too_early",
        )
