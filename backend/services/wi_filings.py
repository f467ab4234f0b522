"""Work-injury cross-province filing (seed 001), step by step, on the step-flow kit.
Every function is one transaction.

What is its own: the injury step (the work-injury registry, not the insurance one),
the details (filing type, services, referral), submit to `effective` or `pending`,
the insured place's agency answering, and settlements per service. Everything else
is the kit's or Flow A's: loading and access, step order, status moves, history,
the notice and the pledge signature, idempotent submit, records, expiry, the proxy
path's relation check and photos, the settlement date rule, the QR certificate.
"""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import select

from backend.adapters import wi_registry
from backend.adapters.models import InsuredPerson, WiFiling, WiFilingEvent, WiSettlement
from backend.domain import labels
from backend.domain import partners as partner_rules
from backend.domain import work_injury as rules
from backend.domain.errors import Invalid, NotFound
from backend.domain.identity import mask_id_number, mask_name
from backend.domain.partners import Partner
from backend.services import access, accounts, documents, filings, notifications, views
from backend.services.filings import _still_authorised
from backend.services.flows import Kit
from backend.services.runtime import Actor, as_beijing, beijing_date, now, session, today

NOUN = "工伤备案"


# --- the view ----------------------------------------------------------------------

def injury_view(i) -> dict:
    return {"id": i.id, "basis": i.basis, "basis_label": labels.WI_BASIS.get(i.basis),
            "decision_no": i.decision_no, "decided_on": i.decided_on, "injury": i.injury, "employer": i.employer,
            "insured_region": i.insured_region, "insured_region_name": documents.region_name(i.insured_region)}


def settlement_view(s: WiSettlement, filing_no: str | None) -> dict:
    amounts = {k: getattr(s, k) for k in rules.SERVICES if getattr(s, k) is not None}
    return {"id": s.id, "filing_no": filing_no, "settled_at": s.settled_at, "institution": s.institution,
            "amounts": amounts, "total": s.total}


def view(f: WiFiling, actor: Actor | None) -> dict:
    return {
        **views.proxy_flow_head(f, rules.FLOW, actor.person_id if actor else None, partner=actor is None),
        "kind": "work_injury", "kind_label": labels.RECORD_KIND["wi_filing"],
        "injury": {"id": f.injury_record_id, "basis": f.basis, "basis_label": labels.WI_BASIS.get(f.basis),
                   "decision_no": f.decision_no, "decided_on": f.decided_on, "injury": f.injury,
                   "employer": f.employer} if f.injury_record_id else None,
        "insured_region": f.insured_region, "insured_region_name": documents.region_name(f.insured_region),
        "notice_version": f.notice_version,
        "filing_type": f.filing_type, "filing_type_label": labels.WI_FILING_TYPE.get(f.filing_type),
        "destination_region": f.destination_region,
        "destination_region_name": documents.region_name(f.destination_region),
        "start_date": f.start_date, "end_date": f.end_date, "address": f.address, "institution": f.institution,
        "referred_by": {"institution": f.referred_by_institution, "document_no": f.referral_no}
        if f.referred_by_institution else None,
        "services": [{"name": s, "label": labels.WI_SERVICE[s],
                      "catalogue": rules.SERVICE_CATALOGUE[s],
                      "catalogue_label": labels.WI_CATALOGUE[rules.SERVICE_CATALOGUE[s]]} for s in f.services or []],
        "contact_name": f.contact_name, "contact_phone": f.contact_phone,
        "pledge_version": f.pledge_version, "signed_at": f.signed_at,
        "attachments": [views.attachment(a) for a in f.attachments],
        "filing_no": f.filing_no, "valid_from": f.valid_from, "valid_to": f.valid_to,
        "submitted_at": f.submitted_at, "decided_at": f.decided_at, "decided_by": f.decided_by,
        "reject_reason": f.reject_reason, "cancelled_at": f.cancelled_at, "cancel_reason": f.cancel_reason,
        "settled": bool(f.settlements),
        "settlements": [settlement_view(s, f.filing_no) for s in f.settlements],
        "created_at": f.created_at,
    }


# --- messages (the outbox, in the act's transaction) ------------------------------------

