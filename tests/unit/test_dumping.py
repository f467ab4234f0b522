"""The compiled dumper (backend/api/dumping.py) gives what marshmallow's `schema.dump`
gives, field type by field type, and the API refuses to answer when they differ in tests."""

from __future__ import annotations

import decimal
import enum
from datetime import date, datetime, timedelta, timezone

import marshmallow as ma
import pytest
from flask import Flask
from flask.views import MethodView
from flask_smorest import Api

from backend import errors
from backend.api import dumping
from backend.api.base import Blueprint, Money, WholeNumber, page_of
from backend.api.fields import BeijingDateTime

UTC = timezone.utc


def same_as_marshmallow(schema: ma.Schema, obj, many=None):
    """The compiled dump, after checking it is marshmallow's to the type and key order."""
    fast = dumping.dump(schema, obj, many=many)
    slow = schema.dump(obj, many=many)
    assert dumping.first_difference(fast, slow) is None
    return fast


class Address(ma.Schema):
    city = ma.fields.String()
    code = ma.fields.Integer(data_key="region_code")


class Person(ma.Schema):
    name = ma.fields.String()
    age = WholeNumber()
    height = ma.fields.Float()
    active = ma.fields.Boolean()
    born = ma.fields.Date()
    seen = ma.fields.DateTime()
    at = BeijingDateTime()
    fee = Money()
    amount = ma.fields.Decimal(as_string=True)
    tags = ma.fields.List(ma.fields.String())
    detail = ma.fields.Dict()
    errors = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()))
    home = ma.fields.Nested(Address)
    homes = ma.fields.List(ma.fields.Nested(Address))
    cities = ma.fields.Nested(Address, many=True, only=("city",))
    anything = ma.fields.Raw()
    for_whom = ma.fields.String(data_key="for")
    nick = ma.fields.String(attribute="nickname")
    level = ma.fields.Integer(dump_default=1)
    secret = ma.fields.String(load_only=True)


EVERYTHING = {
    "name": "王秀英", "age": "74", "height": 1, "active": "false", "born": date(1952, 3, 18),
    "seen": datetime(2026, 12, 1, 5, 0, tzinfo=UTC), "at": datetime(2026, 12, 1, 16, 30),
    "fee": decimal.Decimal("12.5"), "amount": decimal.Decimal("3.10"), "tags": ["a", 2],
    "detail": {"when": date(2026, 1, 2), "n": 1}, "errors": {"name": ["太长", 3]},
    "home": {"city": "太原", "code": "140100"}, "homes": [{"city": "长沙"}, {}],
    "cities": [{"city": "太原", "code": 140100}], "anything": (1, 2), "for": "ignored",
    "for_whom": "other", "nickname": "秀", "secret": "never shown",
}


def test_every_field_type_we_use_dumps_as_marshmallow_dumps_it():
    dumped = same_as_marshmallow(Person(), EVERYTHING)
    assert dumped == {
        "name": "王秀英", "age": 74, "height": 1.0, "active": False, "born": "1952-03-18",
        "seen": "2026-12-01T05:00:00+00:00", "at": "2026-12-02T00:30:00+08:00", "fee": "12.50",
        "amount": "3.10", "tags": ["a", "2"], "detail": {"when": date(2026, 1, 2), "n": 1},
        "errors": {"name": ["太长", "3"]}, "home": {"city": "太原", "region_code": 140100},
        "homes": [{"city": "长沙"}, {}], "cities": [{"city": "太原"}], "anything": (1, 2),
        "for": "other", "nick": "秀", "level": 1,
    }
    assert type(dumped["height"]) is float and dumped["active"] is False


def test_keys_keep_the_order_of_the_schema():
    dumped = same_as_marshmallow(Person(), EVERYTHING)
    assert list(dumped)[:4] == ["name", "age", "height", "active"]


def test_none_stays_none_for_every_field():
    nothing = {name: None for name in Person().fields}
    dumped = same_as_marshmallow(Person(), nothing | {"nickname": None, "for_whom": None})
    assert set(dumped.values()) == {None}


def test_a_key_absent_from_the_source_is_left_out_unless_it_has_a_default():
    assert same_as_marshmallow(Person(), {"name": "李明"}) == {"name": "李明", "level": 1}


