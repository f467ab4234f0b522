"""Every integer a client sends is bounded: in every operation of the committed spec,
each integer of a JSON body (items of integer lists too) and each integer query
parameter has a published `minimum`/`maximum`, and a number past them, a negative one
or one with a fraction is a 422 in the one error shape, never a 500, on SQLite and on
PostgreSQL alike (where 2147483648 overflows an `integer` column)."""

import json

import pytest

from tests.conftest import ROOT

SPEC = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
SCHEMAS = SPEC["components"]["schemas"]
MAX_ID = 2**31 - 1
OUT_OF_RANGE = [2**31, 2**63, -1]
NOT_WHOLE = 1.5


def _resolve(schema: dict) -> dict:
    ref = schema.get("$ref")
    return SCHEMAS[ref.rsplit("/", 1)[-1]] if ref else schema


def _integers(schema: dict, path: tuple = ()) -> list[tuple[tuple, dict]]:
    """(where, schema) of every integer in a body schema; `0` in `where` is a list's item."""
    schema = _resolve(schema)
    if schema.get("type") == "integer":
        return [(path, schema)]
    if schema.get("type") == "array":
        return _integers(schema.get("items", {}), path + (0,))
    found = []
    for name, sub in schema.get("properties", {}).items():
        found += _integers(sub, path + (name,))
    return found


