"""authorship and the access log: every act names its account and capacity, every
look at someone else's personal data is logged; accounts can be erased

- `filing_events`, `fd_signup_events`: `actor_account_id` (the account that acted;
  none for a partner or the system) and `actor_organisation` (the partner
  organisation, when one acted);
- `access_log`: who looked at whose ID photo, signature or record, and every public
  verification of a certificate (PIPL art. 45: the person can read it);
- `accounts.erased_at`: an erased account keeps only its id (PIPL art. 47), so the
  records the insurance agency must keep still point at a row.

Revision ID: 0006_authorship_access_log
Revises: 0005_identity_sessions
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_authorship_access_log'
down_revision = '0005_identity_sessions'
branch_labels = None
depends_on = None

EVENT_TABLES = ('filing_events', 'fd_signup_events')


def upgrade() -> None:
    for table in EVENT_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('actor_account_id', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('actor_organisation', sa.String(length=100), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_actor_account_id_accounts'), 'accounts',
                                        ['actor_account_id'], ['id'])
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('access_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_account_id', sa.Integer(), nullable=True),
    sa.Column('actor_person_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=16), nullable=False),
    sa.Column('actor_organisation', sa.String(length=100), nullable=True),
    sa.Column('subject_person_id', sa.Integer(), nullable=False),
    sa.Column('act', sa.String(length=32), nullable=False),
    sa.Column('record_kind', sa.String(length=16), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_account_id'], ['accounts.id'], name=op.f('fk_access_log_actor_account_id_accounts')),
    sa.ForeignKeyConstraint(['actor_person_id'], ['insured_persons.id'], name=op.f('fk_access_log_actor_person_id_insured_persons')),
    sa.ForeignKeyConstraint(['subject_person_id'], ['insured_persons.id'], name=op.f('fk_access_log_subject_person_id_insured_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log'))
    )
    op.create_index('ix_access_log_subject_at', 'access_log', ['subject_person_id', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_access_log_subject_at', table_name='access_log')
    op.drop_table('access_log')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
    for table in EVENT_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_actor_account_id_accounts'), type_='foreignkey')
            batch_op.drop_column('actor_organisation')
            batch_op.drop_column('actor_account_id')
