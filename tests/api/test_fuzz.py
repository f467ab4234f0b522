"""Fuzzing in the suite: schemathesis over every operation of the committed spec,
in-process against the Flask app, logged in as a bound demo account and with the
partner key, so that the generated requests reach past the door.

Deterministic (a fixed seed, derandomized) and bounded (a few examples an operation,
no shrinking, no example database), so that it fits CI's time. It asserts, for every
answer: never a server error, a status the spec documents for the operation, the
content type the spec gives for that status, and a body that matches its schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, is_unexpected_http_status_case,
                                               response_schema_conformance, status_code_conformance)

from tests.conftest import ROOT

SEED = 20261201
EXAMPLES = 6  # generated cases an operation in the fuzzing phase; the spec's examples are tried as well

CONFIG = schemathesis.Config.from_dict({
    "seed": SEED,
    "generation": {"max-examples": EXAMPLES, "deterministic": True, "no-shrink": True, "database": "none"},
    "phases": {"stateful": {"enabled": False}},
})
schema = schemathesis.openapi.from_path(ROOT / "openapi" / "openapi.json", config=CONFIG)


def status_code_documented(ctx, response, case):
    """status_code_conformance takes any status as documented when the operation has a
    `default` answer, and flask-smorest gives every operation one. Here `default` stands
    only for what any route may answer: 503 (the database unreachable) and 500 (which
    not_a_server_error reports anyway); every other status must be listed, but for a 405
    whose `Allow` shows the URL is another operation's."""
    if is_unexpected_http_status_case(case):
        return None  # a probe with a method or a content type the spec does not give
    documented = {int(code) for code in case.operation.responses.status_codes if code.isdigit()}
    allow = {m.strip() for m in response.headers.get("allow", [""])[0].split(",") if m.strip()}
    if response.status_code == 405 and allow and case.method.upper() not in allow:
        # A path parameter generated out of its type made the URL another operation's
        # (`attachments/{attachment_id}` as `attachments/{kind}`): that URL's methods are named.
        return None
    if response.status_code not in documented | {500, 503}:
        raise AssertionError(f"{case.operation.label} answered {response.status_code}, which its responses do not "
                             f"list ({', '.join(map(str, sorted(documented)))}): "
                             f"{response.content[:300]!r}")
    return None


CHECKS = [not_a_server_error, status_code_conformance, status_code_documented, content_type_conformance,
          response_schema_conformance]

# A demo person of the stand-in registry; the login code real-names the account
# under the new rule, the PUT binds it under either rule.
ID_NUMBER = "140121198007120318"
BIND = {"name": "李明", "id_number": ID_NUMBER, "consent": True}


def bound_demo_token(client) -> str:
    """An access token of an account bound to 李明, whichever binding rule the API has:
    the full body (name, number, consent) or, where the login code already named the
    person, the consent alone."""
    login = client.post("/api/v1/auth/wx-login", json={"code": f"demo-{ID_NUMBER}"})
    assert login.status_code == 200, login.get_json()
    headers = {"Authorization": f"Bearer {login.get_json()['access_token']}"}
    bound = client.put("/api/v1/me/identity", json=BIND, headers=headers)
    if bound.status_code != 200:
        bound = client.put("/api/v1/me/identity", json={"consent": True}, headers=headers)
    assert bound.status_code == 200, bound.get_json()
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.get_json()["identity_bound"], me.get_json()
    return headers["Authorization"]


@pytest.fixture
def fuzz_headers(client):
    return {"Authorization": bound_demo_token(client), "X-Partner-Key": "demo-settlement-key"}


@schema.parametrize()
# One emptied database and one login for the whole walk (schemathesis runs every
# operation as a subtest of this one test): the cases share them, as the requests of
# real clients share a server.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_every_operation_survives_fuzzing(case, app, fuzz_headers):
    headers = dict(fuzz_headers)
    if "/partner/fd/" in case.path:
        headers["X-Partner-Key"] = "demo-fd-team-1"   # a team's own key reaches past the scope check
    case.call_and_validate(app=app, headers=headers, checks=CHECKS)
