"""The rescue-fund walk shared by the API tests: 赵大山 applies for his son 赵小军."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from backend.adapters.clock import CHINA
from tests.api.flows import id_photo
from tests.conftest import PEOPLE, signature_png, upload

R = "/api/v1/rescue/applications"
P = "/api/v1/partner/rescue"
POLICE = {"X-Partner-Key": "demo-police-140300"}
MANAGER = {"X-Partner-Key": "demo-fund-manager-14"}


def at(day, hour=9, minute=0) -> datetime:
    return datetime.combine(day, time(hour, minute), CHINA)


def set_clock(app, day, hour=9):
    moment = at(day, hour)
    app.config["CLOCK"] = lambda: moment.astimezone(timezone.utc)


def photo(client_or_person, path):
    return client_or_person.post(path, data={"file": upload(id_photo(), "p.jpg", "image/jpeg")["file"]},
                                 content_type="multipart/form-data")


def hospital_id(client, name="阳泉市第一人民医院") -> int:
    return next(h["id"] for h in client.get("/api/v1/rescue/hospitals?region=140300").json if h["name"] == name)


def accident(today, days_ago=3, **over) -> dict:
    body = {"police_notice_no": "阳公交垫〔2026〕0318号", "police_unit": "阳泉市公安局交通警察支队城区大队",
            "accident_at": at(today - timedelta(days=days_ago), 18, 40).isoformat(), "accident_region": "140300",
            "accident_place": "国道239线阳泉城区段", "situation": "uninsured_vehicle"}
    body.update(over)
    return body


SON = {"victim_identified": True, "victim_name": "赵小军", "victim_id_number": PEOPLE["赵小军"], "relation": "child",
       "victim_condition": "in_treatment"}


def start(person, kind="rescue", for_whom="other") -> int:
    r = person.post(R, json={"kind": kind, "for": for_whom})
    assert r.status_code == 201, r.json
    aid = r.json["id"]
    version = person.client.get("/api/v1/documents/rescue-notice").json["version"]
    r = person.put(f"{R}/{aid}/notice", json={"accepted": True, "version": version})
    assert r.status_code == 200, r.json
    return aid


def until_victim(person, today, *, kind="rescue", for_whom="other", victim=None, accident_over=None) -> int:
    aid = start(person, kind, for_whom)
    assert photo(person, f"{R}/{aid}/materials/police_notice").status_code == 200
    r = person.put(f"{R}/{aid}/accident", json=accident(today, **(accident_over or {})))
    assert r.status_code == 200, r.json
    victim = victim or SON
    if for_whom == "self":
        victim = {"victim_identified": True, "victim_condition": "in_treatment"}
    material = "victim_id_card" if victim["victim_identified"] else "victim_unidentified_certificate"
    assert photo(person, f"{R}/{aid}/materials/{material}").status_code == 200
    if victim.get("relation") not in (None, "self", "other_party"):
        assert photo(person, f"{R}/{aid}/materials/relation_proof").status_code == 200
    r = person.put(f"{R}/{aid}/victim", json=victim)
    assert r.status_code == 200, r.json
    return aid


def hospital_step(person, aid, today, **over):
    body = {"hospital_id": hospital_id(person.client), "rescue_started_at": at(today - timedelta(days=3), 19, 10).isoformat(),
            "inpatient_no": "Z2026001", "period": "within_7_days", "claimed_amount": "138900.00"}
    body.update(over)
    return person.put(f"{R}/{aid}/hospital", json=body)


def ready(person, today, **kw) -> int:
    """Every step done: ready to submit."""
    aid = until_victim(person, today, **kw)
    r = hospital_step(person, aid, today)
    assert r.status_code == 200, r.json
    for material in ("cost_list", "cost_list", "treatment_summary"):
        assert photo(person, f"{R}/{aid}/materials/{material}").status_code == 200
    r = person.put(f"{R}/{aid}/contact", json={"contact_name": "赵大山", "contact_phone": "13935300155"})
    assert r.status_code == 200, r.json
    r = person.post(f"{R}/{aid}/signature", data=upload(signature_png()), content_type="multipart/form-data")
    assert r.status_code == 200, r.json
    assert r.json["next_step"] is None, r.json
    return aid


def submitted(person, today, **kw) -> dict:
    aid = ready(person, today, **kw)
    r = person.post(f"{R}/{aid}/submit", headers={"Idempotency-Key": f"rescue-{aid}"})
    assert r.status_code == 200, r.json
    return r.json
