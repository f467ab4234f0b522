"""Rate limits: per account first, per address second, answered 429 in the one error
shape with `Retry-After`; counted in Redis when `REDIS_URL` is set, so that two
servers share the counters."""

from __future__ import annotations

import uuid

import pytest
import redis

from backend import create_app
from tests.conftest import PEOPLE, assert_error_shape

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def limits(app):
    """Set some limits low for one test, with counters starting from zero."""
    limiter = app.extensions["rate_limiter"]
    limiter.reset()

    def set_(**values):
        app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"],
                                     **{k.replace("__", "."): v for k, v in values.items()}}
    yield set_
    limiter.reset()


def _identity(person):
    return person.put("/api/v1/me/identity", json={"name": "李明", "id_number": PEOPLE["李明"], "consent": True})


def test_identity_binding_is_limited_per_account_with_a_retry_after(login, limits):
    limits(identity__account="3/minute")
    liming = login(code="demo-liming-limits")
    for _ in range(3):
        assert _identity(liming).status_code != 429
    refused = _identity(liming)
    body = assert_error_shape(refused, 429, "request.too_many")
    assert "秒后再试" in body["message"]
    assert 0 < int(refused.headers["Retry-After"]) <= 61   # a one-minute window, rounded up
    # Another account behind the same address is not held back by his tries.
    assert _identity(login(code="demo-someone-else")).status_code != 429


def test_logins_are_limited_per_address_generously(client, limits):
    limits(login__address="4/minute")
    answers = [client.post("/api/v1/auth/wx-login", json={"code": f"demo-{n}"}).status_code for n in range(5)]
    assert answers[:4] == [200] * 4
    assert answers[4] == 429


def test_uploads_of_every_kind_share_one_budget_per_account(login, limits):
    limits(upload__account="2/minute")
    liming = login("李明")
    fid = liming.post("/api/v1/filings", json={"for": "self"}).json["id"]
    # Refused for other reasons (step order), but counted: the budget is for attempts.
    assert liming.post(f"/api/v1/filings/{fid}/signature").status_code != 429
    assert liming.post(f"/api/v1/filings/{fid}/attachments/agent_id_card").status_code != 429
    assert_error_shape(liming.post(f"/api/v1/filings/{fid}/signature"), 429, "request.too_many")


def test_the_public_verification_is_limited_per_address(client, limits):
    limits(verification__address="2/minute")
    for _ in range(2):
        assert client.get("/api/v1/filing-verifications/nothing").status_code == 404
    assert_error_shape(client.get("/api/v1/filing-verifications/nothing"), 429)


def test_the_partner_api_is_limited_per_key(client, limits):
    limits(partner__partner="2/minute")
    headers = {"X-Partner-Key": "demo-settlement-key"}
    for _ in range(2):
        assert client.get("/api/v1/partner/whoami", headers=headers).status_code == 200
    assert_error_shape(client.get("/api/v1/partner/whoami", headers=headers), 429)


def test_two_servers_on_one_redis_share_the_counters(app):
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    config = {**app.config, "REDIS_URL": REDIS_URL,
              "RATE_LIMITS": {**app.config["RATE_LIMITS"], "login.address": "3/minute"}}
    first, second = create_app(dict(config)), create_app(dict(config))
    try:
        code = f"demo-{uuid.uuid4().hex[:8]}"
        assert first.test_client().post("/api/v1/auth/wx-login", json={"code": code}).status_code == 200
        assert second.test_client().post("/api/v1/auth/wx-login", json={"code": code}).status_code == 200
        assert first.test_client().post("/api/v1/auth/wx-login", json={"code": code}).status_code == 200
        assert_error_shape(second.test_client().post("/api/v1/auth/wx-login", json={"code": code}), 429)
        assert any(key.startswith(b"LIMITS:yibao") or b"yibao" in key for key in store.keys("*"))
    finally:
        for other in (first, second):
            other.extensions["db"].dispose()
        store.flushdb()
        store.close()