def _values(f: WiFiling) -> dict:
    return {"filing_id": f.id, "filing_no": f.filing_no or "",
            "destination": documents.region_name(f.destination_region) or "",
            "filing_type": labels.WI_FILING_TYPE.get(f.filing_type, ""),
            "valid_from": f.valid_from, "valid_to": f.valid_to or "长期有效", "at": as_beijing(now()),
            "reason": f.reject_reason or f.cancel_reason or "本人申请取消"}


def notify(f: WiFiling, action: str) -> None:
    """To the injured worker: waiting for the agency, in force, not approved, cancelled;
    and, when an agent filed, who did."""
    template = {"submit": "wi_filing_effective", "approve": "wi_filing_effective",
                "submit_for_approval": "wi_filing_pending", "decline": "wi_filing_rejected",
                "cancel": "wi_filing_cancelled"}.get(action)
    if template is None:
        return
    values = _values(f)
    notifications.write(f.insured_person_id, template, f"wi_filing:{f.id}", values)
    if action in ("submit", "submit_for_approval") and f.for_whom == "other" and f.agent_person is not None:
        notifications.write(f.insured_person_id, "wi_filing_made_by_agent", f"wi_filing:{f.id}",
                            {**values, "agent": mask_name(f.agent_person.name)})


KIT = Kit(flow=rules.FLOW, model=WiFiling, event_model=WiFilingEvent, event_parent="wi_filing_id",
          subject="insured_person_id", noun=NOUN, present=view, guard=_still_authorised,
          hidden=("discarded",), notify=notify)


# --- the registry ------------------------------------------------------------------

def my_injuries(actor: Actor) -> list[dict]:
    """GET /me/work-injuries: the bound person's recognitions, from 人社's registry."""
    person = session().get(InsuredPerson, accounts.require_person(actor))
    return [injury_view(i) for i in wi_registry.recognised(person.id_number)]


def _open_filing(person_id: int, *, other_than: int | None = None) -> WiFiling | None:
    query = select(WiFiling).where(WiFiling.insured_person_id == person_id,
                                   WiFiling.status.in_(rules.OPEN_STATUSES))
    if other_than is not None:
        query = query.where(WiFiling.id != other_than)
    return session().scalars(query.limit(1)).first()


def _refuse_second(person_id: int, *, other_than: int | None = None) -> None:
    existing = _open_filing(person_id, other_than=other_than)
    if existing is not None:
        rules.check_one_open(existing.filing_no or f"草稿 {existing.id}", existing.status)


def _chosen_injury(person: InsuredPerson, injury_id: int | None):
    found = wi_registry.recognised(person.id_number)
    rules.check_recognised(len(found))
    if injury_id is None:
        if len(found) == 1:
            return found[0]
        raise Invalid("查询到多条工伤认定记录，请选择本次备案所依据的一条。", code="wi_filing.injury_required",
                      errors={"injury_id": [f"{i.id}：{labels.WI_BASIS[i.basis]} {i.decision_no}" for i in found]})
    for injury in found:
        if injury.id == injury_id:
            return injury
    raise Invalid("所选工伤认定信息不存在，请从查询到的工伤认定记录中重新选择。", code="wi_filing.injury_unknown",
                  errors={"injury_id": ["不是该职工的工伤认定记录。"]})


# --- the steps ---------------------------------------------------------------------

def set_injury(actor: Actor, filing_id: int, data: dict) -> dict:
    """Whose injury, and which recognition: one of the worker's from the registry.
    None on record, or a work-injury filing already open: refused here, at the first step."""
    s = session()
    filing = KIT.draft(actor, filing_id, "injury")
    if filing.for_whom == "self":
        person = s.get(InsuredPerson, filing.insured_person_id)
    else:
        person = filings.someone_else(actor, data, KIT)
    # Every check before anything changes: a refused answer leaves the draft as it was.
    injury = _chosen_injury(person, data.get("injury_id"))
    _refuse_second(person.id, other_than=filing.id)
    if filing.for_whom == "other":
        filings.act_for(actor, filing, person, data["relation"])
    filing.injury_record_id = injury.id
    filing.basis, filing.decision_no, filing.decided_on = injury.basis, injury.decision_no, injury.decided_on
    filing.injury, filing.employer, filing.insured_region = injury.injury, injury.employer, injury.insured_region
    KIT.done(filing, "injury")
    KIT.event(filing, actor, "injury", basis=injury.basis, insured_region=injury.insured_region)
    s.commit()
    return view(filing, actor)


