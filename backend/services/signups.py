"""Family-doctor sign-up (家庭医生签约), step by step. Every function is one transaction.

The life of a contract is `rules.FLOW`: draft → pending (submit) → active (the team
accepts) or rejected (the team declines; the resident may apply again); pending or
active → cancelled; active → expired. A place in the team is taken when the draft
is submitted, with a conditional update that never lets `signed` pass `capacity`,
and given back on reject, cancel and expiry.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from backend.adapters.models import FamilyMember, InsuredPerson, ServicePackage, Signup, SignupEvent, Team
from backend.domain import family_doctor as rules
from backend.domain import partners as partner_rules
from backend.domain.partners import Partner
from backend.domain import labels
from backend.domain.errors import Conflict, Invalid, NotFound
from backend.domain.identity import age_on, sex
from backend.services import access, accounts, documents, notifications, views
from backend.services.fd_catalogue import price
from backend.services.flows import Kit
from backend.services.runtime import Actor, forget_blob, now, session, setting, today


# --- the flow on the kit ------------------------------------------------------------

def _present(signup: Signup, actor: Actor | None) -> dict:
    return view(signup, actor.person_id if actor else None, partner=actor is None)


KIT = Kit(flow=rules.FLOW, model=Signup, event_model=SignupEvent, event_parent="signup_id",
          subject="resident_person_id", noun="签约", present=_present,
          notify=notifications.on_signup)


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


# --- views -----------------------------------------------------------------------

def view(signup: Signup, viewer_person_id: int | None, *, partner: bool = False) -> dict:
    viewer_is_agent = signup.for_whom == "member" and viewer_person_id == signup.agent_person_id
    done = set(signup.steps_done or [])
    relation = signup.family_member.relation if signup.family_member else None
    kinds = [p.kind for p in signup.packages]
    return {
        "id": signup.id,
        "status": signup.status,
        "status_label": rules.STATUS_LABELS[signup.status],
        "for_whom": signup.for_whom,
        "made_by_agent": signup.for_whom == "member",
        "viewer_role": "partner" if partner else ("agent" if viewer_is_agent else "resident"),
        "steps": [{"name": s, "label": rules.STEP_LABELS[s], "done": s in done}
                  for s in rules.FLOW.steps_for(signup.for_whom)],
        "next_step": rules.FLOW.next_step(signup.for_whom, done) if rules.FLOW.is_editable(signup.status) else None,
        # A team sees the masked name, sex and age: enough to serve and to judge the
        # age groups, never an ID number.
        "resident": views.partner_person(signup.resident) if partner else views.person(signup.resident),
        "agent": {**(views.partner_person(signup.agent_person) if partner
                     else views.person(signup.agent_person, masked_name=not viewer_is_agent)),
                  "relation": relation, "relation_label": labels.RELATION.get(relation)}
        if signup.agent_person else None,
        "team_id": signup.team_id,
        "team": {"id": signup.team.id, "name": signup.team.name, "institution_id": signup.team.institution_id,
                 "institution_name": signup.team.institution.name},
        "package_ids": [p.id for p in signup.packages],
        "packages": [{"id": p.id, "kind": p.kind, "name": p.name, "price": price(p.price)} for p in signup.packages],
        "annual_fee": price(sum((p.price for p in signup.packages), start=0)),
        "value_added_parts": rules.value_added_parts(kinds, list(signup.key_groups or [])),
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
        "renewable_from": rules.renewal_opens(signup.valid_to) if rules.FLOW.allows(signup.status, "renew") else None,
        "renewals": signup.renewals,
        "cancelled_at": signup.cancelled_at,
        "cancel_reason": signup.cancel_reason,
        "cancel_reason_label": rules.CANCEL_REASON_LABELS.get(signup.cancel_reason),
        "cancel_note": signup.cancel_note,
        "created_at": signup.created_at,
    }


def _view(signup: Signup, actor: Actor) -> dict:
    return _present(signup, actor)


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
    KIT.check_open_drafts(actor, setting("MAX_OPEN_DRAFTS"))
    team = s.get(Team, data["team_id"])
    if team is None:
        raise Invalid("未找到该家庭医生团队，请重新选择。", code="signup.team_unknown",
                      errors={"team_id": ["团队不存在。"]})
    rules.check_one_open(_open_contract(resident.id))
    rules.check_team_has_place(team.capacity, team.signed)
    tags = rules.check_health_tags(data.get("health_tags") or [], data.get("health_consent") is True,
                                   sex(resident.id_number))
    groups = _key_groups(resident, tags, today())
    package_ids = rules.choose_packages(_offered(team), data.get("package_ids") or [])
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
    KIT.event(signup, actor, "created", **{"for": signup.for_whom, "team_id": team.id, "package_ids": package_ids,
                                        "health_consent_version": signup.health_consent_version})
    s.commit()
    return _view(signup, actor)


def accept_agreement(actor: Actor, signup_id: int, accepted: bool, version: str) -> dict:
    """已阅读并同意《签约服务协议》: the current version, recorded with its sha256."""
    signup = KIT.draft(actor, signup_id, "agreement")
    agreement = KIT.accept_document(signup, "signup-agreement", accepted, version, field="agreement",
                                    tick_hint="请勾选“已阅读并同意《签约服务协议》”后再继续。")
    KIT.done(signup, "agreement")
    KIT.event(signup, actor, "agreement", version=agreement.version)
    session().commit()
    return _view(signup, actor)


def sign(actor: Actor, signup_id: int, png: bytes) -> dict:
    """The hand signature, checked like the pledge's: a blank box or a dot is refused."""
    signup = KIT.draft(actor, signup_id, "signature")
    old_key, sha256 = KIT.store_signature(signup, png)
    signup.signer_person_id, signup.signed_at = actor.person_id, now()
    KIT.done(signup, "signature")
    KIT.event(signup, actor, "signature", signature_sha256=sha256)
    KIT.commit(forget=(old_key,))
    return _view(signup, actor)


