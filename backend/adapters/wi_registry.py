"""The work-injury registry (工伤认定 and the confirmations after it), run by 人社, not
by 医保: its own adapter beside the insurance registry, asked by the worker's ID number.

The demo stand-in reads `work_injury_records` (seeded from
`backend/data/demo_work_injuries.json`, and by `POST /qa/work-injuries` outside
production). A real deployment replaces `recognised()` and `one()` with the provincial
人社 system's query; nothing else in the app reads that table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from backend.adapters import db
from backend.adapters.models import WorkInjuryRecord


@dataclass(frozen=True)
class Injury:
    id: int
    basis: str
    decision_no: str
    decided_on: date
    injury: str
    employer: str
    insured_region: str


def _injury(row: WorkInjuryRecord) -> Injury:
    return Injury(row.id, row.basis, row.decision_no, row.decided_on, row.injury, row.employer, row.insured_region)


def recognised(id_number: str) -> list[Injury]:
    """The person's completed recognitions (and confirmations), oldest first."""
    rows = db.session().scalars(select(WorkInjuryRecord).where(
        WorkInjuryRecord.id_number_is(id_number), WorkInjuryRecord.status == "recognised")
        .order_by(WorkInjuryRecord.decided_on, WorkInjuryRecord.id))
    return [_injury(r) for r in rows]


def record(id_number: str, name: str, basis: str, decision_no: str, decided_on: date, injury: str,
           employer: str, insured_region: str) -> Injury:
    """The demo registry only: a recognition is recorded (seeding, QA)."""
    row = WorkInjuryRecord(id_number=id_number, name=name, basis=basis, decision_no=decision_no,
                           decided_on=decided_on, injury=injury, employer=employer, insured_region=insured_region,
                           status="recognised")
    db.session().add(row)
    db.session().flush()
    return _injury(row)
