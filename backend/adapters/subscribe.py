"""WeChat subscribe messages (订阅消息): deliver one message to one openid.

Two senders behind one interface, picked by configuration as the login adapter is
(backend/adapters/wechat.py): the development sender (default) delivers nothing —
the message stays in the outbox, readable with `GET /me/messages`, and counts as
sent; the real one (app id and secret configured) calls WeChat's
`subscribeMessage.send` with the template ids of the settings
(`WECHAT_TEMPLATE_<TEMPLATE>`, e.g. `WECHAT_TEMPLATE_FILING_EFFECTIVE`).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request
from typing import Protocol


class SendFailed(Exception):
    """Worth trying again later (network, WeChat busy, a token that had to be renewed)."""


class Refused(Exception):
    """Never worth trying again for this openid (the person did not subscribe, no
    template id is configured): recorded, not retried."""


class Sender(Protocol):
    real: bool

    def send(self, openid: str, template: str, data: dict, page: str | None) -> None: ...


class DevelopmentSender:
    """Nothing leaves: the outbox row is the message."""

    real = False

    def send(self, openid: str, template: str, data: dict, page: str | None) -> None:
        return None


# WeChat's errcodes: a token that expired or was replaced (get a new one and try
# again), and the user who did not accept (or used up) the subscription.
TOKEN_ERRORS = {40001, 40014, 42001}
NOT_SUBSCRIBED = 43101


class WeChatSubscribeSender:
    """The production path: POST {base}/cgi-bin/message/subscribe/send?access_token=…
    with `{touser, template_id, page, data}`; the access token from
    {base}/cgi-bin/token (client_credential), kept until shortly before it expires."""

    real = True

    def __init__(self, app_id: str, secret: str, template_ids: dict[str, str], *,
                 base_url: str = "https://api.weixin.qq.com", timeout: float = 5.0,
                 miniprogram_state: str = "formal"):
        self.app_id, self.secret, self.template_ids = app_id, secret, template_ids
        self.base_url, self.timeout, self.miniprogram_state = base_url.rstrip("/"), timeout, miniprogram_state
        self._token: tuple[str, float] | None = None
        self._lock = threading.Lock()

    def _call(self, url: str, body: dict | None = None) -> dict:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method="POST" if data else "GET",
                                         headers={"Content-Type": "application/json"} if data else {})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode())
        except (OSError, ValueError) as exc:
            raise SendFailed(f"WeChat unreachable: {type(exc).__name__}") from exc

    def access_token(self, *, renew: bool = False) -> str:
        with self._lock:
            if self._token and not renew and self._token[1] > time.monotonic():
                return self._token[0]
            query = urllib.parse.urlencode({"grant_type": "client_credential", "appid": self.app_id,
                                            "secret": self.secret})
            body = self._call(f"{self.base_url}/cgi-bin/token?{query}")
            if not body.get("access_token"):
                raise SendFailed(f"access token refused: errcode {body.get('errcode')}")
            lifetime = int(body.get("expires_in") or 7200)
            self._token = (body["access_token"], time.monotonic() + max(lifetime - 300, 60))
            return self._token[0]

    def send(self, openid: str, template: str, data: dict, page: str | None) -> None:
        template_id = self.template_ids.get(template)
        if not template_id:
            raise Refused(f"no template id configured for {template}")
        payload = {"touser": openid, "template_id": template_id, "data": data,
                   "miniprogram_state": self.miniprogram_state, "lang": "zh_CN"}
        if page:
            payload["page"] = page
        for renew in (False, True):
            token = self.access_token(renew=renew)
            body = self._call(f"{self.base_url}/cgi-bin/message/subscribe/send?"
                              + urllib.parse.urlencode({"access_token": token}), payload)
            code = body.get("errcode", 0)
            if code == 0:
                return
            if code in TOKEN_ERRORS and not renew:
                continue
            if code == NOT_SUBSCRIBED:
                raise Refused("the user has not subscribed to this template (43101)")
            raise SendFailed(f"WeChat refused: errcode {code}")
        raise SendFailed("access token refused twice")


def template_ids(config: dict) -> dict[str, str]:
    """The template ids WeChat gave each template (`WECHAT_TEMPLATE_FILING_EFFECTIVE`, …)."""
    from backend.domain.notifications import TEMPLATES
    return {name: config[f"WECHAT_TEMPLATE_{name.upper()}"] for name in TEMPLATES
            if config.get(f"WECHAT_TEMPLATE_{name.upper()}")}


def from_config(config: dict) -> Sender:
    if config.get("WECHAT_APP_ID") and config.get("WECHAT_APP_SECRET"):
        return WeChatSubscribeSender(config["WECHAT_APP_ID"], config["WECHAT_APP_SECRET"], template_ids(config),
                                     base_url=config.get("WECHAT_API_BASE") or "https://api.weixin.qq.com")
    return DevelopmentSender()
