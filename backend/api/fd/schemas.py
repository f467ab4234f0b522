import marshmallow as ma
from flask_smorest.fields import Upload

from backend.api.auth.schemas import IdentitySchema
from backend.api.base import Id, Page, StrictSchema, page_of
from backend.api.catalogue.schemas import REGION
from backend.api.fields import BeijingDateTime
from backend.domain import family_doctor as rules

AGREEMENT_VERSION_EXAMPLE = "2026.1"


# --- catalogue ------------------------------------------------------------------

class InstitutionQuerySchema(ma.Schema):
    region = ma.fields.String(validate=REGION, metadata={
        "description": "a city (`430100`), or a province (`430000`) for all its cities"})
    q = ma.fields.String(validate=ma.validate.Length(max=50), metadata={
        "description": "text in the name, district or address", "example": "岳麓"})


class TeamMemberSchema(ma.Schema):
    name = ma.fields.String()
    role = ma.fields.String(metadata={"enum": list(rules.ROLES)})
    role_label = ma.fields.String()
    title = ma.fields.String(allow_none=True, metadata={"description": "职称"})
    organisation = ma.fields.String(allow_none=True, metadata={"description": "a specialist's higher-level hospital"})


class ServicePackageSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"enum": list(rules.PACKAGE_KINDS)})
    kind_label = ma.fields.String()
    name = ma.fields.String()
    price = ma.fields.Float(metadata={"description": "yuan a year, paid by the resident; 0 when free"})
    free = ma.fields.Boolean()
    self_paid = ma.fields.Boolean()
    includes = ma.fields.List(ma.fields.String())
    key_groups_only = ma.fields.Boolean(metadata={"description": "value-added: key groups only"})
    outpatient_ratio_percent = ma.fields.Integer(allow_none=True, metadata={"example": 70})
    outpatient_annual_limit = ma.fields.Integer(allow_none=True, metadata={"description": "yuan a year",
                                                                           "example": 420})
    note = ma.fields.String(allow_none=True)


class TeamSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    institution_id = ma.fields.Integer()
    institution_name = ma.fields.String()
    intro = ma.fields.String(allow_none=True)
    capacity = ma.fields.Integer()
    signed = ma.fields.Integer()
    available = ma.fields.Integer()
    full = ma.fields.Boolean()
    has_specialist = ma.fields.Boolean()
    members = ma.fields.List(ma.fields.Nested(TeamMemberSchema))


class TeamDetailSchema(TeamSchema):
    packages = ma.fields.List(ma.fields.Nested(ServicePackageSchema))


class InstitutionSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String(metadata={"enum": list(rules.INSTITUTION_KINDS)})
    kind_label = ma.fields.String()
    region = ma.fields.String()
    region_name = ma.fields.String(allow_none=True)
    district = ma.fields.String()
    address = ma.fields.String()
    phone = ma.fields.String(allow_none=True)
    teams = ma.fields.List(ma.fields.Nested(TeamSchema))


class InstitutionDetailSchema(InstitutionSchema):
    packages = ma.fields.List(ma.fields.Nested(ServicePackageSchema),
                              metadata={"description": "offered by every team of the institution"})


# --- sign-up requests --------------------------------------------------------------

class CreateSignupSchema(StrictSchema):
    for_whom = ma.fields.String(data_key="for", required=True, validate=ma.validate.OneOf(["self", "member"]))
    member_id = Id(allow_none=True, metadata={"description": "for: member; an id from GET /me/family-members"})
    team_id = Id(required=True)
    package_ids = ma.fields.List(Id(), load_default=list, validate=ma.validate.Length(max=10),
                                 metadata={"description": "the team's packages; basic is always included"})
    health_tags = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(rules.HEALTH_TAGS)),
                                 load_default=list, validate=ma.validate.Length(max=3),
                                 metadata={"description": "sensitive: needs health_consent"})
    health_consent = ma.fields.Boolean(load_default=False, metadata={
        "description": "agrees to the `health-consent` document (required when health_tags are declared)"})

    class Meta(StrictSchema.Meta):
        example = {"for": "self", "team_id": 1, "package_ids": [1, 2], "health_tags": ["pregnant"],
                   "health_consent": True}


class SignupAgreementSchema(StrictSchema):
    accepted = ma.fields.Boolean(required=True, metadata={"description": "已阅读并同意《签约服务协议》"})
    version = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32))

    class Meta(StrictSchema.Meta):
        example = {"accepted": True, "version": AGREEMENT_VERSION_EXAMPLE}


class SignatureFileSchema(ma.Schema):
    file = Upload(required=True)


class SignupCancelSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=ma.validate.OneOf(rules.CANCEL_REASONS), metadata={
        "description": "moved_away 迁出服务区域, unreachable_one_year 连续一年联系不上, "
                       "refused_service_one_year 连续一年拒绝服务, own_wish 本人申请, other 其他 (with a note)"})
    note = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=500))

    class Meta(StrictSchema.Meta):
        example = {"reason": "moved_away", "note": "已搬至株洲市居住"}


class SignupTerminateSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=ma.validate.OneOf(rules.TEAM_TERMINATION_REASONS), metadata={
        "description": "moved_away 迁出服务区域, unreachable_one_year 连续一年联系不上, "
                       "refused_service_one_year 连续一年拒绝服务, other 其他 (with a note)"})
    note = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=500))

    class Meta(StrictSchema.Meta):
        example = {"reason": "unreachable_one_year", "note": "2025年11月起电话、上门均联系不上"}


class SignupRenewSchema(StrictSchema):
    accepted = ma.fields.Boolean(required=True, metadata={"description": "agrees again to the current agreement"})
    version = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32))
    package_ids = ma.fields.List(Id(), allow_none=True, validate=ma.validate.Length(max=10),
                                 metadata={"description": "new packages for the next year; leave out to keep them"})

    class Meta(StrictSchema.Meta):
        example = {"accepted": True, "version": AGREEMENT_VERSION_EXAMPLE}


class SignupQuerySchema(Page):
    status = ma.fields.String(validate=ma.validate.OneOf(rules.STATUSES))


# --- sign-up answers ---------------------------------------------------------------

class SignupStepSchema(ma.Schema):
    name = ma.fields.String()
    label = ma.fields.String()
    done = ma.fields.Boolean()


class SignupAgentSchema(IdentitySchema):
    relation = ma.fields.String(allow_none=True)
    relation_label = ma.fields.String(allow_none=True)


class SignupTeamSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    institution_id = ma.fields.Integer()
    institution_name = ma.fields.String()


class SignupPackageSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"enum": list(rules.PACKAGE_KINDS)})
    name = ma.fields.String()
    price = ma.fields.Float()


class ValueAddedPartSchema(ma.Schema):
    part = ma.fields.String(metadata={"enum": ["outpatient", "health_management"]})
    label = ma.fields.String()
    applies = ma.fields.Boolean()


class SignupSchema(ma.Schema):
    id = ma.fields.Integer()
    status = ma.fields.String(metadata={"enum": list(rules.STATUSES)})
    status_label = ma.fields.String()
    for_whom = ma.fields.String(data_key="for", metadata={"enum": ["self", "member"]})
    made_by_agent = ma.fields.Boolean()
    viewer_role = ma.fields.String(metadata={"enum": ["resident", "agent", "partner"]})
    steps = ma.fields.List(ma.fields.Nested(SignupStepSchema))
    next_step = ma.fields.String(allow_none=True, metadata={"enum": list(rules.STEP_LABELS)})
    resident = ma.fields.Nested(IdentitySchema, metadata={
        "description": "to a partner (the team): masked name, sex and age only, no ID number"})
    agent = ma.fields.Nested(SignupAgentSchema, allow_none=True, metadata={
        "description": "to a partner: masked name, sex, age and relation only"})
    team_id = ma.fields.Integer()
    team = ma.fields.Nested(SignupTeamSchema)
    package_ids = ma.fields.List(ma.fields.Integer())
    packages = ma.fields.List(ma.fields.Nested(SignupPackageSchema))
    annual_fee = ma.fields.Float(metadata={"description": "yuan a year paid by the resident"})
    value_added_parts = ma.fields.List(ma.fields.Nested(ValueAddedPartSchema), metadata={
        "description": "with the value-added package: its parts and whether each applies to this resident "
                       "(outpatient care for every signed resident, health management for key groups)"})
    health_tags = ma.fields.List(ma.fields.String(metadata={"enum": list(rules.HEALTH_TAGS)}))
    key_groups = ma.fields.List(ma.fields.String(metadata={"enum": list(rules.KEY_GROUP_LABELS)}))
    key_group_labels = ma.fields.List(ma.fields.String())
    health_consent_version = ma.fields.String(allow_none=True)
    agreement_version = ma.fields.String(allow_none=True)
    signed_at = BeijingDateTime(allow_none=True)
    submitted_at = BeijingDateTime(allow_none=True)
    decided_at = BeijingDateTime(allow_none=True)
    reject_reason = ma.fields.String(allow_none=True)
    valid_from = ma.fields.Date(allow_none=True)
    valid_to = ma.fields.Date(allow_none=True)
    renewable_from = ma.fields.Date(allow_none=True)
    renewals = ma.fields.Integer()
    cancelled_at = BeijingDateTime(allow_none=True)
    cancel_reason = ma.fields.String(allow_none=True, metadata={"enum": list(rules.CANCEL_REASONS)})
    cancel_reason_label = ma.fields.String(allow_none=True)
    cancel_note = ma.fields.String(allow_none=True)
    created_at = BeijingDateTime()


SignupPageSchema = page_of(SignupSchema, "SignupPageSchema")


# --- partner -------------------------------------------------------------------------

class PartnerSignupQuerySchema(Page):
    team_id = Id()
    status = ma.fields.String(validate=ma.validate.OneOf([s for s in rules.STATUSES if s != "draft"]))


class SignupAcceptSchema(StrictSchema):
    start_date = ma.fields.Date(allow_none=True, metadata={
        "description": "within the coming month; today when left out"})

    class Meta(StrictSchema.Meta):
        example = {"start_date": "2026-12-01"}


class SignupRejectSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))

    class Meta(StrictSchema.Meta):
        example = {"reason": "签约人居住地不在本团队服务区域，请选择居住地所在社区的团队。"}
