"""Versioned documents (notice, pledge, agreement, consents) and reference data."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from backend.domain.errors import Conflict, Invalid, NotFound
from backend.services.reference import DocumentRow, reference

DATA = Path(__file__).resolve().parents[1] / "data"
PUBLIC_DOCUMENTS = ("filing-notice", "filing-pledge", "agent-declaration", "signup-agreement", "identity-consent", "health-consent",
                    "wi-filing-notice", "wi-filing-pledge",
                    # rescue fund (seed 000)
                    "rescue-notice", "rescue-application")


def read_document_file(path: Path) -> dict:
    header, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    meta = dict(line.split(": ", 1) for line in header.splitlines())
    body = body.strip() + "\n"
    return {"name": path.stem, "version": meta["version"], "title": meta["title"], "body": body,
            "sha256": hashlib.sha256(body.encode("utf-8")).hexdigest()}


def current(name: str) -> DocumentRow:
    """The latest published version (reference data: read once per process)."""
    doc = reference().documents.get(name)
    if doc is None or name not in PUBLIC_DOCUMENTS:
        raise NotFound("未找到该文书。", code="document.not_found")
    return doc


def accepted(name: str, accepted: bool, version: str, *, code: str, tick_hint: str) -> DocumentRow:
    """The current version of a document a person has just ticked and accepted.

    Refused when not ticked (422), or when the version read is no longer the current
    one (409): consent counts only for the text that was actually shown."""
    doc = current(name)
    if accepted is not True:
        raise Invalid(tick_hint, code=f"{code}_not_accepted", errors={"accepted": ["须同意后才能继续。"]})
    if version != doc.version:
        raise Conflict(f"《{doc.title}》已更新为 {doc.version} 版，请重新阅读后再同意。",
                       code=f"{code}_outdated", errors={"version": [f"当前版本为 {doc.version}。"]})
    return doc


def get(name: str) -> dict:
    doc = current(name)
    return {"name": doc.name, "version": doc.version, "title": doc.title, "body": doc.body, "sha256": doc.sha256}


def regions(parent: str | None) -> list[dict]:
    rows = reference().regions.values()  # in code order
    chosen = [r for r in rows if r.parent == parent] if parent else [r for r in rows if r.level == "province"]
    return [{"code": r.code, "name": r.name, "parent": r.parent, "level": r.level} for r in chosen]


def region_name(code: str | None) -> str | None:
    region = reference().regions.get(code) if code else None
    return region.name if region else None


def is_city(code: str | None) -> bool:
    region = reference().regions.get(code) if code else None
    return bool(region and region.level == "city")


def load_json(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))
