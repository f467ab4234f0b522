"""Notifications (订阅消息): every template in one place — its title (in
`labels.MESSAGE_TEMPLATE`), the sentence a person reads in the mini-program, and the
fields WeChat's subscribe message carries (`thing1`, `time2`, … as the template is
registered on the WeChat platform), with the page the message opens.

A subscribe message's fields have kinds with limits of their own (WeChat's
documentation): `thing` ≤ 20 characters, `character_string` ≤ 32 letters and digits,
`phrase` ≤ 5 Chinese characters, `date` and `time` written as dates. `fields()` cuts
every value to its kind's limit, so a long hospital or team name never makes WeChat
refuse the whole message.

Standard library only: the domain layer does not know Flask or the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from backend.domain import labels

# How far ahead the daily job reminds of an end date.
EXPIRING_DAYS = 30

# Delivery: attempts before a message is given up as `failed`, and the wait before
# attempt n+1 (minutes): 1, 5, 30, 120 — a WeChat outage of a few hours is ridden out.
MAX_ATTEMPTS = 5
BACKOFF_MINUTES = (1, 5, 30, 120)

STATES = ("pending", "sent", "failed")

LIMITS = {"thing": 20, "character_string": 32, "phrase": 5, "name": 10, "number": 32}


@dataclass(frozen=True)
class Template:
    name: str
    # (field key as registered with WeChat, the value's name in `values`)
    fields: tuple[tuple[str, str], ...]
    body: str          # str.format with `values`
    page: str          # the mini-program page the message opens, with `values`

    @property
    def title(self) -> str:
        return labels.MESSAGE_TEMPLATE[self.name]


TEMPLATES: dict[str, Template] = {t.name: t for t in (
    Template("filing_effective",
             (("character_string1", "filing_no"), ("thing2", "destination"), ("date3", "valid_from"),
              ("date4", "valid_to"), ("thing5", "hint")),
             "您的异地就医备案已生效。备案号 {filing_no}，就医地 {destination}，有效期 {valid_from} 至 {valid_to}。"
             "就医时请携带医保电子凭证或社保卡。",
             "pages/filing/detail?id={filing_id}"),
    Template("filing_made_by_agent",
             (("thing1", "agent"), ("character_string2", "filing_no"), ("thing3", "destination"),
              ("time4", "at")),
             "代办人 {agent} 于 {at} 为您办理了异地就医备案（备案号 {filing_no}，就医地 {destination}）。"
             "如非您本人授权，请在“我的医保 → 代办人”中撤回其代办权限，并取消该备案。",
             "pages/filing/detail?id={filing_id}"),
    Template("filing_cancelled",
             (("character_string1", "filing_no"), ("thing2", "destination"), ("time3", "at"), ("thing4", "reason")),
             "您的异地就医备案（备案号 {filing_no}，就医地 {destination}）已于 {at} 取消。原因：{reason}。",
             "pages/filing/detail?id={filing_id}"),
    Template("filing_expiring",
             (("character_string1", "filing_no"), ("thing2", "destination"), ("date3", "valid_to"),
              ("thing4", "hint")),
             "您的异地就医备案（备案号 {filing_no}，就医地 {destination}）将于 {valid_to} 到期。"
             "到期后如仍需在异地就医，请重新办理备案。",
             "pages/filing/detail?id={filing_id}"),
    Template("signup_accepted",
             (("thing1", "team"), ("thing2", "institution"), ("date3", "valid_from"), ("date4", "valid_to")),
             "{institution} {team} 已同意与您签约，家庭医生服务期 {valid_from} 至 {valid_to}。",
             "pages/fd/signup?id={signup_id}"),
    Template("signup_rejected",
             (("thing1", "team"), ("thing2", "reason"), ("time3", "at")),
             "{institution} {team} 未同意您的签约申请。原因：{reason}。您可以重新选择团队申请签约。",
             "pages/fd/signup?id={signup_id}"),
    Template("signup_expiring",
             (("thing1", "team"), ("date2", "valid_to"), ("thing3", "hint")),
             "您与 {institution} {team} 的家庭医生签约将于 {valid_to} 到期。可在到期前续约，续约后服务不中断。",
             "pages/fd/signup?id={signup_id}"),
    # rescue fund (seed 000)
    Template("rescue_returned",
             (("character_string1", "application_no"), ("thing2", "items"), ("time3", "at")),
             "您的道交救助基金垫付申请（{application_no}）需要补正：{items}。请在“道交救助基金 → 申请记录”中"
             "修改所列项目后重新提交。",
             "pages/rescue/status?id={application_id}"),
    Template("rescue_approved",
             (("character_string1", "application_no"), ("amount2", "amount"), ("date3", "payment_due")),
             "您的道交救助基金垫付申请（{application_no}）已核定，垫付金额 {amount} 元，"
             "将于 {payment_due} 前支付给 {hospital}。",
             "pages/rescue/status?id={application_id}"),
    Template("rescue_paid",
             (("character_string1", "application_no"), ("amount2", "paid"), ("thing3", "hospital")),
             "救助基金已向 {hospital} 垫付，累计 {paid} 元（申请编号 {application_no}）。",
             "pages/rescue/status?id={application_id}"),
)}

HINTS = {"filing_effective": "就医时请携带医保电子凭证", "filing_expiring": "到期后如需就医请重新备案",
         "signup_expiring": "可在到期前续约"}


def written(value) -> str:
    """Dates and times as people here write them: 2026年12月1日, 2026年12月1日 13:05."""
    if isinstance(value, datetime):
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "" if value is None else str(value)


def fit(key: str, value: str) -> str:
    """A value cut to what its field's kind allows (`thing2` is a `thing`)."""
    kind = key.rstrip("0123456789")
    limit = LIMITS.get(kind)
    if limit and len(value) > limit:
        return value[:limit - 1] + "…"
    return value


