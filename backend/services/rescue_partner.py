"""Road-accident rescue fund, the partner side (seed 000; api.md "Partner side"):
the traffic police register their notices, the province's fund manager reviews,
returns, approves or rejects, pays and closes, and a green-channel hospital uploads
its own patients' cost lists and summaries. Each key acts only within its scope:
police a region, the fund manager a province, a hospital its own id.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import BinaryIO

from sqlalchemy import select

from backend.adapters.models import RescueApplication, RescueHospital, RescueNotice, RescuePayment
from backend.domain import labels
from backend.domain import rescue as rules
from backend.domain.errors import Conflict, Forbidden, Invalid, NotFound
from backend.domain.identity import mask_name
from backend.domain.partners import Partner, check_role, out_of_scope
from backend.services import access, documents, rescue
from backend.services.rescue import KIT, record_event
from backend.services.runtime import now, read_blob, session, today


# --- police: notices ----------------------------------------------------------------------------

def _in_police_region(scope: str, region: str) -> bool:
    """A city's traffic police (140300) covers its districts (1403xx); a district's only itself."""
    return region[:4] == scope[:4] if scope.endswith("00") else region == scope


def register_notice(partner: Partner, data: dict) -> dict:
    region = data["accident_region"]
    if documents.region_name(region) is None:
        raise Invalid("地区代码有误。", code="region.unknown", errors={"accident_region": ["未知的地区代码。"]})
    if not _in_police_region(partner.scope, region):
        raise Forbidden(f"该事故不在“{partner.organisation}”的辖区内，不能登记其通知书。",
                        code="rescue.notice_outside_region")
    if data["accident_at"] > now():
        raise Invalid("事故发生时间不能晚于当前时间。", code="rescue.accident_in_future",
                      errors={"accident_at": ["不能晚于当前时间。"]})
    s = session()
    notice_no = data["notice_no"].strip()
    if s.scalar(select(RescueNotice.id).where(RescueNotice.notice_no == notice_no)) is not None:
        raise Conflict("该通知书编号已登记。", code="rescue.notice_exists", errors={"notice_no": ["已登记。"]})
    hospital_id = data.get("hospital_id")
    if hospital_id is not None and s.get(RescueHospital, hospital_id) is None:
        raise Invalid("请从绿色通道医院列表中选择救治医院。", code="rescue.hospital_unknown",
                      errors={"hospital_id": ["不在绿色通道医院列表中。"]})
    notice = RescueNotice(notice_no=notice_no, police_unit=(data.get("police_unit") or partner.organisation).strip(),
                          accident_at=data["accident_at"], accident_region=region, situation=data["situation"],
                          victim_name=(data.get("victim_name") or "").strip() or None, hospital_id=hospital_id,
                          registered_by=partner.organisation)
    s.add(notice)
    s.commit()
    return {"id": notice.id, "notice_no": notice.notice_no, "police_unit": notice.police_unit,
            "accident_at": notice.accident_at, "accident_region": notice.accident_region,
            "situation": notice.situation, "situation_label": labels.RESCUE_SITUATION[notice.situation],
            "victim_name": mask_name(notice.victim_name), "hospital_id": notice.hospital_id,
            "registered_by": notice.registered_by}


# --- the fund manager ---------------------------------------------------------------------------

def _load(partner: Partner, app_id: int, *, lock: bool = True) -> RescueApplication:
    """A submitted (or later) application of the manager's province; a draft does not
    exist for anyone but its maker, another province's is out of scope."""
    query = select(RescueApplication).where(RescueApplication.id == app_id,
                                            RescueApplication.status.not_in(("draft", "discarded")))
    if lock:
        query = query.with_for_update(of=RescueApplication).execution_options(populate_existing=True)
    app = session().scalar(query)
    if app is None:
        raise NotFound("未找到该垫付申请。", code="rescue.not_found")
    if partner.role == "fund_manager" and not (app.accident_region or "").startswith(partner.scope):
        raise out_of_scope(f"该申请的事故不在“{partner.organisation}”的管辖省份，无权处理。")
    return app


def manager_view(app: RescueApplication) -> dict:
    """What the fund manager's queue shows: everything needed to review, names masked."""
    body = rescue.view(app, None)
    body["victim"] = {**body["victim"], "name": mask_name(app.victim_name)}
    body["contact"] = {"name": mask_name(app.contact_name), "phone": body["contact"]["phone"]}
    body["applicant"] = mask_name(app.applicant.name)
    body["materials_pages"] = {m: len(p) for m, p in body["materials"].items()}
    return body


