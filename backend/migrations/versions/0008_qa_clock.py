"""the QA clock: one row, how far QA moved the app's clock (outside production only)

Revision ID: 0008_qa_clock
Revises: 0007_partner_keys
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_qa_clock'
down_revision = '0007_partner_keys'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('qa_clock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offset_seconds', sa.Float(), nullable=False),
    sa.Column('moved_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_clock'))
    )


def downgrade() -> None:
    op.drop_table('qa_clock')
