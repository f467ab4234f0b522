import marshmallow as ma

from backend.api.base import StrictSchema
from backend.api.fields import BeijingDateTime


class IdentitySchema(ma.Schema):
    name = ma.fields.String()
    id_number = ma.fields.String(metadata={"description": "masked: first 3 and last 4 digits",
                                            "example": "140***********0429"})
    sex = ma.fields.String(metadata={"enum": ["male", "female"]})
    birth_year = ma.fields.Integer(metadata={
        "description": "the year only: a full birth date beside the masked number would restore its digits",
        "example": 1952})
    age = ma.fields.Integer(metadata={"description": "whole years, on today's Beijing date", "example": 74})


class AccountSchema(ma.Schema):
    id = ma.fields.Integer()
    identity = ma.fields.Nested(IdentitySchema, allow_none=True)
    identity_bound = ma.fields.Boolean()
    consent_version = ma.fields.String(allow_none=True)
    consent_at = BeijingDateTime(allow_none=True)


class LoginSchema(StrictSchema):
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128),
                            metadata={"description": "the code from wx.login; with the stand-in, "
                                                     "`demo-<anything>` is a stable test account, and "
                                                     "`demo-<ID number>[-<phone>]` one real-named to that person"})

    class Meta(StrictSchema.Meta):
        example = {"code": "demo-140121198007120318"}


class RefreshSchema(StrictSchema):
    refresh_token = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))

    class Meta(StrictSchema.Meta):
        example = {"refresh_token": "rt_…"}


class LogoutSchema(StrictSchema):
    refresh_token = ma.fields.String(validate=ma.validate.Length(max=200))

    class Meta(StrictSchema.Meta):
        example = {"refresh_token": "rt_…"}


class TokensSchema(ma.Schema):
    access_token = ma.fields.String()
    refresh_token = ma.fields.String()
    token_type = ma.fields.String(metadata={"example": "Bearer"})
    expires_in = ma.fields.Integer(metadata={"example": 900})
    account = ma.fields.Nested(AccountSchema)
