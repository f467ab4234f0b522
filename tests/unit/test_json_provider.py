"""Answers written by orjson (backend/api/json_provider.py) are the bytes Flask's own
provider writes, or fall back to it."""

from __future__ import annotations

import dataclasses
import decimal
import uuid
from collections import OrderedDict
from datetime import date, datetime, timezone

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider

from backend.api.dumping import DumpMismatch
from backend.api.json_provider import OrjsonProvider


@dataclasses.dataclass
class Point:
    x: int
    y: str


def apps(testing: bool = False, debug: bool = False) -> tuple[Flask, Flask]:
    """Ours, and one with Flask's provider set as create_app sets it."""
    made = []
    for provider in (OrjsonProvider, DefaultJSONProvider):
        app = Flask(__name__)
        app.config.update(TESTING=testing)
        app.debug = debug
        app.json = provider(app)
        app.json.ensure_ascii = False
        app.json.sort_keys = False
        made.append(app)
    return made[0], made[1]


def written(app: Flask, obj) -> tuple[bytes, str]:
    with app.app_context():
        response = app.json.response(obj)
        return response.get_data(), response.mimetype


ANSWER = {
    "name": "王秀英", "z_first": 1, "a_second": [True, None, 1.5, -2, "引号\"反斜杠\\换行\n\x01\u2028/"],
    "born": date(1952, 3, 18), "at": datetime(2026, 12, 1, 16, 30, tzinfo=timezone.utc),
    "amount": decimal.Decimal("12.50"), "id": uuid.UUID(int=7), "point": Point(1, "二"),
    "ordered": OrderedDict([("b", 1), ("a", 2)]), "pair": (1, 2), "empty": {}, "none": [],
}


def test_an_answer_is_the_same_bytes_as_from_flasks_provider():
    ours, flasks = apps()
    body, mimetype = written(ours, ANSWER)
    assert (body, mimetype) == written(flasks, ANSWER)
    assert "王秀英".encode() in body and body.endswith(b"\n")
    assert b'"born":"Tue, 18 Mar 1952 00:00:00 GMT"' in body and b'"amount":"12.50"' in body
    assert body.index(b"z_first") < body.index(b"a_second")


@pytest.mark.parametrize("answer", [{"big": 2**70}, {1: "a number as a key"}, [{"deep": 10**30}]])
def test_what_orjson_refuses_is_written_by_flask(answer):
    ours, flasks = apps()
    assert written(ours, answer) == written(flasks, answer)


def test_in_debug_the_answer_is_indented_as_flask_does():
    ours, flasks = apps(debug=True)
    assert written(ours, ANSWER) == written(flasks, ANSWER)
    assert b'\n  "name"' in written(ours, ANSWER)[0]


def test_what_neither_can_write_is_still_an_error():
    ours, _ = apps()
    with pytest.raises(TypeError):
        written(ours, {"x": object()})


def test_in_tests_an_answer_written_otherwise_fails_loudly():
    ours, _ = apps(testing=True)
    assert written(ours, {"small": 1e-7})[0] == b'{"small":1e-7}\n'  # the same number
    with pytest.raises(DumpMismatch, match="nan"):
        written(ours, {"x": float("nan")})
