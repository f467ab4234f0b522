import marshmallow as ma
from flask_smorest.fields import Upload

from backend.api.auth.schemas import IdentitySchema
from backend.api.base import Page, StrictSchema, page_of
from backend.api.catalogue.schemas import REGION
from backend.api.fields import BeijingDateTime
from backend.domain import filing as rules

STATUSES = list(rules.STATUSES)


class CreateFilingSchema(StrictSchema):
    for_whom = ma.fields.String(data_key="for", required=True, validate=ma.validate.OneOf(["self", "other"]))

    class Meta(StrictSchema.Meta):
        example = {"for": "self"}


class InsuredSchema(StrictSchema):
    scheme = ma.fields.String(required=True, validate=ma.validate.OneOf(rules.SCHEMES))
    insured_region = ma.fields.String(required=True, validate=REGION)
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=64), metadata={"description": "for: other"})
    id_number = ma.fields.String(validate=ma.validate.Length(min=1, max=32), metadata={"description": "for: other"})
    relation = ma.fields.String(validate=ma.validate.OneOf(rules.RELATIONS),
                                metadata={"description": "for: other; the insured person's relation to the agent"})
    category = ma.fields.String(validate=ma.validate.OneOf(rules.CATEGORIES), metadata={
        "description": "the kind of filing chosen on the entry page, if known: a long-term filing while "
                       "another is in force is refused here (409 `filing.long_term_exists`), not after signing"})

    class Meta(StrictSchema.Meta):
        example = {"scheme": "employee", "insured_region": "140100"}


class NoticeSchema(StrictSchema):
    accepted = ma.fields.Boolean(required=True)
    version = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32))

    class Meta(StrictSchema.Meta):
        example = {"accepted": True, "version": "2026.1"}


class DetailsSchema(StrictSchema):
    category = ma.fields.String(required=True, validate=ma.validate.OneOf(rules.CATEGORIES))
    person_type = ma.fields.String(required=True, validate=ma.validate.OneOf(
        [p for types in rules.PERSON_TYPES.values() for p in types]))
    destination_region = ma.fields.String(required=True, validate=REGION)
    start_date = ma.fields.Date(required=True)
    end_date = ma.fields.Date(allow_none=True, metadata={"description": "required for temporary filings"})
    address = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200),
                               metadata={"description": "address at the destination; required for long-term"})
    hospital = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200))
    reason = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=500))
    contact_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    contact_phone = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20))

    class Meta(StrictSchema.Meta):
        example = {"category": "long_term", "person_type": "stationed_worker", "destination_region": "460100",
                   "start_date": "2026-12-01", "address": "海南省海口市美兰区海甸岛人民大道58号",
                   "contact_name": "李明", "contact_phone": "13834560318"}


class FileSchema(ma.Schema):
    file = Upload(required=True)


NO_CANCEL_REASON = "请选择或填写取消原因。"


def _cancel_reason(value: str) -> None:
    """A reason of blanks is no reason; the mini-program offers the list of
    `GET /labels` group `filing.cancel_reason` and a text for 其他原因."""
    if not value.strip():
        raise ma.ValidationError(NO_CANCEL_REASON)
    if len(value) > 500:
        raise ma.ValidationError("取消原因不能超过500字。")


class CancelSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=_cancel_reason,
                              error_messages={"required": NO_CANCEL_REASON, "null": NO_CANCEL_REASON},
                              metadata={"description": "why, in the person's words or one of the labels of "
                                                       "`filing.cancel_reason`", "minLength": 1, "maxLength": 500})

    class Meta(StrictSchema.Meta):
        example = {"reason": "已返回参保地居住"}


class FilingQuerySchema(Page):
    for_whom = ma.fields.String(data_key="for", load_default="self", validate=ma.validate.OneOf(["self", "other"]))
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))


class StepSchema(ma.Schema):
    name = ma.fields.String()
    label = ma.fields.String()
    done = ma.fields.Boolean()


class AgentInfoSchema(IdentitySchema):
    phone = ma.fields.String(allow_none=True)
    relation = ma.fields.String(allow_none=True)
    relation_label = ma.fields.String(allow_none=True)


class AttachmentSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"enum": list(rules.ATTACHMENT_KINDS)})
    size = ma.fields.Integer()
    width = ma.fields.Integer()
    height = ma.fields.Integer()
    sha256 = ma.fields.String()
    created_at = BeijingDateTime()


class FilingSchema(ma.Schema):
    id = ma.fields.Integer()
    status = ma.fields.String(metadata={"enum": STATUSES})
    status_label = ma.fields.String()
    for_whom = ma.fields.String(data_key="for")
    made_by_agent = ma.fields.Boolean()
    viewer_role = ma.fields.String(metadata={"enum": ["insured", "agent"]})
    steps = ma.fields.List(ma.fields.Nested(StepSchema))
    next_step = ma.fields.String(allow_none=True, metadata={"enum": list(rules.STEP_LABELS)})
    insured_person = ma.fields.Nested(IdentitySchema, allow_none=True)
    agent = ma.fields.Nested(AgentInfoSchema, allow_none=True)
    scheme = ma.fields.String(allow_none=True)
    insured_region = ma.fields.String(allow_none=True)
    insured_region_name = ma.fields.String(allow_none=True)
    notice_version = ma.fields.String(allow_none=True)
    agent_declaration_version = ma.fields.String(allow_none=True, metadata={"description": "proxy path: 代办承诺书"})
    agent_declaration_signed_at = BeijingDateTime(allow_none=True)
    category = ma.fields.String(allow_none=True, metadata={"enum": list(rules.CATEGORIES)})
    person_type = ma.fields.String(allow_none=True, metadata={"enum": list(rules.PERSON_TYPE_LABELS)})
    person_type_label = ma.fields.String(allow_none=True)
    scope = ma.fields.String(allow_none=True, metadata={"enum": ["in_province", "cross_province"]})
    destination_region = ma.fields.String(allow_none=True)
    destination_region_name = ma.fields.String(allow_none=True)
    start_date = ma.fields.Date(allow_none=True)
    end_date = ma.fields.Date(allow_none=True)
    address = ma.fields.String(allow_none=True)
    hospital = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    contact_name = ma.fields.String(allow_none=True)
    contact_phone = ma.fields.String(allow_none=True)
    pledge_version = ma.fields.String(allow_none=True)
    signed_at = BeijingDateTime(allow_none=True)
    attachments = ma.fields.List(ma.fields.Nested(AttachmentSchema))
    filing_no = ma.fields.String(allow_none=True)
    valid_from = ma.fields.Date(allow_none=True)
    valid_to = ma.fields.Date(allow_none=True, metadata={"description": "null: until changed or cancelled"})
    submitted_at = BeijingDateTime(allow_none=True)
    cancelled_at = BeijingDateTime(allow_none=True)
    cancel_reason = ma.fields.String(allow_none=True)
    settled = ma.fields.Boolean()
    created_at = BeijingDateTime()


FilingPageSchema = page_of(FilingSchema, "FilingPageSchema")


class VerificationSchema(ma.Schema):
    status = ma.fields.String()
    status_label = ma.fields.String()
    in_force = ma.fields.Boolean()
    name = ma.fields.String(metadata={"description": "masked", "example": "王*英"})
    filing_no = ma.fields.String()
    destination_region = ma.fields.String()
    destination_region_name = ma.fields.String(allow_none=True)
    category = ma.fields.String()
    valid_from = ma.fields.Date()
    valid_to = ma.fields.Date(allow_none=True)
