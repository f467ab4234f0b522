"""Errors a rule can raise. Each carries a stable machine code and a Chinese
message a person can act on; `backend.errors` maps the kind to an HTTP status."""

from __future__ import annotations

from backend.domain import labels


class DomainError(Exception):
    """Base: a request that the rules refuse."""

    kind = "invalid"
    code = "request.invalid"
    message = "请求有误，请检查后重试。"

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 errors: dict[str, list[str]] | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message
        self.code = code or self.code
        self.errors = errors or {}


class Invalid(DomainError):
    """The input breaks a rule (422)."""

    kind = "invalid"


class NotFound(DomainError):
    """Absent, or not this account's to see: the two look the same (404)."""

    kind = "not_found"
    code = "not_found"
    message = "未找到该记录，或您无权查看。"


class Conflict(DomainError):
    """The request clashes with the current state (409)."""

    kind = "conflict"
    code = "conflict"
    message = "当前状态下不能进行此操作。"


class Unauthorized(DomainError):
    """No valid login (401)."""

    kind = "unauthorized"
    code = "auth.unauthorized"
    message = "登录已失效，请重新登录。"


class Forbidden(DomainError):
    """Logged in, but this needs something the account lacks (403)."""

    kind = "forbidden"
    code = "auth.forbidden"
    message = "您没有办理此业务的权限。"


class UnsupportedMedia(DomainError):
    """An upload of a kind we never decode (415)."""

    kind = "unsupported_media"
    code = "upload.unsupported_type"
    message = "仅支持 JPG 或 PNG 格式的图片，请重新选择。"


class TooLarge(DomainError):
    """An upload over the size limit (413)."""

    kind = "too_large"
    code = "upload.too_large"
    message = "文件过大，请压缩后重新上传。"


# What each request field is called on the mini-program's screens, so that a message
# naming the fields at fault reads as the form does.
FIELD_LABELS = {
    "code": "登录凭证", "refresh_token": "登录凭证", "auth_code": "医保电子凭证授权", "name": "姓名", "id_number": "身份证号码",
    "consent": "授权同意", "phone": "手机号", "relation": "与本人关系", "for": "办理对象",
    "scheme": "参保身份", "insured_region": "参保地", "destination_region": "就医地",
    "situation": "就医情形", "accepted": "阅读确认", "version": "文书版本", "category": "备案人员类型",
    "person_type": "人员类别", "start_date": "开始日期", "end_date": "结束日期", "address": "居住地址",
    "hospital": "就诊医院", "reason": "原因", "contact_name": "联系人", "contact_phone": "联系电话",
    "file": "文件", "filing_no": "备案号", "amount": "金额", "settled_at": "结算时间",
    "institution": "医疗机构", "team_id": "家庭医生团队", "package_ids": "服务包", "member_id": "家庭成员",
    "health_tags": "健康状况", "health_consent": "健康信息授权", "note": "说明", "start": "开始日期",
    "page": "页码", "per_page": "每页条数", "status": "状态", "region": "地区", "q": "关键词",
    "parent": "所属省份", "withdrawn": "已撤销",
    # work-injury filing
    "injury_id": "工伤认定信息", "filing_type": "备案类型", "referred_by": "转诊信息", "services": "直接结算服务",
    "amounts": "结算金额", "basis": "工伤认定依据", "injury": "伤情", "employer": "用人单位",
    # rescue fund (seed 000)
    "kind": "申请类型", "police_notice_no": "通知书编号", "police_unit": "交警部门", "accident_at": "事故发生时间",
    "accident_region": "事故发生地", "accident_place": "事故地点", "victim_identified": "受害人身份是否确认",
    "victim_name": "受害人姓名", "victim_id_number": "受害人身份证号码", "victim_condition": "受害人状况",
    "hospital_id": "救治医院", "rescue_started_at": "开始抢救时间", "inpatient_no": "住院号", "period": "抢救治疗期间",
    "claimed_amount": "申请金额", "notice_no": "通知书编号", "items": "补正项目", "item": "补正项目",
    "amount_within_7_days": "7日内核定金额", "amount_beyond_7_days": "7日后核定金额", "paid_at": "支付时间",
    "payee": "收款单位", "returned_amount": "退回金额",
    # QA tools (outside production)
    "age": "年龄", "relations": "亲属", "now": "时间", "advance_days": "推进天数",
}


# A flow whose screens call a shared field name something else: its words win over
# FIELD_LABELS in a message about its own requests. The rescue fund's `situation` is
# the 垫付情形 of the police notice, not Flow A's 就医情形; its `relation` is what the
# victim is to the applicant (shared/domain-rescue-fund.md, steps 1 and 2).
FLOW_FIELD_LABELS = {"rescue": labels.RESCUE_FIELD}


def fields_in_words(names, flow: str | None = None) -> str:
    """`["contact_phone", "end_date"]` → `联系电话、结束日期`; with `flow`, in that flow's words."""
    words = {**FIELD_LABELS, **FLOW_FIELD_LABELS.get(flow or "", {})}
    return "、".join(dict.fromkeys(words.get(n.split(".")[0], n) for n in names if n != "_schema"))
