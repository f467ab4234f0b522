"""One error shape for every answer that is not a success.

`{"code", "status", "message", "errors"}`: `code` is stable for machines,
`message` is Chinese a person can act on, `errors` lists problems per field.
Domain errors map to a status here and nowhere else; a database that cannot be
reached is 503 `server.database_unavailable`; anything unforeseen becomes a plain 500
with no trace, SQL or path in it (the details go to the log only). Every code is in
the catalogue, `backend.domain.error_codes` (`GET /error-codes`).
"""

from __future__ import annotations

import logging
import re
import traceback

import marshmallow as ma
from flask import Flask, current_app, jsonify, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from backend.adapters.db import is_connection_failure
from backend.api.dumping import DumpMismatch
from backend.adapters.storage import BlobStoreUnavailable
from backend.domain.errors import DomainError, fields_in_words

log = logging.getLogger(__name__)

STATUS_BY_KIND = {
    "invalid": 422,
    "not_found": 404,
    "conflict": 409,
    "unauthorized": 401,
    "forbidden": 403,
    "unsupported_media": 415,
    "too_large": 413,
    "unavailable": 503,
}

# What a person should read for the HTTP errors Flask or webargs raise themselves.
HTTP_MESSAGES = {
    400: ("request.bad", "请求格式有误，请检查后重试。"),
    401: ("auth.unauthorized", "登录已失效，请重新登录。"),
    403: ("auth.forbidden", "您没有办理此业务的权限。"),
    404: ("not_found", "未找到该页面或记录。"),
    405: ("request.method_not_allowed", "不支持该操作方式。"),
    409: ("conflict", "当前状态下不能进行此操作。"),
    413: ("upload.too_large", "文件过大，请压缩后重新上传。"),
    415: ("request.unsupported_type", "请求内容的格式不受支持。"),
    422: ("request.invalid", "填写的内容有误，请按提示修改。"),
    428: ("request.precondition_required", "缺少必需的请求头。"),
    429: ("request.too_many", "操作太频繁，请稍后再试。"),
}

# marshmallow and webargs speak English; a resident reads Chinese.
FIELD_MESSAGES = {
    "Missing data for required field.": "此项必填。",
    "Field may not be null.": "此项不能为空。",
    "Not a valid string.": "应为文字。",
    "Not a valid integer.": "应为整数。",
    "Not a valid number.": "应为数字。",
    "Not a valid boolean.": "应为是或否（true/false）。",
    "Not a valid date.": "日期格式应为 YYYY-MM-DD。",
    "Not a valid datetime.": "时间格式应为 ISO 8601，例如 2026-11-24T10:00:00+08:00。",
    "Not a valid list.": "应为列表。",
    "Not a valid mapping type.": "应为对象。",
    "Unknown field.": "不认识的字段，请删除。",
    "Invalid input type.": "格式不正确。",
    "Invalid value.": "取值不正确。",
    "Shorter than minimum length 1.": "此项不能为空。",
    "Invalid JSON body.": "请求体不是有效的 JSON。",
}


ID_NUMBER = re.compile(r"(?<!\d)(\d{3})\d{11}(\d{3}[\dXx])(?![\dXx])")


def redact_id_numbers(text: str) -> str:
    """`140121198007120318` → `140***********0318`, wherever it stands in a text."""
    return ID_NUMBER.sub(r"\1***********\2", text)


def translate(message: str) -> str:
    if message in FIELD_MESSAGES:
        return FIELD_MESSAGES[message]
    if message.startswith("Must be one of:"):
        return "取值应为：" + message.removeprefix("Must be one of:").strip().rstrip(".")
    if message.startswith("Length must be between") or message.startswith("Longer than maximum length"):
        return "长度超出范围。"
    if message.startswith("Must be greater than") or message.startswith("Must be less than"):
        return "数值超出范围。"
    if any("\u4e00" <= ch <= "\u9fff" for ch in message):
        return message
    return "格式不正确。"


class CodedMessage(str):
    """A field's message that also names the error code its fault is known by."""

    code: str

    def __new__(cls, text: str, code: str):
        message = super().__new__(cls, text)
        message.code = code
        return message


class FieldError(ma.ValidationError):
    """What a field validator raises for a fault that has its own code everywhere the
    field is taken (e.g. `region.unknown`): `raise FieldError("…", code="region.unknown")`.

    marshmallow keeps only a field's messages, so the code rides on the message. When
    every problem in a request carries the same code, the 422 answer has that code;
    otherwise (several kinds of fault at once) it is `request.invalid`, with each field's
    message in `errors` as always."""

    def __init__(self, message: str, *, code: str):
        super().__init__(CodedMessage(message, code))


def _codes(messages) -> list[str | None]:
    """The code of every message (None for a plain one), wherever webargs nested it."""
    if isinstance(messages, dict):
        return [c for value in messages.values() for c in _codes(value)]
    if isinstance(messages, list):
        return [c for item in messages for c in _codes(item)]
    return [getattr(messages, "code", None)]


