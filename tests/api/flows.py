"""Walks shared by the API tests: one filing taken through its steps."""

from __future__ import annotations

import io
from datetime import date, timedelta

from PIL import Image, ImageDraw

from tests.conftest import PEOPLE, signature_png, upload


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


# --- 为他人备案: 李明 files for his mother 王秀英 ----------------------------------------

FILINGS = "/api/v1/filings"
MOTHER = {"name": "王秀英", "id_number": PEOPLE["王秀英"], "relation": "parent",
          "scheme": "employee", "insured_region": "140100"}
STEPS = ("insured", "notice", "agent_declaration", "attachments", "details", "signature")


def id_photo(colour=(40, 90, 160), size=(856, 540)) -> bytes:
    """A JPEG shaped like a photographed ID card (85.6 x 54 mm)."""
    img = Image.new("RGB", size, (235, 235, 225))
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 60, 300, 420), fill=colour)
    for y in range(80, 420, 60):
        draw.line([(340, y), (800, y)], fill=(30, 30, 30), width=8)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


def notice_version(client) -> str:
    return client.get("/api/v1/documents/filing-notice").json["version"]


def declare(agent, fid):
    """代办承诺: accept the current declaration, then sign it by hand."""
    version = agent.client.get("/api/v1/documents/agent-declaration").json["version"]
    r = agent.put(f"{FILINGS}/{fid}/agent-declaration", json={"accepted": True, "version": version})
    assert r.status_code == 200, r.json
    return agent.post(f"{FILINGS}/{fid}/agent-declaration/signature", data=upload(signature_png()),
                      content_type="multipart/form-data")


def start(agent) -> int:
    r = agent.post(FILINGS, json={"for": "other"})
    assert r.status_code == 201, r.json
    return r.json["id"]


def put_photo(agent, fid, kind, data=None, name="photo.jpg", content_type="image/jpeg"):
    return agent.post(f"{FILINGS}/{fid}/attachments/{kind}", data=upload(id_photo() if data is None else data, name, content_type),
                      content_type="multipart/form-data")


def do_step(agent, fid, step):
    """One step of the proxy walk, done the ordinary way."""
    if step == "insured":
        return agent.put(f"{FILINGS}/{fid}/insured", json=MOTHER)
    if step == "notice":
        return agent.put(f"{FILINGS}/{fid}/notice", json={"accepted": True, "version": notice_version(agent.client)})
    if step == "agent_declaration":
        return declare(agent, fid)
    if step == "attachments":
        assert put_photo(agent, fid, "agent_id_card").status_code == 201
        return put_photo(agent, fid, "insured_hukou")
    if step == "details":
        return agent.put(f"{FILINGS}/{fid}/details", json=long_term_details())
    if step == "signature":
        return agent.post(f"{FILINGS}/{fid}/signature", data=upload(signature_png()),
                          content_type="multipart/form-data")
    raise AssertionError(step)


def proxy_filing_through(agent, last_step: str | None) -> int:
    """A draft for 王秀英 with every step up to and including `last_step` done."""
    fid = start(agent)
    for step in STEPS[: STEPS.index(last_step) + 1] if last_step else ():
        r = do_step(agent, fid, step)
        assert r.status_code in (200, 201), (step, r.json)
    return fid


def effective_proxy_filing(agent) -> dict:
    fid = proxy_filing_through(agent, "signature")
    r = agent.post(f"{FILINGS}/{fid}/submit", headers={"Idempotency-Key": f"proxy-{fid}"})
    assert r.status_code == 200, r.json
    return r.json


def steps_done(filing: dict) -> list[str]:
    return [s["name"] for s in filing["steps"] if s["done"]]
