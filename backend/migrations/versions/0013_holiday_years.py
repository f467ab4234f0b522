"""holiday_years: official holiday arrangements an operator installs (`flask holidays load`)

The `chinese-calendar` package holds the State Council's notices up to 2026; a later
year's notice is loaded from a file into this table, shared by every server, and
replaces the provisional entry of backend/data/cn_holidays.json.

Revision ID: 0013_holiday_years
Revises: 0012_rescue_one_open
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_holiday_years'
down_revision = '0012_rescue_one_open'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('holiday_years',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('holidays', sa.JSON(), nullable=False),
    sa.Column('adjusted_workdays', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_holiday_years'))
    )


def downgrade() -> None:
    op.drop_table('holiday_years')
