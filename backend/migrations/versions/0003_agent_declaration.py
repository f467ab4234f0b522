"""proxy filing: the agent's declaration (代办承诺), accepted and signed by hand

seed 002, 为他人备案: the agent confirms and signs before uploading the photos, and
signs the personal pledge at the end; so a filing keeps both signatures.

Revision ID: 0003_agent_declaration
Revises: 0002_family_doctor
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_agent_declaration'
down_revision = '0002_family_doctor'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agent_declaration_version', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('agent_declaration_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('agent_declaration_accepted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('agent_declaration_signature_key', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('agent_declaration_signature_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('agent_declaration_signed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('filings', schema=None) as batch_op:
        for name in ('agent_declaration_signed_at', 'agent_declaration_signature_sha256',
                     'agent_declaration_signature_key', 'agent_declaration_accepted_at',
                     'agent_declaration_sha256', 'agent_declaration_version'):
            batch_op.drop_column(name)
