"""`GET /error-codes`: the catalogue a client can read, and the check that keeps it whole."""

from tests import error_codes_seen
from tests.conftest import assert_error_shape


def test_the_catalogue_lists_every_code_with_its_status_and_a_chinese_message(client):
    response = client.get("/api/v1/error-codes")
    assert response.status_code == 200
    entries = response.json
    assert entries and all(set(entry) == {"code", "status", "message"} for entry in entries)
    codes = [entry["code"] for entry in entries]
    assert codes == sorted(codes) and len(codes) == len(set(codes))
    for entry in entries:
        assert 400 <= entry["status"] <= 599, entry
        assert any("\u4e00" <= ch <= "\u9fff" for ch in entry["message"]), entry
    by_code = {entry["code"]: entry["status"] for entry in entries}
    assert by_code["filing.step_out_of_order"] == 409 and by_code["region.unknown"] == 422
    assert by_code["server.database_unavailable"] == 503 and by_code["request.invalid"] == 422


def test_the_catalogue_is_public_and_in_the_spec(client):
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/error-codes"]["get"]
    assert "security" not in operation and "200" in operation["responses"]


def test_every_error_answered_is_recorded_for_the_end_of_run_check(client):
    assert_error_shape(client.get("/api/v1/documents/no-such-document"), 404, "document.not_found")
    assert 404 in error_codes_seen.SEEN["document.not_found"]


def test_the_end_of_run_check_names_unknown_codes_and_wrong_statuses():
    found = error_codes_seen.problems({"filing.not_found": {404: "t::ok"}, "made.up": {418: "t::a"},
                                       "region.unknown": {400: "t::b"}})
    assert found == ["made.up (418) is not in the catalogue — first seen in t::a",
                     "region.unknown was answered with 400, the catalogue says 422 — first seen in t::b"]