def render(name: str, values: dict) -> tuple[str, str, dict, str]:
    """→ (title, body, data, page) of template `name`; `values` are dates, times and
    texts (already in Beijing time). `data` is WeChat's shape: {key: {"value": …}}."""
    template = TEMPLATES[name]
    values = {"hint": HINTS.get(name, ""), **values}
    text = {k: written(v) for k, v in values.items()}
    data = {key: {"value": fit(key, text[value])} for key, value in template.fields}
    return template.title, template.body.format(**text), data, template.page.format(**text)


# --- work-injury cross-province filing (seed 001) -------------------------------------
TEMPLATES.update({t.name: t for t in (
    Template("wi_filing_pending",
             (("character_string1", "filing_no"), ("thing2", "destination"), ("thing3", "filing_type"),
              ("time4", "at")),
             "您的工伤异地就医备案（{filing_type}，备案号 {filing_no}，就医地 {destination}）已提交，"
             "待参保地工伤保险经办机构审核，审核结果将通过消息通知您。",
             "pages/wi/detail?id={filing_id}"),
    Template("wi_filing_effective",
             (("character_string1", "filing_no"), ("thing2", "destination"), ("date3", "valid_from"),
              ("date4", "valid_to"), ("thing5", "hint")),
             "您的工伤异地就医备案已生效。备案号 {filing_no}，就医地 {destination}，有效期 {valid_from} 至 {valid_to}。"
             "住院工伤医疗、康复和辅助器具配置费用可在就医地直接结算，请持社会保障卡（实体卡或电子社保卡）就医。",
             "pages/wi/detail?id={filing_id}"),
    Template("wi_filing_rejected",
             (("character_string1", "filing_no"), ("thing2", "reason"), ("time3", "at")),
             "您的工伤异地就医备案（备案号 {filing_no}）未通过参保地工伤保险经办机构审核。原因：{reason}。",
             "pages/wi/detail?id={filing_id}"),
    Template("wi_filing_cancelled",
             (("character_string1", "filing_no"), ("thing2", "destination"), ("time3", "at"), ("thing4", "reason")),
             "您的工伤异地就医备案（备案号 {filing_no}，就医地 {destination}）已于 {at} 取消。原因：{reason}。",
             "pages/wi/detail?id={filing_id}"),
    Template("wi_filing_made_by_agent",
             (("thing1", "agent"), ("character_string2", "filing_no"), ("thing3", "destination"), ("time4", "at")),
             "代办人 {agent} 于 {at} 为您办理了工伤异地就医备案（备案号 {filing_no}，就医地 {destination}）。"
             "如非您本人授权，请在“我的医保 → 代办人”中撤回其代办权限。",
             "pages/wi/detail?id={filing_id}"),
)})
HINTS["wi_filing_effective"] = "请持社会保障卡就医"