def test_a_missing_key_named_like_a_dict_method_behaves_as_marshmallow():
    # marshmallow falls back to getattr on a dict: a missing "items" is dict.items.
    schema = ma.Schema.from_dict({"items": ma.fields.Raw(), "name": ma.fields.String()})()
    dumped = same_as_marshmallow(schema, {"name": "x"})
    assert callable(dumped["items"])


def test_a_callable_dump_default_is_called_for_each_dump():
    calls = []
    schema = ma.Schema.from_dict({"n": ma.fields.Integer(dump_default=lambda: calls.append(1) or len(calls))})()
    assert dumping.dump(schema, {}) == {"n": 1}
    assert dumping.dump(schema, {}) == {"n": 2}


def test_objects_with_attributes_dump_like_dicts():
    class Record:
        city = "太原"
        code = "140100"

    assert same_as_marshmallow(Address(), Record()) == {"city": "太原", "region_code": 140100}


def test_a_list_with_many_and_a_page_of_nested_items():
    assert same_as_marshmallow(Address(many=True), [{"city": "a"}, {"code": 1}]) == [
        {"city": "a"}, {"region_code": 1}]
    page = page_of(Address, "AddressPageForTest")()
    dumped = same_as_marshmallow(page, {"items": [{"city": "a", "code": "2"}], "page": 1, "per_page": 20,
                                        "total": 1})
    assert dumped == {"items": [{"city": "a", "region_code": 2}], "page": 1, "per_page": 20, "total": 1}


def test_many_given_at_dump_time_and_none_with_many_as_marshmallow():
    assert same_as_marshmallow(Address(), [{"city": "a"}], many=True) == [{"city": "a"}]
    assert same_as_marshmallow(Address(), None, many=True) == {}


def test_a_schema_nested_in_itself_dumps_as_deep_as_the_data():
    class Tree(ma.Schema):
        name = ma.fields.String()
        kids = ma.fields.List(ma.fields.Nested(lambda: Tree()))

    tree = {"name": "a", "kids": [{"name": "b", "kids": [{"name": "c", "kids": []}]}]}
    assert same_as_marshmallow(Tree(), tree) == tree


def test_a_boolean_of_strings_and_numbers_follows_marshmallow():
    schema = ma.Schema.from_dict({"b": ma.fields.Boolean()})()
    for value, shown in [(True, True), (False, False), ("true", True), ("false", False), (0, False),
                         (1, True), ("", False), ("x", True), ([], False)]:
        assert same_as_marshmallow(schema, {"b": value}) == {"b": shown}


def test_dates_and_times_in_iso_and_in_a_format_of_their_own():
    schema = ma.Schema.from_dict({"day": ma.fields.Date(), "when": ma.fields.DateTime(format="%Y/%m/%d %H:%M"),
                                  "ts": ma.fields.DateTime(format="timestamp")})()
    moment = datetime(2026, 12, 1, 8, 5, tzinfo=UTC)
    assert same_as_marshmallow(schema, {"day": moment, "when": moment, "ts": moment}) == {
        "day": "2026-12-01", "when": "2026/12/01 08:05", "ts": moment.timestamp()}


def test_beijing_time_is_the_fields_own_rule():
    schema = ma.Schema.from_dict({"at": BeijingDateTime()})()
    assert same_as_marshmallow(schema, {"at": datetime(2026, 12, 1, 23, 0, tzinfo=timezone(timedelta(hours=-5)))}) \
        == {"at": "2026-12-02T12:00:00+08:00"}


def test_hooks_and_fields_it_does_not_know_go_through_marshmallow():
    class Hooked(ma.Schema):
        name = ma.fields.String()
        shout = ma.fields.Method("loud")
        always = ma.fields.Constant("常")
        pick = ma.fields.Pluck(Address, "city", many=True)

        def loud(self, obj):
            return obj["name"].upper()

        @ma.post_dump
        def mark(self, data, **kwargs):
            return {**data, "hooked": True}

    class Unhooked(Hooked):
        @ma.post_dump
        def mark(self, data, **kwargs):
            return data

    data = {"name": "li", "pick": [{"city": "太原"}]}
    assert same_as_marshmallow(Hooked(), data) == {
        "name": "li", "shout": "LI", "always": "常", "pick": ["太原"], "hooked": True}
    assert dumping.compiled(Hooked(), False).__name__ == "function"

    class Plain(ma.Schema):
        name = ma.fields.String()
        shout = ma.fields.Method("loud")
        always = ma.fields.Constant("常")
        pick = ma.fields.Pluck(Address, "city", many=True)
        colour = ma.fields.Enum(Colour)
        shade = ma.fields.Enum(Colour, by_value=True)
        length = ma.fields.Function(lambda obj: len(obj["name"]))
        loud = Hooked.loud

    assert same_as_marshmallow(Plain(), data | {"colour": Colour.RED, "shade": Colour.RED}) == {
        "name": "li", "shout": "LI", "always": "常", "pick": ["太原"], "colour": "RED", "shade": "红",
        "length": 2}


