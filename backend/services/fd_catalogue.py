"""The family-doctor catalogue: institutions, their teams and packages (seed 001).

Browsing is public: a resident chooses a team before logging in. The demo
catalogue comes from `data/family_doctor.json`; seeding it is idempotent (rows are
found by their `code`, and a team's `signed` count is never reset by a re-seed).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import defaultload, selectinload

from backend.adapters.models import Institution, ServicePackage, Team, TeamMember
from backend.domain import family_doctor as rules
from backend.domain.errors import NotFound
from backend.services.documents import load_json, region_name
from backend.services.runtime import session


# --- views ---------------------------------------------------------------------

def price(value: Decimal) -> float:
    return float(value)


def package_view(p: ServicePackage) -> dict:
    return {
        "id": p.id, "kind": p.kind, "kind_label": rules.PACKAGE_KIND_LABELS[p.kind], "name": p.name,
        "price": price(p.price), "free": p.price == 0, "self_paid": p.kind == "personalized",
        "includes": list(p.includes or []),
        "key_groups_only": p.kind == "value_added",
        "outpatient_ratio_percent": p.outpatient_ratio_percent,
        "outpatient_annual_limit": p.outpatient_annual_limit,
        "note": p.note,
    }


def member_view(m: TeamMember) -> dict:
    return {"name": m.name, "role": m.role, "role_label": rules.ROLE_LABELS[m.role], "title": m.title,
            "organisation": m.organisation}


def team_view(t: Team, *, with_packages: bool = False) -> dict:
    members = sorted(t.members, key=lambda m: (rules.ROLES.index(m.role), m.id))
    view = {
        "id": t.id, "name": t.name, "institution_id": t.institution_id, "institution_name": t.institution.name,
        "intro": t.intro, "capacity": t.capacity, "signed": t.signed, "available": max(t.capacity - t.signed, 0),
        "full": t.signed >= t.capacity,
        "members": [member_view(m) for m in members],
        "has_specialist": any(m.role == "specialist" for m in members),
    }
    if with_packages:
        view["packages"] = [package_view(p) for p in t.institution.packages]
    return view


def institution_view(i: Institution, *, with_packages: bool = False) -> dict:
    view = {
        "id": i.id, "name": i.name, "kind": i.kind, "kind_label": rules.INSTITUTION_KIND_LABELS[i.kind],
        "region": i.region, "region_name": region_name(i.region), "district": i.district, "address": i.address,
        "phone": i.phone, "teams": [team_view(t) for t in i.teams],
    }
    if with_packages:
        view["packages"] = [package_view(p) for p in i.packages]
    return view


# --- browsing --------------------------------------------------------------------

def institutions(region: str | None, q: str | None) -> list[dict]:
    """By city (`430100`) or province (`430000`: every city in it), and by a text
    found in the name, district or address."""
    query = (select(Institution).order_by(Institution.region, Institution.id)
             .options(selectinload(Institution.teams).selectinload(Team.members)))
    if region:
        if region.endswith("0000"):
            query = query.where(Institution.region.startswith(region[:2], autoescape=True))
        else:
            query = query.where(Institution.region == region)
    text = (q or "").strip()
    if text:
        query = query.where(or_(Institution.name.contains(text, autoescape=True),
                                Institution.district.contains(text, autoescape=True),
                                Institution.address.contains(text, autoescape=True)))
    return [institution_view(i) for i in session().scalars(query)]


def institution(institution_id: int) -> dict:
    found = session().get(Institution, institution_id, options=[
        selectinload(Institution.teams).selectinload(Team.members), selectinload(Institution.packages)])
    if found is None:
        raise NotFound("未找到该医疗卫生机构。", code="fd.institution_not_found")
    return institution_view(found, with_packages=True)


def team(team_id: int) -> dict:
    found = session().get(Team, team_id, options=[
        selectinload(Team.members), defaultload(Team.institution).selectinload(Institution.packages)])
    if found is None:
        raise NotFound("未找到该家庭医生团队。", code="fd.team_not_found")
    return team_view(found, with_packages=True)


# --- the demo catalogue ------------------------------------------------------------

def seed_catalogue() -> dict:
    """Institutions, teams, members and packages of `data/family_doctor.json`.
    Each row is checked against seed 001's rules before it is stored."""
    data = load_json("family_doctor.json")
    s = session()
    counts = {"fd_institutions": 0, "fd_teams": 0, "fd_packages": 0}
    known_institutions = {i.code: i for i in s.scalars(select(Institution))}
    known_teams = set(s.scalars(select(Team.code)))
    known_packages = set(s.scalars(select(ServicePackage.code)))
    for raw in data["institutions"]:
        inst = known_institutions.get(raw["code"])
        if inst is None:
            if raw["kind"] not in rules.INSTITUTION_KINDS:
                raise ValueError(f"{raw['code']}: unknown institution kind {raw['kind']!r}")
            inst = Institution(code=raw["code"], name=raw["name"], kind=raw["kind"], region=raw["region"],
                               district=raw["district"], address=raw["address"], phone=raw.get("phone"))
            s.add(inst)
            s.flush()
            counts["fd_institutions"] += 1
        packages = [{"code": f"{raw['code']}-{kind}", "kind": kind, **data["standard_packages"][kind]}
                    for kind in ("basic", "value_added")]
        packages += [{"kind": "personalized", **p} for p in raw["personalized"]]
        for p in packages:
            if p["code"] in known_packages:
                continue
            rules.check_package(p["kind"], p["price"], p["includes"],
                                outpatient_ratio_percent=p.get("outpatient_ratio_percent"),
                                outpatient_annual_limit=p.get("outpatient_annual_limit"))
            s.add(ServicePackage(code=p["code"], institution_id=inst.id, kind=p["kind"], name=p["name"],
                                 price=Decimal(str(p["price"])), includes=p["includes"],
                                 outpatient_ratio_percent=p.get("outpatient_ratio_percent"),
                                 outpatient_annual_limit=p.get("outpatient_annual_limit"), note=p.get("note")))
            counts["fd_packages"] += 1
        for t in raw["teams"]:
            if t["code"] in known_teams:
                continue
            rules.check_team([m["role"] for m in t["members"]], t["capacity"], t["signed"])
            team_row = Team(code=t["code"], institution_id=inst.id, name=t["name"], intro=t.get("intro"),
                            capacity=t["capacity"], signed=t["signed"])
            team_row.members = [TeamMember(name=m["name"], role=m["role"], title=m.get("title"),
                                           organisation=m.get("organisation")) for m in t["members"]]
            s.add(team_row)
            counts["fd_teams"] += 1
    s.commit()
    return counts
