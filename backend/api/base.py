"""The thin layer every resource shares: a Blueprint that knows about logins and
partner keys, the error schema, and the current actor."""

from __future__ import annotations

import decimal
import functools
import numbers
import re

import marshmallow as ma
from flask import current_app, g, jsonify, request
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.utils import (get_appcontext, resolve_schema_instance, set_status_and_headers_in_response,
                                 unpack_tuple_response)
from werkzeug import Response

from backend.domain import labels
from backend.api import dumping
from backend.api.fields import BeijingDateTime
from backend.domain import partners as partner_rules
from backend.services import accounts, partners
from backend.services.runtime import Actor


class ErrorSchema(ma.Schema):
    code = ma.fields.String(metadata={"example": "filing.step_out_of_order"})
    status = ma.fields.Integer(metadata={"example": 409})
    message = ma.fields.String(metadata={"example": "请先完成“阅读备案告知书”，再进行“填写备案信息”。"})
    errors = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()))


class EventSchema(ma.Schema):
    """One line of a filing's or a sign-up's history."""

    step = ma.fields.String(metadata={"description": "the event's kind; its Chinese is `label`",
                                      "enum": sorted(set(labels.FILING_EVENT) | set(labels.SIGNUP_EVENT)
                                                     | set(labels.WI_FILING_EVENT)
                                                     | set(labels.RESCUE_EVENT))})
    label = ma.fields.String(metadata={"example": "上传证件照片"})
    summary = ma.fields.String(metadata={"description": "the detail in Chinese, may be empty",
                                         "example": "原因：本人申请解约"})
    at = BeijingDateTime()
    actor = ma.fields.String(allow_none=True, metadata={
        "description": "who acted: a masked name (李*), a partner organisation by name, or 系统",
        "example": "李*"})
    actor_role = ma.fields.String(metadata={"enum": ["self", "agent", "partner", "system"]})
    actor_role_label = ma.fields.String(metadata={"example": "代办人"})
    on_behalf_of = ma.fields.String(allow_none=True,
                                    metadata={"description": "masked name of the insured person or resident"})
    detail = ma.fields.Dict()


IDEMPOTENCY_KEY = {"in": "header", "name": "Idempotency-Key", "required": False,
                   "schema": {"type": "string", "maxLength": 128},
                   "description": "the same key returns the same result, never a second submission"}


def idempotency_key() -> str | None:
    return (request.headers.get("Idempotency-Key") or "").strip()[:128] or None


class StrictSchema(ma.Schema):
    """Unknown fields are an error: a typo must not be silently dropped."""

    class Meta:
        unknown = ma.RAISE


def current_actor() -> Actor:
    return g.actor


def current_partner():
    return g.partner


