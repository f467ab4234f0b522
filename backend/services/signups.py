"""Family-doctor sign-up (家庭医生签约), step by step. Every function is one transaction.

The life of a contract is `rules.FLOW`: draft → pending (submit) → active (the team
accepts) or rejected (the team declines; the resident may apply again); pending or
active → cancelled; active → expired. A place in the team is taken when the draft
is submitted, with a conditional update that never lets `signed` pass `capacity`,
and given back on reject, cancel and expiry.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from backend.adapters import images
from backend.adapters.models import FamilyMember, InsuredPerson, ServicePackage, Signup, SignupEvent, Team
from backend.domain import family_doctor as rules
from backend.domain.errors import Conflict, Invalid, NotFound
from backend.domain.filing import RELATION_LABELS
from backend.domain.identity import age_on, sex
from backend.services import accounts, documents, views
from backend.services.fd_catalogue import price
from backend.services.runtime import Actor, blobs, now, session, today

NOT_FOUND = "未找到该签约记录，或您无权查看。"


# --- loading, with the access rule in one place ----------------------------------

def _visible_to(actor: Actor):
    """The account that made a sign-up sees it, and so does the resident it is for
    (with their own account). Everyone else gets 404: they are not told it exists."""
    clauses = [Signup.created_by_account_id == actor.account_id]
    if actor.person_id is not None:
        clauses.append(Signup.resident_person_id == actor.person_id)
    return or_(*clauses)


def load(actor: Actor, signup_id: int) -> Signup:
    signup = session().scalar(select(Signup).where(Signup.id == signup_id, _visible_to(actor)))
    if signup is None:
        raise NotFound(NOT_FOUND, code="signup.not_found")
    return signup


def _own_draft(actor: Actor, signup_id: int, step: str) -> Signup:
    """Only the account that started a draft fills it in."""
    signup = load(actor, signup_id)
    if signup.created_by_account_id != actor.account_id:
        raise NotFound(NOT_FOUND, code="signup.not_found")
    rules.FLOW.check_step(signup.for_whom, signup.status, signup.steps_done or [], step)
    return signup


def _event(signup: Signup, actor: Actor | None, step: str, **detail) -> None:
    if actor is None:  # the team, through the partner API
        role, person_id = "partner", None
    else:
        person_id = actor.person_id
        role = "self" if person_id == signup.resident_person_id else "agent"
    session().add(SignupEvent(signup_id=signup.id, step=step, at=now(), actor_person_id=person_id,
                              on_behalf_of_person_id=signup.resident_person_id, actor_role=role, detail=detail))


def _open_contract(person_id: int, *, other_than: int | None = None) -> tuple[str, str] | None:
    query = (select(Signup.status, Team.name).join(Team, Team.id == Signup.team_id)
             .where(Signup.resident_person_id == person_id, Signup.status.in_(rules.HOLDS_PLACE)))
    if other_than is not None:
        query = query.where(Signup.id != other_than)
    row = session().execute(query.limit(1)).first()
    return (row[0], row[1]) if row else None


def _offered(team: Team) -> list[rules.Offered]:
    return [rules.Offered(p.id, p.kind, p.name) for p in team.institution.packages]


def _key_groups(resident: InsuredPerson, tags: list[str], on: date) -> list[str]:
    return rules.key_groups(age_on(resident.id_number, on), tags)


def _release_place(team_id: int) -> None:
    session().execute(update(Team).where(Team.id == team_id, Team.signed > 0)
                      .values(signed=Team.signed - 1).execution_options(synchronize_session=False))


def _move(signup: Signup, expected: str, **values) -> None:
    """Change the status only if nobody else did meanwhile (two clicks, a partner
    answering while the resident cancels): the loser gets a 409, not a double move."""
    result = session().execute(update(Signup).where(Signup.id == signup.id, Signup.status == expected)
                               .values(**values, updated_at=now()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        session().rollback()
        raise Conflict("该签约的状态刚刚发生了变化，请刷新后再试。", code="signup.changed")
    session().refresh(signup)


# --- views -----------------------------------------------------------------------

def view(signup: Signup, viewer_person_id: int | None, *, partner: bool = False) -> dict:
    viewer_is_agent = signup.for_whom == "member" and viewer_person_id == signup.agent_person_id
    done = set(signup.steps_done or [])
    relation = signup.family_member.relation if signup.family_member else None
    return {
        "id": signup.id,
        "status": signup.status,
        "status_label": rules.STATUS_LABELS[signup.status],
        "for_whom": signup.for_whom,
        "made_by_agent": signup.for_whom == "member",
        "viewer_role": "partner" if partner else ("agent" if viewer_is_agent else "resident"),
        "steps": [{"name": s, "label": rules.STEP_LABELS[s], "done": s in done}
                  for s in rules.FLOW.steps_for(signup.for_whom)],
        "next_step": rules.FLOW.next_step(signup.for_whom, done) if signup.status == "draft" else None,
        "resident": views.person(signup.resident, masked_name=partner),
        "agent": {**views.person(signup.agent_person, masked_name=partner or not viewer_is_agent),
                  "relation": relation, "relation_label": RELATION_LABELS.get(relation)}
        if signup.agent_person else None,
        "team_id": signup.team_id,
        "team": {"id": signup.team.id, "name": signup.team.name, "institution_id": signup.team.institution_id,
                 "institution_name": signup.team.institution.name},
        "package_ids": [p.id for p in signup.packages],
        "packages": [{"id": p.id, "kind": p.kind, "name": p.name, "price": price(p.price)} for p in signup.packages],
        "annual_fee": price(sum((p.price for p in signup.packages), start=0)),
        "health_tags": list(signup.health_tags or []),
        "key_groups": list(signup.key_groups or []),
        "key_group_labels": [rules.KEY_GROUP_LABELS[g] for g in signup.key_groups or []],
        "health_consent_version": signup.health_consent_version,
        "agreement_version": signup.agreement_version,
        "signed_at": signup.signed_at,
        "submitted_at": signup.submitted_at,
        "decided_at": signup.decided_at,
        "reject_reason": signup.reject_reason,
        "valid_from": signup.valid_from,
        "valid_to": signup.valid_to,
        "renewable_from": rules.renewal_opens(signup.valid_to) if signup.status == "active" else None,
        "renewals": signup.renewals,
        "cancelled_at": signup.cancelled_at,
        "cancel_reason": signup.cancel_reason,
        "cancel_reason_label": rules.CANCEL_REASON_LABELS.get(signup.cancel_reason),
        "cancel_note": signup.cancel_note,
        "created_at": signup.created_at,
    }


def _view(signup: Signup, actor: Actor) -> dict:
    return view(signup, actor.person_id)


# --- the steps ---------------------------------------------------------------------

def _resident(actor: Actor, for_whom: str, member_id: int | None) -> tuple[InsuredPerson, FamilyMember | None]:
    person_id = accounts.require_person(actor)
    s = session()
    if for_whom == "self":
        if member_id is not None:
            raise Invalid("为本人签约时不需要填写家庭成员。", code="signup.member_not_expected",
                          errors={"member_id": ["为本人签约时请不要填写。"]})
        return s.get(InsuredPerson, person_id), None
    if member_id is None:
        raise Invalid("为家庭成员签约，请选择一位家庭成员。", code="signup.member_required",
                      errors={"member_id": ["请从“家庭成员”中选择。"]})
    member = s.scalar(select(FamilyMember).where(FamilyMember.id == member_id,
                                                 FamilyMember.account_id == actor.account_id,
                                                 FamilyMember.withdrawn_at.is_(None)))
    if member is None:
        raise Invalid("未找到该家庭成员：请先在“家庭成员”中添加，或重新选择。", code="signup.member_unknown",
                      errors={"member_id": ["不是您账户下的家庭成员。"]})
    return member.person, member


def create(actor: Actor, data: dict) -> dict:
    """A draft for oneself or a family member: team, packages (basic always
    included) and, optionally, declared health tags with their own consent."""
    s = session()
    resident, member = _resident(actor, data["for_whom"], data.get("member_id"))
    team = s.get(Team, data["team_id"])
    if team is None:
        raise Invalid("未找到该家庭医生团队，请重新选择。", code="signup.team_unknown",
                      errors={"team_id": ["团队不存在。"]})
    rules.check_one_open(_open_contract(resident.id))
    rules.check_team_has_place(team.capacity, team.signed)
    tags = rules.check_health_tags(data.get("health_tags") or [], data.get("health_consent") is True,
                                   sex(resident.id_number))
    groups = _key_groups(resident, tags, today())
    package_ids = rules.choose_packages(_offered(team), data.get("package_ids") or [], groups)
    signup = Signup(for_whom=data["for_whom"], status="draft", steps_done=["packages"],
                    created_by_account_id=actor.account_id, resident_person_id=resident.id, resident=resident,
                    agent_person_id=actor.person_id if member else None, family_member_id=member.id if member else None,
                    team_id=team.id, team=team, health_tags=tags, key_groups=groups)
    if member:
        signup.agent_person = s.get(InsuredPerson, actor.person_id)
        signup.family_member = member
    if tags:
        consent = documents.current("health-consent")
        signup.health_consent_version, signup.health_consent_sha256 = consent.version, consent.sha256
        signup.health_consent_at = now()
    signup.packages = list(s.scalars(select(ServicePackage).where(ServicePackage.id.in_(package_ids))
                                     .order_by(ServicePackage.id)))
    s.add(signup)
    s.flush()
    _event(signup, actor, "created", **{"for": signup.for_whom, "team_id": team.id, "package_ids": package_ids,
                                        "health_consent_version": signup.health_consent_version})
    s.commit()
    return _view(signup, actor)


def accept_agreement(actor: Actor, signup_id: int, accepted: bool, version: str) -> dict:
    """已阅读并同意《签约服务协议》: the current version, recorded with its sha256."""
    signup = _own_draft(actor, signup_id, "agreement")
    agreement = documents.accepted("signup-agreement", accepted, version, code="signup.agreement",
                                   tick_hint="请勾选“已阅读并同意《签约服务协议》”后再继续。")
    signup.agreement_version, signup.agreement_sha256 = agreement.version, agreement.sha256
    signup.agreement_accepted_at = now()
    signup.steps_done = rules.FLOW.complete(signup.for_whom, list(signup.steps_done or []), "agreement")
    _event(signup, actor, "agreement", version=agreement.version)
    session().commit()
    return _view(signup, actor)


def sign(actor: Actor, signup_id: int, png: bytes) -> dict:
    """The hand signature, checked like the pledge's: a blank box or a dot is refused."""
    signup = _own_draft(actor, signup_id, "signature")
    signature = images.check_signature(png)
    old_key = signup.signature_key
    signup.signature_key = blobs().put(signature.content, ".png")
    signup.signature_sha256 = signature.sha256
    signup.signer_person_id, signup.signed_at = actor.person_id, now()
    signup.steps_done = rules.FLOW.complete(signup.for_whom, list(signup.steps_done or []), "signature")
    _event(signup, actor, "signature", signature_sha256=signature.sha256)
    session().commit()
    if old_key:
        blobs().delete(old_key)
    return _view(signup, actor)


