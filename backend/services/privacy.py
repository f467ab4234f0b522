"""PIPL rights on one's own account: a copy of everything (art. 45), unbinding the
identity, and erasing the account (art. 47). Every function is one transaction.

What erasure keeps, and why (the README says the same): filings and sign-ups are
records of 医疗保障经办 that the insurance agency must keep (PIPL art. 47 (2): the
retention period required by other laws has not ended), so they stay, detached from
the account; the person's data in the insurance registry is the agency's, not ours,
and is untouched. The account itself is reduced to its id (so those records still
point at a row); its WeChat openid, phone, consent and bound identity are gone, its
grants to act for others are withdrawn, its login tokens and idempotency records
deleted, and its drafts (never submitted: nobody must keep them) discarded with their
photos and signatures. There are no stored messages to delete yet.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, or_, select

from backend.adapters.models import Account, FamilyMember, Filing, IdempotencyRecord, RefreshToken, Signup, WiFiling
from backend.services import access, accounts, family, filings, notifications, rescue, signups, views, wi_filings
from backend.services.runtime import Actor, as_beijing, now, session


# --- GET /me/data-export ------------------------------------------------------------------

def _plain(value):
    """JSON as every other answer speaks it: times in Beijing time with their offset."""
    if isinstance(value, datetime):
        return as_beijing(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def export(actor: Actor) -> dict:
    """Everything the service holds about me and everything I did. The ID number is
    masked here too: a stolen login must not yield it, and the person knows it."""
    s = session()
    account = s.get(Account, actor.account_id)
    my_signups = [Signup.created_by_account_id == actor.account_id]
    if actor.person_id is not None:
        my_signups += [Signup.resident_person_id == actor.person_id, Signup.agent_person_id == actor.person_id]
    filing_rows = s.scalars(select(Filing).where(or_(*_mine(Filing, actor)), Filing.status != "discarded")
                            .order_by(Filing.id)).all()
    wi_rows = s.scalars(select(WiFiling).where(or_(*_mine(WiFiling, actor)),
                                               WiFiling.status != "discarded").order_by(WiFiling.id)).all()
    signup_rows = s.scalars(select(Signup).where(or_(*my_signups)).order_by(Signup.id)).all()
    bound = actor.person_id is not None
    body = {
        "exported_at": now(),
        "account": {**views.account(account), "phone": account.phone, "created_at": account.created_at},
        "insurance": accounts.insurance(actor) if bound else [],
        "family_members": family.list_members(actor),
        "agents": family.agents(actor) + family.agents(actor, withdrawn=True) if bound else [],
        "filings": [{**filings.view(f, actor), "events": filings.KIT.history(actor, f.id)} for f in filing_rows],
        "signups": [{**signups.view(x, actor.person_id), "events": signups.KIT.history(actor, x.id)}
                    for x in signup_rows],
        "wi_filings": [{**wi_filings.view(f, actor), "events": wi_filings.KIT.history(actor, f.id)} for f in wi_rows],
        # rescue fund (seed 000): the applications I made, with their history
        "rescue_applications": rescue.my_applications(actor),
        "access_log": access.all_entries(actor) if bound else [],
        "messages": notifications.all_of(actor.person_id) if bound else [],
        "files": "证件照片和手写签名以文件保存，可在各备案的 attachments 和签名地址下载。",
    }
    # Records of someone else in the copy (as their agent) are looks like any other.
    for filing in filing_rows:
        access.filing_viewed(filing, actor)
    for signup in signup_rows:
        access.signup_viewed(signup, actor)
    for filing in wi_rows:
        access.record(actor, access.role_on_filing(filing, actor), filing.insured_person_id, "viewed_record",
                      "wi_filing", filing.id)
    s.commit()
    return _plain(body)


def _mine(model, actor: Actor) -> list:
    clauses = [model.created_by_account_id == actor.account_id]
    if actor.person_id is not None:
        clauses += [model.insured_person_id == actor.person_id, model.agent_person_id == actor.person_id]
    return clauses


# --- DELETE /me/identity ----------------------------------------------------------------------

def _withdraw_grants(account_id: int, why: str) -> None:
    for grant in session().scalars(select(FamilyMember).where(FamilyMember.account_id == account_id,
                                                              FamilyMember.withdrawn_at.is_(None))):
        grant.withdrawn_at, grant.withdrawn_by = now(), why


def unbind(actor: Actor) -> dict:
    """解除授权: the account is no longer bound to its person. Its grants to act for
    family members are withdrawn (they rested on who the account was); records stay."""
    accounts.require_person(actor)
    s = session()
    account = s.get(Account, actor.account_id)
    _withdraw_grants(account.id, "unbound")
    account.person_id, account.person = None, None
    account.consent_version = account.consent_sha256 = account.consent_at = None
    s.commit()
    return views.account(account)


# --- DELETE /me ------------------------------------------------------------------------------

def erase(actor: Actor) -> None:
    s = session()
    account = s.get(Account, actor.account_id)
    forget: list[str | None] = []
    for filing in s.scalars(select(Filing).where(Filing.created_by_account_id == account.id,
                                                 Filing.status == "draft")).all():
        forget += [filing.signature_key, filing.agent_declaration_signature_key]
        forget += [k for a in filing.attachments for k in (a.blob_key, a.thumbnail_key)]
        filings.KIT.move(filing, "discard", signature_key=None, agent_declaration_signature_key=None)
        for attachment in list(filing.attachments):
            s.delete(attachment)
        filings.record_event(filing, actor, "discarded", note="账户已注销")
    for filing in s.scalars(select(WiFiling).where(WiFiling.created_by_account_id == account.id,
                                                   WiFiling.status == "draft")).all():
        forget += filings._blob_keys(filing)
        wi_filings.KIT.move(filing, "discard")
        filings._drop_files(filing)
        wi_filings.KIT.event(filing, actor, "discarded", note="账户已注销")
    for signup in s.scalars(select(Signup).where(Signup.created_by_account_id == account.id,
                                                 Signup.status == "draft")).all():
        forget.append(signup.signature_key)
        signups.KIT.move(signup, "cancel", cancelled_at=now(), cancel_reason="own_wish", cancel_note="账户已注销",
                         signature_key=None)
        signups.KIT.event(signup, actor, "cancelled", reason="own_wish", note="账户已注销", **{"from": "draft"})
    forget += rescue.discard_drafts_of(account.id, actor)  # rescue fund: drafts go, submitted ones are kept
    _withdraw_grants(account.id, "erased")
    s.execute(delete(RefreshToken).where(RefreshToken.account_id == account.id))
    s.execute(delete(IdempotencyRecord).where(IdempotencyRecord.account_id == account.id))
    account.openid = f"erased:{account.id}:{secrets.token_hex(8)}"
    account.person_id, account.person, account.phone = None, None, None
    account.consent_version = account.consent_sha256 = account.consent_at = None
    account.erased_at = now()
    filings.KIT.commit(forget=tuple(forget))