def accept_notice(actor: Actor, filing_id: int, accepted: bool, version: str) -> dict:
    filing = KIT.draft(actor, filing_id, "notice")
    notice = KIT.accept_document(filing, "wi-filing-notice", accepted, version, field="notice",
                                 tick_hint="请勾选“已阅读工伤备案告知书”后，点击“我已阅读并同意”。")
    KIT.done(filing, "notice")
    KIT.event(filing, actor, "notice", version=notice.version)
    session().commit()
    return view(filing, actor)


def set_details(actor: Actor, filing_id: int, data: dict) -> dict:
    filing = KIT.draft(actor, filing_id, "details")
    referred = data.get("referred_by") or {}
    details = rules.Details(
        filing_type=data["filing_type"], destination_region=data["destination_region"],
        start_date=data["start_date"], end_date=data.get("end_date"), address=data.get("address"),
        institution=data.get("institution"), referred_by_institution=referred.get("institution"),
        referral_no=referred.get("document_no"), services=tuple(data["services"]),
        contact_name=data["contact_name"], contact_phone=data["contact_phone"])
    rules.check_details(details, insured_region=filing.insured_region, today=today(),
                        destination_is_city=documents.is_city(details.destination_region))
    for name in ("filing_type", "destination_region", "start_date", "end_date", "address", "institution",
                 "referred_by_institution", "referral_no", "contact_name", "contact_phone"):
        value = getattr(details, name)
        setattr(filing, name, (value.strip() or None) if isinstance(value, str) else value)
    filing.services = [s for s in rules.SERVICES if s in details.services]
    KIT.done(filing, "details")
    KIT.event(filing, actor, "details", destination_region=filing.destination_region,
              filing_type=filing.filing_type)
    session().commit()
    return view(filing, actor)


def sign(actor: Actor, filing_id: int, png: bytes) -> dict:
    filing = KIT.draft(actor, filing_id, "signature")
    old_key, sha256 = KIT.store_signature(filing, png)
    pledge = documents.current("wi-filing-pledge")
    filing.pledge_version, filing.pledge_sha256 = pledge.version, pledge.sha256
    filing.signer_person_id, filing.signed_at = actor.person_id, now()
    KIT.done(filing, "signature")
    KIT.event(filing, actor, "signature", pledge_version=pledge.version, signature_sha256=sha256)
    KIT.commit(forget=(old_key,))
    return view(filing, actor)


def submit(actor: Actor, filing_id: int, idempotency_key: str | None) -> dict:
    """residence → effective at once (the registry checks pass); referral → pending,
    for the insured place's agency. Once per key, however many arrive together."""
    s = session()

    def check(filing: WiFiling) -> dict:
        # The recognition must still be on record; one open filing per person
        # (serialised on the person's row, as Flow A's long-term filings).
        s.execute(select(InsuredPerson.id).where(InsuredPerson.id == filing.insured_person_id).with_for_update())
        if filing.injury_record_id not in {i.id for i in wi_registry.recognised(filing.insured_person.id_number)}:
            rules.check_recognised(0)
        _refuse_second(filing.insured_person_id, other_than=filing.id)
        valid_from, valid_to = rules.validity(filing.filing_type, filing.start_date, filing.end_date)
        return {"valid_from": valid_from, "valid_to": valid_to,
                "filing_no": rules.filing_number(filing.insured_region, today(), filing.id),
                "verification_token": secrets.token_urlsafe(24)}

    return KIT.submit(actor, filing_id, idempotency_key, action=lambda f: rules.submit_action(f.filing_type),
                      check=check, detail=lambda f: {"filing_no": f.filing_no})


# --- records and after -------------------------------------------------------------------

def _settlement_on(filing: WiFiling) -> tuple[str, str] | None:
    first = filing.settlements[0] if filing.settlements else None
    return (first.institution, beijing_date(first.settled_at).isoformat()) if first else None


def cancel(actor: Actor, filing_id: int, reason: str) -> dict:
    """The worker, or the agent who filed, cancels online (or withdraws one waiting for
    the agency); refused once a settlement happened. Locked as a settlement locks it."""
    filing = KIT.load(actor, filing_id, lock=True)
    rules.FLOW.apply(filing.status, "cancel")
    rules.check_cancellable(_settlement_on(filing))
    KIT.move(filing, "cancel", cancelled_at=now(), cancel_reason=reason.strip())
    KIT.event(filing, actor, "cancelled", reason=filing.cancel_reason)
    session().commit()
    return view(filing, actor)


