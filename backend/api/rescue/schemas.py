import marshmallow as ma

from backend.api.base import Id, Money, Page, StrictSchema, page_of
from backend.api.catalogue.schemas import REGION
from backend.api.fields import BeijingDateTime
from backend.domain import labels
from backend.domain import rescue as rules

TIME = {"description": "RFC 3339; a time without an offset is Beijing time (UTC+8)"}


class RescueCreateSchema(StrictSchema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(rules.KINDS))
    for_whom = ma.fields.String(data_key="for", required=True, validate=ma.validate.OneOf(["self", "other"]))

    class Meta(StrictSchema.Meta):
        example = {"kind": "rescue", "for": "other"}


class RescueNoticeSchema(StrictSchema):
    accepted = ma.fields.Boolean(required=True)
    version = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32))

    class Meta(StrictSchema.Meta):
        example = {"accepted": True, "version": "2026.1"}


class RescueAccidentSchema(StrictSchema):
    police_notice_no = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))
    police_unit = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    accident_at = BeijingDateTime(required=True, metadata=TIME)
    accident_region = ma.fields.String(required=True, validate=REGION,
                                       metadata={"description": "GB/T 2260; Shanxi only (starts with 14)"})
    accident_place = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    situation = ma.fields.String(required=True, validate=ma.validate.OneOf(rules.SITUATIONS))

    class Meta(StrictSchema.Meta):
        example = {"police_notice_no": "阳公交垫〔2026〕0318号", "police_unit": "阳泉市公安局交通警察支队城区大队",
                   "accident_at": "2026-11-20T18:40:00+08:00", "accident_region": "140300",
                   "accident_place": "国道239线阳泉城区段", "situation": "uninsured_vehicle"}


class RescueVictimSchema(StrictSchema):
    victim_identified = ma.fields.Boolean(required=True)
    victim_name = ma.fields.String(validate=ma.validate.Length(min=1, max=64), allow_none=True,
                                   metadata={"description": "required when identified (path other)"})
    victim_id_number = ma.fields.String(validate=ma.validate.Length(min=1, max=32), allow_none=True,
                                        metadata={"description": "GB 11643; no insurance registry match required"})
    relation = ma.fields.String(validate=ma.validate.OneOf(rules.RELATIONS), allow_none=True,
                                metadata={"description": "what the victim is to the applicant; path other"})
    victim_condition = ma.fields.String(required=True, validate=ma.validate.OneOf(rules.CONDITIONS))

    class Meta(StrictSchema.Meta):
        example = {"victim_identified": True, "victim_name": "赵小军", "victim_id_number": "140302200703150213",
                   "relation": "child", "victim_condition": "in_treatment"}


class RescueHospitalStepSchema(StrictSchema):
    hospital_id = Id(required=True, metadata={"description": "from GET /rescue/hospitals"})
    rescue_started_at = BeijingDateTime(required=True, metadata=TIME)
    inpatient_no = ma.fields.String(validate=ma.validate.Length(max=40), allow_none=True)
    period = ma.fields.String(required=True, validate=ma.validate.OneOf(rules.PERIODS))
    claimed_amount = Money(allow_none=True, validate=ma.validate.Range(min=0, min_inclusive=False),
                           metadata={"description": "yuan; optional, the reviewer sets the amount"})

    class Meta(StrictSchema.Meta):
        example = {"hospital_id": 1, "rescue_started_at": "2026-11-20T19:10:00+08:00", "inpatient_no": "Z2026112001",
                   "period": "within_7_days", "claimed_amount": "138900.00"}


class RescueContactSchema(StrictSchema):
    contact_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    contact_phone = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20))

    class Meta(StrictSchema.Meta):
        example = {"contact_name": "赵大山", "contact_phone": "13935300155"}


class RescueQuerySchema(Page):
    status = ma.fields.String(validate=ma.validate.OneOf(rules.STATUSES))


