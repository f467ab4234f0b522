"""The access log (PIPL art. 45): who looked at whose personal data, and what the
person reads at `GET /me/access-log`.

Written here, in the same transaction as the answer that shows the data (a GET that
logs commits): every view of an ID photo, a signature or a full filing or sign-up
record by someone other than the person it is about, and every public verification
of a filing certificate. A look at one's own data is not logged.

Read here: those looks, merged with the acts someone else did on the person's records
(an agent filing for them, a partner settling, a team answering), newest first.
Agents are named by masked name, partners by their organisation.
"""

from __future__ import annotations

from sqlalchemy import String, event, func, insert, literal_column, or_, select, union_all
from sqlalchemy.orm import Session

from backend.adapters.models import (AccessLogEntry, Filing, FilingEvent, RescueApplication, RescueEvent, Signup,
                                     SignupEvent, WiFiling, WiFilingEvent)
from backend.domain import labels
from backend.services import accounts, documents, views
from backend.services.runtime import Actor, now, session

# Acts done for me that the log shows: by an agent or a partner (not my own, not the
# system's clock).
OTHERS = ("agent", "partner")


def record(actor: Actor | None, role: str, subject_person_id: int | None, act: str, record_kind: str,
           record_id: int, *, organisation: str | None = None, **detail) -> None:
    """One look at someone's data. Nothing is written when there is no one it is
    about, or when the person looked at their own."""
    if act not in labels.ACCESS_ACT:
        raise KeyError(f"access act {act!r} has no label in backend/domain/labels.py")
    if subject_person_id is None or (actor is not None and actor.person_id == subject_person_id):
        return
    # Kept with the session and written at its commit, all in one statement (a page
    # of 20 records is 20 looks): in the same transaction as the answer, so a view
    # that is not recorded is not shown. A rollback forgets them with the rest.
    session().info.setdefault(_PENDING, []).append(dict(
        at=now(), actor_account_id=actor.account_id if actor else None,
        actor_person_id=actor.person_id if actor else None, actor_role=role, actor_organisation=organisation,
        subject_person_id=subject_person_id, act=act, record_kind=record_kind, record_id=record_id,
        detail=detail))


_PENDING = "yibao_access_log"


@event.listens_for(Session, "before_commit")
def _write_the_looks(s: Session) -> None:
    rows = s.info.pop(_PENDING, None)
    if rows:
        s.execute(insert(AccessLogEntry), rows)


@event.listens_for(Session, "after_rollback")
def _forget_the_looks(s: Session) -> None:
    s.info.pop(_PENDING, None)


def role_on_filing(filing: Filing, actor: Actor) -> str:
    """The viewer's capacity on a filing: its agent, or the person it is for."""
    if filing.agent_person_id is not None and actor.person_id == filing.agent_person_id:
        return "agent"
    if actor.person_id == filing.insured_person_id:
        return "insured"
    return "agent"  # the account that made it, whoever it is bound to now


def filing_viewed(filing: Filing, actor: Actor) -> None:
    record(actor, role_on_filing(filing, actor), filing.insured_person_id, "viewed_record", "filing", filing.id)


def signup_viewed(signup: Signup, actor: Actor) -> None:
    record(actor, "agent", signup.resident_person_id, "viewed_record", "signup", signup.id)


# --- GET /me/access-log ---------------------------------------------------------------

def _source(name: str):
    return literal_column(f"'{name}'", String).label("source")


def _events(model, kind: str, person_id: int):
    return (select(_source(kind), model.id.label("id"), model.at.label("at"))
            .where(model.on_behalf_of_person_id == person_id, model.actor_role.in_(OTHERS),
                   or_(model.actor_person_id.is_(None), model.actor_person_id != person_id)))


