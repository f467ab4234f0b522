"""What leaves the server: plain dicts for the API schemas. Full ID numbers never
appear here; names of other people are masked."""

from __future__ import annotations

from backend.domain import filing as rules
from backend.domain import labels
from backend.domain.identity import age_on, birth_date, mask_id_number, mask_name, mask_phone, sex
from backend.services.documents import region_name
from backend.services.runtime import today


def person(p, *, masked_name: bool = False) -> dict | None:
    """A person beside a masked ID number: never the full birth date (it restores
    digits 7-14 of the number), only the birth year and the age."""
    if p is None:
        return None
    return {
        "name": mask_name(p.name) if masked_name else p.name,
        "id_number": mask_id_number(p.id_number),
        "sex": sex(p.id_number),
        "birth_year": birth_date(p.id_number).year,
        "age": age_on(p.id_number, today()),
    }


def partner_person(p) -> dict | None:
    """What a partner (a family-doctor team) sees of a person: the masked name, sex and
    age (the age groups of seed 001 come from it). No ID number, not even masked."""
    if p is None:
        return None
    return {"name": mask_name(p.name), "sex": sex(p.id_number), "age": age_on(p.id_number, today())}


def account(a) -> dict:
    return {
        "id": a.id,
        "identity": person(a.person),
        "identity_bound": a.person_id is not None,
        "consent_version": a.consent_version,
        "consent_at": a.consent_at,
    }


def insurance_record(r) -> dict:
    return {"scheme": r.scheme, "scheme_label": rules.SCHEME_LABELS.get(r.scheme),
            "insured_region": r.insured_region, "insured_region_name": region_name(r.insured_region),
            "status": r.status, "retired": r.retired}


def proxy_flow_head(f, flow, viewer_person_id: int | None, *, partner: bool = False) -> dict:
    """What every filing with a `self` and an `other` (proxy) path answers first: its
    status, its steps and the next one, whose it is and who made it (Flow A, the
    work-injury filing). A partner sees the person's name masked."""
    done = set(f.steps_done or [])
    viewer_is_agent = f.for_whom == "other" and viewer_person_id == f.agent_person_id
    return {
        "id": f.id,
        "status": f.status,
        "status_label": flow.status_labels.get(f.status, f.status),
        "for_whom": f.for_whom,
        # Seen by the insured person: a filing someone else made on their behalf.
        "made_by_agent": f.for_whom == "other",
        "viewer_role": "partner" if partner else ("agent" if viewer_is_agent else "insured"),
        "steps": [{"name": s, "label": flow.step_labels[s], "done": s in done} for s in flow.steps_for(f.for_whom)],
        "next_step": flow.next_step(f.for_whom, done) if flow.is_editable(f.status) else None,
        "insured_person": person(f.insured_person, masked_name=partner) if f.insured_person else None,
        "agent": {
            **person(f.agent_person, masked_name=not viewer_is_agent),
            "phone": mask_phone(f.agent_phone),
            "relation": f.relation,
            "relation_label": rules.RELATION_LABELS.get(f.relation),
        } if f.agent_person else None,
    }


def filing(f, viewer_person_id: int | None) -> dict:
    return {
        **proxy_flow_head(f, rules.FLOW, viewer_person_id),
        "scheme": f.scheme,
        "insured_region": f.insured_region,
        "insured_region_name": region_name(f.insured_region),
        "notice_version": f.notice_version,
        "agent_declaration_version": f.agent_declaration_version,
        "agent_declaration_signed_at": f.agent_declaration_signed_at,
        "category": f.category,
        "person_type": f.person_type,
        "person_type_label": rules.PERSON_TYPE_LABELS.get(f.person_type),
        "scope": f.scope,
        "destination_region": f.destination_region,
        "destination_region_name": region_name(f.destination_region),
        "start_date": f.start_date,
        "end_date": f.end_date,
        "address": f.address,
        "hospital": f.hospital,
        "reason": f.reason,
        "contact_name": f.contact_name,
        "contact_phone": f.contact_phone,
        "pledge_version": f.pledge_version,
        "signed_at": f.signed_at,
        "attachments": [attachment(a) for a in f.attachments],
        "filing_no": f.filing_no,
        "valid_from": f.valid_from,
        "valid_to": f.valid_to,
        "submitted_at": f.submitted_at,
        "cancelled_at": f.cancelled_at,
        "cancel_reason": f.cancel_reason,
        "settled": bool(f.settled),
        "created_at": f.created_at,
    }


