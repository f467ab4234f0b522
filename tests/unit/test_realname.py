"""The real-name provider: the stand-in reads login codes; the production adapter
asks 医保电子凭证's user query, here a fake server speaking its documented shape."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from backend.adapters import realname
from backend.config import ConfigError, from_environment

LIMING = "140121198007120318"


@pytest.mark.parametrize("code, expected", [
    (f"demo-{LIMING}", realname.RealName("李明", LIMING)),
    (f"demo-{LIMING}-2", realname.RealName("李明", LIMING)),
    (f"demo-{LIMING}-second-phone", realname.RealName("李明", LIMING)),
    ("demo-140121197001010113", realname.RealName("孙不在", "140121197001010113")),
    ("demo-liming", None),                     # the old codes name nobody
    ("demo-140121198007120319", None),         # a wrong check digit
    ("demo-110101199001010011", None),         # valid, but nobody the stand-in knows
    (LIMING, None),                            # not a demo code
    (f"demo-{LIMING}x", None),
])
def test_the_stand_in_real_names_demo_codes_of_an_id_number(code, expected):
    assert realname.StandInRealName().at_login(code, "o-x") == expected
    assert realname.StandInRealName().at_binding("o-x", code) is None


class FakeUserQuery(BaseHTTPRequestHandler):
    """Answers as the provider's user query would; remembers what it was sent."""

    answer: dict = {}
    seen: list = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        FakeUserQuery.seen.append((self.path, self.headers, body))  # names read case-blind
        payload = json.dumps(FakeUserQuery.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeUserQuery)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeUserQuery.seen = []
    yield realname.MedicalInsuranceCardRealName(f"http://127.0.0.1:{server.server_port}/", "P123", "s3cret")
    server.shutdown()
    server.server_close()


def test_the_production_adapter_asks_the_user_query_with_a_signed_request(provider):
    FakeUserQuery.answer = {"code": 0, "message": "ok",
                            "data": {"userName": "李明", "userCardType": "01", "userCardNo": LIMING}}
    assert provider.at_binding("o-openid", "AUTH-1") == realname.RealName("李明", LIMING)
    path, headers, body = FakeUserQuery.seen[0]
    assert path == "/api/mipuserquery/userQuery/P123"
    assert json.loads(body) == {"qrcode": "AUTH-1", "openid": "o-openid"}
    signed = headers["god-portal-timestamp"].encode() + headers["god-portal-request-id"].encode() + body
    assert headers["god-portal-signature"] == hmac.new(b"s3cret", signed, hashlib.sha256).hexdigest()
    # wx.login says nothing about a real name, and no auth code asks nothing.
    assert provider.at_login("any-code", "o-openid") is None
    assert provider.at_binding("o-openid", None) is None and len(FakeUserQuery.seen) == 1


@pytest.mark.parametrize("answer", [
    {"code": 40001, "message": "auth code expired"},
    {"code": 0, "data": {"userName": "李明", "userCardType": "01", "userCardNo": "140121198007120319"}},
    {"code": 0, "data": {"userName": "", "userCardType": "01", "userCardNo": LIMING}},
    {"code": 0, "data": {"userName": "李明", "userCardType": "03", "userCardNo": LIMING}},
    {"code": 0},
    ["not", "an", "object"],
])
def test_a_refused_or_unusable_answer_is_no_real_name(provider, answer):
    FakeUserQuery.answer = answer
    assert provider.at_binding("o-openid", "AUTH-1") is None


def test_an_unreachable_provider_says_so():
    down = realname.MedicalInsuranceCardRealName("http://127.0.0.1:9", "P", "s", timeout=0.5)
    with pytest.raises(realname.ProviderUnavailable):
        down.at_binding("o-openid", "AUTH-1")


def test_the_provider_is_picked_by_configuration_and_production_refuses_the_stand_in(tmp_path):
    assert isinstance(realname.from_config({}), realname.StandInRealName)
    real = {"REALNAME_URL": "https://mip.example", "REALNAME_PARTNER_ID": "P", "REALNAME_SECRET": "s"}
    assert isinstance(realname.from_config(real), realname.MedicalInsuranceCardRealName)
    production = {"DATA_DIR": str(tmp_path), "YIBAO_ENV": "production", "SECRET_KEY": "k" * 40,
                  "WECHAT_APP_ID": "wx0123456789abcdef", "WECHAT_APP_SECRET": "s" * 32}
    with pytest.raises(ConfigError, match="real-name"):
        from_environment(production)
    with pytest.raises(ConfigError, match="go together"):
        from_environment({"DATA_DIR": str(tmp_path), "REALNAME_URL": "https://mip.example"})
    data_key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    assert from_environment({**production, **real, "DATA_KEY": data_key})["REALNAME_PARTNER_ID"] == "P"
