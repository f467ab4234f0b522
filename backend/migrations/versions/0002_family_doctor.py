"""family doctor: catalogue (institutions, teams, members, packages) and sign-ups

The partial unique index `uq_fd_signups_one_open` holds "one pending or active
contract per person" in the database itself (SQLite and PostgreSQL both support it).

Revision ID: 0002_family_doctor
Revises: 0001
Create Date: 2026-11-24 18:02:49.400696
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_family_doctor'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fd_institutions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('district', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fd_institutions')),
    sa.UniqueConstraint('code', name=op.f('uq_fd_institutions_code'))
    )
    with op.batch_alter_table('fd_institutions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fd_institutions_region'), ['region'], unique=False)

    op.create_table('fd_packages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=48), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('includes', sa.JSON(), nullable=False),
    sa.Column('outpatient_ratio_percent', sa.Integer(), nullable=True),
    sa.Column('outpatient_annual_limit', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['institution_id'], ['fd_institutions.id'], name=op.f('fk_fd_packages_institution_id_fd_institutions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fd_packages')),
    sa.UniqueConstraint('code', name=op.f('uq_fd_packages_code'))
    )
    with op.batch_alter_table('fd_packages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fd_packages_institution_id'), ['institution_id'], unique=False)

    op.create_table('fd_teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('intro', sa.String(length=500), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('signed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['fd_institutions.id'], name=op.f('fk_fd_teams_institution_id_fd_institutions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fd_teams')),
    sa.UniqueConstraint('code', name=op.f('uq_fd_teams_code'))
    )
    with op.batch_alter_table('fd_teams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fd_teams_institution_id'), ['institution_id'], unique=False)

    op.create_table('fd_team_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=64), nullable=True),
    sa.Column('organisation', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['fd_teams.id'], name=op.f('fk_fd_team_members_team_id_fd_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fd_team_members'))
    )
    with op.batch_alter_table('fd_team_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fd_team_members_team_id'), ['team_id'], unique=False)

    op.create_table('fd_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('for_whom', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('steps_done', sa.JSON(), nullable=False),
    sa.Column('created_by_account_id', sa.Integer(), nullable=False),
    sa.Column('agent_person_id', sa.Integer(), nullable=True),
    sa.Column('family_member_id', sa.Integer(), nullable=True),
    sa.Column('resident_person_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('health_tags', sa.JSON(), nullable=False),
    sa.Column('key_groups', sa.JSON(), nullable=False),
    sa.Column('health_consent_version', sa.String(length=32), nullable=True),
    sa.Column('health_consent_sha256', sa.String(length=64), nullable=True),
    sa.Column('health_consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('agreement_version', sa.String(length=32), nullable=True),
    sa.Column('agreement_sha256', sa.String(length=64), nullable=True),
    sa.Column('agreement_accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signature_key', sa.String(length=128), nullable=True),
    sa.Column('signature_sha256', sa.String(length=64), nullable=True),
    sa.Column('signer_person_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reject_reason', sa.String(length=500), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('renewals', sa.Integer(), nullable=False),
    sa.Column('renewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=32), nullable=True),
    sa.Column('cancel_note', sa.String(length=500), nullable=True),
    sa.Column('expired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_person_id'], ['insured_persons.id'], name=op.f('fk_fd_signups_agent_person_id_insured_persons')),
    sa.ForeignKeyConstraint(['created_by_account_id'], ['accounts.id'], name=op.f('fk_fd_signups_created_by_account_id_accounts')),
    sa.ForeignKeyConstraint(['family_member_id'], ['family_members.id'], name=op.f('fk_fd_signups_family_member_id_family_members')),
    sa.ForeignKeyConstraint(['resident_person_id'], ['insured_persons.id'], name=op.f('fk_fd_signups_resident_person_id_insured_persons')),
    sa.ForeignKeyConstraint(['signer_person_id'], ['insured_persons.id'], name=op.f('fk_fd_signups_signer_person_id_insured_persons')),
    sa.ForeignKeyConstraint(['team_id'], ['fd_teams.id'], name=op.f('fk_fd_signups_team_id_fd_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fd_signups'))
    )
    with op.batch_alter_table('fd_signups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fd_signups_created_by_account_id'), ['created_by_account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fd_signups_resident_person_id'), ['resident_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fd_signups_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_fd_signups_team_id'), ['team_id'], unique=False)
        batch_op.create_index('uq_fd_signups_one_open', ['resident_person_id'], unique=True, sqlite_where=sa.text("status IN ('pending', 'active')"), postgresql_where=sa.text("status IN ('pending', 'active')"))

    op.create_table('fd_signup_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signup_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_person_id', sa.Integer(), nullable=True),
    sa.Column('on_behalf_of_person_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_person_id'], ['insured_persons.id'], name=op.f('fk_fd_signup_events_actor_person_id_insured_persons')),
    sa.ForeignKeyConstraint(['on_behalf_of_person_id'], ['insured_persons.id'], name=op.f('fk_fd_signup_events_on_behalf_of_person_id_insured_persons')),
    sa.ForeignKeyConstraint(['signup_id'], ['fd_signups.id'], name=op.f('fk_fd_signup_events_signup_id_fd_signups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fd_signup_events'))
    )
    with op.batch_alter_table('fd_signup_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fd_signup_events_signup_id'), ['signup_id'], unique=False)

    op.create_table('fd_signup_packages',
    sa.Column('signup_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['fd_packages.id'], name=op.f('fk_fd_signup_packages_package_id_fd_packages')),
    sa.ForeignKeyConstraint(['signup_id'], ['fd_signups.id'], name=op.f('fk_fd_signup_packages_signup_id_fd_signups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('signup_id', 'package_id', name=op.f('pk_fd_signup_packages'))
    )


def downgrade() -> None:
    op.drop_table('fd_signup_packages')
    with op.batch_alter_table('fd_signup_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fd_signup_events_signup_id'))

    op.drop_table('fd_signup_events')
    with op.batch_alter_table('fd_signups', schema=None) as batch_op:
        batch_op.drop_index('uq_fd_signups_one_open', sqlite_where=sa.text("status IN ('pending', 'active')"), postgresql_where=sa.text("status IN ('pending', 'active')"))
        batch_op.drop_index(batch_op.f('ix_fd_signups_team_id'))
        batch_op.drop_index(batch_op.f('ix_fd_signups_status'))
        batch_op.drop_index(batch_op.f('ix_fd_signups_resident_person_id'))
        batch_op.drop_index(batch_op.f('ix_fd_signups_created_by_account_id'))

    op.drop_table('fd_signups')
    with op.batch_alter_table('fd_team_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fd_team_members_team_id'))

    op.drop_table('fd_team_members')
    with op.batch_alter_table('fd_teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fd_teams_institution_id'))

    op.drop_table('fd_teams')
    with op.batch_alter_table('fd_packages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fd_packages_institution_id'))

    op.drop_table('fd_packages')
    with op.batch_alter_table('fd_institutions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fd_institutions_region'))

    op.drop_table('fd_institutions')
