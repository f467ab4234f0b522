"""Notifications (订阅消息): the outbox and its delivery.

Written in the same transaction as the act: the flows' kits call `on_filing` and
`on_signup` when a status moves (backend/services/flows.py, `Kit.notify`), so a
refused act writes nothing and an act never happens without its message. The daily
job adds the reminders (`remind_expiring`, 30 days before an end date, once each).
The delivery pass (`deliver`, `flask send-messages`, also at the end of `flask
expire`) hands pending messages to the configured sender (backend/adapters/subscribe.py)
and records the outcome on the row: sent, or tried again later with backoff, or
failed after the last attempt.

Templates, their words and WeChat's fields are in backend/domain/notifications.py.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from backend.adapters.models import Account, Filing, InsuredPerson, Message, Signup
from backend.adapters.subscribe import Refused, SendFailed
from backend.domain import notifications as rules
from backend.domain.errors import NotFound
from backend.domain.identity import mask_name
from backend.services import documents
from backend.services.runtime import Actor, as_beijing, now, session, today


# --- writing (inside the act's transaction: no commit here) -------------------------

def write(person_id: int, template: str, ref: str, values: dict) -> Message | None:
    """One message into the outbox, unless this person already has this template
    about this `ref` (a reminder written yesterday, a replayed act)."""
    s = session()
    exists = s.scalar(select(Message.id).where(Message.person_id == person_id, Message.template == template,
                                               Message.ref == ref))
    if exists is not None:
        return None
    title, body, data, page = rules.render(template, values)
    message = Message(person_id=person_id, template=template, ref=ref, title=title, body=body, data=data,
                      page=page, state="pending", attempts=0, delivered_to=[], created_at=now())
    s.add(message)
    return message


def _filing_values(filing: Filing) -> dict:
    return {"filing_id": filing.id, "filing_no": filing.filing_no or "",
            "destination": documents.region_name(filing.destination_region) or filing.destination_region or "",
            "valid_from": filing.valid_from, "valid_to": filing.valid_to or "长期有效",
            "at": as_beijing(now()), "reason": filing.cancel_reason or "本人申请取消"}


def _signup_values(signup: Signup) -> dict:
    return {"signup_id": signup.id, "team": signup.team.name, "institution": signup.team.institution.name,
            "valid_from": signup.valid_from, "valid_to": signup.valid_to, "at": as_beijing(now()),
            "reason": signup.reject_reason or ""}


def on_filing(filing: Filing, action: str) -> None:
    """A filing moved: in force (to the insured person, and — when an agent filed —
    a word that someone filed for them), or cancelled."""
    if action == "submit":
        values = _filing_values(filing)
        write(filing.insured_person_id, "filing_effective", f"filing:{filing.id}", values)
        if filing.for_whom == "other" and filing.agent_person is not None:
            write(filing.insured_person_id, "filing_made_by_agent", f"filing:{filing.id}",
                  {**values, "agent": mask_name(filing.agent_person.name)})
    elif action == "cancel":
        write(filing.insured_person_id, "filing_cancelled", f"filing:{filing.id}", _filing_values(filing))


def on_signup(signup: Signup, action: str) -> None:
    """A team answered a sign-up: to the resident."""
    template = {"accept": "signup_accepted", "reject": "signup_rejected"}.get(action)
    if template:
        write(signup.resident_person_id, template, f"signup:{signup.id}",
              _signup_values(signup))


def remind_expiring(day=None) -> dict:
    """Daily: temporary filings in force and contracts ending within 30 days get one
    reminder each (per end date: a renewed contract is reminded again next year)."""
    day = day or today()
    until = day + timedelta(days=rules.EXPIRING_DAYS)
    s = session()
    counts = {"filing_expiring": 0, "signup_expiring": 0}
    filings = s.scalars(select(Filing).where(Filing.status == "effective", Filing.category == "temporary",
                                             Filing.valid_to.is_not(None), Filing.valid_to >= day,
                                             Filing.valid_to <= until))
    for filing in filings:
        if write(filing.insured_person_id, "filing_expiring", f"filing:{filing.id}:{filing.valid_to}",
                 _filing_values(filing)):
            counts["filing_expiring"] += 1
    signups = s.scalars(select(Signup).where(Signup.status == "active", Signup.valid_to.is_not(None),
                                             Signup.valid_to >= day, Signup.valid_to <= until))
    for signup in signups:
        if write(signup.resident_person_id, "signup_expiring", f"signup:{signup.id}:{signup.valid_to}",
                 _signup_values(signup)):
            counts["signup_expiring"] += 1
    s.commit()
    return counts


# --- delivery ---------------------------------------------------------------------------

def sender():
    return current_app.extensions["subscribe"]


def _openids(person_id: int) -> list[tuple[int, str]]:
    """Every account bound to the person (one may use several phones), not erased."""
    return list(session().execute(select(Account.id, Account.openid).where(
        Account.person_id == person_id, Account.erased_at.is_(None), Account.openid.is_not(None))
        .order_by(Account.id)).tuples())


def _deliver_one(message: Message) -> str:
    out = sender()
    message.attempts += 1
    if not out.real:
        # The development sender: stored in the outbox, nothing leaves.
        message.state, message.sent_at, message.next_attempt_at = "sent", now(), None
        return "sent"
    delivered = list(message.delivered_to or [])
    refused: list[str] = []
    failure: str | None = None
    accounts = _openids(message.person_id)
    for account_id, openid in accounts:
        if account_id in delivered:
            continue
        try:
            out.send(openid, message.template, message.data, message.page)
            delivered.append(account_id)
        except Refused as exc:
            refused.append(str(exc))
        except SendFailed as exc:
            failure = str(exc)
    message.delivered_to = delivered
    if failure is not None:
        message.last_error = failure[:200]
        if message.attempts >= rules.MAX_ATTEMPTS:
            message.state, message.next_attempt_at = "failed", None
            return "failed"
        wait = rules.BACKOFF_MINUTES[min(message.attempts, len(rules.BACKOFF_MINUTES)) - 1]
        message.next_attempt_at = now() + timedelta(minutes=wait)
        return "retry"
    if delivered:
        message.state, message.sent_at, message.next_attempt_at = "sent", now(), None
        message.last_error = "; ".join(refused)[:200] or None
        return "sent"
    # Nobody to deliver to: no account bound, or none subscribed. Not retried.
    message.state, message.next_attempt_at = "failed", None
    message.last_error = ("; ".join(refused) or "no WeChat account is bound to this person")[:200]
    return "failed"


def deliver(limit: int = 500) -> dict:
    """The delivery pass: pending messages that are due, oldest first, each committed
    on its own (a crash half-way never sends one twice)."""
    s = session()
    moment = now()
    ids = s.scalars(select(Message.id).where(
        Message.state == "pending",
        (Message.next_attempt_at.is_(None)) | (Message.next_attempt_at <= moment))
        .order_by(Message.created_at, Message.id).limit(limit)).all()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for message_id in ids:
        message = s.scalar(select(Message).where(Message.id == message_id, Message.state == "pending")
                           .with_for_update(skip_locked=True))
        if message is None:
            s.rollback()
            continue
        counts[_deliver_one(message)] += 1
        s.commit()
    return {"messages_" + k: v for k, v in counts.items()}


# --- reading ----------------------------------------------------------------------------

def view(message: Message) -> dict:
    return {"id": message.id, "template": message.template, "title": message.title, "body": message.body,
            "data": message.data, "page": message.page, "created_at": message.created_at,
            "read": message.read_at is not None, "read_at": message.read_at}


def mine(actor: Actor, page: int, per_page: int) -> dict:
    """My messages, newest first; an account not yet bound to a person has none."""
    if actor.person_id is None:
        return {"items": [], "page": page, "per_page": per_page, "total": 0, "unread": 0}
    s = session()
    mine_ = Message.person_id == actor.person_id
    total = s.scalar(select(func.count(Message.id)).where(mine_))
    unread = s.scalar(select(func.count(Message.id)).where(mine_, Message.read_at.is_(None)))
    rows = s.scalars(select(Message).where(mine_).order_by(Message.created_at.desc(), Message.id.desc())
                     .offset((page - 1) * per_page).limit(per_page))
    return {"items": [view(m) for m in rows], "page": page, "per_page": per_page, "total": total,
            "unread": unread}


def all_of(person_id: int) -> list[dict]:
    """Every message of a person, newest first (the data export)."""
    rows = session().scalars(select(Message).where(Message.person_id == person_id)
                             .order_by(Message.created_at.desc(), Message.id.desc()))
    return [view(m) for m in rows]


def mark_read(actor: Actor, message_id: int) -> dict:
    s = session()
    message = s.get(Message, message_id) if actor.person_id is not None else None
    if message is None or message.person_id != actor.person_id:
        raise NotFound("未找到该消息，或它不是发给您的。", code="message.not_found")
    if message.read_at is None:
        message.read_at = now()
    body = view(message)
    s.commit()
    return body


def for_person(id_number: str) -> list[dict]:
    """QA: every message written to the person of this ID number, with its delivery."""
    s = session()
    person = s.scalar(select(InsuredPerson).where(InsuredPerson.id_number_is(id_number.strip().upper())))
    if person is None:
        return []
    rows = s.scalars(select(Message).where(Message.person_id == person.id)
                     .order_by(Message.created_at.desc(), Message.id.desc()))
    return [{**view(m), "state": m.state, "attempts": m.attempts, "next_attempt_at": m.next_attempt_at,
             "sent_at": m.sent_at, "last_error": m.last_error} for m in rows]
