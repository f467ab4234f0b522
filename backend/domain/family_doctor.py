"""Family-doctor sign-up (家庭医生签约): teams, packages, who may sign what, and the
life of a contract.

Sources:
* seed 001 (Hunan, 湖南家庭医生签约服务): the make-up of a team, the three service
  packages and what each includes; the value-added package pays ordinary
  outpatient care from the outpatient pool at 70%, at least 420 yuan a year;
* national policy 国卫基层发〔2016〕1号 and the public sign-up mini-programs we
  studied, as summarised in `shared/domain.md` "Flow B": a one-year contract whose
  start date falls within the coming month; "已阅读并同意《签约服务协议》" and a
  hand signature; the key groups (0-6, 65+, pregnant, hypertension, diabetes) and
  the separate consent that declared health data needs; the team accepts or
  declines with a reason; one contract per person; a team has a capacity; the
  five termination reasons.

Standard library only: the service layer loads and saves, this module decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from backend.domain import labels
from backend.domain.errors import Conflict, Invalid
from backend.domain.filing import add_months
from backend.domain.workflow import Workflow

# --- teams (seed 001) -------------------------------------------------------------

ROLES = ("general_practitioner", "public_health", "village_doctor", "specialist")
ROLE_LABELS = labels.TEAM_ROLE
# seed 001: 1 GP of a township or community centre + 1 public-health physician or
# nurse + 1 village doctor; a doctor of a higher-level hospital is encouraged, not required.
REQUIRED_ROLES = ("general_practitioner", "public_health", "village_doctor")

INSTITUTION_KINDS = ("township_health_centre", "community_health_centre")
INSTITUTION_KIND_LABELS = labels.INSTITUTION_KIND


def check_team(roles: list[str], capacity: int, signed: int) -> None:
    """A team as seed 001 describes it, with a place count that makes sense.
    Used on the demo catalogue, so a bad data file fails loudly at seeding."""
    missing = [r for r in REQUIRED_ROLES if r not in roles]
    if missing:
        raise ValueError(f"a family-doctor team needs {', '.join(missing)} (seed 001)")
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown team roles: {', '.join(unknown)}")
    if capacity <= 0 or not 0 <= signed <= capacity:
        raise ValueError(f"a team needs 0 <= signed ({signed}) <= capacity ({capacity})")


def check_team_has_place(capacity: int, signed: int) -> None:
    """A team never goes over its capacity. This is the early answer shown while
    choosing; the one that counts is the conditional update at submit."""
    if signed >= capacity:
        raise Conflict(TEAM_FULL_MESSAGE, code="signup.team_full", errors={"team_id": ["该团队签约名额已满。"]})


TEAM_FULL_MESSAGE = "该家庭医生团队签约名额已满，请选择同一机构的其他团队或其他机构。"

# --- packages (seed 001) ----------------------------------------------------------

PACKAGE_KINDS = ("basic", "value_added", "personalized")
PACKAGE_KIND_LABELS = labels.PACKAGE_KIND

# seed 001: the basic package is free and includes these five services.
BASIC_INCLUDES = ("电子健康档案", "明确家庭医生和联系人", "健康指导", "绿色就医通道", "预约上级医院转诊")

# seed 001: value-added, ordinary outpatient care paid by the outpatient pool.
OUTPATIENT_RATIO_PERCENT = 70
OUTPATIENT_MIN_ANNUAL_LIMIT = 420


def check_package(kind: str, price: float, includes: list[str], *, outpatient_ratio_percent: int | None = None,
                  outpatient_annual_limit: int | None = None) -> None:
    """A package as seed 001 describes it: basic and value-added are free to the
    resident, basic includes the five basic services, value-added pays outpatient
    care at 70% with a limit of at least 420 yuan a year, personalised packages have
    a price set by the institution from the local price list."""
    if kind not in PACKAGE_KINDS:
        raise ValueError(f"unknown package kind {kind!r}")
    if not includes:
        raise ValueError("a package must say what it includes")
    if kind in ("basic", "value_added") and price != 0:
        raise ValueError(f"the {kind} package is free (seed 001)")
    if kind == "basic" and not set(BASIC_INCLUDES) <= set(includes):
        raise ValueError("the basic package includes 电子健康档案, 明确家庭医生和联系人, 健康指导, "
                         "绿色就医通道 and 预约上级医院转诊 (seed 001)")
    if kind == "value_added":
        if outpatient_ratio_percent != OUTPATIENT_RATIO_PERCENT:
            raise ValueError("value-added outpatient care is paid at 70% (seed 001)")
        if outpatient_annual_limit is None or outpatient_annual_limit < OUTPATIENT_MIN_ANNUAL_LIMIT:
            raise ValueError("the value-added outpatient limit is at least 420 yuan a year (seed 001)")
    if kind == "personalized" and price <= 0:
        raise ValueError("a personalised package is priced by the institution and paid by the resident")


@dataclass(frozen=True)
class Offered:
    """A package a team offers, as far as the choice rules need to know it."""

    id: int
    kind: str
    name: str


def choose_packages(offered: list[Offered], chosen_ids: list[int]) -> list[int]:
    """The packages of a sign-up: what was chosen, plus basic, which is always
    included (seed 001: every signed resident gets the basic services).

    Each chosen package must be one the team offers; at most one value-added
    package. The value-added package is open to every signed resident (seed 001,
    "为签约居民": its outpatient part is for all; `value_added_parts` says which
    parts apply to whom)."""
    by_id = {p.id: p for p in offered}
    unknown = [i for i in chosen_ids if i not in by_id]
    if unknown:
        message = f"该团队不提供编号为 {', '.join(map(str, unknown))} 的服务包，请从团队的服务包中选择。"
        raise Invalid(message, code="signup.package_not_offered", errors={"package_ids": [message]})
    chosen = [by_id[i] for i in dict.fromkeys(chosen_ids)]
    if sum(1 for p in chosen if p.kind == "value_added") > 1:
        raise Invalid("增值服务包只能选择一个。", code="signup.package_invalid",
                      errors={"package_ids": ["增值服务包只能选择一个。"]})
    basic = next(p for p in offered if p.kind == "basic")  # the seeder gives every institution one
    return [basic.id] + [p.id for p in chosen if p.kind != "basic"]


def value_added_parts(package_kinds: list[str], key_groups: list[str]) -> list[dict]:
    """What the value-added package gives this resident (seed 001, read in
    `shared/domain.md`): ordinary outpatient care at 70%, at least 420 yuan a year,
    to every signed resident; free health management to the key groups only."""
    if "value_added" not in package_kinds:
        return []
    return [{"part": "outpatient", "label": labels.VALUE_ADDED_PART["outpatient"], "applies": True},
            {"part": "health_management", "label": labels.VALUE_ADDED_PART["health_management"],
             "applies": bool(key_groups)}]


# --- key groups and health data ---------------------------------------------------

HEALTH_TAGS = ("pregnant", "hypertension", "diabetes")
HEALTH_TAG_LABELS = labels.HEALTH_TAG
KEY_GROUP_LABELS = labels.KEY_GROUP
CHILD_MAX_AGE = 6
ELDERLY_MIN_AGE = 65


def key_groups(age: int, health_tags: list[str]) -> list[str]:
    """重点人群 ("一老一小一孕" and the two chronic diseases of seed 001): the age
    groups come from the ID number, the rest only from what was declared."""
    groups = []
    if age <= CHILD_MAX_AGE:
        groups.append("child")
    if age >= ELDERLY_MIN_AGE:
        groups.append("elderly")
    groups += [t for t in HEALTH_TAGS if t in health_tags]
    return groups


def check_health_tags(health_tags: list[str], consent: bool, sex: str) -> list[str]:
    """Declared health data is sensitive personal information (个人信息保护法 §28):
    it needs its own consent, separate from the sign-up agreement. A pregnancy is
    declared for a woman only (sex from digit 17 of the ID number)."""
    tags = [t for t in HEALTH_TAGS if t in health_tags]
    if tags and consent is not True:
        raise Invalid("申报健康状况须先阅读并同意《健康信息使用授权》；不申报的，请清空健康状况。",
                      code="signup.health_consent_required",
                      errors={"health_consent": ["申报健康状况须同意健康信息使用授权。"]})
    if "pregnant" in tags and sex != "female":
        raise Invalid("根据身份证号码，签约人为男性，不能申报孕产妇。", code="signup.health_tag_invalid",
                      errors={"health_tags": ["孕产妇仅限女性申报。"]})
    return tags


# --- the contract ------------------------------------------------------------------

STATUSES = ("draft", "pending", "active", "rejected", "cancelled", "expired")
STATUS_LABELS = labels.SIGNUP_STATUS
# A pending application holds a place: that way the team can never be asked to
# accept more residents than it has room for (see `FLOW`).
HOLDS_PLACE = ("pending", "active")
STEP_LABELS = labels.SIGNUP_STEP

FLOW = Workflow(
    name="signup",
    steps={
        # The team and packages are chosen when the draft is made; then the
        # resident reads the agreement ("已阅读并同意《签约服务协议》") and signs.
        "self": ("packages", "agreement", "signature"),
        "member": ("packages", "agreement", "signature"),
    },
    transitions={
        # submit takes a place in the team; reject, cancel and expire give it back.
        ("draft", "submit"): "pending",
        ("draft", "cancel"): "cancelled",
        ("pending", "accept"): "active",
        ("pending", "reject"): "rejected",
        ("pending", "cancel"): "cancelled",
        ("active", "renew"): "active",
        ("active", "cancel"): "cancelled",
        ("active", "expire"): "expired",
    },
    step_labels=STEP_LABELS,
    status_labels=STATUS_LABELS,
    event_labels=labels.SIGNUP_EVENT,
)

CONTRACT_MONTHS = 12           # common practice: a contract runs one year
START_WITHIN_MONTHS = 1        # ... and starts within the coming month
RENEWAL_WINDOW_DAYS = 30       # signup-agreement §一: 期满前30日内可续约


def check_one_open(existing: tuple[str, str] | None) -> None:
    """One pending or active contract per person (common practice: one family
    doctor at a time). `existing` is (status, team name) of the one already open."""
    if existing:
        status, team = existing
        if status == "active":
            message = (f"签约人已与“{team}”签约，合同有效期内不能重复签约。"
                       "如需更换团队，请先解约，或在到期前30日内续约。")
        else:
            message = f"签约人已向“{team}”提交签约申请，正在等待团队确认，请勿重复申请；如需更换，请先撤回该申请。"
        raise Conflict(message, code="signup.already_signed")


def check_start_date(start: date, today: date) -> None:
    """The start date falls within the coming month (today included)."""
    latest = add_months(today, START_WITHIN_MONTHS)
    if not today <= start <= latest:
        raise Invalid(f"签约开始日期应在 {today} 至 {latest} 之间。", code="signup.start_date_invalid",
                      errors={"start_date": [f"应在 {today} 至 {latest} 之间。"]})


def validity(start: date) -> tuple[date, date]:
    """One year: from the start date to the day before its anniversary (a start on
    29 February has its anniversary on 1 March)."""
    anniversary = add_months(start, CONTRACT_MONTHS)
    if anniversary.day != start.day:
        anniversary += timedelta(days=1)
    return start, anniversary - timedelta(days=1)


def renewal_opens(valid_to: date) -> date:
    return valid_to - timedelta(days=RENEWAL_WINDOW_DAYS - 1)


def renewal(valid_to: date, today: date) -> tuple[date, date]:
    """Renewal (续约) extends the same contract by one year; the new term starts the
    day after the old one ends. Possible in the last 30 days before expiry only
    (signup-agreement §一). Returns the new term."""
    opens = renewal_opens(valid_to)
    if today < opens:
        raise Conflict(f"合同将于 {valid_to} 到期，请于 {opens} 起（到期前30日内）办理续约。",
                       code="signup.renewal_too_early")
    if today > valid_to:
        raise Conflict("合同已到期，不能续约，请重新签约。", code="signup.renewal_too_late")
    return validity(valid_to + timedelta(days=1))


# Termination reasons (common practice, and signup-agreement §五).
CANCEL_REASONS = ("moved_away", "unreachable_one_year", "refused_service_one_year", "own_wish", "other")
CANCEL_REASON_LABELS = labels.SIGNUP_CANCEL_REASON


def check_cancel_reason(reason: str, note: str | None) -> None:
    """A reason from the list; "other" must say what it is."""
    if reason not in CANCEL_REASONS:
        raise Invalid("请选择解约原因。", code="signup.cancel_reason_invalid",
                      errors={"reason": ["取值应为：" + "、".join(CANCEL_REASONS)]})
    if reason == "other" and not (note or "").strip():
        raise Invalid("解约原因为“其他”时，请填写具体说明。", code="signup.cancel_note_required",
                      errors={"note": ["请说明解约原因。"]})


# The reasons a team may end a contract on: all but the resident's own wish, which
# only the resident can give (signup-agreement §五; domain.md, "termination reasons").
TEAM_TERMINATION_REASONS = ("moved_away", "unreachable_one_year", "refused_service_one_year", "other")


def check_team_termination(status: str, reason: str, note: str | None) -> None:
    """A team ends only a contract in force, and only for a reason on its side."""
    if status != "active":
        raise Conflict("只有已生效的签约可由团队解约。", code="signup.not_active")
    if reason not in TEAM_TERMINATION_REASONS:
        raise Invalid("团队解约须选择：迁出服务区域、连续一年联系不上、连续一年拒绝服务或其他原因。",
                      code="signup.termination_reason_invalid",
                      errors={"reason": ["取值应为：" + "、".join(TEAM_TERMINATION_REASONS)]})
    check_cancel_reason(reason, note)