def submit(actor: Actor, signup_id: int, idempotency_key: str | None = None) -> dict:
    """→ pending, holding a place in the team until the team answers.

    The place is taken with `UPDATE fd_teams SET signed = signed + 1 WHERE id = :id
    AND signed < capacity`: the database evaluates the condition on the row it
    locks, so of many submits arriving together exactly as many succeed as there
    were places. The resident's row is locked first, so two drafts of one person
    cannot both become open (the partial unique index backs this up)."""
    s = session()

    def check(signup: Signup) -> dict:
        # A child may have turned 7 since the draft was made.
        groups = _key_groups(signup.resident, signup.health_tags or [], today())
        rules.choose_packages(_offered(signup.team), [p.id for p in signup.packages])
        s.execute(select(InsuredPerson.id).where(InsuredPerson.id == signup.resident_person_id).with_for_update())
        rules.check_one_open(_open_contract(signup.resident_person_id, other_than=signup.id))
        return {"key_groups": groups}

    def take_place(signup: Signup) -> None:
        taken = s.execute(update(Team).where(Team.id == signup.team_id, Team.signed < Team.capacity)
                          .values(signed=Team.signed + 1).execution_options(synchronize_session=False))
        if taken.rowcount != 1:
            s.rollback()
            raise Conflict(rules.TEAM_FULL_MESSAGE, code="signup.team_full",
                           errors={"team_id": ["该团队签约名额已满。"]})

    def already_open(signup: Signup) -> None:
        # The partial unique index: another draft of this person became open first.
        rules.check_one_open(_open_contract(signup.resident_person_id, other_than=signup.id))
        raise Conflict("签约人已有待确认或生效中的签约，请勿重复申请。", code="signup.already_signed")

    body = KIT.submit(actor, signup_id, idempotency_key, check=check, then=take_place,
                      detail=lambda signup: {"team_id": signup.team_id}, on_integrity_error=already_open)
    return body


# --- records -----------------------------------------------------------------------