class Colour(enum.Enum):
    RED = "红"


def test_booleans_given_their_own_truthy_and_falsy_sets_follow_them():
    schema = ma.Schema.from_dict({"b": ma.fields.Boolean(truthy={0, "no"}, falsy={1})})()
    assert same_as_marshmallow(schema, {"b": False}) == {"b": True}
    assert same_as_marshmallow(schema, {"b": True}) == {"b": False}
    # marshmallow looks in truthy first: False (== 0) is true here though also in falsy.
    schema = ma.Schema.from_dict({"b": ma.fields.Boolean(truthy={0, 1}, falsy={0})})()
    assert same_as_marshmallow(schema, {"b": False}) == {"b": True}


def test_a_field_with_its_own_serialize_is_asked_for_its_value():
    class Upper(ma.fields.Field):
        def serialize(self, attr, obj, accessor=None, **kwargs):
            return "来自字段"

    schema = ma.Schema.from_dict({"x": Upper()})()
    assert same_as_marshmallow(schema, {}) == {"x": "来自字段"}


def test_the_comparison_sees_what_a_client_would_see():
    assert dumping.first_difference({"a": 1}, {"a": 1.0}) is not None
    assert dumping.first_difference({"a": True}, {"a": 1}) is not None
    assert dumping.first_difference({"a": 1, "b": 2}, {"b": 2, "a": 1}) is not None
    assert dumping.first_difference([{"a": "x"}], [{"a": "y"}]) == "[0].a: 'x' != 'y'"
    assert dumping.first_difference({"a": [1, 2]}, {"a": [1]}) is not None
    assert dumping.first_difference({"a": decimal.Decimal("1.0")}, {"a": decimal.Decimal("1.00")}) is not None
    assert dumping.first_difference({"a": -0.0}, {"a": 0.0}) is not None
    moment = datetime(2026, 12, 1, tzinfo=UTC)
    assert dumping.first_difference([moment], [moment.astimezone(timezone(timedelta(hours=8)))]) is not None
    assert dumping.first_difference({"a": [1.5, "x", float("nan"), moment]},
                                    {"a": [1.5, "x", float("nan"), moment]}) is None


# --- in the app --------------------------------------------------------------------

def app_answering(schema, answer, *, testing: bool) -> Flask:
    app = Flask(__name__)
    app.config.update(TESTING=testing, API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    api = Api(app)
    blp = Blueprint("t", __name__)

    @blp.route("/thing")
    class Thing(MethodView):
        @blp.response(201, schema)
        def get(self):
            return answer

    api.register_blueprint(blp)
    errors.register(app)
    return app


def test_an_answer_is_dumped_with_its_status():
    response = app_answering(Address, {"city": "太原", "code": "1"}, testing=True).test_client().get("/thing")
    assert response.status_code == 201
    assert response.get_json() == {"city": "太原", "region_code": 1}


def test_in_tests_a_difference_from_marshmallow_fails_the_request_loudly(monkeypatch):
    app = app_answering(Address, {"city": "太原"}, testing=True)
    monkeypatch.setattr(dumping, "dump", lambda schema, obj, many=None: {"city": "长沙"})
    with pytest.raises(dumping.DumpMismatch, match="city: '长沙' != '太原'"):
        app.test_client().get("/thing")


def test_outside_tests_marshmallow_is_not_run():
    schema = Address()
    calls = []
    schema.dump = lambda obj, many=None: calls.append(obj) or {"city": "太原"}
    response = app_answering(schema, {"city": "太原"}, testing=False).test_client().get("/thing")
    assert response.get_json() == {"city": "太原"} and calls == []
    response = app_answering(schema, {"city": "太原"}, testing=True).test_client().get("/thing")
    assert calls == [{"city": "太原"}]
