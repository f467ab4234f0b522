"""Reference and demo data: regions, documents, the demo insurance registry.

Idempotent: running it again changes nothing that is already there, so
`./scripts/run` can call it on every start."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from backend.adapters.models import Document, HouseholdRelation, InsuranceRecord, InsuredPerson, Region
from backend.domain.filing import INVERSE_RELATION
from backend.services import attachments, fd_catalogue, flows, signups, wi_filings
from backend.services.documents import DATA, load_json, read_document_file
from backend.services.runtime import session


def seed_reference() -> dict:
    """Region codes and the versioned documents: what every installation needs."""
    s = session()
    counts = {"regions": 0, "documents": 0}
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
    s.commit()
    return counts


def seed_demo_registry() -> dict:
    """The demo insurance registry of `shared/demo_people.md` and its households.
    Never in production: there the registry is the agency's own."""
    s = session()
    counts = {"people": 0}
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
    s.flush()
    counts["household_relations"] = seed_households(load_json("demo_registry.json")["households"]["pairs"])
    s.commit()
    return counts


def seed_households(pairs: list[dict]) -> int:
    """户籍 pairs, both ways (王秀英 is 李明's parent, so he is her child). Only pairs
    of people the registry holds are stored: an agent acts only for insured people,
    so a pair naming someone else (赵小军, not insured) checks nothing yet."""
    s = session()
    ids = dict(s.execute(select(InsuredPerson.id_number, InsuredPerson.id)).all())
    known = {(r.person_id, r.relative_id) for r in s.scalars(select(HouseholdRelation))}
    added = 0
    for pair in pairs:
        person, relative = ids.get(pair["person"]), ids.get(pair["relative"])
        if person is None or relative is None:
            continue
        for a, b, relation in ((person, relative, pair["relation"]),
                               (relative, person, INVERSE_RELATION[pair["relation"]])):
            if (a, b) not in known:
                s.add(HouseholdRelation(person_id=a, relative_id=b, relation=relation))
                known.add((a, b))
                added += 1
    return added


# Each feature adds its seeding and expiry here, so the CLI stays one command.
def seed_partner_keys() -> dict:
    from backend.services import partners
    return partners.seed_demo_keys()


# Reference data everywhere; the demo registry, catalogue and partner keys outside
# production only (production is safe by construction: nothing demo is ever written).
SEEDERS = [seed_reference]
def seed_rescue_hospitals() -> dict:
    from backend.services import rescue
    return rescue.seed_hospitals()


def flag_rescue_overdue() -> dict:
    from backend.services import rescue_partner
    return rescue_partner.flag_overdue()


DEMO_SEEDERS = [seed_demo_registry, fd_catalogue.seed_catalogue, seed_rescue_hospitals, seed_partner_keys]
EXPIRERS = [signups.expire_signups, attachments.purge_photos, flows.purge_idempotency_records,
            flag_rescue_overdue]
# --- work-injury filing (seed 001) ---
DEMO_SEEDERS.append(wi_filings.seed_demo_work_injuries)
EXPIRERS.append(wi_filings.expire_wi_filings)


def seed_all() -> dict:
    from flask import current_app

    demo = current_app.config.get("ENV_NAME") != "production"
    result = {}
    for seeder in SEEDERS + (DEMO_SEEDERS if demo else []):
        result.update(seeder())
    if not demo:
        result["demo_data"] = "not seeded in production"
    return result


def purge_all() -> dict:
    """Drafts untouched for `DRAFT_RETENTION_DAYS` (30) leave (daily job, the app's clock)."""
    from datetime import timedelta

    from flask import current_app

    from backend.services import filings
    from backend.services.runtime import now

    before = now() - timedelta(days=current_app.config["DRAFT_RETENTION_DAYS"])
    return {"filing_drafts": filings.purge_stale_drafts(before), "signup_drafts": signups.purge_stale_drafts(before),
            "wi_filing_drafts": wi_filings.purge_stale_drafts(before),
            "orphan_files": purge_orphan_blobs(now() - timedelta(days=1))}


def purge_orphan_blobs(before) -> int:
    """Stored files no row points at (an upload whose transaction failed half-way, a
    crash between commit and clean-up), written before `before`: younger ones may
    belong to an upload still in flight."""
    from sqlalchemy import union_all

    from backend.adapters.models import Attachment, Filing, Signup, WiAttachment, WiFiling
    from backend.services.runtime import blobs

    from backend.services import rescue

    referenced = set(session().scalars(union_all(
        select(Attachment.blob_key), select(Attachment.thumbnail_key), select(Filing.signature_key),
        select(Filing.agent_declaration_signature_key), select(Signup.signature_key),
        select(WiAttachment.blob_key), select(WiAttachment.thumbnail_key), select(WiFiling.signature_key),
        *rescue.blob_keys())))
    store = blobs()
    orphans = [key for key, written in store.stored() if key not in referenced and written < before]
    for key in orphans:
        store.delete(key)
    return len(orphans)


def expire_all() -> dict:
    from backend.services import filings

    from backend.services import notifications

    result = {"filings": filings.expire_due()}
    for expirer in EXPIRERS:
        result.update(expirer())
    # Reminders 30 days ahead, then the delivery pass for everything pending.
    result.update(notifications.remind_expiring())
    result.update(notifications.deliver())
    return result
