"""ID photos of a filing made for someone else (为他人备案, seed 002): the agent
uploads the household register (户口本) or ID card of **both** the agent and the
insured person before filling in the details. Every function is one transaction.

The same step serves every flow with a proxy path: `kit` is the flow's (Flow A's by
default; the work-injury filing passes its own), whose model has `attachments` rows
of `PhotoColumns`.

What is stored is never what was sent: `images.clean_photo` decodes the upload
in full and re-encodes the pixels alone (upright, no EXIF/GPS, at most 2048 px).
The cleaned photo and its thumbnail go to the blob store under server-made keys;
the row keeps their keys and the photo's sha256.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from backend.adapters import images
from backend.config import DEFAULT_ID_PHOTO_RETENTION_DAYS
from backend.domain import filing as rules
from backend.domain import uploads
from backend.domain.errors import Conflict, Invalid, NotFound
from backend.services import access, filings
from backend.services.runtime import Actor, beijing_date, blobs, forget_blob, read_blob, session, today

STEP = "attachments"


def _photo_model(kit):
    """The flow's photo table, from its model's `attachments` relationship."""
    return kit.model.attachments.property.mapper.class_


def _only_for_someone_else(kit, filing) -> None:
    """409, not 404: whoever gets here can see the filing, so "not found" would be
    false. What is wrong is the request: seed 002 asks for ID photos only when
    filing for someone else; filing for oneself, the bound account already proves
    who the person is."""
    if filing.for_whom != "other":
        raise Conflict("为自己备案无需上传证件照片，请直接填写备案信息。",
                       code=f"{kit.name}.attachments_not_needed")


def _find(filing, attachment_id: int):
    for attachment in filing.attachments:
        if attachment.id == attachment_id:
            return attachment
    raise NotFound("未找到该照片，可能已被删除或替换。", code="attachment.not_found")


def _sync_step(kit, filing) -> None:
    """The step is done exactly when both people have a photo (seed 002). Later
    steps are kept either way: a photo says nothing about the details or the
    pledge, and submit still waits for this step."""
    if rules.attachments_complete({a.kind for a in filing.attachments}):
        kit.done(filing, STEP, keeps_later=True)
    else:
        kit.undone(filing, STEP)


def upload(actor: Actor, filing_id: int, kind: str, stream: BinaryIO, kit=None) -> dict:
    """Store a cleaned photo of `kind`, replacing the previous one of that kind."""
    kit = kit or filings.KIT
    _only_for_someone_else(kit, kit.load(actor, filing_id))
    if kind not in rules.ATTACHMENT_KINDS:
        raise Invalid("请选择要上传的证件照片：代办人或参保人的身份证、户口本。", code="attachment.kind_invalid",
                      errors={"kind": ["取值应为：" + "、".join(rules.ATTACHMENT_KINDS) + "。"]})
    filing = kit.draft(actor, filing_id, STEP)
    # Let go of the database while the picture is decoded, the slow part (on SQLite
    # every transaction holds the write lock); the filing is read again, locked, below.
    session().rollback()
    # One byte over the limit is enough for clean_photo to refuse it (413); the
    # rest of an oversized upload is never read into memory.
    photo = images.clean_photo(stream.read(uploads.MAX_PHOTO_BYTES + 1))
    store = blobs()
    new_keys = (store.put(photo.content, ".jpg"), store.put(photo.thumbnail, ".jpg"))
    s = session()
    try:
        # Read again holding the row lock: two uploads of one kind at once leave one
        # photo, and an upload racing a submit sees the status the submit left.
        kit.lock(filing)
        kit.flow.check_step(filing.for_whom, filing.status, filing.steps_done or [], STEP)
        replaced = [a for a in filing.attachments if a.kind == kind]
        old_keys = [key for a in replaced for key in (a.blob_key, a.thumbnail_key)]
        for attachment in replaced:
            filing.attachments.remove(attachment)
            s.delete(attachment)
        attachment = _photo_model(kit)(kind=kind, blob_key=new_keys[0], thumbnail_key=new_keys[1],
                                sha256=photo.sha256, size=len(photo.content), width=photo.width,
                                height=photo.height, uploaded_by_account_id=actor.account_id)
        filing.attachments.append(attachment)
        _sync_step(kit, filing)
        s.flush()
        kit.event(filing, actor, "attachment_uploaded", kind=kind, attachment_id=attachment.id,
                       sha256=photo.sha256, replaced=bool(replaced))
        s.commit()
    except BaseException:
        # Nothing points at the new blobs unless the commit went through.
        s.rollback()
        for key in new_keys:
            store.delete(key)
        raise
    for key in old_keys:
        store.delete(key)
    return kit.present(filing, actor)


def delete(actor: Actor, filing_id: int, attachment_id: int, kit=None) -> dict:
    """Remove a photo while the filing is a draft; without a photo of both people
    the step is not done any more."""
    kit = kit or filings.KIT
    filing = kit.load(actor, filing_id, lock=True)
    kit.check_maker(actor, filing)
    s = session()
    kit.flow.check_editable(filing.status)
    attachment = _find(filing, attachment_id)
    keys = (attachment.blob_key, attachment.thumbnail_key)
    filing.attachments.remove(attachment)
    s.delete(attachment)
    _sync_step(kit, filing)
    kit.event(filing, actor, "attachment_deleted", kind=attachment.kind, attachment_id=attachment_id)
    s.commit()
    for key in keys:
        forget_blob(key)
    return kit.present(filing, actor)


def image(actor: Actor, filing_id: int, attachment_id: int, *, thumbnail: bool = False,
          kit=None) -> tuple[bytes, str]:
    """The stored (cleaned) JPEG and a file name for it, to whoever may see the
    filing: the agent and the insured person. Everyone else gets 404."""
    kit = kit or filings.KIT
    filing = kit.load(actor, filing_id)
    attachment = _find(filing, attachment_id)
    key = attachment.thumbnail_key if thumbnail else attachment.blob_key
    again = "请重新上传该照片" if filing.status == "draft" else "请联系医保经办机构"
    content = read_blob(key, f"photo of filing {filing.id}",
                        lambda: NotFound(f"照片文件已丢失，{again}。", code="attachment.missing"))
    # Whose papers: the insured person's or the agent's. Anyone else looking is logged.
    owner = filing.insured_person_id if attachment.kind in rules.INSURED_PHOTO_KINDS else filing.agent_person_id
    access.record(actor, access.role_on_filing(filing, actor), owner, "viewed_id_photo", kit.name, filing.id,
                  kind=attachment.kind, attachment_id=attachment.id, thumbnail=thumbnail)
    session().commit()
    suffix = "-thumbnail" if thumbnail else ""
    return content, f"{attachment.kind}-{attachment.id}{suffix}.jpg"


# --- the daily purge (PIPL art. 19: kept no longer than needed) --------------------------

def retention_days() -> int:
    return int(current_app.config.get("ID_PHOTO_RETENTION_DAYS", DEFAULT_ID_PHOTO_RETENTION_DAYS))


def _ended_on(filing) -> date | None:
    """The first Beijing day a filing no longer ran: the day it was cancelled (or
    refused), or the day after its validity's last day (a long-term filing in force
    has not ended)."""
    if filing.status == "cancelled" and filing.cancelled_at is not None:
        return beijing_date(filing.cancelled_at)
    if filing.status == "rejected" and getattr(filing, "decided_at", None) is not None:
        return beijing_date(filing.decided_at)
    if filing.status in ("effective", "expired") and filing.valid_to is not None:
        return filing.valid_to + timedelta(days=1)
    return None


def purge_due(day: date | None = None, kit=None) -> int:
    """ID photos are deleted `ID_PHOTO_RETENTION_DAYS` (default 30) after the filing
    ended, by `flask expire`, each filing with a line in its history. The rows go with
    their blobs; the history keeps what was uploaded when (kind and sha256). Safe to
    run again."""
    day = day or today()
    kit = kit or filings.KIT
    model = kit.model
    keep = timedelta(days=retention_days())
    s = session()
    purged, keys = 0, []
    candidates = s.scalars(select(model).where(model.status.in_(("cancelled", "effective", "expired", "rejected")),
                                               model.attachments.any())).all()
    for filing in candidates:
        ended = _ended_on(filing)
        if ended is None or day < ended + keep:
            continue
        count = len(filing.attachments)
        for attachment in list(filing.attachments):
            keys += [attachment.blob_key, attachment.thumbnail_key]
            filing.attachments.remove(attachment)
            s.delete(attachment)
        kit.event(filing, None, "photos_purged", role="system", photos=count,
                             retention_days=keep.days)
        purged += count
    s.commit()
    for key in keys:
        forget_blob(key)
    return purged


def purge_photos() -> dict:
    """For `flask expire` (backend.services.seed.EXPIRERS)."""
    return {"id_photos_purged": purge_due()}
