"""Same fault, same code: a region code that is not a known region is 422
`region.unknown`, naming the field, at every place a region is taken."""

import pytest

from tests.api.flows import long_term_details
from tests.conftest import assert_error_shape

UNKNOWN = ["999999", "140199", "14"]


def assert_unknown_region(response, field):
    body = assert_error_shape(response, 422, "region.unknown")
    assert list(body["errors"]) == [field], body
    assert "地区" in body["errors"][field][0]
    return body


@pytest.mark.parametrize("code", UNKNOWN)
def test_the_insured_step(login, code):
    liming = login("李明")
    fid = liming.post("/api/v1/filings", json={"for": "self"}).json["id"]
    response = liming.put(f"/api/v1/filings/{fid}/insured", json={"scheme": "employee", "insured_region": code})
    body = assert_unknown_region(response, "insured_region")
    assert "参保地" in body["message"]


@pytest.mark.parametrize("code", UNKNOWN)
def test_the_details_step(login, code):
    liming = login("李明")
    fid = liming.post("/api/v1/filings", json={"for": "self"}).json["id"]
    liming.put(f"/api/v1/filings/{fid}/insured", json={"scheme": "employee", "insured_region": "140100"})
    liming.put(f"/api/v1/filings/{fid}/notice", json={"accepted": True, "version": "2026.1"})
    response = liming.put(f"/api/v1/filings/{fid}/details",
                          json=long_term_details(person_type="stationed_worker", destination_region=code))
    body = assert_unknown_region(response, "destination_region")
    assert "就医地" in body["message"]


@pytest.mark.parametrize("code", UNKNOWN)
@pytest.mark.parametrize("field", ["insured_region", "destination_region"])
def test_filing_advice(client, code, field):
    body = {"scheme": "employee", "insured_region": "140100", "destination_region": "460100", "situation": "other"}
    assert_unknown_region(client.post("/api/v1/filing-advice", json={**body, field: code}), field)


@pytest.mark.parametrize("code", UNKNOWN)
def test_the_region_list(client, code):
    assert_unknown_region(client.get(f"/api/v1/regions?parent={code}"), "parent")


@pytest.mark.parametrize("code", UNKNOWN)
def test_the_institution_list(client, code):
    assert_unknown_region(client.get(f"/api/v1/fd/institutions?region={code}"), "region")


def test_known_regions_are_still_taken_everywhere(client):
    assert [r["code"] for r in client.get("/api/v1/regions?parent=140000").json][:1] == ["140100"]
    assert client.get("/api/v1/fd/institutions?region=430000").status_code == 200
    assert client.post("/api/v1/filing-advice", json={"scheme": "employee", "insured_region": "140100",
                                                      "destination_region": "460100",
                                                      "situation": "other"}).status_code == 200


def test_an_unknown_region_beside_another_fault_is_request_invalid_naming_both(client):
    body = assert_error_shape(client.post("/api/v1/filing-advice", json={
        "scheme": "farmer", "insured_region": "999999", "destination_region": "460100", "situation": "other"}),
        422, "request.invalid")
    assert set(body["errors"]) == {"scheme", "insured_region"}
