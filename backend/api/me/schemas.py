import marshmallow as ma

from backend.api.auth.schemas import AccountSchema, IdentitySchema
from backend.api.base import StrictSchema, page_of
from backend.api.fields import BeijingDateTime
from backend.domain import labels
from backend.domain.filing import RELATIONS, SCHEMES


class BindIdentitySchema(StrictSchema):
    consent = ma.fields.Boolean(required=True, metadata={
        "description": "你同意医保电子凭证使用并传达相关数据用于医保服务查询"})
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=64), metadata={
        "description": "optional: only compared with the account's real name; anyone else is 403"})
    id_number = ma.fields.String(validate=ma.validate.Length(min=1, max=32), metadata={
        "description": "optional: only compared with the account's real name; anyone else is 403"})
    auth_code = ma.fields.String(validate=ma.validate.Length(min=1, max=256), metadata={
        "description": "production: the 医保电子凭证 authorisation code the mini-program obtained; "
                       "the development stand-in real-names accounts at login and ignores it"})
    phone = ma.fields.String(validate=ma.validate.Regexp(r"^1[3-9]\d{9}$", error="请填写11位手机号。"))

    class Meta(StrictSchema.Meta):
        example = {"consent": True}


class FamilyMemberSchema(ma.Schema):
    id = ma.fields.Integer()
    person = ma.fields.Nested(IdentitySchema)
    relation = ma.fields.String()
    relation_label = ma.fields.String()
    created_at = BeijingDateTime()


class MeSchema(AccountSchema):
    family_members = ma.fields.List(ma.fields.Nested(FamilyMemberSchema))


class InsuranceRecordSchema(ma.Schema):
    scheme = ma.fields.String(metadata={"enum": list(SCHEMES)})
    scheme_label = ma.fields.String()
    insured_region = ma.fields.String()
    insured_region_name = ma.fields.String(allow_none=True)
    status = ma.fields.String()
    retired = ma.fields.Boolean()


class AddFamilyMemberSchema(StrictSchema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    id_number = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32))
    relation = ma.fields.String(required=True, validate=ma.validate.OneOf(RELATIONS),
                                metadata={"description": "the relation of that person to me"})

    class Meta(StrictSchema.Meta):
        example = {"name": "王秀英", "id_number": "140121195203180429", "relation": "parent"}


class AgentSchema(ma.Schema):
    id = ma.fields.Integer()
    agent = ma.fields.Nested(IdentitySchema, metadata={
        "description": "the agent's full real name (the insured person may know who acts for her) "
                       "and masked ID number"})
    relation = ma.fields.String(metadata={"description": "what I am to the agent, as the agent declared it"})
    relation_label = ma.fields.String()
    agent_relation = ma.fields.String(metadata={"description": "what the agent is to me"})
    agent_relation_label = ma.fields.String(metadata={"example": "子女"})
    created_at = BeijingDateTime()


class AgentQuerySchema(ma.Schema):
    withdrawn = ma.fields.Boolean(load_default=False,
                                  metadata={"description": "list the agents whose right I withdrew"})


class AccessLogRecordSchema(ma.Schema):
    kind = ma.fields.String(metadata={"enum": list(labels.RECORD_KIND)})
    id = ma.fields.Integer()


class AccessLogEntrySchema(ma.Schema):
    """One entry: a look at my data by someone else, or an act someone else did for me."""

    at = BeijingDateTime()
    act = ma.fields.String(metadata={"enum": list(labels.ACCESS_LOG_ACT), "example": "viewed_id_photo",
                                     "description": "a look (`viewed_*`, `verified_certificate`) or an act "
                                                    "done for me, `<record kind>.<history event>`"})
    act_label = ma.fields.String(metadata={"example": "查看了您的证件照片"})
    actor = ma.fields.String(metadata={"description": "an agent by masked name, a partner by its organisation",
                                       "example": "李*"})
    actor_role = ma.fields.String(metadata={"enum": list(labels.ACCESS_ROLE)})
    actor_role_label = ma.fields.String(metadata={"example": "代办人"})
    subject = ma.fields.String(metadata={"description": "the record, in Chinese",
                                         "example": "异地就医备案（备案号 …）"})
    record = ma.fields.Nested(AccessLogRecordSchema)
    summary = ma.fields.String(metadata={"example": "证件：参保人户口本"})


AccessLogPageSchema = page_of(AccessLogEntrySchema, "AccessLogPageSchema")


class DataExportSchema(ma.Schema):
    """A copy of everything about me; each part as the API answers it elsewhere."""

    exported_at = ma.fields.String(metadata={"description": "Beijing time with its offset"})
    account = ma.fields.Dict(metadata={"description": "the account, its phone and the identity (masked)"})
    insurance = ma.fields.List(ma.fields.Dict())
    family_members = ma.fields.List(ma.fields.Dict(), metadata={"description": "people I may act for"})
    agents = ma.fields.List(ma.fields.Dict(), metadata={"description": "who may act for me, withdrawn ones too"})
    filings = ma.fields.List(ma.fields.Dict(), metadata={"description": "as `GET /filings/{id}`, with `events`"})
    signups = ma.fields.List(ma.fields.Dict(), metadata={"description": "as `GET /fd/signups/{id}`, with `events`"})
    wi_filings = ma.fields.List(ma.fields.Dict(), metadata={"description": "as `GET /wi-filings/{id}`, with `events`"})
    rescue_applications = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "rescue-fund applications I made, as `GET /rescue/applications/{id}`, with `events`"})
    access_log = ma.fields.List(ma.fields.Dict(), metadata={"description": "as `GET /me/access-log`, every page"})
    messages = ma.fields.List(ma.fields.Dict(), metadata={"description": "as `GET /me/messages`, every page"})
    files = ma.fields.String(metadata={"description": "where the photos and signatures can be downloaded"})


class MessageSchema(ma.Schema):
    """A notification (订阅消息), in Chinese."""

    id = ma.fields.Integer()
    template = ma.fields.String(metadata={"enum": list(labels.MESSAGE_TEMPLATE), "example": "filing_effective"})
    title = ma.fields.String(metadata={"example": "异地就医备案成功"})
    body = ma.fields.String(metadata={"example": "您的异地就医备案已生效。备案号 …"})
    data = ma.fields.Dict(metadata={"description": "the template's fields as WeChat's subscribe message carries "
                                                   "them: {\"thing2\": {\"value\": \"海口市\"}, …}"})
    page = ma.fields.String(allow_none=True, metadata={"description": "the mini-program page it opens"})
    created_at = BeijingDateTime()
    read = ma.fields.Boolean()
    read_at = BeijingDateTime(allow_none=True)


MessagePageSchema = page_of(MessageSchema, "MessagePageSchema", unread=ma.fields.Integer(
    metadata={"description": "how many of all my messages are unread"}))
