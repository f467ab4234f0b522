"""Partner organisations and what each may do (api.md, "Partner side").

Every key belongs to one organisation with one role, and acts only within its scope:
the settlement system records settlements against any filing (scope `*`); a
family-doctor team answers its own sign-ups (scope: the team's id); traffic police
register rescue-fund notices for accidents in their region (a region code); a
province's rescue-fund manager handles that province's applications (2-digit
province code); a hospital uploads materials for its own patients (its id); a
work-injury agency answers referral filings of people insured in its region.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.domain.errors import Forbidden, Invalid

ROLES = ("settlement", "fd_team", "police", "fund_manager", "hospital", "wi_agency")


@dataclass(frozen=True)
class Partner:
    id: int
    organisation: str
    role: str
    scope: str


def out_of_scope(message: str) -> Forbidden:
    return Forbidden(message, code="partner.out_of_scope")


def check_role(partner: Partner, roles: tuple[str, ...]) -> None:
    if partner.role not in roles:
        raise out_of_scope(f"“{partner.organisation}”的密钥无权办理此项业务。")


def check_team(partner: Partner, team_id: int) -> None:
    """A family-doctor team answers its own sign-ups only."""
    check_role(partner, ("fd_team",))
    if partner.scope != str(team_id):
        raise out_of_scope(f"该签约申请不属于“{partner.organisation}”，无权处理。")


def check_scope_value(role: str, scope: str) -> None:
    """What a scope must look like for its role (checked when a key is made)."""
    valid = {
        "settlement": scope == "*",
        "fd_team": scope.isdigit(),
        "police": scope.isdigit() and len(scope) == 6,
        "fund_manager": scope.isdigit() and len(scope) == 2,
        "hospital": scope.isdigit(),
        "wi_agency": scope.isdigit() and len(scope) == 6,
    }
    if role not in ROLES:
        raise Invalid(f"unknown role {role!r}; one of {', '.join(ROLES)}", code="partner.role_invalid")
    if not valid[role]:
        raise Invalid(f"scope {scope!r} does not fit role {role!r} (settlement: *, fd_team: a team id, "
                      "police/wi_agency: a 6-digit region, fund_manager: a 2-digit province, hospital: an id)",
                      code="partner.scope_invalid")
