import marshmallow as ma

from backend.api.base import StrictSchema
from backend.domain import labels
from backend.domain.filing import SCHEMES, SITUATIONS
from backend.errors import FieldError
from backend.services import catalogue


class KnownRegion(ma.validate.Regexp):
    """A 6-digit GB/T 2260 code that is in the region table. Wherever a region is taken
    (filing steps, advice, region and institution lists) a code that is not a known
    region is the same fault: 422 `region.unknown`, the field named. (A Regexp, so the
    spec shows the pattern.)"""

    def __init__(self):
        super().__init__(r"^\d{6}$")

    def __call__(self, value: str) -> str:
        if not self.regex.match(value):
            raise FieldError("应为6位行政区划代码，请从地区列表中选择。", code="region.unknown")
        if value not in catalogue.known_region_codes():
            raise FieldError(f"没有代码为 {value} 的地区，请从地区列表中选择。", code="region.unknown")
        return value


REGION = KnownRegion()


class RegionQuerySchema(ma.Schema):
    parent = ma.fields.String(validate=REGION, metadata={"description": "a province code; leave out for provinces"})


class RegionSchema(ma.Schema):
    code = ma.fields.String(metadata={"example": "140100"})
    name = ma.fields.String(metadata={"example": "太原市"})
    parent = ma.fields.String(allow_none=True)
    level = ma.fields.String(metadata={"enum": ["province", "city"]})


class DocumentSchema(ma.Schema):
    name = ma.fields.String()
    version = ma.fields.String()
    title = ma.fields.String()
    body = ma.fields.String()
    sha256 = ma.fields.String()


class AdviceRequestSchema(StrictSchema):
    scheme = ma.fields.String(required=True, validate=ma.validate.OneOf(SCHEMES))
    insured_region = ma.fields.String(required=True, validate=REGION)
    destination_region = ma.fields.String(required=True, validate=REGION)
    situation = ma.fields.String(required=True, validate=ma.validate.OneOf(SITUATIONS))

    class Meta(StrictSchema.Meta):
        example = {"scheme": "resident", "insured_region": "140300", "destination_region": "110100",
                   "situation": "referral"}


class AdviceSchema(ma.Schema):
    filing_required = ma.fields.Boolean()
    scope = ma.fields.String(metadata={"enum": ["in_province", "cross_province"]})
    ratio_change_points = ma.fields.Integer(metadata={"example": -5})
    note = ma.fields.String()


class HealthSchema(ma.Schema):
    status = ma.fields.String(metadata={"example": "ok"})



def _label_group(group: str) -> ma.fields.Field:
    return ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), data_key=group,
                          metadata={"example": dict(list(labels.TABLE[group].items())[:2])})


# `{group: {value: label}}`, one documented field a group, e.g. `"filing.status"`.
LabelsSchema = ma.Schema.from_dict({group.replace(".", "_"): _label_group(group) for group in labels.TABLE},
                                   name="LabelsSchema")
