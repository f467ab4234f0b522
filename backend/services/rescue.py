"""Road-accident rescue fund, the applicant's side (seed 000): a relative, the victim
or another party to the accident applies online for the fund to advance rescue (or
funeral) costs. Built on the step-flow kit; every function is one transaction.

The rules are in backend/domain/rescue.py; the dated, per-province amounts and
windows in backend/data/rescue_settings.json; working days on
backend/services/holidays.py's calendar (the package, a loaded official year, or the
provisional file). The fund manager's, the police's and the hospital's
side is backend/services/rescue_partner.py.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import BinaryIO

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from backend.adapters import images
from backend.adapters.models import RescueApplication, RescueEvent, RescueHospital, RescueNotice, RescuePage
from backend.adapters.models.base import keyring
from backend.domain import labels
from backend.domain import rescue as rules
from backend.domain import uploads, working_days
from backend.domain.errors import Conflict, Invalid, NotFound
from backend.domain.filing import PHONE
from backend.domain.identity import mask_id_number, mask_phone
from backend.services import accounts, documents, holidays, notifications
from backend.services.documents import DATA
from backend.services.flows import Kit
from backend.services.runtime import (Actor, as_beijing, beijing_date, blobs, forget_blob, now, read_blob, session, setting,
                                      today)


# --- settings and working days ----------------------------------------------------------

@lru_cache(maxsize=1)
def settings_table() -> tuple[rules.Settings, ...]:
    rows = json.loads((DATA / "rescue_settings.json").read_text(encoding="utf-8"))["settings"]
    money = lambda v: None if v is None else Decimal(v)  # noqa: E731
    return tuple(rules.Settings(
        province=r["province"], effective_from=date.fromisoformat(r["effective_from"]), source=r["source"],
        application_window_days=r["application_window_days"], covered_rescue_days=r["covered_rescue_days"],
        beyond_7_days_cap=money(r["beyond_7_days_cap"]), review_working_days=r["review_working_days"],
        payment_working_days=r["payment_working_days"],
        compulsory_medical_limit=money(r["compulsory_medical_limit"]), funeral_standard=money(r["funeral_standard"]),
        funeral_standard_is_demo=r["funeral_standard_is_demo"]) for r in rows)


def settings_of(app: RescueApplication) -> rules.Settings:
    """The rule in force on the accident date in the accident's province."""
    day = beijing_date(app.accident_at) if app.accident_at else today()
    return rules.settings_for(list(settings_table()), (app.accident_region or "14")[:2], day)


def working_days_after(start: date, n: int) -> date:
    return working_days.add(start, n, holidays.calendar().is_workday)


def provisional(start: date | None, due: date | None) -> bool:
    """A due date counted through a year whose holiday notice we do not hold."""
    if start is None or due is None:
        return False
    calendar = holidays.calendar()
    return any(calendar.is_provisional(d) for d in working_days.span(start, due))


# --- the flow on the kit -------------------------------------------------------------------

def notice_verified(app: RescueApplication) -> bool:
    if not app.police_notice_no:
        return False
    return bool(session().scalar(select(exists().where(RescueNotice.notice_no == app.police_notice_no))))


def _pages(app: RescueApplication) -> dict[str, int]:
    counts: dict[str, int] = {}
    for page in app.pages:
        counts[page.material] = counts.get(page.material, 0) + 1
    return counts


def reopened_steps(app: RescueApplication) -> set[str]:
    return {s for s in (rules.item_step(i["item"]) for i in (app.returned_items or [])) if s}


def _returned_items(app: RescueApplication) -> list[dict]:
    out = []
    for entry in app.returned_items or []:
        item = entry["item"]
        label = (labels.RESCUE_MATERIAL.get(item) or labels.RESCUE_STEP.get(item)
                 or labels.RESCUE_FIELD.get(item, item))
        out.append({"item": item, "item_label": label, "reason": entry["reason"], "step": rules.item_step(item)})
    return out