def field_code(messages) -> str | None:
    codes = set(_codes(messages))
    return codes.pop() if len(codes) == 1 else None


def _flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """webargs nests problems by location and field; clients want `field: [..]`."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key in ("json", "form", "files", "query", "headers", "view_args") and not prefix:
                for k, v in _flatten(value).items():
                    flat.setdefault(k, []).extend(v)
                continue
            name = f"{prefix}.{key}" if prefix else str(key)
            for k, v in _flatten(value, name).items():
                flat.setdefault(k, []).extend(v)
    elif isinstance(messages, list):
        if all(isinstance(m, str) for m in messages):
            flat[prefix or "_schema"] = [translate(m) for m in messages]
        else:
            for item in messages:
                for k, v in _flatten(item, prefix).items():
                    flat.setdefault(k, []).extend(v)
    elif isinstance(messages, str):
        flat[prefix or "_schema"] = [translate(messages)]
    return flat


def _retry_after() -> int | None:
    """Seconds until the breached rate-limit window resets, if the limiter knows."""
    import math
    import time

    from flask import current_app

    limiter = current_app.extensions.get("rate_limiter")
    limit = limiter.current_limit if limiter else None
    return max(1, math.ceil(limit.reset_at - time.time())) if limit else None


def _flow_of_request() -> str | None:
    """The flow whose words name the fields of this request (its blueprint's `field_words`)."""
    blueprint = current_app.blueprints.get(request.blueprint or "")
    return getattr(blueprint, "field_words", None)


def error_body(code: str, status: int, message: str, errors=None):
    return {"code": code, "status": status, "message": message, "errors": errors or {}}


def respond(code: str, status: int, message: str, errors=None):
    response = jsonify(error_body(code, status, message, errors))
    response.status_code = status
    return response


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        response = respond(exc.code, STATUS_BY_KIND[exc.kind], exc.message, exc.errors)
        # An error that passes with time (e.g. 503 `upload.busy`) says when to try again.
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            response.headers["Retry-After"] = str(retry_after)
        return response

    @app.after_request
    def challenge(response):
        # RFC 9110: a 401 says how to authenticate.
        if response.status_code == 401:
            response.headers.setdefault("WWW-Authenticate", 'Bearer realm="yibao"')
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        code, message = HTTP_MESSAGES.get(status, ("request.failed", "请求未能完成，请稍后重试。"))
        errors = {}
        data = getattr(exc, "data", None) or {}
        if data.get("messages"):
            errors = _flatten(data["messages"])
            if status == 422:
                code = field_code(data["messages"]) or code
                fields = fields_in_words(errors, _flow_of_request())
                message = f"填写的内容有误，请按提示修改：{fields}。" if fields else message
        retry = _retry_after() if status == 429 else None
        if status == 429:
            described = str(getattr(exc, "description", "") or "")
            if any("\u4e00" <= ch <= "\u9fff" for ch in described):
                message = described
            elif retry:
                message = f"操作太频繁，请于 {retry} 秒后再试。"
        response = respond(code, status, message, errors)
        if retry:
            response.headers["Retry-After"] = str(retry)
        for name, value in (getattr(exc, "headers", None) or {}).items() if isinstance(getattr(exc, "headers", None), dict) else []:
            response.headers[name] = value
        # What werkzeug would have said in its own answer: `Allow` on a 405, `Retry-After` ...
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers.setdefault(name, value)
        return response

    @app.errorhandler(RecursionError)
    def nested_too_deep(exc: RecursionError):
        # Only a hostile body nests deep enough for the JSON parser to recurse out.
        return respond("request.bad", 400, "请求格式有误：内容嵌套过深。", {"_schema": ["请求体不是有效的 JSON。"]})

    @app.errorhandler(DBAPIError)
    def database_error(exc: DBAPIError):
        # The database down, missing or refusing us is not a bug: 503, and a line in
        # the log without the trace. Any other database error is unforeseen (500).
        if not is_connection_failure(exc):
            return unexpected(exc)
        first = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
        log.error("database unavailable: %s", redact_id_numbers(first))
        return respond("server.database_unavailable", 503, "系统暂时无法访问数据库，请稍后再试。")

    @app.errorhandler(BlobStoreUnavailable)
    def storage_unavailable(exc: BlobStoreUnavailable):
        # Object storage down or refusing us (BLOB_STORE): not a bug, 503 and one line.
        log.error("blob store unavailable: %s", exc)
        response = respond("server.storage_unavailable", 503, "系统暂时无法读取或保存照片和签名，请稍后再试。")
        response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(DumpMismatch)
    def dump_mismatch(exc: DumpMismatch):
        # Raised only when TESTING (backend/api/base.py): let it out of the app, so that
        # the test fails with the difference instead of seeing a 500.
        raise exc

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        # SQL errors carry their parameters: redact ID numbers before anything is logged.
        log.error("unhandled error: %s", redact_id_numbers(traceback.format_exc()))
        return respond("server.error", 500, "系统繁忙，请稍后再试。如多次出现，请联系医保经办机构。")
