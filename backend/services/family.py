"""亲情账户: the people an account may act for, and, seen from the other side, who
may act for me (`/me/agents`)."""

from __future__ import annotations

from sqlalchemy import or_, select

from backend.adapters.models import FamilyMember, HouseholdRelation, InsuredPerson
from backend.domain.errors import Conflict, Forbidden, Invalid, NotFound
from backend.domain import filing as rules
from backend.domain import relations
from backend.services import accounts, views
from backend.services.runtime import Actor, forget_blob, now, session, today


def member_view(m: FamilyMember) -> dict:
    return {"id": m.id, "person": views.person(m.person), "relation": m.relation,
            "relation_label": rules.RELATION_LABELS.get(m.relation), "created_at": m.created_at}


def agent_view(m: FamilyMember) -> dict:
    """The insured person's view of one who may act for her. She sees the agent's
    full real name (she has a right to know who acts for her, PIPL art. 44-45, and
    "李*" does not tell one son from another); the ID number stays masked. Only she
    is ever given this view: everyone else sees an agent's name masked."""
    agent_is = rules.INVERSE_RELATION.get(m.relation)
    return {"id": m.id, "agent": views.person(m.agent_person),
            "relation": m.relation, "relation_label": rules.RELATION_LABELS.get(m.relation),
            "agent_relation": agent_is, "agent_relation_label": rules.RELATION_LABELS.get(agent_is),
            "created_at": m.created_at}


def _active(actor: Actor):
    return select(FamilyMember).where(FamilyMember.account_id == actor.account_id,
                                      FamilyMember.withdrawn_at.is_(None))


def list_members(actor: Actor) -> list[dict]:
    return [member_view(m) for m in session().scalars(_active(actor).order_by(FamilyMember.id))]


def _grant(actor: Actor, person: InsuredPerson, relation: str) -> FamilyMember:
    agent_person_id = accounts.require_person(actor)
    if person.id == agent_person_id:
        raise Invalid("不能把本人添加为家庭成员。", code="family.self", errors={"id_number": ["这是您本人。"]})
    existing = session().scalar(_active(actor).where(FamilyMember.person_id == person.id))
    if existing:
        return existing
    member = FamilyMember(account_id=actor.account_id, agent_person_id=agent_person_id, person_id=person.id,
                          relation=relation)
    session().add(member)
    session().flush()
    return member


def refuse_if_withdrawn(actor: Actor, person: InsuredPerson) -> None:
    """Once the person has withdrawn an agent's right to act for them, the agent
    cannot grant it to itself again: not by filing, not by re-adding, not from
    another account bound to the same agent."""
    by_agent = [FamilyMember.account_id == actor.account_id]
    if actor.person_id is not None:
        by_agent.append(FamilyMember.agent_person_id == actor.person_id)
    withdrawn = session().scalar(select(FamilyMember).where(
        or_(*by_agent), FamilyMember.person_id == person.id,
        FamilyMember.withdrawn_by == "insured_person").limit(1))
    if withdrawn:
        raise Forbidden("对方已撤销您的代办授权，不能再为其办理。请联系本人重新授权。",
                        code="family.withdrawn_by_insured")


def check_relation(actor: Actor, person: InsuredPerson, relation: str) -> None:
    """The relation an agent declares (what `person` is to him) must agree with the
    registry's household data where it knows the pair, and with both birth dates
    always (backend/domain/relations.py)."""
    agent = session().get(InsuredPerson, accounts.require_person(actor))
    household = session().scalar(select(HouseholdRelation.relation).where(
        HouseholdRelation.person_id == agent.id, HouseholdRelation.relative_id == person.id))
    reason = relations.check_relation(relation, agent.id_number, person.id_number, today(), household)
    if reason:
        label = rules.RELATION_LABELS.get(relation, relation)
        raise Invalid(f"与本人关系填写为“{label}”，与登记信息不符：{reason}", code="agent.relation_mismatch",
                      errors={"relation": [reason]})


def add_member(actor: Actor, name: str, id_number: str, relation: str) -> dict:
    accounts.require_person(actor)
    person = accounts.find_in_registry(name, id_number)
    existing = session().scalar(_active(actor).where(FamilyMember.person_id == person.id))
    if existing:
        raise Conflict("该家庭成员已添加。", code="family.exists")
    refuse_if_withdrawn(actor, person)
    if person.id != actor.person_id:
        check_relation(actor, person, relation)
    member = _grant(actor, person, relation)
    session().commit()
    return member_view(member)


def ensure_grant(actor: Actor, person: InsuredPerson, relation: str) -> FamilyMember:
    """Filing for someone adds them to the agent's family members if needed (the
    agent has just proved name and number), unless the person withdrew it."""
    refuse_if_withdrawn(actor, person)
    return _grant(actor, person, relation)


def remove_member(actor: Actor, member_id: int) -> None:
    member = session().scalar(_active(actor).where(FamilyMember.id == member_id))
    if member is None:
        raise NotFound("未找到该家庭成员。", code="family.not_found")
    member.withdrawn_at, member.withdrawn_by = now(), "agent"
    session().commit()


def agents(actor: Actor, withdrawn: bool = False) -> list[dict]:
    """Who may act for me; with `withdrawn`, those whose right I withdrew."""
    person_id = accounts.require_person(actor)
    state = (FamilyMember.withdrawn_by == "insured_person") if withdrawn else FamilyMember.withdrawn_at.is_(None)
    rows = session().scalars(select(FamilyMember).where(FamilyMember.person_id == person_id, state)
                             .order_by(FamilyMember.id))
    return [agent_view(m) for m in rows]


def withdraw_agent(actor: Actor, grant_id: int) -> None:
    person_id = accounts.require_person(actor)
    member = session().scalar(select(FamilyMember).where(FamilyMember.id == grant_id,
                                                         FamilyMember.person_id == person_id,
                                                         FamilyMember.withdrawn_at.is_(None)))
    if member is None:
        raise NotFound("未找到该代办人。", code="family.agent_not_found")
    member.withdrawn_at, member.withdrawn_by = now(), "insured_person"
    session().commit()


def restore_agent(actor: Actor, grant_id: int) -> dict:
    """Give a withdrawn agent the right back: only the insured person can, since only
    she could take it away, and only from an account bound to her, which only an
    account real-named to her can be (services.accounts.bind_identity). Every
    withdrawal of that agent stops blocking; the chosen grant is active again."""
    person_id = accounts.require_person(actor)
    s = session()
    member = s.scalar(select(FamilyMember).where(FamilyMember.id == grant_id, FamilyMember.person_id == person_id,
                                                 FamilyMember.withdrawn_by == "insured_person"))
    if member is None:
        raise NotFound("未找到已撤销授权的代办人。", code="family.agent_not_found")
    for other in s.scalars(select(FamilyMember).where(
            FamilyMember.person_id == person_id, FamilyMember.agent_person_id == member.agent_person_id,
            FamilyMember.withdrawn_by == "insured_person", FamilyMember.id != member.id)):
        other.withdrawn_by = "lifted"  # stays withdrawn as a grant, but no longer blocks the agent
    member.withdrawn_at, member.withdrawn_by = None, None
    s.commit()
    return agent_view(member)


def drop_attachment(filing, attachment) -> None:
    keys = (attachment.blob_key, attachment.thumbnail_key)
    filing.attachments.remove(attachment)
    session().delete(attachment)
    for key in keys:
        forget_blob(key)