def queue(partner: Partner, status: str | None, page: int, per_page: int) -> dict:
    query = select(RescueApplication).where(RescueApplication.accident_region.startswith(partner.scope),
                                            RescueApplication.status == (status or "submitted"))
    return KIT.page(None, query, page, per_page, RescueApplication.submitted_at, RescueApplication.id,
                    present=lambda app, _actor: manager_view(app))


def _acted(app: RescueApplication, partner: Partner, kind: str, **detail) -> dict:
    record_event(app, None, kind, role="partner", organisation=partner.organisation, **detail)
    session().commit()
    return manager_view(app)


def return_for_correction(partner: Partner, app_id: int, items: list[dict]) -> dict:
    steps = rules.check_return_items(items)
    app = _load(partner, app_id)
    cleaned = [{"item": i["item"], "reason": i["reason"].strip()} for i in items]
    KIT.move(app, "return", returned_items=cleaned, returned_at=now(), review_overdue=False)
    return _acted(app, partner, "returned", returned_items=cleaned, steps=sorted(steps))


def approve(partner: Partner, app_id: int, within: Decimal, beyond: Decimal | None) -> dict:
    beyond = beyond if beyond is not None else Decimal("0.00")
    app = _load(partner, app_id)
    settings = rescue.settings_of(app)
    total = rules.check_approval(app.kind, app.period, within, beyond, app.claimed_amount, settings)
    KIT.move(app, "approve", amount_within_7_days=within, amount_beyond_7_days=beyond, approved_amount=total,
             approved_at=now(), payment_due=rescue.working_days_after(today(), settings.payment_working_days),
             review_overdue=False, payment_overdue=False)
    return _acted(app, partner, "approved", amount=f"{total:.2f}", payment_due=app.payment_due.isoformat())


def reject(partner: Partner, app_id: int, reason: str) -> dict:
    if not reason.strip():
        raise Invalid("请填写不予垫付的原因，申请人将看到该原因。", code="rescue.reason_required",
                      errors={"reason": ["请填写原因。"]})
    app = _load(partner, app_id)
    KIT.move(app, "reject", reject_reason=reason.strip(), review_overdue=False)
    return _acted(app, partner, "rejected", reason=app.reject_reason)


def pay(partner: Partner, app_id: int, amount: Decimal, paid_at, payee: str) -> dict:
    app = _load(partner, app_id)
    rules.FLOW.apply(app.status, "pay")
    if app.hospital is None or payee.strip() != app.hospital.name:
        raise Invalid(f"垫付款支付给救治医院：收款单位应为“{app.hospital.name if app.hospital else ''}”。",
                      code="rescue.payee_invalid", errors={"payee": ["应为申请中的救治医院。"]})
    paid = app.paid_amount or Decimal("0")
    rules.check_payment(amount, paid, app.approved_amount, paid_at, app.approved_at, now())
    session().add(RescuePayment(application_id=app.id, amount=amount, paid_at=paid_at, payee=payee.strip(),
                                recorded_by=partner.organisation))
    KIT.move(app, "pay", paid_amount=paid + amount, payment_overdue=False)
    return _acted(app, partner, "paid", amount=f"{amount:.2f}", payee=payee.strip(),
                  paid_at=paid_at.isoformat())


def close(partner: Partner, app_id: int, returned_amount: Decimal) -> dict:
    app = _load(partner, app_id, lock=True)
    if partner.role == "hospital" and str(app.hospital_id) != partner.scope:
        raise out_of_scope(f"该申请的救治医院不是“{partner.organisation}”。")
    rules.FLOW.apply(app.status, "close")
    final = rules.check_close(returned_amount, app.paid_amount or Decimal("0"))
    KIT.move(app, "close", returned_amount=returned_amount, final_amount=final, closed_at=now())
    return _acted(app, partner, "closed", returned_amount=f"{returned_amount:.2f}", final_amount=f"{final:.2f}")


# --- a hospital's own patients ------------------------------------------------------------------