def submit(actor: Actor, signup_id: int) -> dict:
    """→ pending, holding a place in the team until the team answers.

    The place is taken with `UPDATE fd_teams SET signed = signed + 1 WHERE id = :id
    AND signed < capacity`: the database evaluates the condition on the row it
    locks, so of many submits arriving together exactly as many succeed as there
    were places. The resident's row is locked first, so two drafts of one person
    cannot both become open (the partial unique index backs this up)."""
    s = session()
    signup = load(actor, signup_id)
    if signup.created_by_account_id != actor.account_id:
        raise NotFound(NOT_FOUND, code="signup.not_found")
    rules.FLOW.apply(signup.status, "submit")
    missing = rules.FLOW.next_step(signup.for_whom, signup.steps_done or [])
    if missing:
        raise Conflict(f"还有步骤未完成：请先完成“{rules.STEP_LABELS[missing]}”。", code="signup.incomplete",
                       errors={"next_step": [missing]})
    # A child may have turned 7 since the draft was made.
    groups = _key_groups(signup.resident, signup.health_tags or [], today())
    rules.choose_packages(_offered(signup.team), [p.id for p in signup.packages], groups)
    s.execute(select(InsuredPerson.id).where(InsuredPerson.id == signup.resident_person_id).with_for_update())
    rules.check_one_open(_open_contract(signup.resident_person_id, other_than=signup.id))
    try:
        _move(signup, "draft", status="pending", submitted_at=now(), key_groups=groups)
        taken = s.execute(update(Team).where(Team.id == signup.team_id, Team.signed < Team.capacity)
                          .values(signed=Team.signed + 1).execution_options(synchronize_session=False))
        if taken.rowcount != 1:
            s.rollback()
            raise Conflict(rules.TEAM_FULL_MESSAGE, code="signup.team_full",
                           errors={"team_id": ["该团队签约名额已满。"]})
        _event(signup, actor, "submitted", team_id=signup.team_id)
        s.commit()
    except IntegrityError:
        # The partial unique index: another draft of this person became open first.
        s.rollback()
        rules.check_one_open(_open_contract(signup.resident_person_id, other_than=signup.id))
        raise Conflict("签约人已有待确认或生效中的签约，请勿重复申请。", code="signup.already_signed") from None
    s.refresh(signup.team)
    return _view(signup, actor)


