"""Reference and demo data: regions, documents, the demo insurance registry.

Idempotent: running it again changes nothing that is already there, so
`./scripts/run` can call it on every start."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from backend.adapters.models import Document, InsuranceRecord, InsuredPerson, Region
from backend.services import fd_catalogue, flows, signups
from backend.services.documents import DATA, load_json, read_document_file
from backend.services.runtime import session


def seed_reference() -> dict:
    s = session()
    counts = {"regions": 0, "documents": 0, "people": 0}
    known = set(s.scalars(select(Region.code)))
    for r in load_json("regions.json"):
        if r["code"] not in known:
            s.add(Region(code=r["code"], name=r["name"], parent=r["parent"], level=r["level"]))
            counts["regions"] += 1
    for path in sorted((DATA / "documents").glob("*.md")):
        doc = read_document_file(path)
        exists = s.scalar(select(Document).where(Document.name == doc["name"], Document.version == doc["version"]))
        if exists is None:
            s.add(Document(**doc))
            counts["documents"] += 1
    for p in load_json("demo_registry.json")["people"]:
        person = s.scalar(select(InsuredPerson).where(InsuredPerson.id_number_is(p["id_number"])))
        if person is None:
            person = InsuredPerson(id_number=p["id_number"], name=p["name"], phone=p["phone"], address=p["address"])
            s.add(person)
            s.flush()
            for r in p["records"]:
                s.add(InsuranceRecord(person_id=person.id, scheme=r["scheme"], insured_region=r["insured_region"],
                                      retired=r["retired"], since=date.fromisoformat(r["since"]), status="active"))
            counts["people"] += 1
    s.commit()
    return counts


# Each feature adds its seeding and expiry here, so the CLI stays one command.
SEEDERS = [seed_reference, fd_catalogue.seed_catalogue]
EXPIRERS = [signups.expire_signups, flows.purge_idempotency_records]


def seed_all() -> dict:
    result = {}
    for seeder in SEEDERS:
        result.update(seeder())
    return result


def expire_all() -> dict:
    from backend.services import filings

    result = {"filings": filings.expire_due()}
    for expirer in EXPIRERS:
        result.update(expirer())
    return result
