"""Walks shared by the API tests: one filing taken through its steps."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import signature_png, upload


def long_term_details(**overrides) -> dict:
    body = {"category": "long_term", "person_type": "retired_resettled", "destination_region": "460100",
            "start_date": (date.today() + timedelta(days=7)).isoformat(),
            "address": "海南省海口市美兰区海甸岛人民大道58号", "contact_name": "李明", "contact_phone": "13834560318"}
    body.update(overrides)
    return body


def temporary_details(**overrides) -> dict:
    start = date.today() + timedelta(days=3)
    body = {"category": "temporary", "person_type": "other_temporary", "destination_region": "110100",
            "start_date": start.isoformat(), "end_date": (start + timedelta(days=200)).isoformat(),
            "contact_name": "李明", "contact_phone": "13834560318"}
    body.update(overrides)
    return body


def self_filing_until_signature(person, scheme="employee", region="140100", details=None) -> int:
    filing = person.post("/api/v1/filings", json={"for": "self"})
    assert filing.status_code == 201, filing.json
    fid = filing.json["id"]
    assert person.put(f"/api/v1/filings/{fid}/insured", json={"scheme": scheme, "insured_region": region}).status_code == 200
    assert person.put(f"/api/v1/filings/{fid}/notice", json={"accepted": True, "version": "2026.1"}).status_code == 200
    r = person.put(f"/api/v1/filings/{fid}/details", json=details or long_term_details(person_type="stationed_worker"))
    assert r.status_code == 200, r.json
    return fid


def effective_self_filing(person, **kw) -> dict:
    fid = self_filing_until_signature(person, **kw)
    r = person.post(f"/api/v1/filings/{fid}/signature", data=upload(signature_png()),
                    content_type="multipart/form-data")
    assert r.status_code == 200, r.json
    r = person.post(f"/api/v1/filings/{fid}/submit", headers={"Idempotency-Key": f"k-{fid}"})
    assert r.status_code == 200, r.json
    return r.json
