"""Bad input of every kind, on every operation of the spec: a clear answer in the
one error shape, in Chinese, and never a 500."""

import io
import json
import re

import pytest

from backend.cli import spec_json
from tests.api.flows import self_filing_until_signature
from tests.conftest import ROOT

SPEC = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
OPERATIONS = [(path, method) for path, ops in SPEC["paths"].items() for method in ops
              if method in ("get", "post", "put", "delete")]

BAD_JSON_BODIES = [
    ("not json", "{not json"),
    ("a list", "[]"),
    ("a number", "42"),
    ("null", "null"),
    ("unknown field", json.dumps({"surprise": True})),
    ("wrong types", json.dumps({"code": 1, "refresh_token": [], "name": 5, "id_number": True, "consent": "yes",
                                "for": 7, "scheme": {}, "insured_region": 140100, "accepted": "no",
                                "version": None, "category": [], "start_date": "yesterday",
                                "filing_no": 1, "amount": "lots", "settled_at": "soon", "reason": 3,
                                "team_id": "x", "package_ids": "all", "health_tags": 1, "relation": 0})),
    ("huge strings", json.dumps({k: "长" * 20000 for k in ("code", "name", "id_number", "reason", "address",
                                                         "contact_name", "filing_no", "institution")})),
]


def _path(path, ids):
    for name, value in ids.items():
        path = path.replace("{" + name + "}", str(value))
    return path


def _check(response):
    assert response.status_code < 500, (response.status_code, response.get_data(as_text=True)[:300])
    if response.status_code >= 400:
        body = response.get_json()
        assert set(body) == {"code", "status", "message", "errors"}, body
        assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body
        # A person reads the message: no API keys like `contact_phone` in it.
        assert not re.search(r"[a-z]+_[a-z_]+", body["message"]), body["message"]
        text = response.get_data(as_text=True)
        for leak in ("Traceback", "sqlalchemy", "SELECT ", "/work/", "site-packages"):
            assert leak not in text


@pytest.fixture
def actor(login):
    liming = login("李明")
    draft = self_filing_until_signature(liming)
    return liming, {"filing_id": draft, "attachment_id": 999999, "token": "nope", "name": "nope",
                    "signup_id": 999999, "institution_id": 999999, "team_id": 999999, "member_id": 999999,
                    "agent_id": 999999, "kind": "agent_id_card"}


@pytest.mark.parametrize("path, method", OPERATIONS)
def test_every_operation_answers_garbage_without_a_500(actor, path, method):
    person, ids = actor
    url = _path(path, ids)
    headers = {**person.headers, "X-Partner-Key": "demo-settlement-key", "Content-Type": "application/json"}
    for _label, raw in BAD_JSON_BODIES:
        _check(person.client.open(url, method=method.upper(), data=raw, headers=headers))
    # A multipart upload that is not an image, and one with no file.
    multipart = {**person.headers, "X-Partner-Key": "demo-settlement-key"}
    _check(person.client.open(url, method=method.upper(), headers=multipart, content_type="multipart/form-data",
                              data={"file": (io.BytesIO(b"\x00" * 64), "x.png", "image/png")}))
    _check(person.client.open(url, method=method.upper(), headers=multipart, content_type="multipart/form-data",
                              data={"other": "value"}))


@pytest.mark.parametrize("path, method", OPERATIONS)
def test_every_operation_answers_ids_that_do_not_exist_without_a_500(actor, path, method):
    person, ids = actor
    missing = {k: (999999 if isinstance(v, int) else "missing") for k, v in ids.items()}
    missing["kind"] = "not_a_kind"
    response = person.client.open(_path(path, missing), method=method.upper(), json={},
                                   headers={**person.headers, "X-Partner-Key": "demo-settlement-key"})
    _check(response)


@pytest.mark.parametrize("query", [
    "for=everyone", "page=-1", "per_page=100000", "page=abc", "status=lost", "for=self&for=other",
])
def test_bad_record_queries_are_refused_in_chinese(actor, query):
    person, _ = actor
    response = person.get(f"/api/v1/filings?{query}")
    _check(response)
    assert response.status_code in (200, 422)


def test_a_body_nested_thousands_deep_is_refused_not_crashed_on(actor):
    person, _ = actor
    deep = "[" * 100_000 + "]" * 100_000
    for path in ("/api/v1/filing-advice", "/api/v1/auth/wx-login"):
        response = person.client.post(path, data=deep, content_type="application/json")
        _check(response)
        assert response.status_code == 400


def test_an_id_too_large_for_the_database_is_simply_not_found(actor):
    person, _ = actor
    response = person.get("/api/v1/filings/99999999999999999999999")
    _check(response)
    assert response.status_code == 404
    _check(person.get("/api/v1/fd/teams/2147483648"))


def test_unknown_paths_and_methods_get_the_error_shape(client):
    _check(client.get("/api/v1/nothing-here"))
    _check(client.patch("/api/v1/filings"))


def test_a_body_over_the_upload_limit_gets_413(actor):
    person, ids = actor
    size = 12 * 1024 * 1024
    response = person.post(f"/api/v1/filings/{ids['filing_id']}/signature",
                           content_type="multipart/form-data; boundary=x", input_stream=io.BytesIO(b"0" * size),
                           headers={"Content-Length": str(size)})
    _check(response)
    assert response.status_code == 413


def test_the_committed_spec_lists_every_operation_tested_here(app):
    # If the spec drifted, the parametrisation above would miss new operations.
    assert json.loads(spec_json(app)) == SPEC