class RescueHospitalQuerySchema(ma.Schema):
    region = ma.fields.String(validate=REGION)


class RescueHospitalSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String(metadata={"example": "阳泉市第一人民医院"})
    region = ma.fields.String()
    region_name = ma.fields.String(allow_none=True)
    level = ma.fields.String(allow_none=True)


class RescueStepSchema(ma.Schema):
    name = ma.fields.String(metadata={"enum": list(rules.STEPS)})
    label = ma.fields.String()
    short = ma.fields.String()
    done = ma.fields.Boolean()


class RescuePageRefSchema(ma.Schema):
    id = ma.fields.Integer()
    created_at = BeijingDateTime()
    uploaded_by = ma.fields.String(metadata={"description": "申请人, or the hospital's name"})


class RescueReturnedItemSchema(ma.Schema):
    item = ma.fields.String()
    item_label = ma.fields.String()
    reason = ma.fields.String()
    step = ma.fields.String(allow_none=True, metadata={"enum": list(rules.STEPS)})


class RescuePaymentSchema(ma.Schema):
    amount = Money()
    paid_at = BeijingDateTime()
    payee = ma.fields.String()


class RescueApplicationSchema(ma.Schema):
    id = ma.fields.Integer()
    status = ma.fields.String(metadata={"enum": list(rules.STATUSES)})
    status_label = ma.fields.String()
    kind = ma.fields.String(metadata={"enum": list(rules.KINDS)})
    kind_label = ma.fields.String()
    for_whom = ma.fields.String(data_key="for", metadata={"enum": ["self", "other"]})
    steps = ma.fields.List(ma.fields.Nested(RescueStepSchema))
    next_step = ma.fields.String(allow_none=True, metadata={"enum": list(rules.STEPS)})
    editable_steps = ma.fields.List(ma.fields.String(), metadata={
        "description": "steps that may be done now: every step of a draft, only the named ones once returned"})
    application_no = ma.fields.String(allow_none=True, metadata={"example": "JZ14030020261201000001"})
    notice_verified = ma.fields.Boolean(metadata={"description": "the police registered this notice number"})
    accident = ma.fields.Dict()
    victim = ma.fields.Dict(metadata={"description": "the ID number masked 3+4"})
    hospital = ma.fields.Dict()
    contact = ma.fields.Dict(metadata={"description": "the phone masked"})
    materials = ma.fields.Dict(keys=ma.fields.String(metadata={"enum": list(rules.MATERIALS)}),
                               values=ma.fields.List(ma.fields.Nested(RescuePageRefSchema)))
    returned_items = ma.fields.List(ma.fields.Nested(RescueReturnedItemSchema))
    reject_reason = ma.fields.String(allow_none=True)
    submitted_at = BeijingDateTime(allow_none=True)
    review_due = ma.fields.Date(allow_none=True, metadata={"description": "3 working days after a complete submit"})
    review_overdue = ma.fields.Boolean()
    amount_within_7_days = Money(allow_none=True)
    amount_beyond_7_days = Money(allow_none=True)
    approved_amount = Money(allow_none=True)
    approved_at = BeijingDateTime(allow_none=True)
    payment_due = ma.fields.Date(allow_none=True, metadata={"description": "2 working days after approval"})
    payment_overdue = ma.fields.Boolean()
    due_dates_provisional = ma.fields.Boolean(metadata={
        "description": "a due date was counted through a year whose State Council holiday notice we do not hold"})
    paid_amount = Money(allow_none=True)
    payments = ma.fields.List(ma.fields.Nested(RescuePaymentSchema))
    returned_amount = Money(allow_none=True)
    final_amount = Money(allow_none=True)
    closed_at = BeijingDateTime(allow_none=True)
    created_at = BeijingDateTime()


ApplicationPageSchema = page_of(RescueApplicationSchema, "RescueApplicationPageSchema")


