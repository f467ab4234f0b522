"""Out-of-area filing, step by step (seed 002). Every function is one transaction."""

from __future__ import annotations

import json
import secrets
from datetime import date

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from backend.adapters.models import (Account, Filing, FilingEvent, IdempotencyRecord,
                                     InsuranceRecord, InsuredPerson, Settlement)
from backend.adapters import images
from backend.domain import filing as rules
from backend.domain.errors import Conflict, Forbidden, Invalid, NotFound
from backend.domain.identity import mask_name
from backend.services import accounts, documents, family, views
from backend.services.runtime import Actor, now, session, setting, today


# --- loading, with the access rule in one place ---------------------------------

def _visible_to(actor: Actor):
    """An account sees the filings it created, and those where its person is the
    insured person or the agent. Everyone else gets 404, not 403: they are not
    told that the filing exists."""
    clauses = [Filing.created_by_account_id == actor.account_id]
    if actor.person_id is not None:
        clauses += [Filing.insured_person_id == actor.person_id, Filing.agent_person_id == actor.person_id]
    return or_(*clauses)


def load(actor: Actor, filing_id: int) -> Filing:
    filing = session().scalar(select(Filing).where(Filing.id == filing_id, _visible_to(actor)))
    if filing is None or filing.status == "discarded":
        raise NotFound("未找到该备案记录，或您无权查看。", code="filing.not_found")
    return filing


def check_maker(actor: Actor, filing: Filing) -> None:
    """Only the account that started a draft fills it in, submits or discards it.
    The insured person may read a filing an agent makes for her, so she is told
    why she cannot change it (403) rather than that it does not exist (404)."""
    if filing.created_by_account_id != actor.account_id:
        raise Forbidden("此备案不是由您当前登录的账户发起的，只有发起人（如代办人）可以填写、修改或提交；"
                        "您可以查看办理进度，备案生效后也可以取消。", code="filing.not_maker")


def _still_authorised(actor: Actor, filing: Filing) -> None:
    """An agent whose right to act was withdrawn by the insured person cannot go
    on with a draft made before that (discarding it stays possible)."""
    if filing.for_whom == "other" and filing.insured_person is not None:
        family.refuse_if_withdrawn(actor, filing.insured_person)


def editable_draft(actor: Actor, filing_id: int, step: str) -> Filing:
    """Only the account that started a draft fills it in."""
    filing = load(actor, filing_id)
    check_maker(actor, filing)
    _still_authorised(actor, filing)
    rules.FLOW.check_step(filing.for_whom, filing.status, filing.steps_done or [], step)
    return filing


def record_event(filing: Filing, actor: Actor, step: str, **detail) -> None:
    role = "agent" if filing.for_whom == "other" and actor.person_id == filing.agent_person_id else "self"
    if actor.person_id is None:
        role = "partner"
    session().add(FilingEvent(filing_id=filing.id, step=step, at=now(), actor_person_id=actor.person_id,
                              on_behalf_of_person_id=filing.insured_person_id, actor_role=role,
                              detail=detail))


def _done(filing: Filing, step: str, *, keeps_later: bool = False) -> None:
    filing.steps_done = rules.FLOW.complete(filing.for_whom, list(filing.steps_done or []), step,
                                            keeps_later=keeps_later)


def view(filing: Filing, actor: Actor) -> dict:
    return views.filing(filing, actor.person_id)


# --- the steps --------------------------------------------------------------------

def create(actor: Actor, for_whom: str) -> dict:
    person_id = accounts.require_person(actor)
    s = session()
    filing = Filing(for_whom=for_whom, status="draft", steps_done=[], created_by_account_id=actor.account_id)
    if for_whom == "self":
        filing.insured_person_id = person_id
    else:
        filing.agent_person_id = person_id
        account = s.get(Account, actor.account_id)
        filing.agent_phone = account.phone or account.person.phone
    s.add(filing)
    s.flush()
    record_event(filing, actor, "created", **{"for": for_whom})
    s.commit()
    return view(filing, actor)


def _matching_record(person: InsuredPerson, scheme: str, insured_region: str) -> InsuranceRecord:
    """seed 002: 参保对象、参保身份、参保地应与实际参保情况一致，否则无法备案."""
    for record in person.records:
        if record.scheme == scheme and record.insured_region == insured_region and record.status == "active":
            return record
    raise Invalid("所选参保身份或参保地与实际参保情况不一致，无法备案。请核对后重新选择。",
                  code="filing.insurance_mismatch",
                  errors={"scheme": ["与参保记录不一致。"], "insured_region": ["与参保记录不一致。"]})