def attachment(a) -> dict:
    return {"id": a.id, "kind": a.kind, "size": a.size, "width": a.width, "height": a.height,
            "sha256": a.sha256, "created_at": a.created_at}


def event(e, event_labels: dict[str, str]) -> dict:
    return {
        "step": e.step,
        "label": event_labels.get(e.step, e.step),
        "summary": event_summary(e.detail or {}),
        "at": e.at,
        "actor": actor_name(e.actor, e.actor_role, e.actor_organisation),
        "actor_role": e.actor_role,
        "actor_role_label": labels.ACTOR_ROLE.get(e.actor_role, e.actor_role),
        "on_behalf_of": mask_name(e.on_behalf_of.name) if e.on_behalf_of else None,
        "detail": e.detail or {},
    }


def actor_name(person, role: str, organisation: str | None) -> str:
    """Who did it, as a person reads it: a masked name (李*), a partner organisation
    by its name, or the system."""
    if person is not None:
        return mask_name(person.name)
    if organisation:
        return organisation
    return labels.ACTOR_ROLE.get(role, role)


# How each detail of a history event reads on a screen, for every flow alike:
# key -> (words before it, how its value reads). Keys not listed (ids, hashes) are
# for machines and stay in `detail` only.
_DETAIL_WORDS = {
    "for": ("办理对象", lambda v: labels.FOR_WHOM.get(v, v)),
    "scheme": ("参保身份", lambda v: labels.SCHEME.get(v, v)),
    "insured_region": ("参保地", region_name),
    "version": ("文书版本", str),
    "pledge_version": ("承诺书版本", str),
    "kind": ("证件", lambda v: labels.ATTACHMENT_KIND.get(v, v)),
    "destination_region": ("就医地", region_name),
    "person_type": ("人员类别", lambda v: labels.FILING_PERSON_TYPE.get(v, v)),
    "filing_no": ("备案号", str),
    "institution": ("结算机构", str),
    "amount": ("金额", lambda v: f"{v}元"),
    "from": ("原状态", lambda v: labels.SIGNUP_STATUS.get(v, v)),
    "reason": ("原因", lambda v: labels.SIGNUP_CANCEL_REASON.get(v, v)),
    "note": ("说明", str),
    "valid_from": ("有效期自", str),
    "valid_to": ("有效期至", str),
    "term_from": ("新服务期自", str),
    "photos": ("删除照片", lambda v: f"{v}张"),
    "retention_days": ("保存期限", lambda v: f"备案结束后{v}天"),
    # work-injury filing
    "basis": ("依据", lambda v: labels.WI_BASIS.get(v, v)),
    "filing_type": ("备案类型", lambda v: labels.WI_FILING_TYPE.get(v, v)),
    # rescue fund (seed 000)
    "rescue_kind": ("申请类型", lambda v: labels.RESCUE_KIND.get(v, v)),
    "material": ("材料", lambda v: labels.RESCUE_MATERIAL.get(v, v)),
    "application_no": ("申请编号", str),
    "review_due": ("审核截止", str),
    "payment_due": ("支付截止", str),
    "returned_items": ("补正项目", lambda v: "；".join(f"{labels.RESCUE_MATERIAL.get(i['item']) or labels.RESCUE_FIELD.get(i['item']) or labels.RESCUE_STEP.get(i['item'], i['item'])}：{i['reason']}" for i in v)),
    "payee": ("收款单位", str),
    "final_amount": ("最终垫付", lambda v: f"{v}元"),
}


def event_summary(detail: dict) -> str:
    """`{"reason": "own_wish"}` → `原因：本人申请解约`: the detail in a person's words."""
    parts = []
    for key, (words, reads) in _DETAIL_WORDS.items():
        value = detail.get(key)
        if value not in (None, "", []):
            parts.append(f"{words}：{reads(value)}")
    if detail.get("replaced"):
        parts.append("已替换原照片")
    return "；".join(parts)
