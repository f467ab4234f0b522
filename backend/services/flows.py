"""The step-flow kit: what every self-service flow does the same way.

A flow declares its `Workflow` in `domain/` (steps per variant, the one transition
table, labels) and binds it here to its model and history table with a `Kit`. The
kit then gives every flow, identically:

- loading with the access rule: the account that made it, the person it is for and
  their agent see it; to everyone else it does not exist (404). "Not yours" is 404
  everywhere, including a draft someone else made (only its maker fills it in);
- step order, checked by the workflow before a step is done or redone;
- status changes only through the table, each one a conditional
  `UPDATE … SET status = :to WHERE id = :id AND status = :from`, so two requests
  racing (two taps, a partner answering while the person cancels) move it once;
- history events, labelled in Chinese by the server, with who acted in what role;
- idempotent submit (`Idempotency-Key`), records a page at a time, and expiry
  through the table with an event;
- notifications: `notify(obj, action)` is called after every move a person or a
  partner makes, inside the same transaction, so the message (the outbox row of
  backend/services/notifications.py) exists exactly when the act does.

A flow's own service keeps only what is truly its own: its fields and rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Callable

from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from backend.adapters import images
from backend.adapters.models import IdempotencyRecord
from backend.domain import labels
from backend.domain.errors import Conflict, NotFound
from backend.domain.workflow import Workflow
from backend.services import documents, views
from backend.services.runtime import Actor, blobs, forget_blob, now, session


@dataclass(frozen=True)
class Kit:
    flow: Workflow
    model: Any                       # the flow's table: id, status, for_whom, steps_done, created_by_account_id
    event_model: Any                 # its history table (EventColumns + a foreign key to the flow)
    event_parent: str                # that foreign key's name, e.g. "filing_id"
    subject: str                     # the column naming the person the flow is for
    noun: str                        # what a person calls one of these: 备案, 签约
    present: Callable[[Any, Actor | None], dict]
    agent: str | None = "agent_person_id"
    # Checked before a draft changes, beyond being its maker (e.g. a withdrawn agent).
    guard: Callable[[Actor, Any], None] | None = None
    # Statuses that exist in the table but are gone for everyone (a discarded draft).
    hidden: tuple[str, ...] = ()
    # Writes the flow's notifications for a move (submit, cancel, accept, …), uncommitted.
    notify: Callable[[Any, str], None] | None = None
    # Loader options for one row (`load`): what its answer shows, in the same query.
    load_options: tuple = ()
    _load_statements: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str:
        return self.flow.name

    # --- loading and who may do what -------------------------------------------------

    def not_found(self) -> NotFound:
        return NotFound(f"未找到该{self.noun}记录，或您无权查看或办理。", code=f"{self.name}.not_found")

    def visible_to(self, actor: Actor):
        m = self.model
        clauses = [m.created_by_account_id == actor.account_id]
        if actor.person_id is not None:
            clauses.append(getattr(m, self.subject) == actor.person_id)
            if self.agent:
                clauses.append(getattr(m, self.agent) == actor.person_id)
        return or_(*clauses)

    def load(self, actor: Actor, obj_id: int, *, lock: bool = False):
        """The row, if this actor may see it; with `lock`, read again holding its row
        lock (PostgreSQL; SQLite's write transaction already serialises writers)."""
        bound = actor.person_id is not None
        query = self._load_statements.get((bound, lock))
        if query is None:
            # Built once per shape (bound or not, locked or not), with the ids as
            # parameters: a request does not build it nor compute its cache key again.
            m = self.model
            clauses = [m.created_by_account_id == bindparam("account_id")]
            if bound:
                clauses.append(getattr(m, self.subject) == bindparam("person_id"))
                if self.agent:
                    clauses.append(getattr(m, self.agent) == bindparam("person_id"))
            query = select(m).where(m.id == bindparam("obj_id"), or_(*clauses)).options(*self.load_options)
            if self.hidden:
                query = query.where(m.status.not_in(self.hidden))
            if lock:
                query = query.with_for_update(of=m).execution_options(populate_existing=True)
            self._load_statements[(bound, lock)] = query
        params = {"obj_id": obj_id, "account_id": actor.account_id}
        if bound:
            params["person_id"] = actor.person_id
        obj = session().scalars(query, params).unique().one_or_none()
        if obj is None:
            raise self.not_found()
        return obj

    def lock(self, obj) -> None:
        """Take the row lock on a row already loaded, and see it as it is now."""
        session().scalar(select(self.model).where(self.model.id == obj.id).with_for_update(of=self.model)
                         .execution_options(populate_existing=True))

    def check_maker(self, actor: Actor, obj) -> None:
        """Only the account that started a draft fills it in, submits or discards it.
        To anyone else the draft is not theirs to change: 404, like anything not theirs."""
        if obj.created_by_account_id != actor.account_id:
            raise self.not_found()

    def draft(self, actor: Actor, obj_id: int, step: str, *, lock: bool = False,
              reopened: set[str] | None = None):
        """A draft this actor may fill in, at a step it may do now."""
        obj = self.load(actor, obj_id, lock=lock)
        self.check_maker(actor, obj)
        if self.guard:
            self.guard(actor, obj)
        self.flow.check_step(obj.for_whom, obj.status, obj.steps_done or [], step, reopened)
        return obj

    def check_open_drafts(self, actor: Actor, limit: int) -> None:
        """A person has a few drafts on the go at most, per flow: more is a script
        filling the disk, or drafts forgotten; either way the answer names them."""
        drafts = session().scalars(select(self.model.id).where(
            self.model.created_by_account_id == actor.account_id,
            self.model.status == self.flow.editable_status).order_by(self.model.id)).all()
        if len(drafts) >= limit:
            numbers = "、".join(str(i) for i in drafts)
            raise Conflict(f"您已有 {len(drafts)} 份未提交的{self.noun}草稿（编号 {numbers}），"
                           f"请先继续办理或删除其中一份，再新建。", code=f"{self.name}.too_many_drafts",
                           errors={"drafts": [str(i) for i in drafts]})

    # --- steps ------------------------------------------------------------------------

    def done(self, obj, step: str, *, keeps_later: bool = False) -> None:
        obj.steps_done = self.flow.complete(obj.for_whom, list(obj.steps_done or []), step,
                                            keeps_later=keeps_later)

    def undone(self, obj, step: str) -> None:
        obj.steps_done = self.flow.uncomplete(obj.for_whom, list(obj.steps_done or []), step)

    def is_done(self, obj, step: str) -> bool:
        return step in (obj.steps_done or [])

    # --- documents and signatures ---------------------------------------------------------

    def accept_document(self, obj, name: str, accepted: bool, version: str, *, field: str, tick_hint: str):
        """A versioned document (notice, agreement, declaration) ticked and accepted:
        its version, sha256 and the time go to `<field>_version|_sha256|_accepted_at`."""
        doc = documents.accepted(name, accepted, version, code=f"{self.name}.{field}", tick_hint=tick_hint)
        setattr(obj, f"{field}_version", doc.version)
        setattr(obj, f"{field}_sha256", doc.sha256)
        setattr(obj, f"{field}_accepted_at", now())
        return doc

    def store_signature(self, obj, png: bytes, *, field: str = "signature") -> tuple[str | None, str]:
        """A hand signature, checked (a blank box or a mere dot is refused) and stored
        under `<field>_key|_sha256`. Returns the blob it replaces, for `commit`, and the
        new signature's sha256."""
        signature = images.check_signature(png)
        replaced = getattr(obj, f"{field}_key")
        setattr(obj, f"{field}_key", blobs().put(signature.content, ".png"))
        setattr(obj, f"{field}_sha256", signature.sha256)
        return replaced, signature.sha256

    def commit(self, *, forget: tuple[str | None, ...] = ()) -> None:
        """Commit, then delete the blobs nothing points at any more (never before: a
        failed commit must leave the old ones in place)."""
        session().commit()
        for key in forget:
            if key:
                forget_blob(key)

    # --- history ----------------------------------------------------------------------

    def role_of(self, obj, actor: Actor | None) -> str:
        if actor is None:
            return "partner"
        return "self" if actor.person_id == getattr(obj, self.subject) else "agent"

    def event(self, obj, actor: Actor | None, kind: str, /, *, role: str | None = None,
              organisation: str | None = None, **detail) -> None:
        """One line of history, naming its author: the account that acted and in what
        capacity (self, agent), or the partner organisation, or the system. Every kind
        has its Chinese label in the flow's table."""
        if kind not in self.flow.event_labels:
            raise KeyError(f"{self.name} event {kind!r} has no label in backend/domain/labels.py")
        role = role or self.role_of(obj, actor)
        if role == "partner" and not organisation:
            # Partner keys are not tied to organisations yet: the generic name.
            organisation = labels.PARTNER_ORGANISATION_UNKNOWN
        session().add(self.event_model(**{self.event_parent: obj.id}, step=kind, at=now(),
                                       actor_account_id=actor.account_id if actor else None,
                                       actor_organisation=organisation,
                                       actor_person_id=actor.person_id if actor else None,
                                       on_behalf_of_person_id=getattr(obj, self.subject),
                                       actor_role=role, detail=detail))

    def history(self, actor: Actor, obj_id: int) -> list[dict]:
        obj = self.load(actor, obj_id)
        parent = getattr(self.event_model, self.event_parent)
        rows = session().scalars(select(self.event_model).where(parent == obj.id)
                                 .order_by(self.event_model.at, self.event_model.id))
        return [views.event(e, self.flow.event_labels) for e in rows]

    # --- status changes -----------------------------------------------------------------

    def _conditional(self, obj_id: int, before: str, after: str, values: dict) -> bool:
        result = session().execute(
            update(self.model).where(self.model.id == obj_id, self.model.status == before)
            .values(status=after, updated_at=now(), **values).execution_options(synchronize_session=False))
        return result.rowcount == 1

    def move(self, obj, action: str, **values) -> str:
        """The one way a status changes: the table says where `action` leads from the
        status read, and the update holds only if nobody moved it meanwhile."""
        before = obj.status
        after = self.flow.apply(before, action)
        if not self._conditional(obj.id, before, after, values):
            session().rollback()
            raise Conflict(f"该{self.noun}的状态刚刚发生了变化，请刷新后再试。", code=f"{self.name}.changed")
        session().refresh(obj)
        if self.notify:
            self.notify(obj, action)
        return after

    def submit(self, actor: Actor, obj_id: int, key: str | None, *,
               action: str | Callable[[Any], str] = "submit",
               check: Callable[[Any], dict] | None = None,
               then: Callable[[Any], None] | None = None,
               detail: Callable[[Any], dict] | None = None,
               on_integrity_error: Callable[[Any], None] | None = None) -> dict:
        """→ the table's `submit` status, once (or where `action(obj)` leads, for a flow
        whose submit ends in more than one status). `check(obj)` applies the flow's own
        rules and returns more values for the row; `then(obj)` writes more in the same
        transaction (it may raise, undoing all). The same Idempotency-Key gives the
        same answer; two submits arriving together make one move."""
        s = session()
        scope = f"{self.name}-submit:{obj_id}"
        replay = self._replay(actor, scope, key, obj_id)
        if replay is not None:
            return replay
        obj = self.load(actor, obj_id)
        self.check_maker(actor, obj)
        if self.guard:
            self.guard(actor, obj)
        action = action(obj) if callable(action) else action
        try:
            self.flow.apply(obj.status, action)
        except Conflict:
            # A submit with the same key may have committed between the look for the
            # key above and the read of the row (PostgreSQL reads each statement's
            # latest commit): then this is a retry, answered as the first was.
            replay = self._replay(actor, scope, key, obj_id)
            if replay is not None:
                return replay
            raise
        self.flow.check_complete(obj.for_whom, obj.steps_done or [])
        values = check(obj) if check else {}
        try:
            try:
                self.move(obj, action, submitted_at=now(), **values)
            except Conflict:
                replay = self._replay(actor, scope, key, obj_id)
                if replay is not None:
                    return replay
                raise Conflict(f"该{self.noun}已提交，请勿重复提交。", code=f"{self.name}.already_submitted") from None
            if then:
                then(obj)
            self.event(obj, actor, "submitted", **(detail(obj) if detail else {}))
            body = self.present(obj, actor)
            if key:
                s.add(IdempotencyRecord(account_id=actor.account_id, scope=scope, key=key, status=200))
            s.commit()
        except IntegrityError:
            # A unique rule of the database was hit by a submit that won the race.
            s.rollback()
            replay = self._replay(actor, scope, key, obj_id)
            if replay is not None:
                return replay
            if on_integrity_error:
                on_integrity_error(obj)
            raise Conflict(f"该{self.noun}已提交，请勿重复提交。", code=f"{self.name}.already_submitted") from None
        return body

    def _replay(self, actor: Actor, scope: str, key: str | None, obj_id: int) -> dict | None:
        """A key seen before answers with what it submitted, as it is now: never a
        second move and never an error for a retry."""
        if not key:
            return None
        seen = session().scalar(select(IdempotencyRecord.id).where(
            IdempotencyRecord.account_id == actor.account_id, IdempotencyRecord.scope == scope,
            IdempotencyRecord.key == key))
        if seen is None:
            return None
        return self.present(self.load(actor, obj_id), actor)

    def expire_due(self, due, *, then: Callable[[Any], None] | None = None, **values) -> int:
        """Every row the `due` clause selects, in a status the table lets expire, moves
        through the table with an event by the system. Safe to run again."""
        expiring = [before for (before, action) in self.flow.transitions if action == "expire"]
        rows = session().scalars(select(self.model).where(self.model.status.in_(expiring), due)).all()
        return self._moved_by_the_system(rows, "expire", "expired", then, values)

    def purge_stale_drafts(self, before, action: str, *, then: Callable[[Any], None] | None = None,
                           **values) -> int:
        """Drafts nobody touched since `before` leave through the table (`action`),
        with an event by the system; `then` frees what they held (photos, signatures)."""
        rows = session().scalars(select(self.model).where(self.model.status == self.flow.editable_status,
                                                          self.model.updated_at < before)).all()
        return self._moved_by_the_system(rows, action, "purged", then, values)

    def _moved_by_the_system(self, rows, action: str, kind: str, then, values: dict) -> int:
        """The daily jobs: each row through the table, skipped if someone moved it
        meanwhile; one commit for the batch."""
        count = 0
        for obj in rows:
            after = self.flow.apply(obj.status, action)
            if not self._conditional(obj.id, obj.status, after, values):
                continue
            self.event(obj, None, kind, role="system")
            if then:
                then(obj)
            count += 1
        session().commit()
        return count

    # --- records --------------------------------------------------------------------------

    def page(self, actor: Actor | None, query, page: int, per_page: int, *order_by,
             present: Callable[[Any, Actor | None], dict] | None = None) -> dict:
        """One page of records and the total, in the given order."""
        s = session()
        total = s.scalar(select(func.count()).select_from(query.subquery()))
        rows = s.scalars(query.order_by(*order_by).offset((page - 1) * per_page).limit(per_page))
        present = present or self.present
        return {"items": [present(x, actor) for x in rows], "page": page, "per_page": per_page, "total": total}


# How long an `Idempotency-Key` is remembered: a retry comes within seconds or
# minutes; a day covers a phone that was offline overnight.
IDEMPOTENCY_HOURS = 24


def purge_idempotency_records() -> dict:
    """Forget the `Idempotency-Key`s older than a day (the daily `flask expire`)."""
    s = session()
    result = s.execute(delete(IdempotencyRecord).where(
        IdempotencyRecord.created_at < now() - timedelta(hours=IDEMPOTENCY_HOURS)))
    s.commit()
    return {"idempotency_records": result.rowcount}
