"""work-injury cross-province filing (seed 001): the demo work-injury registry, filings,
their history, photos and settlements

Revision ID: 0010_work_injury
Revises: 0009_messages
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_work_injury'
down_revision = '0009_messages'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('work_injury_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_number', sa.Text(), nullable=False),
    sa.Column('id_number_index', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('basis', sa.String(length=32), nullable=False),
    sa.Column('decision_no', sa.String(length=64), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('injury', sa.String(length=200), nullable=False),
    sa.Column('employer', sa.String(length=200), nullable=False),
    sa.Column('insured_region', sa.String(length=6), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_injury_records'))
    )
    op.create_index(op.f('ix_work_injury_records_id_number_index'), 'work_injury_records', ['id_number_index'], unique=False)

    op.create_table('wi_filings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('for_whom', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('steps_done', sa.JSON(), nullable=False),
    sa.Column('created_by_account_id', sa.Integer(), nullable=False),
    sa.Column('agent_person_id', sa.Integer(), nullable=True),
    sa.Column('agent_phone', sa.Text(), nullable=True),
    sa.Column('relation', sa.String(length=16), nullable=True),
    sa.Column('insured_person_id', sa.Integer(), nullable=True),
    sa.Column('injury_record_id', sa.Integer(), nullable=True),
    sa.Column('basis', sa.String(length=32), nullable=True),
    sa.Column('decision_no', sa.String(length=64), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('injury', sa.String(length=200), nullable=True),
    sa.Column('employer', sa.String(length=200), nullable=True),
    sa.Column('insured_region', sa.String(length=6), nullable=True),
    sa.Column('notice_version', sa.String(length=32), nullable=True),
    sa.Column('notice_sha256', sa.String(length=64), nullable=True),
    sa.Column('notice_accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('filing_type', sa.String(length=16), nullable=True),
    sa.Column('destination_region', sa.String(length=6), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('institution', sa.String(length=200), nullable=True),
    sa.Column('referred_by_institution', sa.String(length=200), nullable=True),
    sa.Column('referral_no', sa.String(length=64), nullable=True),
    sa.Column('services', sa.JSON(), nullable=False),
    sa.Column('contact_name', sa.Text(), nullable=True),
    sa.Column('contact_phone', sa.Text(), nullable=True),
    sa.Column('pledge_version', sa.String(length=32), nullable=True),
    sa.Column('pledge_sha256', sa.String(length=64), nullable=True),
    sa.Column('signature_key', sa.String(length=128), nullable=True),
    sa.Column('signature_sha256', sa.String(length=64), nullable=True),
    sa.Column('signer_person_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('filing_no', sa.String(length=40), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('reject_reason', sa.String(length=500), nullable=True),
    sa.Column('verification_token', sa.String(length=64), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_person_id'], ['insured_persons.id'], name=op.f('fk_wi_filings_agent_person_id_insured_persons')),
    sa.ForeignKeyConstraint(['created_by_account_id'], ['accounts.id'], name=op.f('fk_wi_filings_created_by_account_id_accounts')),
    sa.ForeignKeyConstraint(['injury_record_id'], ['work_injury_records.id'], name=op.f('fk_wi_filings_injury_record_id_work_injury_records')),
    sa.ForeignKeyConstraint(['insured_person_id'], ['insured_persons.id'], name=op.f('fk_wi_filings_insured_person_id_insured_persons')),
    sa.ForeignKeyConstraint(['signer_person_id'], ['insured_persons.id'], name=op.f('fk_wi_filings_signer_person_id_insured_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wi_filings')),
    sa.UniqueConstraint('filing_no', name=op.f('uq_wi_filings_filing_no')),
    sa.UniqueConstraint('verification_token', name=op.f('uq_wi_filings_verification_token'))
    )
    op.create_index(op.f('ix_wi_filings_agent_person_id'), 'wi_filings', ['agent_person_id'], unique=False)
    op.create_index(op.f('ix_wi_filings_created_by_account_id'), 'wi_filings', ['created_by_account_id'], unique=False)
    op.create_index(op.f('ix_wi_filings_insured_person_id'), 'wi_filings', ['insured_person_id'], unique=False)
    op.create_index(op.f('ix_wi_filings_insured_region'), 'wi_filings', ['insured_region'], unique=False)
    op.create_index(op.f('ix_wi_filings_status'), 'wi_filings', ['status'], unique=False)

    op.create_table('wi_filing_attachments',
    sa.Column('wi_filing_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('blob_key', sa.String(length=128), nullable=False),
    sa.Column('thumbnail_key', sa.String(length=128), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_account_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_account_id'], ['accounts.id'], name=op.f('fk_wi_filing_attachments_uploaded_by_account_id_accounts')),
    sa.ForeignKeyConstraint(['wi_filing_id'], ['wi_filings.id'], name=op.f('fk_wi_filing_attachments_wi_filing_id_wi_filings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wi_filing_attachments'))
    )
    op.create_index(op.f('ix_wi_filing_attachments_wi_filing_id'), 'wi_filing_attachments', ['wi_filing_id'], unique=False)

    op.create_table('wi_filing_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wi_filing_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_account_id', sa.Integer(), nullable=True),
    sa.Column('actor_organisation', sa.String(length=100), nullable=True),
    sa.Column('actor_person_id', sa.Integer(), nullable=True),
    sa.Column('on_behalf_of_person_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_account_id'], ['accounts.id'], name=op.f('fk_wi_filing_events_actor_account_id_accounts')),
    sa.ForeignKeyConstraint(['actor_person_id'], ['insured_persons.id'], name=op.f('fk_wi_filing_events_actor_person_id_insured_persons')),
    sa.ForeignKeyConstraint(['on_behalf_of_person_id'], ['insured_persons.id'], name=op.f('fk_wi_filing_events_on_behalf_of_person_id_insured_persons')),
    sa.ForeignKeyConstraint(['wi_filing_id'], ['wi_filings.id'], name=op.f('fk_wi_filing_events_wi_filing_id_wi_filings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wi_filing_events'))
    )
    op.create_index(op.f('ix_wi_filing_events_wi_filing_id'), 'wi_filing_events', ['wi_filing_id'], unique=False)

    op.create_table('wi_settlements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wi_filing_id', sa.Integer(), nullable=False),
    sa.Column('inpatient_medical', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('inpatient_rehab', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('assistive_device', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('institution', sa.String(length=200), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['wi_filing_id'], ['wi_filings.id'], name=op.f('fk_wi_settlements_wi_filing_id_wi_filings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wi_settlements'))
    )
    op.create_index(op.f('ix_wi_settlements_wi_filing_id'), 'wi_settlements', ['wi_filing_id'], unique=False)


def downgrade() -> None:
    for table in ("wi_settlements", "wi_filing_events", "wi_filing_attachments", "wi_filings", "work_injury_records"):
        op.drop_table(table)
