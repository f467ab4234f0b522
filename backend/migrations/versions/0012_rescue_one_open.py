"""rescue fund: one open application per notice number, victim and kind, held by the database

The service refuses a second open application (409 `rescue.duplicate`) before it
writes; this partial unique index catches the race that check cannot see: two drafts
submitted in the same instant. The victim is `victim_key` (the ID number's blind index,
or `unidentified`), never the encrypted number. "Open" is the domain file's table:
submitted, returned, approved, paid.

Rows that already break the rule stop the upgrade with their numbers: the fund manager
must first withdraw or reject one of each pair (nothing here chooses for them).

Revision ID: 0012_rescue_one_open
Revises: 0011_rescue_fund
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_rescue_one_open'
down_revision = '0011_rescue_fund'
branch_labels = None
depends_on = None

OPEN = "status IN ('submitted', 'returned', 'approved', 'paid')"
COLUMNS = ['police_notice_no', 'victim_key', 'kind']


def upgrade() -> None:
    clashes = op.get_bind().execute(sa.text(
        f"SELECT police_notice_no, kind, COUNT(*) FROM rescue_applications WHERE {OPEN} "
        "GROUP BY police_notice_no, victim_key, kind HAVING COUNT(*) > 1")).all()
    if clashes:
        names = "; ".join(f"{notice} ({kind}): {count}" for notice, kind, count in clashes)
        raise RuntimeError("rescue_applications holds more than one open application for the same notice, "
                           f"victim and kind ({names}); withdraw or reject the extra ones, then migrate again")
    with op.batch_alter_table('rescue_applications', schema=None) as batch_op:
        batch_op.create_index('uq_rescue_applications_one_open', COLUMNS, unique=True,
                              sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade() -> None:
    with op.batch_alter_table('rescue_applications', schema=None) as batch_op:
        batch_op.drop_index('uq_rescue_applications_one_open', sqlite_where=sa.text(OPEN),
                            postgresql_where=sa.text(OPEN))