def certificate_png(actor: Actor, filing_id: int) -> bytes:
    return filings.certificate_png(actor, filing_id, KIT)


def verify(token: str) -> dict:
    """Public: a hospital scans the certificate. It says it is a work-injury filing,
    the services settled directly, and a masked name only."""
    filing = session().scalar(select(WiFiling).where(WiFiling.verification_token == token))
    if filing is None or not token:
        raise NotFound("未查询到该工伤备案凭证，请核对二维码。", code="wi_filing.verification_not_found")
    state = filing.status
    if state == "effective" and filing.valid_to and filing.valid_to < today():
        state = "expired"
    access.record(None, "public", filing.insured_person_id, "verified_certificate", "wi_filing", filing.id,
                  filing_no=filing.filing_no)
    body = {"kind": "work_injury", "kind_label": labels.RECORD_KIND["wi_filing"], "status": state,
            "status_label": rules.STATUS_LABELS.get(state, state),
            "in_force": state == "effective" and filing.valid_from <= today(),
            "name": mask_name(filing.insured_person.name), "filing_no": filing.filing_no,
            "filing_type": filing.filing_type, "filing_type_label": labels.WI_FILING_TYPE.get(filing.filing_type),
            "insured_region": filing.insured_region,
            "insured_region_name": documents.region_name(filing.insured_region),
            "destination_region": filing.destination_region,
            "destination_region_name": documents.region_name(filing.destination_region),
            "institution": filing.institution,
            "services": [labels.WI_SERVICE[s] for s in filing.services or []],
            "valid_from": filing.valid_from, "valid_to": filing.valid_to}
    session().commit()
    return body


def expire_due(day: date | None = None) -> int:
    """Referral filings past their end date (in force or still waiting) become `expired`."""
    return KIT.expire_due(WiFiling.valid_to.is_not(None) & (WiFiling.valid_to < (day or today())))


def expire_wi_filings() -> dict:
    """For `flask expire` (backend.services.seed.EXPIRERS)."""
    from backend.services import attachments

    return {"wi_filings": expire_due(), "wi_id_photos_purged": attachments.purge_due(kit=KIT)}


# Flow A's, on this flow's kit: the draft started, records, one record, discarding.
def create(actor: Actor, for_whom: str) -> dict:
    return filings.create(actor, for_whom, KIT)


def records(actor: Actor, for_whom: str, status: str | None, page: int, per_page: int) -> dict:
    return filings.records(actor, for_whom, status, page, per_page, KIT)


def get(actor: Actor, filing_id: int) -> dict:
    return filings.get(actor, filing_id, KIT)


def discard(actor: Actor, filing_id: int) -> None:
    filings.discard(actor, filing_id, KIT)


def events(actor: Actor, filing_id: int) -> list[dict]:
    return KIT.history(actor, filing_id)


def purge_stale_drafts(before) -> int:
    return filings.purge_stale_drafts(before, KIT)


# --- the partner side -------------------------------------------------------------------

def _for_agency(partner: Partner, filing_id: int) -> WiFiling:
    """A submitted filing of someone insured in the agency's region, row locked
    (403 `partner.out_of_scope` for another region's)."""
    filing = session().scalar(select(WiFiling).where(WiFiling.id == filing_id).with_for_update(of=WiFiling)
                              .execution_options(populate_existing=True))
    if filing is None or filing.status in ("draft", "discarded"):
        raise NotFound("未找到该工伤备案。", code="wi_filing.not_found")
    if filing.insured_region != partner.scope:
        raise partner_rules.out_of_scope(f"该工伤备案的参保地不属于“{partner.organisation}”，无权处理。")
    return filing


def agency_queue(partner: Partner, status: str | None, page: int, per_page: int) -> dict:
    """What the agency has to answer: filings of people insured in its region, oldest first."""
    query = select(WiFiling).where(WiFiling.insured_region == partner.scope,
                                   WiFiling.status.not_in(("draft", "discarded")))
    if status:
        query = query.where(WiFiling.status == status)
    return KIT.page(None, query, page, per_page, WiFiling.submitted_at, WiFiling.id)