def view(app: RescueApplication, actor: Actor | None) -> dict:
    done = set(app.steps_done or [])
    order = rules.FLOW.steps_for(app.for_whom)
    pages = {}
    for page in app.pages:
        pages.setdefault(page.material, []).append({
            "id": page.id, "created_at": page.created_at,
            "uploaded_by": page.uploaded_by_organisation or "申请人"})
    editable = ([] if app.status not in rules.FLOW.editable_statuses else
                sorted(reopened_steps(app), key=order.index) if app.status == "returned" else list(order))
    review_start = beijing_date(app.submitted_at) if app.submitted_at else None
    pay_start = beijing_date(app.approved_at) if app.approved_at else None
    return {
        "id": app.id, "status": app.status, "status_label": labels.RESCUE_STATUS.get(app.status, app.status),
        "kind": app.kind, "kind_label": labels.RESCUE_KIND[app.kind], "for_whom": app.for_whom,
        "steps": [{"name": s, "label": labels.RESCUE_STEP[s], "short": labels.RESCUE_STEP_SHORT[s],
                   "done": s in done} for s in order],
        "next_step": rules.FLOW.next_step(app.for_whom, done) if rules.FLOW.is_editable(app.status) else None,
        "editable_steps": editable,
        "application_no": app.application_no,
        "notice_verified": notice_verified(app),
        "accident": {"police_notice_no": app.police_notice_no, "police_unit": app.police_unit,
                     "accident_at": app.accident_at, "accident_region": app.accident_region,
                     "accident_region_name": documents.region_name(app.accident_region),
                     "accident_place": app.accident_place, "situation": app.situation,
                     "situation_label": labels.RESCUE_SITUATION.get(app.situation) if app.situation else None},
        "victim": {"identified": app.victim_identified, "name": app.victim_name,
                   "id_number": mask_id_number(app.victim_id_number), "relation": app.relation,
                   "relation_label": labels.RESCUE_RELATION.get(app.relation) if app.relation else None,
                   "condition": app.victim_condition,
                   "condition_label": labels.RESCUE_CONDITION.get(app.victim_condition)
                   if app.victim_condition else None},
        "hospital": {"id": app.hospital_id, "name": app.hospital.name if app.hospital else None,
                     "rescue_started_at": app.rescue_started_at, "inpatient_no": app.inpatient_no,
                     "period": app.period, "period_label": labels.RESCUE_PERIOD.get(app.period) if app.period else None,
                     "claimed_amount": app.claimed_amount},
        "contact": {"name": app.contact_name, "phone": mask_phone(app.contact_phone)},
        "materials": pages,
        "returned_items": _returned_items(app) if app.status == "returned" else [],
        "reject_reason": app.reject_reason,
        "submitted_at": app.submitted_at,
        "review_due": app.review_due, "review_overdue": bool(app.review_overdue),
        "amount_within_7_days": app.amount_within_7_days, "amount_beyond_7_days": app.amount_beyond_7_days,
        "approved_amount": app.approved_amount, "approved_at": app.approved_at,
        "payment_due": app.payment_due, "payment_overdue": bool(app.payment_overdue),
        "due_dates_provisional": provisional(review_start, app.review_due) or provisional(pay_start, app.payment_due),
        "paid_amount": app.paid_amount,
        "payments": [{"amount": p.amount, "paid_at": p.paid_at, "payee": p.payee} for p in app.payments],
        "returned_amount": app.returned_amount, "final_amount": app.final_amount, "closed_at": app.closed_at,
        "created_at": app.created_at,
    }


def on_rescue(app: RescueApplication, action: str) -> None:
    """Messages to the applicant: returned (what to fix), approved, paid (each tranche)."""
    values = {"application_id": app.id, "application_no": app.application_no or "", "at": as_beijing(now()),
              "hospital": app.hospital.name if app.hospital else "",
              "items": "；".join(f"{i['item_label']}：{i['reason']}" for i in _returned_items(app)),
              "amount": f"{app.approved_amount:,.2f}" if app.approved_amount is not None else "",
              "paid": f"{app.paid_amount:,.2f}" if app.paid_amount is not None else "",
              "payment_due": app.payment_due or ""}
    if action == "return":
        notifications.write(app.applicant_person_id, "rescue_returned",
                            f"rescue:{app.id}:returned:{as_beijing(app.returned_at).isoformat()}", values)
    elif action == "approve":
        notifications.write(app.applicant_person_id, "rescue_approved", f"rescue:{app.id}", values)
    elif action == "pay":
        notifications.write(app.applicant_person_id, "rescue_paid", f"rescue:{app.id}:paid:{app.paid_amount}", values)