def set_insured(actor: Actor, filing_id: int, data: dict) -> dict:
    s = session()
    filing = editable_draft(actor, filing_id, "insured")
    if filing.for_whom == "self":
        person = s.get(InsuredPerson, filing.insured_person_id)
    else:
        missing = {f: ["为他人备案须填写此项。"] for f in ("name", "id_number", "relation") if not data.get(f)}
        if missing:
            raise Invalid("请填写备案人的姓名、身份证号码和与您的关系。", code="filing.insured_incomplete",
                          errors=missing)
        person = accounts.find_in_registry(data["name"], data["id_number"])
        if person.id == actor.person_id:
            raise Invalid("为本人办理请选择“为自己备案”。", code="filing.agent_is_insured",
                          errors={"id_number": ["这是您本人的身份证号码。"]})
        # Checked before any photo is dropped below: a refused answer must leave the draft as it was.
        _matching_record(person, data["scheme"], data["insured_region"])
        family.ensure_grant(actor, person, data["relation"])
        filing.relation = data["relation"]
        if filing.insured_person_id not in (None, person.id):
            # A different person: the photos of the previous one no longer belong here.
            for attachment in list(filing.attachments):
                if attachment.kind in rules.INSURED_PHOTO_KINDS:
                    family.drop_attachment(filing, attachment)
        filing.insured_person_id = person.id
        filing.insured_person = person
    _matching_record(person, data["scheme"], data["insured_region"])
    filing.scheme = data["scheme"]
    filing.insured_region = data["insured_region"]
    _done(filing, "insured")
    record_event(filing, actor, "insured", scheme=filing.scheme, insured_region=filing.insured_region)
    s.commit()
    return view(filing, actor)


def accept_notice(actor: Actor, filing_id: int, accepted: bool, version: str) -> dict:
    filing = editable_draft(actor, filing_id, "notice")
    notice = documents.accepted("filing-notice", accepted, version, code="filing.notice",
                                tick_hint="请勾选“已阅读备案告知书”后，点击“我已阅读并同意”。")
    filing.notice_version, filing.notice_sha256, filing.notice_accepted_at = notice.version, notice.sha256, now()
    _done(filing, "notice")
    if filing.for_whom == "other" and rules.attachments_complete({a.kind for a in filing.attachments}):
        # Redoing the insured step (same person) asks for the notice again, but the
        # photos already on the draft still prove both identities: keep them counted.
        _done(filing, "attachments", keeps_later=True)
    record_event(filing, actor, "notice", version=notice.version)
    session().commit()
    return view(filing, actor)


def set_details(actor: Actor, filing_id: int, data: dict) -> dict:
    filing = editable_draft(actor, filing_id, "details")
    details = rules.Details(
        category=data["category"], person_type=data["person_type"],
        destination_region=data["destination_region"], start_date=data["start_date"],
        end_date=data.get("end_date"), address=data.get("address"), hospital=data.get("hospital"),
        reason=data.get("reason"), contact_name=data["contact_name"], contact_phone=data["contact_phone"],
    )
    advice = rules.check_details(details, scheme=filing.scheme, insured_region=filing.insured_region,
                                 today=today(), destination_is_city=documents.is_city(details.destination_region))
    for name in ("category", "person_type", "destination_region", "start_date", "end_date", "address",
                 "hospital", "reason", "contact_name", "contact_phone"):
        value = getattr(details, name)
        setattr(filing, name, value.strip() if isinstance(value, str) else value)
    filing.scope = advice.scope
    _done(filing, "details")
    record_event(filing, actor, "details", destination_region=filing.destination_region, category=filing.category,
           person_type=filing.person_type)
    session().commit()
    return view(filing, actor)


def sign(actor: Actor, filing_id: int, png: bytes) -> dict:
    filing = editable_draft(actor, filing_id, "signature")
    signature = images.check_signature(png)
    pledge = documents.current("filing-pledge")
    old_key = filing.signature_key
    filing.signature_key = session_blobs().put(signature.content, ".png")
    filing.signature_sha256 = signature.sha256
    filing.pledge_version, filing.pledge_sha256 = pledge.version, pledge.sha256
    filing.signer_person_id, filing.signed_at = actor.person_id, now()
    _done(filing, "signature")
    record_event(filing, actor, "signature", pledge_version=pledge.version, signature_sha256=signature.sha256)
    session().commit()
    if old_key:
        session_blobs().delete(old_key)
    return view(filing, actor)