def records(actor: Actor, status: str | None, page: int, per_page: int) -> dict:
    """Contracts where I am the resident, and those I made for family members; newest first."""
    query = select(Signup).where(KIT.visible_to(actor))
    if status:
        query = query.where(Signup.status == status)

    def present(signup: Signup, viewer: Actor) -> dict:
        access.record(viewer, "agent", signup.resident_person_id, "viewed_record", "signup", signup.id, via="list")
        return _present(signup, viewer)

    body = KIT.page(actor, query, page, per_page, Signup.created_at.desc(), Signup.id.desc(), present=present)
    session().commit()
    return body


def get(actor: Actor, signup_id: int) -> dict:
    """One sign-up; seen by anyone but the resident (the family member who made it), the look is logged."""
    signup = KIT.load(actor, signup_id)
    access.signup_viewed(signup, actor)
    body = _view(signup, actor)
    session().commit()
    return body


def events(actor: Actor, signup_id: int) -> list[dict]:
    return KIT.history(actor, signup_id)


# --- after submitting ----------------------------------------------------------------

def cancel(actor: Actor, signup_id: int, reason: str, note: str | None) -> dict:
    """解约 (or withdrawing a draft or an application), by the resident or by whoever
    made the sign-up, with a reason from the termination list. A held place is
    given back to the team."""
    s = session()
    signup = KIT.load(actor, signup_id)
    before = signup.status
    rules.FLOW.apply(before, "cancel")
    rules.check_cancel_reason(reason, note)
    note = (note or "").strip() or None
    KIT.move(signup, "cancel", cancelled_at=now(), cancel_reason=reason, cancel_note=note)
    if before in rules.HOLDS_PLACE:
        _release_place(signup.team_id)
    KIT.event(signup, actor, "cancelled", reason=reason, note=note, **{"from": before})
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
    current agreement version, and may change packages; the key groups (and so
    the value-added package's health-management part) are judged on the new
    term's first day (a child who will be 7 by then no longer counts). Switching to another team is not a renewal:
    cancel, then sign up with the new team."""
    s = session()
    signup = KIT.load(actor, signup_id)
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
    package_ids = rules.choose_packages(_offered(signup.team), chosen)
    KIT.move(signup, "renew", valid_to=new_to, renewals=signup.renewals + 1, renewed_at=now(), key_groups=groups,
             agreement_version=agreement.version, agreement_sha256=agreement.sha256, agreement_accepted_at=now())
    signup.packages = list(s.scalars(select(ServicePackage).where(ServicePackage.id.in_(package_ids))
                                     .order_by(ServicePackage.id)))
    KIT.event(signup, actor, "renewed", term_from=new_from.isoformat(), valid_to=new_to.isoformat(),
           package_ids=package_ids)
    s.commit()
    return _view(signup, actor)


def withdraw_health_consent(actor: Actor, signup_id: int) -> dict:
    """Withdrawing the consent to use declared health data (PIPL art. 15): the tags
    go, and with them the key groups that came only from them; the age groups stay
    (they come from the ID number). Allowed in any status, to the resident and to
    whoever made the sign-up. The history records the withdrawal, never the tags."""
    signup = KIT.load(actor, signup_id, lock=True)
    if not signup.health_tags and signup.health_consent_version is None:
        raise Conflict("该签约未申报健康状况，无需撤回授权。", code="signup.no_health_consent")
    signup.key_groups = [g for g in signup.key_groups or [] if g not in rules.HEALTH_TAGS]
    signup.health_tags = []
    signup.health_consent_version = signup.health_consent_sha256 = signup.health_consent_at = None
    KIT.event(signup, actor, "health_consent_withdrawn")
    session().commit()
    return _view(signup, actor)


# --- the team's side (partner) -----------------------------------------------------

def _for_partner(partner: Partner, signup_id: int) -> Signup:
    """A submitted sign-up of this team (403 `partner.out_of_scope` for another team's)."""
    signup = session().scalar(select(Signup).where(Signup.id == signup_id).with_for_update(of=Signup)
                              .execution_options(populate_existing=True))
    if signup is None or signup.status == "draft":
        raise NotFound("未找到该签约申请。", code="signup.not_found")
    partner_rules.check_team(partner, signup.team_id)
    return signup


def partner_view(signup: Signup) -> dict:
    return view(signup, None, partner=True)


def partner_list(partner: Partner, team_id: int | None, status: str | None, page: int, per_page: int) -> dict:
    """What a team has to answer: its submitted sign-ups, oldest first; names masked."""
    partner_rules.check_team(partner, team_id if team_id is not None else int(partner.scope))
    query = select(Signup).where(Signup.status != "draft", Signup.team_id == int(partner.scope))
    if status:
        query = query.where(Signup.status == status)
    return KIT.page(None, query, page, per_page, Signup.submitted_at, Signup.id)


def accept(partner: Partner, signup_id: int, start_date: date | None) -> dict:
    """The team accepts → active for one year from the start date, which lies
    within the coming month (today if not given)."""
    s = session()
    signup = _for_partner(partner, signup_id)
    rules.FLOW.apply(signup.status, "accept")
    start = start_date or today()
    rules.check_start_date(start, today())
    valid_from, valid_to = rules.validity(start)
    KIT.move(signup, "accept", decided_at=now(), valid_from=valid_from, valid_to=valid_to)
    KIT.event(signup, None, "accepted", organisation=partner.organisation, valid_from=valid_from.isoformat(), valid_to=valid_to.isoformat())
    s.commit()
    return partner_view(signup)


def reject(partner: Partner, signup_id: int, reason: str) -> dict:
    """The team declines with a reason; the place is given back and the resident
    may apply again (to this team or another)."""
    s = session()
    signup = _for_partner(partner, signup_id)
    rules.FLOW.apply(signup.status, "reject")
    reason = reason.strip()
    if not reason:
        raise Invalid("请填写不予签约的原因，居民将看到该原因。", code="signup.reject_reason_required",
                      errors={"reason": ["请填写原因。"]})
    KIT.move(signup, "reject", decided_at=now(), reject_reason=reason)
    _release_place(signup.team_id)
    KIT.event(signup, None, "rejected", organisation=partner.organisation, reason=reason)
    s.commit()
    return partner_view(signup)


def terminate(partner: Partner, signup_id: int, reason: str, note: str | None) -> dict:
    """The team ends a contract in force: the resident moved away, could not be
    reached or refused service for a year, or another stated reason. The place goes
    back to the team; the resident sees the reason and may sign up again."""
    s = session()
    signup = _for_partner(partner, signup_id)
    rules.check_team_termination(signup.status, reason, note)
    note = (note or "").strip() or None
    KIT.move(signup, "cancel", cancelled_at=now(), cancel_reason=reason, cancel_note=note)
    _release_place(signup.team_id)
    KIT.event(signup, None, "terminated_by_team", organisation=partner.organisation, reason=reason, note=note)
    s.commit()
    return partner_view(signup)


# --- expiry (CLI, daily) -----------------------------------------------------------------

def expire_due(day: date | None = None) -> int:
    """Active contracts whose `valid_to` has passed become `expired`, through the
    table with an event; each gives its place back to the team. Safe to run at any
    time and more than once."""
    return KIT.expire_due(Signup.valid_to < (day or today()), then=lambda signup: _release_place(signup.team_id),
                          expired_at=now())


def purge_stale_drafts(before) -> int:
    """Sign-up drafts untouched since `before` are withdrawn (daily job); a draft holds
    no place in a team, so only its signature file goes."""
    keys: list[str] = []

    def drop(signup: Signup) -> None:
        if signup.signature_key:
            keys.append(signup.signature_key)
        signup.signature_key = None

    count = KIT.purge_stale_drafts(before, "cancel", then=drop, cancelled_at=now(), cancel_reason="other",
                                   cancel_note="草稿超过30天未办理，已自动撤回")
    for key in keys:
        forget_blob(key)
    return count


def expire_signups() -> dict:
    """For `flask expire` (backend.services.seed.EXPIRERS)."""
    return {"fd_signups": expire_due()}