KIT = Kit(flow=rules.FLOW, model=RescueApplication, event_model=RescueEvent, event_parent="application_id",
          subject="applicant_person_id", noun="垫付申请", present=view, agent=None, hidden=("discarded",),
          notify=on_rescue)
record_event = KIT.event


def editable(actor: Actor, app_id: int, step: str, *, lock: bool = False) -> RescueApplication:
    """A draft, or a returned application at a step the reviewer reopened."""
    app = KIT.load(actor, app_id, lock=lock)
    KIT.check_maker(actor, app)
    reopened = reopened_steps(app) if app.status == "returned" else None
    rules.FLOW.check_step(app.for_whom, app.status, app.steps_done or [], step, reopened)
    return app


def _done(app: RescueApplication, step: str) -> None:
    # In a returned application every step was done: a corrected one keeps the rest.
    KIT.done(app, step, keeps_later=app.status == "returned")


# --- catalogue -------------------------------------------------------------------------------

def seed_hospitals() -> dict:
    """The demo green-channel hospitals (outside production; idempotent)."""
    s = session()
    known = set(s.scalars(select(RescueHospital.name)))
    added = 0
    for h in documents.load_json("rescue_hospitals.json")["hospitals"]:
        if h["name"] not in known:
            s.add(RescueHospital(name=h["name"], region=h["region"], level=h["level"]))
            added += 1
    s.commit()
    return {"rescue_hospitals": added}


def hospitals(region: str | None) -> list[dict]:
    query = select(RescueHospital).order_by(RescueHospital.region, RescueHospital.id)
    if region:
        query = query.where(RescueHospital.region == region)
    return [{"id": h.id, "name": h.name, "region": h.region, "region_name": documents.region_name(h.region),
             "level": h.level} for h in session().scalars(query)]


# --- the steps -------------------------------------------------------------------------------

def create(actor: Actor, kind: str, for_whom: str) -> dict:
    person_id = accounts.require_person(actor)
    KIT.check_open_drafts(actor, setting("MAX_OPEN_DRAFTS"))
    app = RescueApplication(kind=kind, for_whom=for_whom, status="draft", steps_done=[],
                            created_by_account_id=actor.account_id, applicant_person_id=person_id)
    s = session()
    s.add(app)
    s.flush()
    record_event(app, actor, "created", **{"for": for_whom, "rescue_kind": kind})
    s.commit()
    return view(app, actor)


def accept_notice(actor: Actor, app_id: int, accepted: bool, version: str) -> dict:
    app = editable(actor, app_id, "notice")
    doc = KIT.accept_document(app, "rescue-notice", accepted, version, field="notice",
                              tick_hint="请勾选“已阅读救助基金告知书”后，点击“我已阅读并同意”。")
    _done(app, "notice")
    record_event(app, actor, "notice", version=doc.version)
    session().commit()
    return view(app, actor)


def set_accident(actor: Actor, app_id: int, data: dict) -> dict:
    app = editable(actor, app_id, "accident")
    region = data["accident_region"]
    if documents.region_name(region) is None:
        raise Invalid("地区代码有误，请从地区列表中重新选择。", code="region.unknown",
                      errors={"accident_region": ["未知的地区代码。"]})
    accident_at = data["accident_at"]
    settings = rules.settings_for(list(settings_table()), region[:2], beijing_date(accident_at))
    rules.check_accident(accident_at=accident_at, accident_region=region, now=now(), today=today(),
                         accident_day=beijing_date(accident_at), settings=settings)
    if not _pages(app).get("police_notice"):
        raise Invalid("请先上传抢救费用垫付通知书照片（1至3张）。", code="rescue.notice_photo_missing",
                      errors={"police_notice": ["请至少上传一页。"]})
    app.police_notice_no = data["police_notice_no"].strip()
    app.police_unit = data["police_unit"].strip()
    app.accident_at, app.accident_region = accident_at, region
    app.accident_place, app.situation = data["accident_place"].strip(), data["situation"]
    _done(app, "accident")
    record_event(app, actor, "accident", accident_region=region, situation=app.situation)
    _commit_identity(app, notice_no=app.police_notice_no)
    return view(app, actor)


