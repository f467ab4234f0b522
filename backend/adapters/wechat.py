"""WeChat's code2session: turn a `wx.login` code into an openid.

Two clients behind one interface, picked by configuration: the stand-in (default,
no network: the same code always gives the same openid, so `demo-<anything>` codes
are stable test accounts) and the real one (app id and secret configured)."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
import urllib.request
from typing import Protocol


class LoginRefused(Exception):
    pass


class Code2Session(Protocol):
    def openid_for(self, code: str) -> str: ...


class StandInCode2Session:
    """Deterministic: openid = a hash of the code."""

    def openid_for(self, code: str) -> str:
        return "o-" + hashlib.sha256(("yibao-standin:" + code).encode()).hexdigest()[:28]


class WeChatCode2Session:
    """The production path: https://api.weixin.qq.com/sns/jscode2session."""

    URL = "https://api.weixin.qq.com/sns/jscode2session"

    def __init__(self, app_id: str, secret: str, timeout: float = 5.0):
        self.app_id, self.secret, self.timeout = app_id, secret, timeout

    def openid_for(self, code: str) -> str:
        query = urllib.parse.urlencode({"appid": self.app_id, "secret": self.secret,
                                        "js_code": code, "grant_type": "authorization_code"})
        try:
            with urllib.request.urlopen(f"{self.URL}?{query}", timeout=self.timeout) as response:
                body = json.loads(response.read().decode())
        except (OSError, ValueError) as exc:
            raise LoginRefused("code2session unreachable") from exc
        if body.get("errcode") or not body.get("openid"):
            raise LoginRefused(f"code2session refused: {body.get('errcode')}")
        return body["openid"]


def from_config(config: dict) -> Code2Session:
    if config.get("WECHAT_APP_ID") and config.get("WECHAT_APP_SECRET"):
        return WeChatCode2Session(config["WECHAT_APP_ID"], config["WECHAT_APP_SECRET"])
    return StandInCode2Session()