def _hospital_application(app_id: int) -> RescueApplication:
    """The application a hospital names; whether it treats that victim is the caller's
    check (each refusal says what the hospital may not do there)."""
    app = session().scalar(select(RescueApplication).where(RescueApplication.id == app_id,
                                                           RescueApplication.status != "discarded"))
    if app is None:
        raise NotFound("未找到该垫付申请。", code="rescue.not_found")
    return app


def hospital_upload(partner: Partner, app_id: int, material_name: str, stream: BinaryIO) -> dict:
    check_role(partner, ("hospital",))
    app = _hospital_application(app_id)
    if str(app.hospital_id) != partner.scope:
        raise Forbidden(f"该申请的救治医院不是“{partner.organisation}”，不能为其上传材料。",
                        code="rescue.not_for_hospital")
    material = rules.material(material_name, app.kind)
    if not material.by_hospital:
        raise Invalid("医院只能上传日清单、抢救治疗情况说明、病历和超过7日的书面说明。",
                      code="rescue.material_not_for_hospital", errors={"material": [material_name]})

    def check(locked: RescueApplication) -> None:
        rules.FLOW.check_editable(locked.status)
        if locked.status == "returned" and material.step not in rescue.reopened_steps(locked):
            rules.FLOW.check_step(locked.for_whom, locked.status, locked.steps_done or [], material.step,
                                  rescue.reopened_steps(locked))

    page = rescue.store_page(app, material, stream, check=check, organisation=partner.organisation)
    return {"application_id": app.id, "material": material.name, "page_id": page.id,
            "pages": sum(1 for p in app.pages if p.material == material.name)}


# --- looking at a page's picture ------------------------------------------------------------

def page_image(partner: Partner, app_id: int, material_name: str, page_id: int) -> tuple[bytes, str]:
    """One uploaded page, as stored (cleaned), to the fund manager of the accident's
    province (any material of a submitted application: what it reviews) or to the
    application's hospital (its own patient, and only the hospital's own kinds of
    paper: the family's ID and 户口本 pages are none of its business, PIPL art. 6).
    Each look is written to the applicant's access log, naming the organisation."""
    check_role(partner, ("fund_manager", "hospital"))
    if partner.role == "fund_manager":
        app = _load(partner, app_id, lock=False)
    else:
        app = _hospital_application(app_id)
        if str(app.hospital_id) != partner.scope:
            raise Forbidden(f"该申请的救治医院不是“{partner.organisation}”，不能查看其材料。",
                            code="rescue.page_not_for_hospital")
    page = next((p for p in app.pages if p.id == page_id and p.material == material_name), None)
    if page is None:
        raise NotFound("未找到该页材料，可能已被删除。", code="rescue.page_not_found")
    if partner.role == "hospital" and not rules.MATERIALS[page.material].by_hospital:
        raise Forbidden(f"医院只能查看本院患者的日清单、抢救治疗情况说明、病历和超过7日的书面说明，"
                        f"不能查看“{labels.RESCUE_MATERIAL[page.material]}”。", code="rescue.page_not_for_hospital")
    content = read_blob(page.blob_key, "rescue page",
                        lambda: NotFound("材料文件已丢失，请联系申请人重新上传该页。", code="rescue.page_not_found"))
    # Written at this commit, with the answer: a look that is not recorded is not shown.
    access.record(None, "partner", app.applicant_person_id, "viewed_material_page", "rescue", app.id,
                  organisation=partner.organisation, material=page.material, page_id=page.id,
                  partner_role=partner.role, partner_key_id=partner.id)
    session().commit()
    return content, f"{page.material}-{page.id}.jpg"


# --- the daily job: overdue flags ---------------------------------------------------------------

def flag_overdue(day: date | None = None) -> dict:
    """Overdue review or payment raises a flag, never a status change (domain file);
    each flag once, with a line in the history by the system."""
    day = day or today()
    s = session()
    counts = {"rescue_review_overdue": 0, "rescue_payment_overdue": 0}
    for status, due, flag in (("submitted", RescueApplication.review_due, "review_overdue"),
                              ("approved", RescueApplication.payment_due, "payment_overdue")):
        rows = s.scalars(select(RescueApplication).where(RescueApplication.status == status, due.is_not(None),
                                                         due < day, getattr(RescueApplication, flag).is_(False)))
        for app in rows:
            setattr(app, flag, True)
            record_event(app, None, flag, role="system", due=getattr(app, flag.replace("overdue", "due")).isoformat())
            counts[f"rescue_{flag}"] += 1
    s.commit()
    return counts

