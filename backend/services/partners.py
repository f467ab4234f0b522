"""Partner keys: made, listed and revoked from the CLI; checked on every partner
request. Outside production the demo keys of api.md are seeded; production never
accepts a demo key, even one left in its database."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select

from backend.adapters.models import PartnerKey, RescueHospital, Team
from backend.domain import partners as rules
from backend.domain.errors import Unauthorized
from backend.services.runtime import now, session, setting


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def authenticate(key: str | None) -> rules.Partner:
    """The partner a key belongs to: an unknown, revoked or (in production) demo key
    is 401, compared by digest in constant time."""
    if key:
        digest = _digest(key)
        row = session().scalar(select(PartnerKey).where(PartnerKey.key_sha256 == digest,
                                                        PartnerKey.revoked_at.is_(None)))
        if row is not None and hmac.compare_digest(row.key_sha256, digest) \
                and not (row.demo and setting("ENV_NAME") == "production"):
            return rules.Partner(row.id, row.organisation, row.role, row.scope)
    raise Unauthorized("合作方密钥无效。", code="partner.key_invalid")


def _add(organisation: str, role: str, scope: str, key: str, demo: bool) -> PartnerKey:
    rules.check_scope_value(role, scope)
    row = PartnerKey(key_sha256=_digest(key), prefix=key[:12], organisation=organisation, role=role, scope=scope,
                     demo=demo)
    session().add(row)
    return row


def create(organisation: str, role: str, scope: str) -> tuple[str, int]:
    """A new key; the key itself is shown once and never stored."""
    key = "yb_" + secrets.token_urlsafe(32)
    row = _add(organisation, role, scope, key, demo=False)
    session().commit()
    return key, row.id


def listing() -> list[dict]:
    rows = session().scalars(select(PartnerKey).order_by(PartnerKey.id))
    return [{"id": r.id, "prefix": r.prefix, "organisation": r.organisation, "role": r.role, "scope": r.scope,
             "demo": r.demo, "revoked": r.revoked_at is not None} for r in rows]


def revoke(key_id: int) -> bool:
    row = session().get(PartnerKey, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = now()
    session().commit()
    return True


def real_keys() -> int:
    """Active keys that are not demo keys: production needs at least one."""
    return len(session().scalars(select(PartnerKey.id).where(PartnerKey.revoked_at.is_(None),
                                                              PartnerKey.demo.is_(False))).all())


def whoami(partner: rules.Partner) -> dict:
    return {"organisation": partner.organisation, "role": partner.role, "scope": partner.scope}


# The demo keys of api.md ("Partner side"), seeded outside production only.
DEMO_KEYS = (
    ("demo-settlement-key", "国家医保信息平台（异地就医结算）", "settlement", "*"),
    ("demo-police-140300", "阳泉市公安局交通警察支队", "police", "140300"),
    ("demo-fund-manager-14", "山西省道路交通事故社会救助基金管理中心", "fund_manager", "14"),
    ("demo-wi-agency-650100", "乌鲁木齐市工伤保险经办机构", "wi_agency", "650100"),
)


def seed_demo_keys() -> dict:
    """Idempotent; outside production only (backend/services/seed.py)."""
    wanted = list(DEMO_KEYS) + [(f"demo-fd-team-{t.id}", f"{t.institution.name}{t.name}"[:100], "fd_team", str(t.id))
                                for t in session().scalars(select(Team).order_by(Team.id))]
    # rescue fund: a key for every green-channel demo hospital
    wanted += [(f"demo-hospital-{h.id}", h.name, "hospital", str(h.id))
               for h in session().scalars(select(RescueHospital).order_by(RescueHospital.id))]
    have = set(session().scalars(select(PartnerKey.key_sha256)))
    made = 0
    for key, organisation, role, scope in wanted:
        if _digest(key) not in have:
            _add(organisation, role, scope, key, demo=True)
            made += 1
    session().commit()
    return {"partner_keys": made}
