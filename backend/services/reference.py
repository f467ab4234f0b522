"""Reference data, read once per process: the region table and the versioned
documents (notice, pledge, agreements, consents).

Both change only when the app is deployed (`flask seed` at start adds what a new
release brings), never while it serves: every process keeps its own read-only copy,
loaded on first use (never while the tables are still empty) and dropped when this
process writes either table (`seed_reference`, a test publishing a new version), so
that no request looks a region name up row by row again. Another process that
seeds has no way to tell this one: a new document version is published by a deploy,
which restarts every process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from flask import current_app, has_app_context
from sqlalchemy import event, select

from backend.adapters.models import Document, Region
from backend.services.runtime import session

_KEY = "yibao_reference"


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    parent: str | None
    level: str


@dataclass(frozen=True)
class DocumentRow:
    """The current version of a document, as `Document` has it."""

    id: int
    name: str
    version: str
    title: str
    body: str
    sha256: str


@dataclass(frozen=True)
class Reference:
    regions: dict[str, RegionRow]
    documents: dict[str, DocumentRow]   # name -> the current (latest published) version

    @cached_property
    def region_codes(self) -> frozenset[str]:
        return frozenset(self.regions)


def reference() -> Reference:
    cached = current_app.extensions.get(_KEY)
    if cached is None:
        cached = _load()
        if cached.regions:  # an empty table (not seeded yet) is read again next time
            current_app.extensions[_KEY] = cached
    return cached


def _load() -> Reference:
    s = session()
    regions = {r.code: RegionRow(r.code, r.name, r.parent, r.level)
               for r in s.scalars(select(Region).order_by(Region.code))}
    documents: dict[str, DocumentRow] = {}
    # Oldest first: the last one of a name is its current version.
    for d in s.scalars(select(Document).order_by(Document.published_at, Document.id)):
        documents[d.name] = DocumentRow(d.id, d.name, d.version, d.title, d.body, d.sha256)
    return Reference(regions, documents)


def forget() -> None:
    """Read the tables again on next use (this process wrote one of them)."""
    if has_app_context():
        current_app.extensions.pop(_KEY, None)


def _written(*_args) -> None:
    forget()


for _model in (Region, Document):
    for _when in ("after_insert", "after_update", "after_delete"):
        event.listen(_model, _when, _written)
