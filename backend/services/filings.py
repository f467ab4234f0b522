"""Out-of-area filing, step by step (seed 002). Every function is one transaction."""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, lazyload

from backend.adapters.models import Account, Filing, FilingEvent, InsuranceRecord, InsuredPerson, Settlement
from backend.domain import filing as rules
from backend.domain.errors import Conflict, Invalid, NotFound
from backend.domain.partners import Partner
from backend.domain.identity import mask_name
from backend.services import access, accounts, documents, family, notifications, views
from backend.services.flows import Kit
from backend.services.runtime import Actor, beijing_date, forget_blob, now, read_blob, session, setting, today


# --- the flow on the kit --------------------------------------------------------

def _still_authorised(actor: Actor, filing: Filing) -> None:
    """An agent whose right to act was withdrawn by the insured person cannot go
    on with a draft made before that (discarding it stays possible)."""
    if filing.for_whom == "other" and filing.insured_person is not None:
        family.refuse_if_withdrawn(actor, filing.insured_person)


def view(filing: Filing, actor: Actor | None) -> dict:
    return views.filing(filing, actor.person_id if actor else None)


KIT = Kit(flow=rules.FLOW, model=Filing, event_model=FilingEvent, event_parent="filing_id",
          subject="insured_person_id", noun="备案", present=view, guard=_still_authorised,
          hidden=("discarded",), notify=notifications.on_filing,
          # one filing comes with its photos' rows (a page of them has them in one more query)
          load_options=(joinedload(Filing.attachments),))

# Public for the attachments service, which is part of this flow.
load, check_maker, record_event = KIT.load, KIT.check_maker, KIT.event


def editable_draft(actor: Actor, filing_id: int, step: str, *, lock: bool = False) -> Filing:
    return KIT.draft(actor, filing_id, step, lock=lock)


# --- the steps --------------------------------------------------------------------

def create(actor: Actor, for_whom: str, kit: Kit | None = None) -> dict:
    """A new draft, for oneself or (as an agent) for someone else. `kit`: the flow's
    (Flow A's by default; the work-injury filing starts its drafts here too)."""
    kit = kit or KIT
    person_id = accounts.require_person(actor)
    kit.check_open_drafts(actor, setting("MAX_OPEN_DRAFTS"))
    s = session()
    filing = kit.model(for_whom=for_whom, status="draft", steps_done=[], created_by_account_id=actor.account_id)
    if for_whom == "self":
        filing.insured_person_id = person_id
    else:
        filing.agent_person_id = person_id
        account = s.get(Account, actor.account_id)
        filing.agent_phone = account.phone or account.person.phone
    s.add(filing)
    s.flush()
    kit.event(filing, actor, "created", **{"for": for_whom})
    s.commit()
    return kit.present(filing, actor)


def someone_else(actor: Actor, data: dict, kit: Kit) -> InsuredPerson:
    """The proxy path's first step: the person named (name and number in the registry,
    not the agent) and the relation declared (checked against the household and both
    birth dates). Checks only: nothing changes."""
    missing = {f: ["为他人备案须填写此项。"] for f in ("name", "id_number", "relation") if not data.get(f)}
    if missing:
        raise Invalid("请填写备案人的姓名、身份证号码和与您的关系。", code=f"{kit.name}.insured_incomplete",
                      errors=missing)
    person = accounts.find_in_registry(data["name"], data["id_number"])
    if person.id == actor.person_id:
        raise Invalid("为本人办理请选择“为自己备案”。", code=f"{kit.name}.agent_is_insured",
                      errors={"id_number": ["这是您本人的身份证号码。"]})
    family.check_relation(actor, person, data["relation"])
    return person


def act_for(actor: Actor, filing, person: InsuredPerson, relation: str) -> None:
    """The agent acts for `person` on this draft: the grant is recorded (or refused if
    withdrawn); another person than before takes the previous one's photos with them."""
    family.ensure_grant(actor, person, relation)
    filing.relation = relation
    if filing.insured_person_id not in (None, person.id):
        for attachment in list(filing.attachments):
            if attachment.kind in rules.INSURED_PHOTO_KINDS:
                family.drop_attachment(filing, attachment)
    filing.insured_person_id = person.id
    filing.insured_person = person


