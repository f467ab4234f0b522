"""Access tokens (JWT, HS256) and opaque refresh tokens.

Access tokens are short (15 minutes) and checked strictly: the algorithm is pinned
(so `alg: none` or an RSA/HMAC confusion is refused), and `exp`, `iat`, `iss`, `aud`
and our own `typ` claim must all be present and right. `exp` and `iat` are checked
against the app's clock (the caller passes `now`), not the machine's: a token
issued under a clock QA moved must be read under the same clock. `sid` names the login
session the token belongs to; the service checks on every request that the session
still stands, so logging out ends the token at once. Refresh tokens are random
strings of which only a SHA-256 is stored.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from backend.adapters import clock

ALGORITHM = "HS256"


class TokenInvalid(Exception):
    pass


@dataclass(frozen=True)
class AccessClaims:
    account_id: int
    session_id: str | None


def issue_access_token(account_id: int, *, key: str, issuer: str, audience: str, seconds: int,
                       now: datetime | None = None, session_id: str | None = None) -> str:
    now = now or clock.now()
    claims = {
        "sub": str(account_id),
        "iss": issuer,
        "aud": audience,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=seconds)).timestamp()),
        "typ": "access",
        "jti": secrets.token_hex(8),
    }
    if session_id is not None:
        claims["sid"] = session_id
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def read_access_token(token: str, *, key: str, issuer: str, audience: str,
                      now: datetime | None = None) -> int:
    return read_access(token, key=key, issuer=issuer, audience=audience, now=now).account_id


@functools.lru_cache(maxsize=4096)
def _verified_claims(token: str, key: str, issuer: str, audience: str) -> tuple:
    """The claims of a token whose signature, issuer and audience hold, as a tuple of
    pairs (immutable: the cache hands the same value to every caller).

    A phone sends the same access token with every request of its 15 minutes; the
    signature check gives the same answer each time, so it is done once per token and
    key (a new SECRET_KEY is a new cache key). What changes with time, `exp` and `iat`
    against the app's clock, is checked by the caller on every request. A token that
    fails raises, and a failure is not cached."""
    claims = jwt.decode(
        token, key, algorithms=[ALGORITHM], issuer=issuer, audience=audience,
        # exp and iat are checked by the caller, against `now` rather than the machine clock.
        options={"require": ["exp", "iat", "iss", "aud", "sub", "typ"],
                 "verify_exp": False, "verify_iat": False},
    )
    return tuple(claims.items())  # read, never changed, by every caller


def read_access(token: str, *, key: str, issuer: str, audience: str,
                now: datetime | None = None) -> AccessClaims:
    try:
        claims = dict(_verified_claims(token, key, issuer, audience))
    except jwt.PyJWTError as exc:
        raise TokenInvalid(str(exc)) from None
    moment = (now or clock.now()).timestamp()
    try:
        expires, issued = int(claims["exp"]), int(claims["iat"])
    except (TypeError, ValueError, OverflowError):
        raise TokenInvalid("exp and iat must be integers") from None
    if expires <= moment:
        raise TokenInvalid("Signature has expired")
    if issued > moment:
        raise TokenInvalid("The token is not yet valid (iat)")
    if claims.get("typ") != "access":
        raise TokenInvalid("not an access token")
    try:
        account_id = int(claims["sub"])
    except (TypeError, ValueError):
        raise TokenInvalid("bad subject") from None
    session_id = claims.get("sid")
    if session_id is not None and not isinstance(session_id, str):
        raise TokenInvalid("bad session id")
    return AccessClaims(account_id, session_id)


def new_refresh_token() -> str:
    return "rt_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
