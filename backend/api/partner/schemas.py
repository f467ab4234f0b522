from decimal import Decimal

import marshmallow as ma

from backend.api.base import Money, StrictSchema
from backend.api.fields import BeijingDateTime
from backend.domain.partners import ROLES
from backend.errors import FieldError


class SettlementAmount(ma.validate.Range):
    """0.01 … 10,000,000 yuan; out of it is `settlement.amount_invalid`, as the service says."""

    def __init__(self):
        super().__init__(min=Decimal("0.01"), max=Decimal("10000000"))

    def __call__(self, value):
        try:
            return super().__call__(value)
        except ma.ValidationError:
            raise FieldError("结算金额应大于0且不超过1000万元。", code="settlement.amount_invalid") from None


class SettlementRequestSchema(StrictSchema):
    filing_no = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))
    amount = Money(required=True, validate=SettlementAmount(), metadata={"description": "yuan, 0.01 to 10,000,000"})
    settled_at = BeijingDateTime(required=True, metadata={
        "description": "RFC 3339; a time without an offset is Beijing time (UTC+8)"})
    institution = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))

    class Meta(StrictSchema.Meta):
        example = {"filing_no": "YD14010020261124000001", "amount": "12345.60",
                   "settled_at": "2026-12-20T10:00:00+08:00", "institution": "海南省人民医院"}


class SettlementSchema(ma.Schema):
    id = ma.fields.Integer()
    filing_no = ma.fields.String()
    amount = ma.fields.Decimal(as_string=True, metadata={"type": "string", "format": "decimal",
                                                         "example": "12345.60"})
    settled_at = BeijingDateTime()
    institution = ma.fields.String()


class WhoAmISchema(ma.Schema):
    organisation = ma.fields.String(metadata={"example": "国家医保信息平台（异地就医结算）"})
    role = ma.fields.String(metadata={"enum": list(ROLES)})
    scope = ma.fields.String(metadata={"description": "`*`, a team id, a region or province code, a hospital id",
                                       "example": "*"})