def set_victim(actor: Actor, app_id: int, data: dict) -> dict:
    app = editable(actor, app_id, "victim")
    relation = data.get("relation")
    rules.check_relation(app.for_whom, app.kind, relation)
    rules.check_condition(app.kind, data["victim_condition"])
    identified = data["victim_identified"]
    if app.for_whom == "self":
        # The applicant is the victim: their name and number are the bound identity's.
        person = app.applicant
        identified, name, number = True, person.name, person.id_number
    elif identified:
        if not (data.get("victim_name") or "").strip() or not data.get("victim_id_number"):
            raise Invalid("请填写受害人姓名和身份证号码；身份无法确认的，请选择“身份无法确认”。",
                          code="rescue.victim_incomplete",
                          errors={f: ["请填写。"] for f in ("victim_name", "victim_id_number") if not data.get(f)})
        # No registry match: the victim need not be insured (seed 000.6).
        name, number = data["victim_name"].strip(), accounts.check_id_number(data["victim_id_number"],
                                                                             "victim_id_number")
    else:
        name, number = None, None
    missing = rules.victim_photos_missing(identified, relation if app.for_whom == "other" else None, _pages(app))
    if missing:
        words = "、".join(labels.RESCUE_MATERIAL[m] for m in missing)
        raise Invalid(f"请先上传：{words}。", code="rescue.victim_photos_missing",
                      errors={m: ["请至少上传一页。"] for m in missing})
    app.victim_identified, app.victim_name, app.victim_id_number = identified, name, number
    app.victim_key = keyring().blind_index(number) if number else "unidentified"
    app.relation = "self" if app.for_whom == "self" else relation
    app.victim_condition = data["victim_condition"]
    _done(app, "victim")
    record_event(app, actor, "victim", identified=identified, relation=app.relation)
    _commit_identity(app, victim_key=app.victim_key)
    return view(app, actor)


def set_hospital(actor: Actor, app_id: int, data: dict) -> dict:
    app = editable(actor, app_id, "hospital")
    hospital = session().get(RescueHospital, data["hospital_id"])
    if hospital is None:
        raise Invalid("请从绿色通道医院列表中选择救治医院。", code="rescue.hospital_unknown",
                      errors={"hospital_id": ["不在绿色通道医院列表中。"]})
    rules.check_rescue_start(data["rescue_started_at"], app.accident_at, now())
    period = data["period"] if app.kind == "rescue" else "within_7_days"
    rules.check_period(period, _pages(app))
    app.hospital_id, app.hospital = hospital.id, hospital
    app.rescue_started_at, app.period = data["rescue_started_at"], period
    app.inpatient_no = (data.get("inpatient_no") or "").strip() or None
    app.claimed_amount = data.get("claimed_amount")
    _done(app, "hospital")
    record_event(app, actor, "hospital", hospital=hospital.name, period=period)
    session().commit()
    return view(app, actor)


def set_contact(actor: Actor, app_id: int, data: dict) -> dict:
    app = editable(actor, app_id, "contact")
    name, phone = data["contact_name"].strip(), data["contact_phone"].strip()
    if not name or not PHONE.match(phone):
        raise Invalid("请填写联系人姓名和正确的联系电话：11位手机号或带区号的固定电话。", code="rescue.contact_invalid",
                      errors={"contact_phone": ["请填写正确的联系电话。"]} if name else {"contact_name": ["请填写。"]})
    app.contact_name, app.contact_phone = name, phone
    _done(app, "contact")
    record_event(app, actor, "contact")
    session().commit()
    return view(app, actor)


