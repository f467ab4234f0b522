"""scoped partner keys: one organisation, one role, one scope; stored hashed

Revision ID: 0007_partner_keys
Revises: 0006_authorship_access_log
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_partner_keys'
down_revision = '0006_authorship_access_log'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('partner_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_sha256', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('organisation', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_keys')),
    sa.UniqueConstraint('key_sha256', name=op.f('uq_partner_keys_key_sha256'))
    )


def downgrade() -> None:
    op.drop_table('partner_keys')
