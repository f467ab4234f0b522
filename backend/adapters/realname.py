"""Who an account really is: the real-name provider (WeChat 实名 through 医保电子凭证).

授权登录 (seed 002: "勾选你同意医保电子凭证使用并传达相关数据…") binds an account to
the person its real-name provider vouches for; nobody types a name and an ID number.
Two providers behind one interface, picked by configuration, like `wechat.py`:

- `StandInRealName` (development and tests, the default): real-names an account by
  the code it logged in with. `demo-<ID number>` is an account real-named to that
  person, `demo-<ID number>-<anything>` another phone of the same person; any other
  code is an account without a real name. It vouches at login; `shared/demo_people.md`
  lists the people, and people QA made with `POST /qa/people` are real-named too.
  Production refuses to start with it (`backend.config`).

- `MedicalInsuranceCardRealName` (production): the mini-program obtains a
  医保电子凭证 authorisation code (the person taps 授权 in 医保电子凭证, which knows
  the WeChat real name), and sends it as `auth_code` with `PUT /me/identity`; the
  server asks the provider's user query for the person behind it:

      POST {base_url}/api/mipuserquery/userQuery/{partner_id}
      god-portal-timestamp: <milliseconds>
      god-portal-request-id: <uuid>
      god-portal-signature: hex(HMAC-SHA256(secret, timestamp + request_id + body))
      {"qrcode": "<auth_code>", "openid": "<openid>"}

      200 {"code": 0, "message": "ok",
           "data": {"userName": "王秀英", "userCardType": "01", "userCardNo": "140121195203180429"}}

  `code` other than 0 means the code was refused (expired, used, another account's):
  no real name. A card type other than `01` (居民身份证) is not a number the registry
  holds: no real name either. The endpoint and the signing above are the shape this
  adapter is written and tested against (`tests/unit/test_realname.py`, with a fake
  server); check them against the partner agreement before going live.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from stdnum.cn import ric
from stdnum.exceptions import ValidationError


@dataclass(frozen=True)
class RealName:
    """A person as the provider vouches for them (never as someone typed them)."""

    name: str
    id_number: str


class ProviderUnavailable(Exception):
    """The provider could not be asked (network, its server): try again later."""


class RealNameProvider(Protocol):
    kind: str

    def at_login(self, code: str, openid: str) -> RealName | None:
        """What the login itself says about the real name (None: nothing)."""

    def at_binding(self, openid: str, auth_code: str | None) -> RealName | None:
        """What an authorisation given at 授权登录 says (None: nothing)."""


def _valid_number(raw: str) -> str | None:
    number = raw.strip().upper()
    try:
        return ric.validate(number)
    except ValidationError:
        return None


class StandInRealName:
    """Real names by login code; `names` (ID number → name) defaults to the people of
    the demo registry file, and a test may hand it more."""

    kind = "standin"
    PREFIX = "demo-"

    def __init__(self, names: dict[str, str] | None = None):
        self.names = dict(demo_real_names() if names is None else names)

    def at_login(self, code: str, openid: str) -> RealName | None:
        if not code.startswith(self.PREFIX):
            return None
        number = _valid_number(code[len(self.PREFIX):].split("-", 1)[0])
        if number is None:
            return None
        name = self.names.get(number) or qa_person_name(number)
        return RealName(name, number) if name else None

    def at_binding(self, openid: str, auth_code: str | None) -> RealName | None:
        return None  # the stand-in vouched at login


class MedicalInsuranceCardRealName:
    kind = "medical_insurance_card"
    PATH = "/api/mipuserquery/userQuery/"

    def __init__(self, base_url: str, partner_id: str, secret: str, timeout: float = 5.0):
        self.base_url, self.partner_id, self.secret, self.timeout = base_url.rstrip("/"), partner_id, secret, timeout

    def at_login(self, code: str, openid: str) -> RealName | None:
        return None  # wx.login says nothing about the real name

    def at_binding(self, openid: str, auth_code: str | None) -> RealName | None:
        if not auth_code:
            return None
        body = json.dumps({"qrcode": auth_code, "openid": openid}, separators=(",", ":")).encode()
        stamp, request_id = str(int(time.time() * 1000)), uuid.uuid4().hex
        signature = hmac.new(self.secret.encode(), stamp.encode() + request_id.encode() + body,
                             hashlib.sha256).hexdigest()
        request = urllib.request.Request(
            self.base_url + self.PATH + self.partner_id, data=body, method="POST",
            headers={"Content-Type": "application/json", "god-portal-timestamp": stamp,
                     "god-portal-request-id": request_id, "god-portal-signature": signature})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode())
        except (OSError, ValueError) as exc:
            raise ProviderUnavailable("real-name provider unreachable") from exc
        if not isinstance(answer, dict) or answer.get("code") != 0 or not isinstance(answer.get("data"), dict):
            return None
        data = answer["data"]
        name, number = str(data.get("userName") or "").strip(), _valid_number(str(data.get("userCardNo") or ""))
        if not name or number is None or str(data.get("userCardType", "01")) != "01":
            return None
        return RealName(name, number)


REGISTRY = Path(__file__).resolve().parents[1] / "data" / "demo_registry.json"


@functools.cache
def demo_real_names() -> dict[str, str]:
    """The stand-in's WeChat real names: every person of the demo registry file
    (shared/demo_people.md), insured or not, since a real name says nothing about
    insurance."""
    data = json.loads(REGISTRY.read_text(encoding="utf-8"))
    return {p["id_number"]: p["name"] for p in data["people"] + data["not_insured"]}


def qa_person_name(number: str) -> str | None:
    """People QA made (`POST /api/v1/qa/people`, outside production only) are
    real-named by the stand-in too: their name as the registry holds it."""
    from flask import current_app, has_app_context
    if not has_app_context() or current_app.config.get("ENV_NAME") == "production":
        return None
    from sqlalchemy import select

    from backend.adapters.db import session
    from backend.adapters.models import InsuredPerson
    return session().scalar(select(InsuredPerson.name).where(InsuredPerson.id_number_is(number)))


def from_config(config: dict) -> RealNameProvider:
    if config.get("REALNAME_URL") and config.get("REALNAME_PARTNER_ID") and config.get("REALNAME_SECRET"):
        return MedicalInsuranceCardRealName(config["REALNAME_URL"], config["REALNAME_PARTNER_ID"],
                                            config["REALNAME_SECRET"])
    return StandInRealName()
