import marshmallow as ma

from backend.api.base import Id, Money, Page, StrictSchema, page_of
from backend.api.catalogue.schemas import REGION
from backend.api.fields import BeijingDateTime
from backend.api.filings.schemas import AgentInfoSchema, AttachmentSchema, StepSchema
from backend.api.auth.schemas import IdentitySchema
from backend.api.partner.schemas import SettlementAmount
from backend.domain import filing as filing_rules
from backend.domain import work_injury as rules

STATUSES = list(rules.STATUSES)


class WiCreateSchema(StrictSchema):
    for_whom = ma.fields.String(data_key="for", required=True, validate=ma.validate.OneOf(["self", "other"]))

    class Meta(StrictSchema.Meta):
        example = {"for": "self"}


class WiInjuryStepSchema(StrictSchema):
    injury_id = Id(metadata={"description": "one of `GET /me/work-injuries` (self); may be left out when the "
                                            "worker has exactly one recognition on record"})
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=64), metadata={"description": "for: other"})
    id_number = ma.fields.String(validate=ma.validate.Length(min=1, max=32), metadata={"description": "for: other"})
    relation = ma.fields.String(validate=ma.validate.OneOf(filing_rules.RELATIONS),
                                metadata={"description": "for: other; the worker's relation to the agent"})

    class Meta(StrictSchema.Meta):
        example = {"injury_id": 1}


class WiReferredBySchema(StrictSchema):
    institution = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200),
                                   metadata={"description": "the insured place's agreement institution that referred"})
    document_no = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64),
                                   metadata={"description": "the referral document's number"})


class WiDetailsSchema(StrictSchema):
    filing_type = ma.fields.String(required=True, validate=ma.validate.OneOf(rules.FILING_TYPES))
    destination_region = ma.fields.String(required=True, validate=REGION,
                                          metadata={"description": "a city in another province"})
    start_date = ma.fields.Date(required=True)
    end_date = ma.fields.Date(allow_none=True, metadata={
        "description": "referral: required, at most 6 months after the start; residence: optional"})
    address = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200),
                               metadata={"description": "address at the destination; required for residence"})
    institution = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200), metadata={
        "description": "the destination's work-injury agreement institution; required for referral"})
    referred_by = ma.fields.Nested(WiReferredBySchema, allow_none=True, metadata={"description": "required for referral"})
    services = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(rules.SERVICES)), required=True,
                              validate=ma.validate.Length(min=1, max=3))
    contact_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    contact_phone = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20))

    class Meta(StrictSchema.Meta):
        example = {"filing_type": "residence", "destination_region": "430100", "start_date": "2026-12-01",
                   "address": "湖南省长沙市天心区劳动西路9号", "institution": "湖南省职业病防治院",
                   "services": ["inpatient_medical", "inpatient_rehab"], "contact_name": "张隽",
                   "contact_phone": "13134560190"}


class WiCancelSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))

    class Meta(StrictSchema.Meta):
        example = {"reason": "已返回参保地治疗"}


class WiQuerySchema(Page):
    for_whom = ma.fields.String(data_key="for", load_default="self", validate=ma.validate.OneOf(["self", "other"]))
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))


class WiInjurySchema(ma.Schema):
    id = ma.fields.Integer()
    basis = ma.fields.String(metadata={"enum": list(rules.BASES)})
    basis_label = ma.fields.String()
    decision_no = ma.fields.String(metadata={"example": "乌人社工伤认字〔2026〕第0193号"})
    decided_on = ma.fields.Date()
    injury = ma.fields.String(metadata={"example": "脑外伤（颅脑损伤）"})
    employer = ma.fields.String()
    insured_region = ma.fields.String()
    insured_region_name = ma.fields.String(allow_none=True)


class WiFilingInjurySchema(ma.Schema):
    id = ma.fields.Integer()
    basis = ma.fields.String(metadata={"enum": list(rules.BASES)})
    basis_label = ma.fields.String()
    decision_no = ma.fields.String()
    decided_on = ma.fields.Date()
    injury = ma.fields.String()
    employer = ma.fields.String()


class WiServiceSchema(ma.Schema):
    name = ma.fields.String(metadata={"enum": list(rules.SERVICES)})
    label = ma.fields.String()
    catalogue = ma.fields.String(metadata={"enum": ["destination", "insured_place"],
                                           "description": "whose catalogue applies (seed 001.6)"})
    catalogue_label = ma.fields.String()


class WiAmountsSchema(StrictSchema):
    inpatient_medical = Money(allow_none=True, validate=SettlementAmount())
    inpatient_rehab = Money(allow_none=True, validate=SettlementAmount())
    assistive_device = Money(allow_none=True, validate=SettlementAmount())


class WiSettlementSchema(ma.Schema):
    id = ma.fields.Integer()
    filing_no = ma.fields.String()
    settled_at = BeijingDateTime()
    institution = ma.fields.String()
    amounts = ma.fields.Nested(WiAmountsSchema)
    total = ma.fields.Decimal(as_string=True, metadata={"type": "string", "format": "decimal", "example": "12000.00"})


class WiReferredByViewSchema(ma.Schema):
    institution = ma.fields.String()
    document_no = ma.fields.String()


class WiFilingSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"enum": ["work_injury"]})
    kind_label = ma.fields.String()
    status = ma.fields.String(metadata={"enum": STATUSES})
    status_label = ma.fields.String()
    for_whom = ma.fields.String(data_key="for")
    made_by_agent = ma.fields.Boolean()
    viewer_role = ma.fields.String(metadata={"enum": ["insured", "agent", "partner"]})
    steps = ma.fields.List(ma.fields.Nested(StepSchema))
    next_step = ma.fields.String(allow_none=True, metadata={"enum": list(rules.STEP_LABELS)})
    insured_person = ma.fields.Nested(IdentitySchema, allow_none=True)
    agent = ma.fields.Nested(AgentInfoSchema, allow_none=True)
    injury = ma.fields.Nested(WiFilingInjurySchema, allow_none=True)
    insured_region = ma.fields.String(allow_none=True)
    insured_region_name = ma.fields.String(allow_none=True)
    notice_version = ma.fields.String(allow_none=True)
    filing_type = ma.fields.String(allow_none=True, metadata={"enum": list(rules.FILING_TYPES)})
    filing_type_label = ma.fields.String(allow_none=True)
    destination_region = ma.fields.String(allow_none=True)
    destination_region_name = ma.fields.String(allow_none=True)
    start_date = ma.fields.Date(allow_none=True)
    end_date = ma.fields.Date(allow_none=True)
    address = ma.fields.String(allow_none=True)
    institution = ma.fields.String(allow_none=True)
    referred_by = ma.fields.Nested(WiReferredByViewSchema, allow_none=True)
    services = ma.fields.List(ma.fields.Nested(WiServiceSchema))
    contact_name = ma.fields.String(allow_none=True)
    contact_phone = ma.fields.String(allow_none=True)
    pledge_version = ma.fields.String(allow_none=True)
    signed_at = BeijingDateTime(allow_none=True)
    attachments = ma.fields.List(ma.fields.Nested(AttachmentSchema))
    filing_no = ma.fields.String(allow_none=True)
    valid_from = ma.fields.Date(allow_none=True)
    valid_to = ma.fields.Date(allow_none=True, metadata={"description": "null: until cancelled (residence)"})
    submitted_at = BeijingDateTime(allow_none=True)
    decided_at = BeijingDateTime(allow_none=True)
    decided_by = ma.fields.String(allow_none=True, metadata={"description": "the agency that answered a referral"})
    reject_reason = ma.fields.String(allow_none=True)
    cancelled_at = BeijingDateTime(allow_none=True)
    cancel_reason = ma.fields.String(allow_none=True)
    settled = ma.fields.Boolean()
    settlements = ma.fields.List(ma.fields.Nested(WiSettlementSchema))
    created_at = BeijingDateTime()


WiFilingPageSchema = page_of(WiFilingSchema, "WiFilingPageSchema")


class WiVerificationSchema(ma.Schema):
    kind = ma.fields.String(metadata={"enum": ["work_injury"]})
    kind_label = ma.fields.String(metadata={"example": "工伤异地就医备案"})
    status = ma.fields.String(metadata={"enum": STATUSES})
    status_label = ma.fields.String()
    in_force = ma.fields.Boolean()
    name = ma.fields.String(metadata={"description": "masked", "example": "张*"})
    filing_no = ma.fields.String()
    filing_type = ma.fields.String(metadata={"enum": list(rules.FILING_TYPES)})
    filing_type_label = ma.fields.String()
    insured_region = ma.fields.String()
    insured_region_name = ma.fields.String(allow_none=True)
    destination_region = ma.fields.String()
    destination_region_name = ma.fields.String(allow_none=True)
    institution = ma.fields.String(allow_none=True)
    services = ma.fields.List(ma.fields.String())
    valid_from = ma.fields.Date()
    valid_to = ma.fields.Date(allow_none=True)


# --- partner side ----------------------------------------------------------------------

class WiRejectSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))

    class Meta(StrictSchema.Meta):
        example = {"reason": "参保地协议机构具备相应诊疗条件，不符合转诊规定"}


class WiAgencyQuerySchema(Page):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES[1:]))


class WiSettlementRequestSchema(StrictSchema):
    filing_no = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))
    settled_at = BeijingDateTime(required=True, metadata={
        "description": "RFC 3339; a time without an offset is Beijing time (UTC+8)"})
    institution = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    amounts = ma.fields.Nested(WiAmountsSchema, required=True, metadata={
        "description": "yuan per service, 0.01 to 10,000,000 each; at least one; only services the filing covers"})

    class Meta(StrictSchema.Meta):
        example = {"filing_no": "GS65010020261201000001", "settled_at": "2026-12-20T10:00:00+08:00",
                   "institution": "湖南省职业病防治院", "amounts": {"inpatient_medical": "12000.00"}}


# --- QA -------------------------------------------------------------------------------------

class WiQaInjuryRequestSchema(StrictSchema):
    id_number = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32))
    basis = ma.fields.String(validate=ma.validate.OneOf(rules.BASES))
    insured_region = ma.fields.String(validate=REGION, metadata={"description": "default: the person's insured region"})
    injury = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    employer = ma.fields.String(validate=ma.validate.Length(min=1, max=200))

    class Meta(StrictSchema.Meta):
        example = {"id_number": "650102198804230190", "basis": "injury_recognition", "injury": "脑外伤"}


class WiQaInjurySchema(WiInjurySchema):
    id_number = ma.fields.String(metadata={"description": "masked"})