# Built once: the rule checks of a step run on every save, and an ORM entity query
# (the filing with both people joined and its photos) would load far more than they read.
_ACTIVE_RECORD = (select(InsuranceRecord.retired)
                  .where(InsuranceRecord.person_id == bindparam("person_id"),
                         InsuranceRecord.scheme == bindparam("scheme"),
                         InsuranceRecord.insured_region == bindparam("insured_region"),
                         InsuranceRecord.status == "active")
                  .order_by(InsuranceRecord.id).limit(1))
_LONG_TERM_IN_FORCE = (select(Filing.filing_no, Filing.destination_region)
                       .where(Filing.insured_person_id == bindparam("person_id"), Filing.status == "effective",
                              Filing.category == "long_term", Filing.id != bindparam("other_than"))
                       .limit(1))


def _matching_record(person: InsuredPerson, scheme: str, insured_region: str):
    """seed 002: 参保对象、参保身份、参保地应与实际参保情况一致，否则无法备案.
    The matching active record's row (`retired` is what the rules read)."""
    record = session().connection().execute(
        _ACTIVE_RECORD, {"person_id": person.id, "scheme": scheme, "insured_region": insured_region}).first()
    if record is not None:
        return record
    raise Invalid("所选参保身份或参保地与实际参保情况不一致，无法备案。请核对后重新选择。",
                  code="filing.insurance_mismatch",
                  errors={"scheme": ["与参保记录不一致。"], "insured_region": ["与参保记录不一致。"]})


def _long_term_in_force(person_id: int, *, other_than: int | None = None):
    # -1: no filing has it, so "other than none" needs no second statement shape.
    return session().connection().execute(
        _LONG_TERM_IN_FORCE, {"person_id": person_id, "other_than": -1 if other_than is None else other_than}).first()


def _refuse_second_long_term(person_id: int, *, other_than: int | None = None) -> None:
    existing = _long_term_in_force(person_id, other_than=other_than)
    if existing is not None:
        rules.check_one_long_term_in_force(existing.filing_no, documents.region_name(existing.destination_region))


def set_insured(actor: Actor, filing_id: int, data: dict) -> dict:
    s = session()
    filing = editable_draft(actor, filing_id, "insured")
    if filing.for_whom == "self":
        person = s.get(InsuredPerson, filing.insured_person_id)
    else:
        person = someone_else(actor, data, KIT)
    # Every check before anything changes: a refused answer leaves the draft as it was.
    _matching_record(person, data["scheme"], data["insured_region"])
    if data.get("category") == "long_term":
        _refuse_second_long_term(person.id)
    if filing.for_whom == "other":
        act_for(actor, filing, person, data["relation"])
    filing.scheme = data["scheme"]
    filing.insured_region = data["insured_region"]
    filing.category = data.get("category") or filing.category
    KIT.done(filing, "insured")
    record_event(filing, actor, "insured", scheme=filing.scheme, insured_region=filing.insured_region)
    s.commit()
    return view(filing, actor)


def accept_notice(actor: Actor, filing_id: int, accepted: bool, version: str) -> dict:
    filing = editable_draft(actor, filing_id, "notice")
    notice = KIT.accept_document(filing, "filing-notice", accepted, version, field="notice",
                                 tick_hint="请勾选“已阅读备案告知书”后，点击“我已阅读并同意”。")
    KIT.done(filing, "notice")
    record_event(filing, actor, "notice", version=notice.version)
    session().commit()
    return view(filing, actor)


def _after_declaration(filing: Filing) -> None:
    """The declaration is done when it is accepted and then signed (seed 002: 确认、签字).
    Redoing the insured step asks for it again, but photos already on the draft still
    prove both identities: they stay counted."""
    if not (filing.agent_declaration_accepted_at and filing.agent_declaration_signature_key):
        KIT.undone(filing, "agent_declaration")
        return
    KIT.done(filing, "agent_declaration")
    if rules.attachments_complete({a.kind for a in filing.attachments}):
        KIT.done(filing, "attachments", keeps_later=True)


def accept_agent_declaration(actor: Actor, filing_id: int, accepted: bool, version: str) -> dict:
    """代办承诺 (proxy path): the agent accepts the current declaration; signing it comes next."""
    filing = editable_draft(actor, filing_id, "agent_declaration")
    declaration = KIT.accept_document(filing, "agent-declaration", accepted, version, field="agent_declaration",
                                      tick_hint="请勾选“我已阅读并同意《代办承诺书》”后再签字。")
    # A signature belongs to the text accepted before it: accepting again asks for it again.
    old_key = filing.agent_declaration_signature_key
    filing.agent_declaration_signature_key = filing.agent_declaration_signature_sha256 = None
    filing.agent_declaration_signed_at = None
    _after_declaration(filing)
    record_event(filing, actor, "agent_declaration", version=declaration.version)
    KIT.commit(forget=(old_key,))
    return view(filing, actor)


