"""Login, tokens and 授权登录."""

import base64
import json
import time

import jwt
import pytest

from tests.conftest import PEOPLE, assert_error_shape, code_of

SECRET = "test-secret-key-that-is-long-enough-for-hs256-and-hs512-0123456789"


def test_the_same_wx_code_always_gives_the_same_account(client):
    first = client.post("/api/v1/auth/wx-login", json={"code": "demo-qa-1"}).json
    again = client.post("/api/v1/auth/wx-login", json={"code": "demo-qa-1"}).json
    other = client.post("/api/v1/auth/wx-login", json={"code": "demo-qa-2"}).json
    assert first["account"]["id"] == again["account"]["id"] != other["account"]["id"]
    assert first["token_type"] == "Bearer" and first["expires_in"] == 900


def test_a_refresh_token_rotates_and_a_reused_one_revokes_the_whole_chain(client):
    tokens = client.post("/api/v1/auth/wx-login", json={"code": "demo-rotate"}).json
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert second.status_code == 200 and second.json["refresh_token"] != tokens["refresh_token"]
    # The first token is spent: presenting it again looks like theft.
    reused = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert_error_shape(reused, 401, "auth.refresh_reused")
    # ... and the token issued from it dies with the chain.
    assert_error_shape(client.post("/api/v1/auth/refresh", json={"refresh_token": second.json["refresh_token"]}),
                       401)


def test_logout_revokes_the_refresh_chain(client):
    tokens = client.post("/api/v1/auth/wx-login", json={"code": "demo-logout"}).json
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.post("/api/v1/auth/logout", headers=headers,
                       json={"refresh_token": tokens["refresh_token"]}).status_code == 204
    assert_error_shape(client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}), 401)


def _claims(**overrides):
    now = int(time.time())
    claims = {"sub": "1", "iss": "yibao", "aud": "yibao-miniprogram", "iat": now, "exp": now + 600, "typ": "access"}
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _unsigned(claims):
    def part(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


FORGED = {
    "alg none": lambda: _unsigned(_claims()),
    "another key": lambda: jwt.encode(_claims(), "another-key-that-is-also-long-enough-for-any-hmac-algorithm-0123456789", algorithm="HS256"),
    "expired": lambda: jwt.encode(_claims(iat=int(time.time()) - 2000, exp=int(time.time()) - 1000), SECRET,
                                  algorithm="HS256"),
    "wrong audience": lambda: jwt.encode(_claims(aud="someone-else"), SECRET, algorithm="HS256"),
    "wrong issuer": lambda: jwt.encode(_claims(iss="evil"), SECRET, algorithm="HS256"),
    "no typ": lambda: jwt.encode(_claims(typ=None), SECRET, algorithm="HS256"),
    "refresh typ": lambda: jwt.encode(_claims(typ="refresh"), SECRET, algorithm="HS256"),
    "HS512": lambda: jwt.encode(_claims(), SECRET, algorithm="HS512"),
    "garbage": lambda: "not-a-token",
}


@pytest.mark.parametrize("kind", FORGED)
def test_forged_tokens_get_401(client, kind):
    client.post("/api/v1/auth/wx-login", json={"code": "demo-victim"})  # account 1 exists
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {FORGED[kind]()}"})
    assert_error_shape(response, 401, "auth.token_invalid")


def test_a_refresh_token_used_as_an_access_token_gets_401(client):
    tokens = client.post("/api/v1/auth/wx-login", json={"code": "demo-mixup"}).json
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens['refresh_token']}"})
    assert_error_shape(response, 401)


def test_no_token_at_all_gets_401_asking_to_log_in(client):
    body = assert_error_shape(client.get("/api/v1/me"), 401, "auth.required")
    assert "登录" in body["message"]


def test_binding_an_identity_shows_the_number_masked(login):
    liming = login("李明")
    me = liming.get("/api/v1/me").json
    assert me["identity"]["name"] == "李明"
    assert me["identity"]["id_number"] == "140***********0318"
    assert me["consent_version"] == "2026.1"
    records = liming.get("/api/v1/me/insurance").json
    assert records == [{"scheme": "employee", "scheme_label": "职工基本医疗保险", "insured_region": "140100",
                        "insured_region_name": "太原市", "status": "active", "retired": False}]


def test_a_repeated_number_with_a_lower_case_x_and_spaces_is_forgiven(login):
    person = login(code=code_of("李明"))
    response = person.put("/api/v1/me/identity", json={"name": "李明", "id_number": " 140121 198007120318 ",
                                                       "consent": True})
    assert response.status_code == 200, response.json


@pytest.mark.parametrize("who, body, status, code", [
    ("李明", {"name": "李明", "id_number": "140121198007120319", "consent": True}, 422, "identity.invalid_id_number"),
    ("李明", {"name": "李明", "id_number": "12345", "consent": True}, 422, "identity.invalid_id_number"),
    ("孙不在", {"consent": True}, 422, "identity.not_in_registry"),
    ("李明", {"name": "李强", "id_number": PEOPLE["李明"], "consent": True}, 403, "identity.not_account_holder"),
    ("李明", {"consent": False}, 422, "identity.consent_required"),
])
def test_binding_refuses_bad_numbers_strangers_to_the_registry_and_missing_consent(login, who, body, status, code):
    person = login(code=code_of(who))
    assert_error_shape(person.put("/api/v1/me/identity", json=body), status, code)
    assert person.get("/api/v1/me").json["identity_bound"] is False


def test_an_unbound_account_is_asked_to_authorise_before_filing(login):
    person = login(code="demo-unbound")
    body = assert_error_shape(person.post("/api/v1/filings", json={"for": "self"}), 403, "identity.required")
    assert "授权登录" in body["message"]


def test_a_token_used_before_still_expires_and_still_ends_at_logout(app, client):
    """The signature of a token is verified once and remembered; what a person notices
    must not change: the token stops working when its 15 minutes are up on the app's
    clock, and at once when its login session is ended."""
    from datetime import datetime, timedelta, timezone
    tokens = client.post("/api/v1/auth/wx-login", json={"code": "demo-token-reuse"}).json
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # remembered now

    later = datetime.now(timezone.utc) + timedelta(seconds=app.config["ACCESS_TOKEN_SECONDS"] + 1)
    app.config["CLOCK"] = lambda: later
    assert_error_shape(client.get("/api/v1/me", headers=headers), 401, "auth.token_invalid")
    app.config["CLOCK"] = None
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    assert client.post("/api/v1/auth/logout", headers=headers,
                       json={"refresh_token": tokens["refresh_token"]}).status_code == 204
    assert_error_shape(client.get("/api/v1/me", headers=headers), 401, "auth.token_invalid")