def sign(actor: Actor, app_id: int, png: bytes) -> dict:
    app = editable(actor, app_id, "signature")
    old_key, sha256 = KIT.store_signature(app, png)
    doc = documents.current("rescue-application")
    app.application_version, app.application_sha256, app.signed_at = doc.version, doc.sha256, now()
    _done(app, "signature")
    record_event(app, actor, "signature", version=doc.version, signature_sha256=sha256)
    KIT.commit(forget=(old_key,))
    return view(app, actor)


# --- pages (several photos per material) ----------------------------------------------------

def _sync_steps(app: RescueApplication) -> None:
    """`materials` is done exactly when its list is complete; an earlier step whose
    photo is gone is not done any more."""
    pages = _pages(app)
    if rules.materials_complete(app.kind, pages):
        KIT.undone(app, "materials")
    else:
        KIT.done(app, "materials", keeps_later=True)
    if not pages.get("police_notice"):
        KIT.undone(app, "accident")
    if app.victim_identified is not None and rules.victim_photos_missing(
            app.victim_identified, app.relation if app.for_whom == "other" else None, pages):
        KIT.undone(app, "victim")
    if app.period == "beyond_7_days" and not pages.get("over_7_days_explanation"):
        KIT.undone(app, "hospital")


def store_page(app: RescueApplication, material: rules.Material, stream: BinaryIO, *, check, account_id=None,
               organisation: str | None = None, actor: Actor | None = None) -> RescuePage:
    """The photo pipeline (decoded, cleaned, re-encoded; never what was sent), then the
    row under the application's lock. `check(app)` runs again holding the lock."""
    session().rollback()  # let go of the database while the picture is decoded
    photo = images.clean_photo(stream.read(uploads.MAX_PHOTO_BYTES + 1))
    store = blobs()
    keys = (store.put(photo.content, ".jpg"), store.put(photo.thumbnail, ".jpg"))
    s = session()
    try:
        KIT.lock(app)
        check(app)
        rules.check_room(material, _pages(app).get(material.name, 0))
        page = RescuePage(material=material.name, blob_key=keys[0], thumbnail_key=keys[1], sha256=photo.sha256,
                          size=len(photo.content), width=photo.width, height=photo.height,
                          uploaded_by_account_id=account_id, uploaded_by_organisation=organisation)
        app.pages.append(page)
        _sync_steps(app)
        s.flush()
        record_event(app, actor, "page_uploaded", role=None if actor else "partner", organisation=organisation,
                     material=material.name, page_id=page.id, sha256=photo.sha256)
        s.commit()
    except BaseException:
        s.rollback()
        for key in keys:
            forget_blob(key)
        raise
    return page


def upload_page(actor: Actor, app_id: int, material_name: str, stream: BinaryIO) -> dict:
    app = KIT.load(actor, app_id)
    material = rules.material(material_name, app.kind)
    editable(actor, app_id, material.step)

    def check(locked: RescueApplication) -> None:
        reopened = reopened_steps(locked) if locked.status == "returned" else None
        rules.FLOW.check_step(locked.for_whom, locked.status, locked.steps_done or [], material.step, reopened)

    store_page(app, material, stream, check=check, account_id=actor.account_id, actor=actor)
    return view(app, actor)


def delete_page(actor: Actor, app_id: int, material_name: str, page_id: int) -> dict:
    app = KIT.load(actor, app_id, lock=True)
    material = rules.material(material_name, app.kind)
    editable(actor, app_id, material.step)
    page = next((p for p in app.pages if p.id == page_id and p.material == material.name), None)
    if page is None:
        raise NotFound("未找到该页材料，可能已被删除。", code="rescue.page_not_found")
    keys = (page.blob_key, page.thumbnail_key)
    app.pages.remove(page)
    session().delete(page)
    _sync_steps(app)
    record_event(app, actor, "page_deleted", material=material.name, page_id=page_id)
    KIT.commit(forget=keys)
    return view(app, actor)


# --- submit, resubmit, withdraw, discard -----------------------------------------------------