def approve(partner: Partner, filing_id: int) -> dict:
    filing = _for_agency(partner, filing_id)
    rules.FLOW.apply(filing.status, "approve")
    KIT.move(filing, "approve", decided_at=now(), decided_by=partner.organisation)
    KIT.event(filing, None, "approved", organisation=partner.organisation, filing_no=filing.filing_no)
    session().commit()
    return view(filing, None)


def reject(partner: Partner, filing_id: int, reason: str) -> dict:
    filing = _for_agency(partner, filing_id)
    rules.FLOW.apply(filing.status, "decline")
    reason = rules.check_reason(reason, "wi_filing.reason_required")
    KIT.move(filing, "decline", decided_at=now(), decided_by=partner.organisation, reject_reason=reason)
    KIT.event(filing, None, "rejected", organisation=partner.organisation, note=reason)
    session().commit()
    return view(filing, None)


def agency_cancel(partner: Partner, filing_id: int, reason: str) -> dict:
    """What the refusal of an online cancellation sends the worker to do: the agency
    ends a filing in force, settled or not, at the worker's request."""
    filing = _for_agency(partner, filing_id)
    rules.FLOW.apply(filing.status, "cancel")
    reason = rules.check_reason(reason, "wi_filing.reason_required")
    KIT.move(filing, "cancel", cancelled_at=now(), cancel_reason=reason)
    KIT.event(filing, None, "cancelled_by_agency", organisation=partner.organisation, note=reason)
    session().commit()
    return view(filing, None)


def record_settlement(partner: Partner, filing_no: str, settled_at, institution: str, amounts: dict) -> dict:
    """The settlement system reports a work-injury bill settled directly under a filing
    in force, per service, dated inside its validity (Flow A's rule) and not in the
    future. The row is locked, as cancellation locks it."""
    s = session()
    filing = filings.to_settle(filing_no, settled_at, KIT)
    rules.check_settlement_amounts(amounts, filing.services or [])
    given = {k: v for k, v in amounts.items() if v is not None}
    settlement = WiSettlement(wi_filing_id=filing.id, settled_at=settled_at, institution=institution.strip(),
                              total=sum(given.values()), recorded_by=partner.organisation, **given)
    s.add(settlement)
    s.flush()
    KIT.event(filing, None, "settled", organisation=partner.organisation, institution=settlement.institution,
              amount=str(settlement.total), **{f"amount_{k}": str(v) for k, v in given.items()})
    s.commit()
    return settlement_view(settlement, filing_no)


# --- the demo registry ---------------------------------------------------------------------

def seed_demo_work_injuries() -> dict:
    """shared/demo_people.md: 张隽's recognised injury. Idempotent; never in production."""
    from backend.adapters.models import WorkInjuryRecord

    s = session()
    made = 0
    for r in documents.load_json("demo_work_injuries.json")["records"]:
        there = s.scalar(select(WorkInjuryRecord.id).where(WorkInjuryRecord.id_number_is(r["id_number"]),
                                                           WorkInjuryRecord.decision_no == r["decision_no"]))
        if there is None:
            wi_registry.record(r["id_number"], r["name"], r["basis"], r["decision_no"],
                               date.fromisoformat(r["decided_on"]), r["injury"], r["employer"], r["insured_region"])
            made += 1
    s.commit()
    return {"work_injuries": made}


def qa_record_injury(id_number: str, data: dict) -> dict:
    """QA: a recognised work injury for a person of the demo insurance registry."""
    number = accounts.check_id_number(id_number)
    person = session().scalar(select(InsuredPerson).where(InsuredPerson.id_number_is(number)))
    if person is None:
        raise Invalid("该身份证号码不在演示参保登记中，请先用 POST /qa/people 生成人员。", code="request.invalid",
                      errors={"id_number": ["not in the demo registry"]})
    region = data.get("insured_region") or (person.records[0].insured_region if person.records else None)
    injury = wi_registry.record(number, person.name, data.get("basis") or "injury_recognition",
                                data.get("decision_no") or f"QA工伤认字〔{today().year}〕第{secrets.randbelow(10**6):06d}号",
                                data.get("decided_on") or today(), data.get("injury") or "脑外伤",
                                data.get("employer") or "测试用人单位", region)
    session().commit()
    return {**injury_view(injury), "id_number": mask_id_number(number)}