def _operations():
    for path, operations in SPEC["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and method in ("get", "post", "put", "delete"):
                yield path, method, operation


def _json_body(operation):
    content = (operation.get("requestBody") or {}).get("content", {}).get("application/json")
    if content is None:
        return None, None
    schema = _resolve(content["schema"])
    return schema, content.get("example", schema.get("example"))


BODY_INTEGERS = [(f"{m.upper()} {p} {'.'.join(map(str, where))}", p, m, where, spec)
                 for p, m, op in _operations() for where, spec in _integers(_json_body(op)[0] or {})]
QUERY_INTEGERS = [(f"{m.upper()} {p} ?{prm['name']}", p, m, prm)
                  for p, m, op in _operations() for prm in op.get("parameters", [])
                  if prm.get("in") == "query" and prm["schema"].get("type") == "integer"]


def test_the_walk_finds_the_integers_it_should():
    # If this drops, the walk stopped seeing a part of the spec.
    names = {label for label, *_ in BODY_INTEGERS} | {label for label, *_ in QUERY_INTEGERS}
    assert "POST /api/v1/fd/signups team_id" in names
    assert "POST /api/v1/fd/signups package_ids.0" in names
    assert "GET /api/v1/partner/fd/signups ?team_id" in names
    assert "GET /api/v1/filings ?per_page" in names


@pytest.mark.parametrize("label, schema", [(b[0], b[4]) for b in BODY_INTEGERS]
                         + [(q[0], q[3]["schema"]) for q in QUERY_INTEGERS],
                         ids=[b[0] for b in BODY_INTEGERS] + [q[0] for q in QUERY_INTEGERS])
def test_the_spec_publishes_the_range_of_every_integer(label, schema):
    assert isinstance(schema.get("minimum"), int) and isinstance(schema.get("maximum"), int), label
    assert schema["maximum"] <= MAX_ID, label


@pytest.fixture
def caller(login):
    person = login("李明")
    headers = {**person.headers, "X-Partner-Key": "demo-settlement-key"}
    return person.client, headers


def _for(url: str, headers: dict) -> dict:
    """A family-doctor team's own key for the team's endpoints, the work-injury agency's
    for its own, the rescue fund's police and fund-manager keys for theirs (others are
    out of their scope)."""
    if "/partner/wi-filings" in url:
        return {**headers, "X-Partner-Key": "demo-wi-agency-650100"}
    if "/partner/fd/" in url:
        return {**headers, "X-Partner-Key": "demo-fd-team-1"}
    if "/partner/rescue/notices" in url:
        return {**headers, "X-Partner-Key": "demo-police-140300"}
    if "/partner/rescue/" in url:
        return {**headers, "X-Partner-Key": "demo-fund-manager-14"}
    return headers


def _url(path: str, operation_params=()) -> str:
    # Any id will do: the body and the query are read before the id is looked up.
    for param in operation_params:
        if param.get("in") == "path":
            value = param["schema"].get("enum", ["1"])[0] if param["schema"].get("type") == "string" else 1
            path = path.replace("{" + param["name"] + "}", str(value))
    return path


def _params(path: str, method: str) -> list:
    return SPEC["paths"][path].get("parameters", []) + SPEC["paths"][path][method].get("parameters", [])


def _put(container, where: tuple, value):
    """A copy of `container` with `value` at `where` (a list's first item for `0`)."""
    step, rest = where[0], where[1:]
    if isinstance(step, int):
        items = list(container or [None])
        items[0] = _put(items[0], rest, value) if rest else value
        return items
    mapping = dict(container or {})
    mapping[step] = _put(mapping.get(step), rest, value) if rest else value
    return mapping


def _assert_refused(response, field: str, label: str, value):
    assert response.status_code in (422, 400, 404), (label, value, response.status_code, response.get_data(True))
    body = response.get_json()
    assert set(body) == {"code", "status", "message", "errors"}, body
    assert body["status"] == response.status_code
    if response.status_code == 422:
        assert any(key == field or key.startswith(field + ".") for key in body["errors"]), (label, value, body)


@pytest.mark.parametrize("label, path, method, where", [b[:4] for b in BODY_INTEGERS], ids=[b[0] for b in BODY_INTEGERS])
def test_an_integer_out_of_range_in_a_body_is_refused(caller, label, path, method, where):
    client, headers = caller
    _schema, example = _json_body(SPEC["paths"][path][method])
    assert example is not None, f"{label}: every body has a request example"
    url = _url(path, _params(path, method))
    field = ".".join(map(str, where))
    for value in OUT_OF_RANGE + [NOT_WHOLE, "1.5", True]:
        response = client.open(url, method=method.upper(), json=_put(example, where, value), headers=_for(url, headers))
        _assert_refused(response, field, label, value)
    # The largest id is not refused for its size: whatever the answer, never a 500.
    response = client.open(url, method=method.upper(), json=_put(example, where, MAX_ID), headers=_for(url, headers))
    assert response.status_code < 500, (label, response.get_data(True))
    if response.status_code == 422:  # for another reason (e.g. no such team), not for its size
        assert "数值超出范围。" not in response.get_json()["errors"].get(field, []), response.get_json()


@pytest.mark.parametrize("label, path, method, param", QUERY_INTEGERS, ids=[q[0] for q in QUERY_INTEGERS])
def test_an_integer_out_of_range_in_a_query_is_refused(caller, label, path, method, param):
    client, headers = caller
    url = _url(path, _params(path, method))
    name = param["name"]
    for value in OUT_OF_RANGE + [NOT_WHOLE, param["schema"]["maximum"] + 1, param["schema"]["minimum"] - 1, "x"]:
        response = client.open(url, method=method.upper(), query_string={name: str(value)}, headers=_for(url, headers))
        _assert_refused(response, name, label, value)
    response = client.open(url, method=method.upper(), query_string={name: str(param["schema"]["maximum"])},
                           headers=_for(url, headers))
    assert response.status_code < 500, (label, response.get_data(True))


@pytest.mark.parametrize("amount, code", [
    ("0", "settlement.amount_invalid"), ("-1", "settlement.amount_invalid"),
    ("10000000.01", "settlement.amount_invalid"), (2**63, "request.invalid"), ("1e999999", "request.invalid"),
    ("NaN", "request.invalid"), ("Infinity", "request.invalid"), ("1.005", "request.invalid"),
    (1e300, "request.invalid"), (True, "request.invalid"),
])
def test_a_settlement_amount_is_bounded_and_never_rounded(caller, amount, code):
    from tests.conftest import assert_error_shape

    client, headers = caller
    operation = SPEC["paths"]["/api/v1/partner/settlements"]["post"]
    amount_spec = _json_body(operation)[0]["properties"]["amount"]
    assert amount_spec["x-minimum"] == "0.01" and amount_spec["x-maximum"] == "10000000.00"
    body = {**_json_body(operation)[1], "amount": amount}
    response = client.post("/api/v1/partner/settlements", json=body, headers=headers)
    assert "amount" in assert_error_shape(response, 422, code)["errors"]


@pytest.mark.parametrize("path, method", [
    ("/api/v1/filings/2147483648/cancel", "POST"), ("/api/v1/filings/-1", "DELETE"),
    ("/api/v1/fd/signups/null,null/agreement", "PUT"), ("/api/v1/me/family-members/abc", "DELETE"),
])
def test_a_path_id_no_route_takes_is_404_whatever_the_method(caller, path, method):
    # Not a 405 from the mock's GET-only catch-all: nothing under /api/ is the mock's.
    from tests.conftest import assert_error_shape

    client, headers = caller
    assert_error_shape(client.open(path, method=method, json={}, headers=_for(path, headers)), 404, "not_found")


def test_a_405_names_the_methods_the_url_takes(client):
    response = client.get("/api/v1/filings/1/attachments/agent_id_card")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}
    assert set(response.get_json()) == {"code", "status", "message", "errors"}


def test_a_body_that_is_not_json_is_a_documented_400(caller):
    client, headers = caller
    response = client.post("/api/v1/filing-advice", data=b"\x13\xd5\xab", headers=headers,
                           content_type="application/json")
    assert response.status_code == 400 and response.get_json()["code"] == "request.bad"
    assert "400" in SPEC["paths"]["/api/v1/filing-advice"]["post"]["responses"]
