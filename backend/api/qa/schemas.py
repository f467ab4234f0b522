import marshmallow as ma

from backend.api.base import MAX_ID, Count, StrictSchema
from backend.api.fields import BeijingDateTime
from backend.domain.filing import RELATIONS, SCHEMES


class RelativeRequestSchema(StrictSchema):
    relation = ma.fields.String(required=True, validate=ma.validate.OneOf(RELATIONS), metadata={
        "description": "what the relative is to the person made (`parent`: the relative is their parent)"})
    age = Count(0, MAX_ID, metadata={"description": "0 to 110; default: a plausible age for the relation"})


class PersonRequestSchema(StrictSchema):
    scheme = ma.fields.String(required=True, validate=ma.validate.OneOf(SCHEMES))
    insured_region = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^\d{6}$"))
    age = Count(0, MAX_ID, metadata={"description": "0 to 110; default 40"})
    relations = ma.fields.List(ma.fields.Nested(RelativeRequestSchema), validate=ma.validate.Length(max=6))

    class Meta:
        example = {"scheme": "employee", "insured_region": "140100", "age": 45,
                   "relations": [{"relation": "parent", "age": 74}]}


class PersonFields(ma.Schema):
    name = ma.fields.String(metadata={"example": "王秀英"})
    id_number = ma.fields.String(metadata={"description": "made-up test data, in full (QA only)",
                                           "example": "140121195203180429"})
    login_code = ma.fields.String(metadata={"description": "`POST /auth/wx-login` code real-named to them",
                                            "example": "demo-140121195203180429"})
    scheme = ma.fields.String()
    insured_region = ma.fields.String()
    age = ma.fields.Integer()


class RelativeSchema(PersonFields):
    relation = ma.fields.String(metadata={"description": "what this relative is to the person made"})


class PersonSchema(PersonFields):
    relations = ma.fields.List(ma.fields.Nested(RelativeSchema))


class ClockSchema(ma.Schema):
    now = BeijingDateTime(metadata={"description": "the server's time, for every rule and timestamp"})
    moved = ma.fields.Boolean()
    offset_seconds = ma.fields.Integer(metadata={"description": "how far the clock is from real time"})


class MoveClockSchema(StrictSchema):
    now = BeijingDateTime(metadata={"description": "the moment it is now (without an offset: Beijing time)"})
    advance_days = ma.fields.Float(validate=ma.validate.Range(min=-3650, max=3650), metadata={
        "description": "move on (or back) this many days from where the clock stands"})

    @ma.validates_schema
    def _one_of_them(self, data, **_kwargs):
        if ("now" in data) == ("advance_days" in data):
            raise ma.ValidationError("给出 now 或 advance_days 之一。", field_name="now")

    class Meta:
        example = {"advance_days": 30}


class DailyJobsSchema(ma.Schema):
    expired = ma.fields.Dict(metadata={"description": "what `flask expire` did"})
    purged = ma.fields.Dict(metadata={"description": "what `flask purge` did"})