def sign_agent_declaration(actor: Actor, filing_id: int, png: bytes) -> dict:
    filing = editable_draft(actor, filing_id, "agent_declaration")
    if filing.agent_declaration_accepted_at is None:
        raise Invalid("请先阅读并勾选同意《代办承诺书》，再签字。", code="filing.agent_declaration_not_accepted",
                      errors={"accepted": ["须同意后才能签字。"]})
    old_key, sha256 = KIT.store_signature(filing, png, field="agent_declaration_signature")
    filing.agent_declaration_signed_at = now()
    _after_declaration(filing)
    record_event(filing, actor, "agent_declaration_signed", version=filing.agent_declaration_version,
                 signature_sha256=sha256)
    KIT.commit(forget=(old_key,))
    return view(filing, actor)


def set_details(actor: Actor, filing_id: int, data: dict) -> dict:
    filing = editable_draft(actor, filing_id, "details")
    details = rules.Details(
        category=data["category"], person_type=data["person_type"],
        destination_region=data["destination_region"], start_date=data["start_date"],
        end_date=data.get("end_date"), address=data.get("address"), hospital=data.get("hospital"),
        reason=data.get("reason"), contact_name=data["contact_name"], contact_phone=data["contact_phone"],
    )
    record = _matching_record(filing.insured_person, filing.scheme, filing.insured_region)
    if details.category == "long_term":
        _refuse_second_long_term(filing.insured_person_id, other_than=filing.id)
    advice = rules.check_details(details, scheme=filing.scheme, insured_region=filing.insured_region,
                                 today=today(), destination_is_city=documents.is_city(details.destination_region),
                                 retired=record.retired)
    for name in ("category", "person_type", "destination_region", "start_date", "end_date", "address",
                 "hospital", "reason", "contact_name", "contact_phone"):
        value = getattr(details, name)
        setattr(filing, name, value.strip() if isinstance(value, str) else value)
    filing.scope = advice.scope
    KIT.done(filing, "details")
    record_event(filing, actor, "details", destination_region=filing.destination_region, category=filing.category,
                 person_type=filing.person_type)
    session().commit()
    return view(filing, actor)


def sign(actor: Actor, filing_id: int, png: bytes) -> dict:
    filing = editable_draft(actor, filing_id, "signature")
    old_key, sha256 = KIT.store_signature(filing, png)
    pledge = documents.current("filing-pledge")
    filing.pledge_version, filing.pledge_sha256 = pledge.version, pledge.sha256
    filing.signer_person_id, filing.signed_at = actor.person_id, now()
    KIT.done(filing, "signature")
    record_event(filing, actor, "signature", pledge_version=pledge.version, signature_sha256=sha256)
    KIT.commit(forget=(old_key,))
    return view(filing, actor)


def signature_png(actor: Actor, filing_id: int, *, declaration: bool = False) -> bytes:
    """The pledge's signature, or (proxy path) the agent declaration's."""
    filing = load(actor, filing_id)
    key = filing.agent_declaration_signature_key if declaration else filing.signature_key
    if not key:
        raise NotFound("该备案尚未签名。", code="filing.signature_missing")
    again = "请重新签名" if filing.status == "draft" else "请联系医保经办机构"
    content = read_blob(key, f"signature of filing {filing.id}",
                        lambda: NotFound(f"签名文件已丢失，{again}。", code="filing.signature_file_missing"))
    # A signature is its signer's: the agent's declaration, or whoever signed the pledge.
    signer = filing.agent_person_id if declaration else filing.signer_person_id
    access.record(actor, access.role_on_filing(filing, actor), signer, "viewed_signature", "filing", filing.id,
                  signature="agent_declaration" if declaration else "pledge")
    session().commit()
    return content


# --- submit -----------------------------------------------------------------------