def _refuse_duplicate(app: RescueApplication, *, notice_no: str | None = None, victim_key: str | None = None) -> None:
    """No other open application for the same notice number, victim and kind (domain
    file, "Submit"); `notice_no`/`victim_key` are values about to be written, if any.
    The database holds the same rule (`uq_rescue_applications_one_open`) for a race."""
    other = session().scalar(select(RescueApplication.application_no).where(
        RescueApplication.id != app.id, RescueApplication.kind == app.kind,
        RescueApplication.police_notice_no == (notice_no or app.police_notice_no),
        RescueApplication.victim_key == (victim_key or app.victim_key),
        RescueApplication.status.in_(rules.OPEN_STATUSES)).limit(1))
    if other is not None:
        raise Conflict(f"同一事故通知书、同一受害人已有办理中的{labels.RESCUE_KIND[app.kind]}申请（{other}），"
                       "请勿重复申请。", code="rescue.duplicate", errors={"application_no": [other]})


def _lost_the_race(app: RescueApplication, notice_no: str | None = None, victim_key: str | None = None) -> None:
    """After the unique index refused a write: the application that got there first
    is committed now, so the check names it. Raises `rescue.duplicate` in any case."""
    _refuse_duplicate(app, notice_no=notice_no, victim_key=victim_key)
    raise Conflict(f"同一事故通知书、同一受害人已有办理中的{labels.RESCUE_KIND[app.kind]}申请，请勿重复申请。",
                   code="rescue.duplicate")


def _commit_identity(app: RescueApplication, notice_no: str | None = None, victim_key: str | None = None) -> None:
    """Commit a change to the notice number or the victim. A returned application is
    open: the new values must not make it a second open one (checked before, and by
    the index if another got there in between)."""
    if app.status != "returned":
        session().commit()
        return
    with session().no_autoflush:
        _refuse_duplicate(app, notice_no=notice_no, victim_key=victim_key)
    try:
        session().commit()
    except IntegrityError:
        session().rollback()
        _lost_the_race(app, notice_no, victim_key)


def submit(actor: Actor, app_id: int, key: str | None) -> dict:
    """→ submitted, with an application number; review due in 3 working days."""

    def check(app: RescueApplication) -> dict:
        rules.check_window(beijing_date(app.accident_at), today(), settings_of(app), field="submit")
        _refuse_duplicate(app)
        return {"application_no": rules.application_number(app.accident_region, today(), app.id),
                "review_due": working_days_after(today(), settings_of(app).review_working_days),
                "review_overdue": False}

    return KIT.submit(actor, app_id, key, check=check, on_integrity_error=_lost_the_race,
                      detail=lambda app: {"application_no": app.application_no,
                                          "review_due": app.review_due.isoformat()})


def resubmit(actor: Actor, app_id: int) -> dict:
    """After a return: every step done again; the review clock starts afresh."""
    app = KIT.load(actor, app_id, lock=True)
    KIT.check_maker(actor, app)
    rules.FLOW.apply(app.status, "resubmit")
    rules.FLOW.check_complete(app.for_whom, app.steps_done or [])
    _refuse_duplicate(app)
    items = [i["item"] for i in app.returned_items or []]
    KIT.move(app, "resubmit", submitted_at=now(), returned_items=None,
             review_due=working_days_after(today(), settings_of(app).review_working_days), review_overdue=False)
    record_event(app, actor, "resubmitted", items=items, review_due=app.review_due.isoformat())
    session().commit()
    return view(app, actor)


def withdraw(actor: Actor, app_id: int) -> dict:
    app = KIT.load(actor, app_id, lock=True)
    KIT.check_maker(actor, app)
    KIT.move(app, "withdraw", withdrawn_at=now())
    record_event(app, actor, "withdrawn")
    session().commit()
    return view(app, actor)


def discard(actor: Actor, app_id: int) -> None:
    app = KIT.load(actor, app_id, lock=True)
    KIT.check_maker(actor, app)
    keys = [k for p in app.pages for k in (p.blob_key, p.thumbnail_key)] + [app.signature_key]
    KIT.move(app, "discard")
    for page in list(app.pages):
        session().delete(page)
    app.signature_key = None
    record_event(app, actor, "discarded")
    KIT.commit(forget=tuple(keys))