def entries(actor: Actor, page: int, per_page: int) -> dict:
    person_id = accounts.require_person(actor)
    s = session()
    looks = (select(_source("access"), AccessLogEntry.id.label("id"), AccessLogEntry.at.label("at"))
             .where(AccessLogEntry.subject_person_id == person_id))
    everything = union_all(looks, _events(FilingEvent, "filing", person_id),
                           _events(SignupEvent, "signup", person_id),
                           _events(WiFilingEvent, "wi_filing", person_id),
                           _events(RescueEvent, "rescue", person_id)).subquery()
    total = s.scalar(select(func.count()).select_from(everything))
    rows = s.execute(select(everything.c.source, everything.c.id)
                     .order_by(everything.c.at.desc(), everything.c.source, everything.c.id.desc())
                     .offset((page - 1) * per_page).limit(per_page)).all()
    by_source: dict[str, list[int]] = {}
    for source, row_id in rows:
        by_source.setdefault(source, []).append(row_id)
    loaded = {}
    for source, model in (("access", AccessLogEntry), ("filing", FilingEvent), ("signup", SignupEvent),
                          ("wi_filing", WiFilingEvent), ("rescue", RescueEvent)):
        if by_source.get(source):
            for row in s.scalars(select(model).where(model.id.in_(by_source[source]))):
                loaded[(source, row.id)] = row
    items = [_item(source, loaded[(source, row_id)]) for source, row_id in rows]
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def all_entries(actor: Actor) -> list[dict]:
    """Every entry, for the data export."""
    first = entries(actor, 1, 100)
    items, page = list(first["items"]), 1
    while len(items) < first["total"]:
        page += 1
        items += entries(actor, page, 100)["items"]
    return items


def _subject(kind: str, record_id: int) -> str:
    s = session()
    if kind in ("filing", "wi_filing"):
        filing = s.get(Filing if kind == "filing" else WiFiling, record_id)
        if filing is not None and filing.filing_no:
            return f"{labels.RECORD_KIND[kind]}（备案号 {filing.filing_no}）"
        return f"{labels.RECORD_KIND[kind]}（草稿 {record_id} 号）"
    if kind == "rescue":
        app = s.get(RescueApplication, record_id)
        number = app.application_no if app is not None else None
        return f"{labels.RECORD_KIND['rescue']}（{number or record_id}）"
    signup = s.get(Signup, record_id)
    if signup is not None:
        return f"{labels.RECORD_KIND['signup']}（{signup.team.name}）"
    return labels.RECORD_KIND.get(kind, kind)


def _look_summary(detail: dict) -> str:
    parts = []
    if detail.get("material"):
        parts.append(f"材料：{labels.RESCUE_MATERIAL.get(detail['material'], detail['material'])}")
    if detail.get("kind"):
        parts.append(f"证件：{labels.ATTACHMENT_KIND.get(detail['kind'], detail['kind'])}")
    if detail.get("thumbnail"):
        parts.append("缩略图")
    if detail.get("signature"):
        parts.append(f"签名：{labels.SIGNATURE_KIND.get(detail['signature'], detail['signature'])}")
    if detail.get("filing_no"):
        parts.append(f"备案号：{detail['filing_no']}")
    if detail.get("destination_region"):
        parts.append(f"就医地：{documents.region_name(detail['destination_region'])}")
    if detail.get("via") == "list":
        parts.append("在记录列表中查看")
    return "；".join(parts)


def _item(source: str, row) -> dict:
    if source == "access":
        act, role, kind, record_id = row.act, row.actor_role, row.record_kind, row.record_id
        summary = _look_summary(row.detail or {})
    else:
        kind = source
        act, role = f"{kind}.{row.step}", row.actor_role
        record_id = {"filing": getattr(row, "filing_id", None), "signup": getattr(row, "signup_id", None),
                     "wi_filing": getattr(row, "wi_filing_id", None),
                     "rescue": getattr(row, "application_id", None)}[kind]
        summary = views.event_summary(row.detail or {})
    actor = views.actor_name(row.actor, role, row.actor_organisation)
    if role == "public":
        actor = labels.ACCESS_ROLE["public"]
    return {
        "at": row.at,
        "act": act,
        "act_label": labels.ACCESS_LOG_ACT.get(act, act),
        "actor": actor,
        "actor_role": role,
        "actor_role_label": labels.ACCESS_ROLE.get(role, role),
        "subject": _subject(kind, record_id),
        "record": {"kind": kind, "id": record_id},
        "summary": summary,
    }

