"""Filing advice and health: read-only answers."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from backend.domain import filing as rules
from backend.domain.errors import DomainError, Invalid
from backend.services import documents
from backend.services.reference import reference
from backend.services.runtime import session


def known_region_codes() -> frozenset[str]:
    """Every GB/T 2260 code in the region table (reference data, read once per process)."""
    return reference().region_codes


def advice(scheme: str, insured_region: str, destination_region: str, situation: str) -> dict:
    errors = {f: ["请选择地级市（6位行政区划代码）。"] for f, code in
              (("insured_region", insured_region), ("destination_region", destination_region))
              if not documents.is_city(code)}
    if errors:
        raise Invalid("地区代码有误，请选择地级市。", code="region.unknown", errors=errors)
    return asdict(rules.advise(scheme, insured_region, destination_region, situation))


class Unavailable(DomainError):
    kind = "unavailable"
    code = "server.database_unavailable"
    message = "系统暂时无法访问数据库，请稍后再试。"


def health() -> dict:
    try:
        session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        session().rollback()
        raise Unavailable() from None
    return {"status": "ok"}