# --- records -----------------------------------------------------------------------

def records(actor: Actor, status: str | None, page: int, per_page: int) -> dict:
    """Contracts where I am the resident, and those I made for family members; newest first."""
    query = select(Signup).where(_visible_to(actor))
    if status:
        query = query.where(Signup.status == status)
    s = session()
    total = s.scalar(select(func.count()).select_from(query.subquery()))
    rows = s.scalars(query.order_by(Signup.created_at.desc(), Signup.id.desc())
                     .offset((page - 1) * per_page).limit(per_page))
    return {"items": [_view(x, actor) for x in rows], "page": page, "per_page": per_page, "total": total}


def get(actor: Actor, signup_id: int) -> dict:
    return _view(load(actor, signup_id), actor)


def events(actor: Actor, signup_id: int) -> list[dict]:
    signup = load(actor, signup_id)
    rows = session().scalars(select(SignupEvent).where(SignupEvent.signup_id == signup.id)
                             .order_by(SignupEvent.at, SignupEvent.id))
    return [views.event(e) for e in rows]


# --- after submitting ----------------------------------------------------------------

def cancel(actor: Actor, signup_id: int, reason: str, note: str | None) -> dict:
    """解约 (or withdrawing a draft or an application), by the resident or by whoever
    made the sign-up, with a reason from the termination list. A held place is
    given back to the team."""
    s = session()
    signup = load(actor, signup_id)
    before = signup.status
    after = rules.FLOW.apply(before, "cancel")
    rules.check_cancel_reason(reason, note)
    note = (note or "").strip() or None
    _move(signup, before, status=after, cancelled_at=now(), cancel_reason=reason, cancel_note=note)
    if before in rules.HOLDS_PLACE:
        _release_place(signup.team_id)
    _event(signup, actor, "cancelled", reason=reason, note=note, **{"from": before})
    s.commit()
    return _view(signup, actor)


