"""Rate limits (Flask-Limiter): per account first, per address second.

Many residents share one public address (a carrier's NAT, a hospital's Wi-Fi), so the
per-address limits are generous and the tight ones count per account (api.md). The
numbers are settings (`RATE_LIMITS` in `backend/config.py`, listed in the README);
the counters live in Redis when `REDIS_URL` is set, so every server process shares
them, and in memory otherwise. A request over a limit gets 429 in the one error shape
with `Retry-After`.

Which requests count where is one table, `GROUPS`, matched against the URL rules
once the blueprints are registered: the routes themselves stay a few lines.
"""

from __future__ import annotations

import hashlib
import re

import jwt
from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# group -> (method, URL rule pattern, the keys it counts by)
GROUPS = {
    "login": ("POST", r"^/api/v1/auth/(wx-login|refresh)$", ("address",)),
    "identity": ("PUT", r"^/api/v1/me/identity$", ("account", "address")),
    "upload": ("POST", r"/(attachments/<\w+:kind>|signature)$", ("account", "address")),
    "upload_bytes": ("POST", r"/(attachments/<\w+:kind>|signature)$", ("account",)),
    "submit": ("POST", r"/submit$", ("account",)),
    "verification": ("GET", r"^/api/v1/(wi-)?filing-verifications/", ("address",)),
    "partner": (None, r"^/api/v1/partner/", ("partner",)),
}


def _address() -> str:
    return "address:" + (get_remote_address() or "unknown")


def _account() -> str:
    """The account a bearer token names. Read without checking the signature: a forged
    token is refused at authentication anyway, and still counts against its address."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        try:
            subject = jwt.decode(token.strip(), options={"verify_signature": False}).get("sub")
        except jwt.PyJWTError:
            subject = None
        if subject:
            return f"account:{subject}"
    return _address()


def _partner() -> str:
    key = request.headers.get("X-Partner-Key", "")
    return "partner:" + hashlib.sha256(key.encode()).hexdigest()[:32] if key else _address()


# The daily upload budget counts bytes, not requests.
EXTRA = {
    "upload_bytes": {"cost": lambda: max(1, request.content_length or 0),
                     "error_message": "今日上传的照片和签名已达上限，请明天再试；如有特殊情况，请联系医保经办机构。"},
}

KEY_FUNCS = {"address": _address, "account": _account, "partner": _partner}


def _limit_of(group: str, key: str):
    return lambda: current_app.config["RATE_LIMITS"][f"{group}.{key}"]


def init_app(app: Flask) -> Limiter:
    limiter = Limiter(
        key_func=_address, app=app, storage_uri=app.config.get("REDIS_URL") or "memory://",
        # Retry-After is set by backend/errors.py on the 429 alone (Flask-Limiter's own
        # headers would also land on other answers, e.g. a 503 with its own Retry-After).
        headers_enabled=False, strategy="fixed-window", key_prefix="yibao",
        # Redis gone: keep serving, counting in this process until it is back.
        swallow_errors=True, in_memory_fallback_enabled=True,
    )
    groups_of: dict[str, list[str]] = {}
    for rule in app.url_map.iter_rules():
        for group, (method, pattern, _keys) in GROUPS.items():
            if re.search(pattern, rule.rule) and (method is None or method in rule.methods):
                groups_of.setdefault(rule.endpoint, []).append(group)
    for endpoint, groups in groups_of.items():
        view = app.view_functions[endpoint]
        for group in dict.fromkeys(groups):
            method, _pattern, keys = GROUPS[group]
            for key in keys:
                view = limiter.shared_limit(_limit_of(group, key), scope=f"{group}.{key}", key_func=KEY_FUNCS[key],
                                            methods=[method] if method else None, **EXTRA.get(group, {}))(view)
        app.view_functions[endpoint] = view
    app.extensions["rate_limiter"] = limiter
    return limiter
