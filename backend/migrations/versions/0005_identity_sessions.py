"""identity from the real-name provider; login sessions; the registry's households

- `real_names`: what the real-name provider (WeChat 实名 / 医保电子凭证) vouched for
  each account: the registry person it matched and an HMAC of the ID number, never
  the name or number themselves.
- `login_sessions`: one per login; an access token names it in its `sid` claim and
  dies with it (logout, reuse of a refresh token).
- `household_relations`: 户籍, which an agent's declared relation is checked against.

Bindings made before this revision came from a name and an ID number typed into a
form, which proved nothing: they are undone, and every refresh token is revoked, so
each person logs in again and binds through the real-name provider.

Revision ID: 0005_identity_sessions
Revises: 0004_personal_data_at_rest (re-chained after 0004 by the integrator)
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_identity_sessions'
down_revision = '0004_personal_data_at_rest'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('real_names',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('id_digest', sa.String(length=64), nullable=False),
    sa.Column('provider', sa.String(length=32), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_real_names_account_id_accounts')),
    sa.ForeignKeyConstraint(['person_id'], ['insured_persons.id'], name=op.f('fk_real_names_person_id_insured_persons')),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_real_names'))
    )
    with op.batch_alter_table('real_names', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_real_names_person_id'), ['person_id'], unique=False)

    op.create_table('login_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_because', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_login_sessions_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_account_id'), ['account_id'], unique=False)

    op.create_table('household_relations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('relative_id', sa.Integer(), nullable=False),
    sa.Column('relation', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['insured_persons.id'], name=op.f('fk_household_relations_person_id_insured_persons')),
    sa.ForeignKeyConstraint(['relative_id'], ['insured_persons.id'], name=op.f('fk_household_relations_relative_id_insured_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_relations')),
    sa.UniqueConstraint('person_id', 'relative_id', name='uq_household_relations_pair')
    )
    with op.batch_alter_table('household_relations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_relations_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_relations_relative_id'), ['relative_id'], unique=False)

    # Typed-in bindings proved nothing: undo them; everyone logs in and binds again.
    op.execute(sa.text("UPDATE accounts SET person_id = NULL, consent_version = NULL, consent_sha256 = NULL, "
                       "consent_at = NULL WHERE person_id IS NOT NULL"))
    op.execute(sa.text("UPDATE refresh_tokens SET revoked_at = CURRENT_TIMESTAMP WHERE revoked_at IS NULL"))


def downgrade() -> None:
    with op.batch_alter_table('household_relations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_relations_relative_id'))
        batch_op.drop_index(batch_op.f('ix_household_relations_person_id'))
    op.drop_table('household_relations')
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_account_id'))
    op.drop_table('login_sessions')
    with op.batch_alter_table('real_names', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_real_names_person_id'))
    op.drop_table('real_names')