def renew(actor: Actor, signup_id: int, data: dict) -> dict:
    """续约: extends the same contract by one year.

    Design: renewal is an extension, not a new contract. The team already serves
    the resident and holds their place, so there is nothing for it to accept and no
    place to take (a team that will not continue terminates the contract instead);
    one contract per person stays trivially true. It is allowed in the last 30 days
    before `valid_to` (signup-agreement §一); the new term starts the day after
    the old one ends, `valid_to` moves one year on and `renewals` counts up, while
    `valid_from` keeps the first start date. The resident agrees again to the
    current agreement version, and may change packages; eligibility for the
    value-added package is judged on the new term's first day (a child who will be
    7 by then no longer qualifies). Switching to another team is not a renewal:
    cancel, then sign up with the new team."""
    s = session()
    signup = load(actor, signup_id)
    rules.FLOW.apply(signup.status, "renew")
    new_from, new_to = rules.renewal(signup.valid_to, today())
    agreement = documents.current("signup-agreement")
    if data.get("accepted") is not True:
        raise Invalid("续约须重新阅读并同意《签约服务协议》。", code="signup.agreement_not_accepted",
                      errors={"accepted": ["须同意签约服务协议。"]})
    if data.get("version") != agreement.version:
        raise Conflict(f"签约服务协议已更新为 {agreement.version} 版，请重新阅读后再同意。",
                       code="signup.agreement_outdated", errors={"version": [f"当前版本为 {agreement.version}。"]})
    groups = _key_groups(signup.resident, signup.health_tags or [], new_from)
    chosen = data["package_ids"] if data.get("package_ids") is not None else [p.id for p in signup.packages]
    try:
        package_ids = rules.choose_packages(_offered(signup.team), chosen, groups)
    except Invalid as exc:
        if exc.code == "signup.value_added_not_eligible" and data.get("package_ids") is None:
            exc.message = (f"续约后的服务期自 {new_from} 起，届时签约人已不属于重点人群，不能继续享受增值服务包。"
                           "请在续约时重新选择服务包（package_ids 中不含增值服务包）。")
        raise
    _move(signup, "active", valid_to=new_to, renewals=signup.renewals + 1, renewed_at=now(), key_groups=groups,
          agreement_version=agreement.version, agreement_sha256=agreement.sha256, agreement_accepted_at=now())
    signup.packages = list(s.scalars(select(ServicePackage).where(ServicePackage.id.in_(package_ids))
                                     .order_by(ServicePackage.id)))
    _event(signup, actor, "renewed", term_from=new_from.isoformat(), valid_to=new_to.isoformat(),
           package_ids=package_ids)
    s.commit()
    return _view(signup, actor)


