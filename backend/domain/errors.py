"""Errors a rule can raise. Each carries a stable machine code and a Chinese
message a person can act on; `backend.errors` maps the kind to an HTTP status."""

from __future__ import annotations


class DomainError(Exception):
    """Base: a request that the rules refuse."""

    kind = "invalid"
    code = "request.invalid"
    message = "请求有误，请检查后重试。"

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 errors: dict[str, list[str]] | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message
        self.code = code or self.code
        self.errors = errors or {}


class Invalid(DomainError):
    """The input breaks a rule (422)."""

    kind = "invalid"


class NotFound(DomainError):
    """Absent, or not this account's to see: the two look the same (404)."""

    kind = "not_found"
    code = "not_found"
    message = "未找到该记录，或您无权查看。"


class Conflict(DomainError):
    """The request clashes with the current state (409)."""

    kind = "conflict"
    code = "conflict"
    message = "当前状态下不能进行此操作。"


class Unauthorized(DomainError):
    """No valid login (401)."""

    kind = "unauthorized"
    code = "auth.unauthorized"
    message = "登录已失效，请重新登录。"


class Forbidden(DomainError):
    """Logged in, but this needs something the account lacks (403)."""

    kind = "forbidden"
    code = "auth.forbidden"
    message = "您没有办理此业务的权限。"


class UnsupportedMedia(DomainError):
    """An upload of a kind we never decode (415)."""

    kind = "unsupported_media"
    code = "upload.unsupported_type"
    message = "仅支持 JPG 或 PNG 格式的图片，请重新选择。"


class TooLarge(DomainError):
    """An upload over the size limit (413)."""

    kind = "too_large"
    code = "upload.too_large"
    message = "文件过大，请压缩后重新上传。"
