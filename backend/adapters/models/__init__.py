"""Tables, one module per feature. Alembic migrations are the only way they come to exist."""

from backend.adapters.models.base import Base
from backend.adapters.models.accounts import Account, RefreshToken, FamilyMember, IdempotencyRecord
from backend.adapters.models.registry import InsuredPerson, InsuranceRecord, Region, Document
from backend.adapters.models.filings import Filing, FilingEvent, Attachment, Settlement
from backend.adapters.models.family_doctor import Institution, Team, TeamMember, ServicePackage, Signup, SignupEvent
from backend.adapters.models.partners import PartnerKey
from backend.adapters.models.access import AccessLogEntry
from backend.adapters.models.identity import HouseholdRelation, LoginSession, RealNameRecord
from backend.adapters.models.messages import Message
from backend.adapters.models.qa import QaClock
from backend.adapters.models.calendar import HolidayYear
# --- work-injury filing (seed 001) ---
from backend.adapters.models.work_injury import WiAttachment, WiFiling, WiFilingEvent, WiSettlement, WorkInjuryRecord
# rescue fund (seed 000)
from backend.adapters.models.rescue import (RescueApplication, RescueEvent, RescueHospital, RescueNotice,
                                           RescuePage, RescuePayment)

__all__ = [
    "Base", "Account", "RefreshToken", "FamilyMember", "IdempotencyRecord",
    "InsuredPerson", "InsuranceRecord", "Region", "Document",
    "Filing", "FilingEvent", "Attachment", "Settlement",
    "Institution", "Team", "TeamMember", "ServicePackage", "Signup", "SignupEvent", "PartnerKey",
    "AccessLogEntry", "HouseholdRelation", "LoginSession", "RealNameRecord", "Message", "QaClock", "HolidayYear",
    # work-injury filing
    "WorkInjuryRecord", "WiFiling", "WiFilingEvent", "WiAttachment", "WiSettlement",
    # rescue fund
    "RescueApplication", "RescueEvent", "RescueHospital", "RescueNotice", "RescuePage", "RescuePayment",
]