# --- the team's side (partner) -----------------------------------------------------

def _for_partner(signup_id: int) -> Signup:
    signup = session().get(Signup, signup_id)
    if signup is None or signup.status == "draft":
        raise NotFound("未找到该签约申请。", code="signup.not_found")
    return signup


def partner_view(signup: Signup) -> dict:
    return view(signup, None, partner=True)


def partner_list(team_id: int | None, status: str | None, page: int, per_page: int) -> dict:
    """What a team has to answer: submitted sign-ups, oldest first; names masked."""
    query = select(Signup).where(Signup.status != "draft")
    if team_id is not None:
        query = query.where(Signup.team_id == team_id)
    if status:
        query = query.where(Signup.status == status)
    s = session()
    total = s.scalar(select(func.count()).select_from(query.subquery()))
    rows = s.scalars(query.order_by(Signup.submitted_at, Signup.id).offset((page - 1) * per_page).limit(per_page))
    return {"items": [partner_view(x) for x in rows], "page": page, "per_page": per_page, "total": total}


def accept(signup_id: int, start_date: date | None) -> dict:
    """The team accepts → active for one year from the start date, which lies
    within the coming month (today if not given)."""
    s = session()
    signup = _for_partner(signup_id)
    after = rules.FLOW.apply(signup.status, "accept")
    start = start_date or today()
    rules.check_start_date(start, today())
    valid_from, valid_to = rules.validity(start)
    _move(signup, "pending", status=after, decided_at=now(), valid_from=valid_from, valid_to=valid_to)
    _event(signup, None, "accepted", valid_from=valid_from.isoformat(), valid_to=valid_to.isoformat())
    s.commit()
    return partner_view(signup)


def reject(signup_id: int, reason: str) -> dict:
    """The team declines with a reason; the place is given back and the resident
    may apply again (to this team or another)."""
    s = session()
    signup = _for_partner(signup_id)
    after = rules.FLOW.apply(signup.status, "reject")
    reason = reason.strip()
    if not reason:
        raise Invalid("请填写不予签约的原因，居民将看到该原因。", code="signup.reject_reason_required",
                      errors={"reason": ["请填写原因。"]})
    _move(signup, "pending", status=after, decided_at=now(), reject_reason=reason)
    _release_place(signup.team_id)
    _event(signup, None, "rejected", reason=reason)
    s.commit()
    return partner_view(signup)


def terminate(signup_id: int, reason: str, note: str | None) -> dict:
    """The team ends a contract in force: the resident moved away, could not be
    reached or refused service for a year, or another stated reason. The place goes
    back to the team; the resident sees the reason and may sign up again."""
    s = session()
    signup = _for_partner(signup_id)
    rules.check_team_termination(signup.status, reason, note)
    after = rules.FLOW.apply(signup.status, "cancel")
    note = (note or "").strip() or None
    _move(signup, "active", status=after, cancelled_at=now(), cancel_reason=reason, cancel_note=note)
    _release_place(signup.team_id)
    _event(signup, None, "terminated_by_team", reason=reason, note=note)
    s.commit()
    return partner_view(signup)


# --- expiry (CLI, daily) -----------------------------------------------------------------

def expire_due(day: date | None = None) -> int:
    """Active contracts whose `valid_to` has passed become `expired`; each gives its
    place back to the team. Safe to run at any time and more than once."""
    s = session()
    day = day or today()
    after = rules.FLOW.apply("active", "expire")
    due = s.execute(select(Signup.id, Signup.team_id, Signup.resident_person_id)
                    .where(Signup.status == "active", Signup.valid_to < day)).all()
    count = 0
    for signup_id, team_id, resident_id in due:
        moved = s.execute(update(Signup).where(Signup.id == signup_id, Signup.status == "active")
                          .values(status=after, expired_at=now(), updated_at=now())
                          .execution_options(synchronize_session=False))
        if moved.rowcount != 1:
            continue
        _release_place(team_id)
        s.add(SignupEvent(signup_id=signup_id, step="expired", at=now(), actor_person_id=None,
                          on_behalf_of_person_id=resident_id, actor_role="system", detail={}))
        count += 1
    s.commit()
    return count


def expire_signups() -> dict:
    """For `flask expire` (backend.services.seed.EXPIRERS)."""
    return {"fd_signups": expire_due()}