def signature_png(actor: Actor, filing_id: int) -> bytes:
    filing = load(actor, filing_id)
    if not filing.signature_key:
        raise NotFound("该备案尚未签名。", code="filing.signature_missing")
    return session_blobs().get(filing.signature_key)


def session_blobs():
    from backend.services.runtime import blobs
    return blobs()


# --- submit -----------------------------------------------------------------------

def submit(actor: Actor, filing_id: int, idempotency_key: str | None) -> dict:
    """→ effective. The same Idempotency-Key gives the same answer; two submits of
    one draft arriving together make one filing (the conditional update below)."""
    s = session()
    scope = f"filing-submit:{filing_id}"
    replay = _replay(actor, scope, idempotency_key)
    if replay is not None:
        return replay
    filing = load(actor, filing_id)
    check_maker(actor, filing)
    _still_authorised(actor, filing)
    rules.FLOW.apply(filing.status, "submit")
    missing = rules.FLOW.next_step(filing.for_whom, filing.steps_done or [])
    if missing:
        raise Conflict(f"还有步骤未完成：请先完成“{rules.STEP_LABELS[missing]}”。",
                       code="filing.incomplete", errors={"next_step": [missing]})
    # Serialise submits for one insured person, so two drafts cannot both become
    # the one long-term filing in force.
    s.execute(select(InsuredPerson.id).where(InsuredPerson.id == filing.insured_person_id).with_for_update())
    if filing.category == "long_term":
        existing = s.scalar(select(Filing.filing_no).where(
            Filing.insured_person_id == filing.insured_person_id, Filing.status == "effective",
            Filing.category == "long_term", Filing.id != filing.id))
        rules.check_one_long_term_in_force(filing.category, existing)
    valid_from, valid_to = rules.validity(filing.category, filing.start_date, filing.end_date)
    result = s.execute(
        update(Filing).where(Filing.id == filing.id, Filing.status == "draft").values(
            status="effective", valid_from=valid_from, valid_to=valid_to, submitted_at=now(),
            filing_no=rules.filing_number(filing.insured_region, today(), filing.id),
            verification_token=secrets.token_urlsafe(24),
        ).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        # Another request submitted it first: answer as it did when the key matches.
        s.rollback()
        replay = _replay(actor, scope, idempotency_key)
        if replay is not None:
            return replay
        raise Conflict("该备案已提交，请勿重复提交。", code="filing.already_submitted")
    s.refresh(filing)
    record_event(filing, actor, "submitted", filing_no=filing.filing_no)
    body = view(filing, actor)
    if idempotency_key:
        s.add(IdempotencyRecord(account_id=actor.account_id, scope=scope, key=idempotency_key, status=200,
                                body=json.dumps(body, default=str, ensure_ascii=False)))
    try:
        s.commit()
    except IntegrityError:
        s.rollback()
        replay = _replay(actor, scope, idempotency_key)
        if replay is not None:
            return replay
        raise
    return body


def _replay(actor: Actor, scope: str, key: str | None) -> dict | None:
    """A key seen before answers with the filing it submitted, as it is now: the
    same filing number, never a second filing and never an error for a retry."""
    if not key:
        return None
    record = session().scalar(select(IdempotencyRecord).where(
        IdempotencyRecord.account_id == actor.account_id, IdempotencyRecord.scope == scope,
        IdempotencyRecord.key == key))
    if record is None:
        return None
    return view(load(actor, int(scope.rsplit(":", 1)[1])), actor)


# --- after filing -----------------------------------------------------------------

def records(actor: Actor, for_whom: str, status: str | None, page: int, per_page: int) -> dict:
    """查看记录: for=self, the filings of which I am the insured person (whoever
    made them); for=other, those I made as an agent. Newest first."""
    person_id = accounts.require_person(actor)
    query = select(Filing).where(Filing.status != "discarded")
    if for_whom == "self":
        query = query.where(Filing.insured_person_id == person_id)
    else:
        query = query.where(Filing.for_whom == "other", Filing.agent_person_id == person_id)
    if status:
        query = query.where(Filing.status == status)
    s = session()
    total = s.scalar(select(func.count()).select_from(query.subquery()))
    rows = s.scalars(query.order_by(Filing.created_at.desc(), Filing.id.desc())
                     .offset((page - 1) * per_page).limit(per_page))
    return {"items": [view(f, actor) for f in rows], "page": page, "per_page": per_page, "total": total}


def get(actor: Actor, filing_id: int) -> dict:
    return view(load(actor, filing_id), actor)


def discard(actor: Actor, filing_id: int) -> None:
    filing = load(actor, filing_id)
    check_maker(actor, filing)
    filing.status = rules.FLOW.apply(filing.status, "discard")
    keys = [filing.signature_key] + [k for a in filing.attachments for k in (a.blob_key, a.thumbnail_key)]
    s = session()
    for attachment in list(filing.attachments):
        s.delete(attachment)
    filing.signature_key = None
    record_event(filing, actor, "discarded")
    s.commit()
    for key in filter(None, keys):
        session_blobs().delete(key)


def events(actor: Actor, filing_id: int) -> list[dict]:
    filing = load(actor, filing_id)
    rows = session().scalars(select(FilingEvent).where(FilingEvent.filing_id == filing.id)
                             .order_by(FilingEvent.at, FilingEvent.id))
    return [views.event(e) for e in rows]


def cancel(actor: Actor, filing_id: int, reason: str) -> dict:
    """The insured person, or the agent who filed, may cancel online (seed 002)."""
    s = session()
    filing = load(actor, filing_id)
    filing.status = rules.FLOW.apply(filing.status, "cancel")
    settlement = filing.settlements[0] if filing.settlements else None
    rules.check_cancellable(
        category=filing.category, valid_from=filing.valid_from, today=today(),
        settlement=(settlement.institution, settlement.settled_at.date().isoformat()) if settlement else None,
        wait_days=rules.CANCEL_WAIT_DAYS_BY_REGION.get(filing.insured_region, 0),
    )
    filing.cancelled_at, filing.cancel_reason = now(), reason.strip()
    record_event(filing, actor, "cancelled", reason=filing.cancel_reason)
    s.commit()
    return view(filing, actor)


def certificate_png(actor: Actor, filing_id: int) -> bytes:
    from backend.adapters.qr import qr_png

    filing = load(actor, filing_id)
    if filing.status != "effective" or not filing.verification_token:
        raise Conflict("备案生效后才有备案凭证。", code="filing.no_certificate")
    return qr_png(verification_url(filing.verification_token))


def verification_url(token: str) -> str:
    return f"{setting('PUBLIC_BASE_URL')}/api/v1/filing-verifications/{token}"


def verify(token: str) -> dict:
    """Public: a hospital scans the certificate. Only a masked name leaves."""
    filing = session().scalar(select(Filing).where(Filing.verification_token == token))
    if filing is None or not token:
        raise NotFound("未查询到该备案凭证，请核对二维码。", code="filing.verification_not_found")
    state = filing.status
    if state == "effective" and filing.valid_to and filing.valid_to < today():
        state = "expired"
    return {
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


def record_settlement(filing_no: str, amount, settled_at, institution: str) -> dict:
    """Partner side: a designated hospital reports a settlement under a filing."""
    if not 0 < amount <= 10_000_000:
        raise Invalid("结算金额应大于0且不超过1000万元。", code="settlement.amount_invalid",
                      errors={"amount": ["金额超出范围。"]})
    s = session()
    filing = s.scalar(select(Filing).where(Filing.filing_no == filing_no))
    if filing is None:
        raise NotFound("未找到该备案号。", code="filing.not_found", errors={"filing_no": ["备案号不存在。"]})
    if filing.status != "effective":
        raise Conflict(f"该备案当前为“{rules.STATUS_LABELS.get(filing.status)}”，不能结算。",
                       code="settlement.filing_not_effective")
    settlement = Settlement(filing_id=filing.id, amount=amount, settled_at=settled_at,
                            institution=institution.strip())
    s.add(settlement)
    s.add(FilingEvent(filing_id=filing.id, step="settled", at=now(), actor_person_id=None,
                      on_behalf_of_person_id=filing.insured_person_id, actor_role="partner",
                      detail={"institution": settlement.institution, "amount": str(amount)}))
    s.commit()
    return {"id": settlement.id, "filing_no": filing_no, "amount": settlement.amount,
            "settled_at": settlement.settled_at, "institution": settlement.institution}


def expire_due(day: date | None = None) -> int:
    """Temporary filings whose validity has ended become `expired` (CLI, daily)."""
    s = session()
    result = s.execute(update(Filing).where(Filing.status == "effective", Filing.valid_to.is_not(None),
                                            Filing.valid_to < (day or today())).values(status="expired"))
    s.commit()
    return result.rowcount