class Blueprint(SmorestBlueprint):
    """`field_words`: the flow whose words name the fields in this blueprint's 422
    messages (`backend.domain.errors.FLOW_FIELD_LABELS`), when they differ from the
    shared table's."""

    def __init__(self, *args, field_words: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_words = field_words

    def response(self, status_code, schema=None, **kwargs):
        """flask-smorest's `response`, documented by flask-smorest itself (the spec is
        unchanged), but the answer dumped by the compiled dumper (backend/api/dumping.py),
        about a fifth of marshmallow's time (issue 15). When TESTING, marshmallow dumps
        every answer too and a difference is an error."""
        schema = resolve_schema_instance(schema)
        document = super().response(status_code, schema, **kwargs)

        def decorator(func):
            @functools.wraps(func)
            def wrapper(*args, **kwargs):
                # What smorest's wrapper does, but for the dump.
                result_raw, r_status_code, r_headers = unpack_tuple_response(
                    current_app.ensure_sync(func)(*args, **kwargs))
                if isinstance(result_raw, Response):
                    set_status_and_headers_in_response(result_raw, r_status_code, r_headers)
                    return result_raw
                if schema is None:
                    result_dump = result_raw
                else:
                    result_dump = dumping.dump(schema, result_raw)
                    if current_app.testing:
                        difference = dumping.first_difference(result_dump, schema.dump(result_raw))
                        if difference:
                            raise dumping.DumpMismatch(
                                f"{type(schema).__name__}: the compiled dump differs from marshmallow's at {difference}")
                get_appcontext()["result_dump"] = result_dump
                resp = jsonify(self._prepare_response_content(result_dump))
                set_status_and_headers_in_response(resp, r_status_code, r_headers)
                if r_status_code is None:
                    resp.status_code = status_code
                return resp

            # The documentation is the one smorest's own wrapper carries.
            wrapper._apidoc = document(func)._apidoc
            return wrapper

        return decorator

    def arguments(self, schema, *, location="json", **kwargs):
        """A JSON body schema's `Meta.example` becomes the request example in the spec;
        an operation that takes a JSON body documents the 400 of a body that is not JSON."""
        example = getattr(getattr(schema, "Meta", None), "example", None)
        if example is not None and location == "json":
            kwargs.setdefault("example", example)
        parse = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return parse
        # A body that is not JSON at all (cut short, another encoding) is 400 `request.bad`.
        return lambda func: self.errors(400)(parse(func))

    def login_required(self, func):
        """Bearer access token → `g.actor`; documented as the bearer scheme with a 401."""

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            g.actor = accounts.authenticate(token.strip() if scheme.lower() == "bearer" else None)
            return func(*args, **kwargs)

        wrapper = self.doc(security=[{"bearerAuth": []}])(wrapper)
        return self.alt_response(401, schema=ErrorSchema, description="未登录或登录已失效")(wrapper)

    def partner_required(self, *roles: str):
        """`X-Partner-Key` → `g.partner` (organisation, role, scope); 401 for an unknown
        key, 403 `partner.out_of_scope` for a key of another role."""

        def decorator(func):
            @functools.wraps(func)
            def wrapper(*args, **kwargs):
                g.partner = partners.authenticate(request.headers.get("X-Partner-Key"))
                if roles:
                    partner_rules.check_role(g.partner, roles)
                return func(*args, **kwargs)

            wrapper = self.doc(security=[{"partnerKey": []}])(wrapper)
            wrapper = self.alt_response(403, schema=ErrorSchema, description="不在该合作方的业务范围内")(wrapper)
            return self.alt_response(401, schema=ErrorSchema, description="合作方密钥无效")(wrapper)

        return decorator

    def errors(self, *statuses: int):
        """Document the error answers a route can give, all in the one shape."""

        def decorator(func):
            for status in statuses:
                func = self.alt_response(status, schema=ErrorSchema, description=DESCRIPTIONS[status])(func)
            return func

        return decorator


DESCRIPTIONS = {
    400: "请求格式有误（如请求体不是有效的 JSON）", 403: "需要先完成授权登录", 404: "不存在，或无权查看",
    409: "与当前状态冲突", 413: "文件过大", 415: "文件类型不支持", 422: "填写的内容有误", 503: "暂时无法办理，请稍后再试",
}


# --- numbers a client sends ----------------------------------------------------------
# Every integer of a request body or query is bounded here, so that no number reaches
# the database too large for its column (a 500 from the driver): ids fit the 32-bit
# signed columns of PostgreSQL (and SQLite's 64-bit ones), counts their own ranges.
# apispec turns each Range into `minimum`/`maximum` in the spec.

MAX_ID = 2**31 - 1


class WholeNumber(ma.fields.Integer):
    """An integer, never truncated: a JSON number without a fraction, or ASCII digits
    (a query parameter). `1.5`, `"1.5"`, `true` and `"١"` are refused, not read as 1."""

    DIGITS = re.compile(r"[+-]?[0-9]{1,20}")

    def _validated(self, value):
        if isinstance(value, str):
            if not self.DIGITS.fullmatch(value.strip()):
                raise self.make_error("invalid", input=value)
        elif isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


def Id(**kwargs) -> WholeNumber:
    """The id of a row: 1 … 2**31-1, what a 32-bit signed id column holds."""
    return WholeNumber(validate=ma.validate.Range(min=1, max=MAX_ID), **kwargs)


def Count(low: int, high: int, **kwargs) -> WholeNumber:
    """A count or a page number between `low` and `high`."""
    return WholeNumber(validate=ma.validate.Range(min=low, max=high), **kwargs)


class Money(ma.fields.String):
    """Yuan with at most two decimals, loaded as a Decimal: a string (`"12345.60"`) as
    documented, or a JSON number. More decimals are refused, never rounded away; NaN
    and infinities too. A String for apispec, so that the spec says `string` (with the
    pattern) and `validate`'s Range becomes `x-minimum`/`x-maximum`."""

    PATTERN = r"^[0-9]{1,8}(\.[0-9]{1,2})?$"
    TWO_PLACES = decimal.Decimal("0.01")
    default_error_messages = {"invalid": "Not a valid number."}

    def __init__(self, **kwargs):
        metadata = {"format": "decimal", "pattern": self.PATTERN, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(decimal.Decimal(value).quantize(self.TWO_PLACES))

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.make_error("invalid")
        try:
            amount = decimal.Decimal(str(value).strip())
        except decimal.InvalidOperation:
            raise self.make_error("invalid") from None
        if not amount.is_finite() or amount.as_tuple().exponent < -2 or abs(amount) >= 10**12:
            raise self.make_error("invalid")
        return amount.quantize(self.TWO_PLACES)


def page_of(item_schema, name: str, **more: ma.fields.Field):
    """One page of a list, as every list of the API answers it:
    `{items, page, per_page, total}` (and any `more` fields)."""
    return ma.Schema.from_dict({"items": ma.fields.List(ma.fields.Nested(item_schema)), "page": ma.fields.Integer(),
                                "per_page": ma.fields.Integer(), "total": ma.fields.Integer(), **more}, name=name)


class Page(ma.Schema):
    page = Count(1, 10_000, load_default=1)
    per_page = Count(1, 100, load_default=20)