def submit(actor: Actor, filing_id: int, idempotency_key: str | None) -> dict:
    """→ effective, with a filing number and validity (the kit makes it idempotent
    and moves it once however many submits arrive together)."""
    s = session()

    def check(filing: Filing) -> dict:
        # Serialise submits for one insured person, so two drafts cannot both become
        # the one long-term filing in force.
        s.execute(select(InsuredPerson.id).where(InsuredPerson.id == filing.insured_person_id).with_for_update())
        _refuse_second_long_term(filing.insured_person_id, other_than=filing.id)
        valid_from, valid_to = rules.validity(filing.category, filing.start_date, filing.end_date)
        return {"valid_from": valid_from, "valid_to": valid_to,
                "filing_no": rules.filing_number(filing.insured_region, today(), filing.id),
                "verification_token": secrets.token_urlsafe(24)}

    return KIT.submit(actor, filing_id, idempotency_key, check=check,
                      detail=lambda filing: {"filing_no": filing.filing_no})


# --- after filing -----------------------------------------------------------------

def records(actor: Actor, for_whom: str, status: str | None, page: int, per_page: int,
            kit: Kit | None = None) -> dict:
    """查看记录: for=self, the filings of which I am the insured person (whoever
    made them); for=other, those I made as an agent. Newest first."""
    kit = kit or KIT
    m = kit.model
    person_id = accounts.require_person(actor)
    query = select(m).where(m.status != "discarded")
    if for_whom == "self":
        query = query.where(m.insured_person_id == person_id)
    else:
        query = query.where(m.for_whom == "other", m.agent_person_id == person_id)
    if status:
        query = query.where(m.status == status)

    def present(filing, viewer: Actor) -> dict:
        access.record(viewer, access.role_on_filing(filing, viewer), filing.insured_person_id, "viewed_record",
                      kit.name, filing.id, via="list")
        return kit.present(filing, viewer)

    body = kit.page(actor, query, page, per_page, m.created_at.desc(), m.id.desc(), present=present)
    session().commit()
    return body


def get(actor: Actor, filing_id: int, kit: Kit | None = None) -> dict:
    """One filing; seen by anyone but the insured person (her agent), the look is logged."""
    kit = kit or KIT
    filing = kit.load(actor, filing_id)
    access.record(actor, access.role_on_filing(filing, actor), filing.insured_person_id, "viewed_record",
                  kit.name, filing.id)
    body = kit.present(filing, actor)
    session().commit()
    return body


SIGNATURES = ("signature_key", "agent_declaration_signature_key")


def _blob_keys(filing) -> list[str]:
    keys = [getattr(filing, name, None) for name in SIGNATURES]
    keys += [k for a in filing.attachments for k in (a.blob_key, a.thumbnail_key)]
    return [k for k in keys if k]


def _drop_files(filing) -> None:
    """A discarded draft keeps its history, not its photos and signatures."""
    s = session()
    for attachment in list(filing.attachments):
        s.delete(attachment)
    for name in SIGNATURES:
        if hasattr(filing, name):
            setattr(filing, name, None)


def discard(actor: Actor, filing_id: int, kit: Kit | None = None) -> None:
    kit = kit or KIT
    filing = kit.load(actor, filing_id)
    kit.check_maker(actor, filing)
    keys = _blob_keys(filing)
    kit.move(filing, "discard")
    _drop_files(filing)
    kit.event(filing, actor, "discarded")
    kit.commit(forget=tuple(keys))


def purge_stale_drafts(before, kit: Kit | None = None) -> int:
    """Drafts untouched since `before` are discarded, their files deleted (daily job)."""
    keys: list[str] = []

    def drop(filing) -> None:
        keys.extend(_blob_keys(filing))
        _drop_files(filing)

    count = (kit or KIT).purge_stale_drafts(before, "discard", then=drop)
    for key in keys:
        forget_blob(key)
    return count


def events(actor: Actor, filing_id: int) -> list[dict]:
    return KIT.history(actor, filing_id)


def cancel(actor: Actor, filing_id: int, reason: str) -> dict:
    """The insured person, or the agent who filed, may cancel online (seed 002).
    The row is locked first, as a settlement locks it: of a cancellation and a
    settlement arriving together, the second sees what the first did."""
    filing = load(actor, filing_id, lock=True)
    rules.FLOW.apply(filing.status, "cancel")
    settlement = filing.settlements[0] if filing.settlements else None
    rules.check_cancellable(
        category=filing.category, valid_from=filing.valid_from, today=today(),
        settlement=(settlement.institution, beijing_date(settlement.settled_at).isoformat()) if settlement else None,
        wait_days=rules.CANCEL_WAIT_DAYS_BY_REGION.get(filing.insured_region, 0),
    )
    KIT.move(filing, "cancel", cancelled_at=now(), cancel_reason=reason.strip())
    record_event(filing, actor, "cancelled", reason=filing.cancel_reason)
    session().commit()
    return view(filing, actor)