class RescueManagerApplicationSchema(RescueApplicationSchema):
    applicant = ma.fields.String(metadata={"description": "masked name"})
    materials_pages = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


ManagerPageSchema = page_of(RescueManagerApplicationSchema, "RescueManagerPageSchema")


# --- partner bodies -----------------------------------------------------------------------

class RescueNoticeRegistrationSchema(StrictSchema):
    notice_no = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))
    police_unit = ma.fields.String(validate=ma.validate.Length(min=1, max=100),
                                   metadata={"description": "default: the key's organisation"})
    accident_at = BeijingDateTime(required=True, metadata=TIME)
    accident_region = ma.fields.String(required=True, validate=REGION)
    situation = ma.fields.String(required=True, validate=ma.validate.OneOf(rules.SITUATIONS))
    victim_name = ma.fields.String(validate=ma.validate.Length(min=1, max=64), allow_none=True)
    hospital_id = Id(allow_none=True)

    class Meta(StrictSchema.Meta):
        example = {"notice_no": "阳公交垫〔2026〕0318号", "accident_at": "2026-11-20T18:40:00+08:00",
                   "accident_region": "140300", "situation": "uninsured_vehicle", "victim_name": "赵小军"}


class RescueNoticeSchemaOut(ma.Schema):
    id = ma.fields.Integer()
    notice_no = ma.fields.String()
    police_unit = ma.fields.String()
    accident_at = BeijingDateTime()
    accident_region = ma.fields.String()
    situation = ma.fields.String(metadata={"enum": list(rules.SITUATIONS)})
    situation_label = ma.fields.String()
    victim_name = ma.fields.String(allow_none=True, metadata={"description": "masked"})
    hospital_id = ma.fields.Integer(allow_none=True)
    registered_by = ma.fields.String()


class RescueManagerQuerySchema(Page):
    status = ma.fields.String(load_default="submitted", validate=ma.validate.OneOf(rules.STATUSES))


class RescueReturnItemSchema(StrictSchema):
    item = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40), metadata={
        "description": "a material (" + ", ".join(rules.MATERIALS) + "), a field or a step name"})
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))


class RescueReturnSchema(StrictSchema):
    items = ma.fields.List(ma.fields.Nested(RescueReturnItemSchema), required=True,
                           validate=ma.validate.Length(max=20))

    class Meta(StrictSchema.Meta):
        example = {"items": [{"item": "cost_list", "reason": "日清单缺少医院公章"}]}


class RescueApproveSchema(StrictSchema):
    amount_within_7_days = Money(required=True)
    amount_beyond_7_days = Money(allow_none=True, metadata={"description": "default 0; only with beyond_7_days"})

    class Meta(StrictSchema.Meta):
        example = {"amount_within_7_days": "138900.00", "amount_beyond_7_days": "0.00"}


class RescueRejectSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))

    class Meta(StrictSchema.Meta):
        example = {"reason": "经核实，事故不属于救助基金垫付情形"}


class RescuePaySchema(StrictSchema):
    amount = Money(required=True)
    paid_at = BeijingDateTime(required=True, metadata=TIME)
    payee = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100),
                             metadata={"description": "v1: the application's hospital, by name"})

    class Meta(StrictSchema.Meta):
        example = {"amount": "138900.00", "paid_at": "2026-12-03T10:00:00+08:00", "payee": "阳泉市第一人民医院"}


class RescueCloseSchema(StrictSchema):
    returned_amount = Money(required=True, metadata={"description": "unused amount returned (原路退回)"})

    class Meta(StrictSchema.Meta):
        example = {"returned_amount": "0.00"}


class RescueHospitalUploadSchema(ma.Schema):
    application_id = ma.fields.Integer()
    material = ma.fields.String(metadata={"enum": list(rules.MATERIALS)})
    page_id = ma.fields.Integer()
    pages = ma.fields.Integer()


LABELS = labels.RESCUE_STATUS