# --- records ---------------------------------------------------------------------------------

def records(actor: Actor, status: str | None, page: int, per_page: int) -> dict:
    person_id = accounts.require_person(actor)
    query = select(RescueApplication).where(RescueApplication.applicant_person_id == person_id,
                                            RescueApplication.status != "discarded")
    if status:
        query = query.where(RescueApplication.status == status)
    return KIT.page(actor, query, page, per_page, RescueApplication.created_at.desc(), RescueApplication.id.desc())


def get(actor: Actor, app_id: int) -> dict:
    return view(KIT.load(actor, app_id), actor)


def events(actor: Actor, app_id: int) -> list[dict]:
    return KIT.history(actor, app_id)


def my_applications(actor: Actor) -> list[dict]:
    """The data export (PIPL art. 45): every application this account made, with its history."""
    rows = session().scalars(select(RescueApplication).where(
        RescueApplication.created_by_account_id == actor.account_id, RescueApplication.status != "discarded")
        .order_by(RescueApplication.id)).all()
    return [{**view(app, actor), "events": KIT.history(actor, app.id)} for app in rows]


def discard_drafts_of(account_id: int, actor: Actor) -> list[str]:
    """DELETE /me: the account's drafts are discarded with their pages and signature
    (uncommitted; returns the blobs to delete after the commit). Submitted applications
    are the fund's records and stay."""
    keys: list[str] = []
    for app in session().scalars(select(RescueApplication).where(RescueApplication.created_by_account_id == account_id,
                                                                 RescueApplication.status == "draft")).all():
        keys += [k for p in app.pages for k in (p.blob_key, p.thumbnail_key)] + [app.signature_key]
        KIT.move(app, "discard", signature_key=None)
        for page in list(app.pages):
            session().delete(page)
        record_event(app, actor, "discarded", note="账户已注销")
    return [k for k in keys if k]


def page_image(actor: Actor, app_id: int, page_id: int, *, thumbnail: bool = False) -> tuple[bytes, str]:
    app = KIT.load(actor, app_id)
    page = next((p for p in app.pages if p.id == page_id), None)
    if page is None:
        raise NotFound("未找到该页材料，可能已被删除。", code="rescue.page_not_found")
    content = read_blob(page.thumbnail_key if thumbnail else page.blob_key, "rescue page",
                        lambda: NotFound("材料文件已丢失，请重新上传该页。", code="rescue.page_not_found"))
    return content, f"{page.material}-{page.id}{'-thumbnail' if thumbnail else ''}.jpg"


def blob_keys() -> list:
    """Every blob a rescue row points at (the orphan sweep keeps these)."""
    return [select(RescuePage.blob_key), select(RescuePage.thumbnail_key),
            select(RescueApplication.signature_key)]


def recount_due_dates(year: int) -> list[dict]:
    """Due dates still running whose count passed through `year`: counted again on the
    official days. The status never changes; an overdue flag goes if the new date is
    not past yet."""
    cal = holidays.calendar()
    changed = []
    for status, start_field, due_field, flag, days in (
            ("submitted", "submitted_at", "review_due", "review_overdue", "review_working_days"),
            ("approved", "approved_at", "payment_due", "payment_overdue", "payment_working_days")):
        rows = session().scalars(select(RescueApplication).where(
            RescueApplication.status == status, getattr(RescueApplication, due_field).is_not(None)))
        for app in rows:
            start, old = beijing_date(getattr(app, start_field)), getattr(app, due_field)
            if not start.year <= year <= old.year:
                continue   # counted wholly outside the year: no day of it moves
            new = working_days.add(start, getattr(settings_of(app), days), cal.is_workday)
            if new == old:
                continue
            setattr(app, due_field, new)
            if getattr(app, flag) and new >= today():
                setattr(app, flag, False)
            record_event(app, None, "due_recounted", role="system", due=due_field, before=old.isoformat(),
                                after=new.isoformat())
            changed.append({"application_id": app.id, "application_no": app.application_no, "due": due_field,
                            "before": old, "after": new})
    return changed