def certificate_png(actor: Actor, filing_id: int, kit: Kit | None = None) -> bytes:
    """A QR code of the public verification URL, once the filing is in force (one under
    which hospitals settle). `kit`: Flow A's by default, or another filing flow's."""
    from backend.adapters.qr import qr_png

    kit = kit or KIT
    filing = kit.load(actor, filing_id)
    if not kit.flow.allows(filing.status, "settle") or not filing.verification_token:
        raise Conflict("备案生效后才有备案凭证。", code=f"{kit.name}.no_certificate")
    return qr_png(verification_url(filing.verification_token, kit))


def verification_url(token: str, kit: Kit | None = None) -> str:
    """`/filing-verifications/{token}`, `/wi-filing-verifications/{token}`, …"""
    path = (kit or KIT).name.replace("_", "-")
    return f"{setting('PUBLIC_BASE_URL')}/api/v1/{path}-verifications/{token}"


def verify(token: str) -> dict:
    """Public: a hospital scans the certificate. Only a masked name leaves."""
    filing = session().scalar(select(Filing).where(Filing.verification_token == token))
    if filing is None or not token:
        raise NotFound("未查询到该备案凭证，请核对二维码。", code="filing.verification_not_found")
    state = filing.status
    if state == "effective" and filing.valid_to and filing.valid_to < today():
        state = "expired"
    access.record(None, "public", filing.insured_person_id, "verified_certificate", "filing", filing.id,
                  filing_no=filing.filing_no)
    body = {
        "status": state,
        "status_label": rules.STATUS_LABELS.get(state, state),
        "in_force": state == "effective" and filing.valid_from <= today(),
        "name": mask_name(filing.insured_person.name),
        "filing_no": filing.filing_no,
        "destination_region": filing.destination_region,
        "destination_region_name": documents.region_name(filing.destination_region),
        "category": filing.category,
        "valid_from": filing.valid_from,
        "valid_to": filing.valid_to,
    }
    session().commit()
    return body


def record_settlement(partner: Partner, filing_no: str, amount, settled_at, institution: str) -> dict:
    """Partner side: a designated hospital reports a settlement under a filing in
    force, dated inside its validity and not in the future. The filing's row is
    locked, as cancellation locks it, so the two never both succeed."""
    if not 0 < amount <= 10_000_000:
        raise Invalid("结算金额应大于0且不超过1000万元。", code="settlement.amount_invalid",
                      errors={"amount": ["金额超出范围。"]})
    s = session()
    filing = to_settle(filing_no, settled_at)
    settlement = Settlement(filing_id=filing.id, amount=amount, settled_at=settled_at,
                            institution=institution.strip())
    s.add(settlement)
    record_event(filing, None, "settled", organisation=partner.organisation, institution=settlement.institution,
                 amount=str(amount))
    s.commit()
    return {"id": settlement.id, "filing_no": filing_no, "amount": settlement.amount,
            "settled_at": settlement.settled_at, "institution": settlement.institution}


def to_settle(filing_no: str, settled_at, kit: Kit | None = None):
    """The filing a settlement is reported under, row locked (as cancellation locks it):
    it exists, is in force, and the settlement is dated inside its validity and not in
    the future."""
    kit = kit or KIT
    m = kit.model
    # The photos are not needed to settle: not loaded with the locked row.
    filing = session().scalar(select(m).where(m.filing_no == filing_no).with_for_update(of=m)
                              .options(lazyload(m.attachments)).execution_options(populate_existing=True))
    if filing is None:
        raise NotFound("未找到该备案号。", code=f"{kit.name}.not_found", errors={"filing_no": ["备案号不存在。"]})
    if not kit.flow.allows(filing.status, "settle"):
        raise Conflict(f"该备案当前为“{kit.flow.status_labels.get(filing.status)}”，不能结算。",
                       code="settlement.filing_not_effective")
    rules.check_settlement_date(settled_at, now=now(), valid_from=filing.valid_from, valid_to=filing.valid_to)
    return filing


def expire_due(day: date | None = None) -> int:
    """Temporary filings whose validity has ended become `expired` (CLI, daily),
    through the table, each with an event."""
    return KIT.expire_due(Filing.valid_to.is_not(None) & (Filing.valid_to < (day or today())))
