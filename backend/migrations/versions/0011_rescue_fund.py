"""rescue fund: applications, pages, payments, events, police notices, green-channel hospitals

Revision ID: 0011_rescue_fund
Revises: 0010_work_injury
Create Date: 2026-12-01 09:27:35.484439
"""
from alembic import op
import sqlalchemy as sa

revision = '0011_rescue_fund'
down_revision = '0010_work_injury'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rescue_hospitals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rescue_hospitals')),
    sa.UniqueConstraint('name', name=op.f('uq_rescue_hospitals_name'))
    )
    with op.batch_alter_table('rescue_hospitals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rescue_hospitals_region'), ['region'], unique=False)

    op.create_table('rescue_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_no', sa.String(length=40), nullable=False),
    sa.Column('police_unit', sa.String(length=100), nullable=False),
    sa.Column('accident_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accident_region', sa.String(length=6), nullable=False),
    sa.Column('situation', sa.String(length=32), nullable=False),
    sa.Column('victim_name', sa.Text(), nullable=True),
    sa.Column('hospital_id', sa.Integer(), nullable=True),
    sa.Column('registered_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['hospital_id'], ['rescue_hospitals.id'], name=op.f('fk_rescue_notices_hospital_id_rescue_hospitals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rescue_notices')),
    sa.UniqueConstraint('notice_no', name=op.f('uq_rescue_notices_notice_no'))
    )
    op.create_table('rescue_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('for_whom', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('steps_done', sa.JSON(), nullable=False),
    sa.Column('created_by_account_id', sa.Integer(), nullable=False),
    sa.Column('applicant_person_id', sa.Integer(), nullable=False),
    sa.Column('notice_version', sa.String(length=32), nullable=True),
    sa.Column('notice_sha256', sa.String(length=64), nullable=True),
    sa.Column('notice_accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('police_notice_no', sa.String(length=40), nullable=True),
    sa.Column('police_unit', sa.String(length=100), nullable=True),
    sa.Column('accident_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accident_region', sa.String(length=6), nullable=True),
    sa.Column('accident_place', sa.String(length=200), nullable=True),
    sa.Column('situation', sa.String(length=32), nullable=True),
    sa.Column('victim_identified', sa.Boolean(), nullable=True),
    sa.Column('victim_name', sa.Text(), nullable=True),
    sa.Column('victim_id_number', sa.Text(), nullable=True),
    sa.Column('victim_key', sa.String(length=64), nullable=True),
    sa.Column('relation', sa.String(length=16), nullable=True),
    sa.Column('victim_condition', sa.String(length=16), nullable=True),
    sa.Column('hospital_id', sa.Integer(), nullable=True),
    sa.Column('rescue_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('inpatient_no', sa.String(length=40), nullable=True),
    sa.Column('period', sa.String(length=16), nullable=True),
    sa.Column('claimed_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('contact_name', sa.Text(), nullable=True),
    sa.Column('contact_phone', sa.Text(), nullable=True),
    sa.Column('application_version', sa.String(length=32), nullable=True),
    sa.Column('application_sha256', sa.String(length=64), nullable=True),
    sa.Column('signature_key', sa.String(length=128), nullable=True),
    sa.Column('signature_sha256', sa.String(length=64), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('application_no', sa.String(length=40), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_due', sa.Date(), nullable=True),
    sa.Column('review_overdue', sa.Boolean(), nullable=False),
    sa.Column('returned_items', sa.JSON(), nullable=True),
    sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reject_reason', sa.String(length=500), nullable=True),
    sa.Column('amount_within_7_days', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('amount_beyond_7_days', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('approved_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('payment_due', sa.Date(), nullable=True),
    sa.Column('payment_overdue', sa.Boolean(), nullable=False),
    sa.Column('paid_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('returned_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('final_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applicant_person_id'], ['insured_persons.id'], name=op.f('fk_rescue_applications_applicant_person_id_insured_persons')),
    sa.ForeignKeyConstraint(['created_by_account_id'], ['accounts.id'], name=op.f('fk_rescue_applications_created_by_account_id_accounts')),
    sa.ForeignKeyConstraint(['hospital_id'], ['rescue_hospitals.id'], name=op.f('fk_rescue_applications_hospital_id_rescue_hospitals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rescue_applications')),
    sa.UniqueConstraint('application_no', name=op.f('uq_rescue_applications_application_no'))
    )
    with op.batch_alter_table('rescue_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rescue_applications_accident_region'), ['accident_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_rescue_applications_applicant_person_id'), ['applicant_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rescue_applications_created_by_account_id'), ['created_by_account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rescue_applications_hospital_id'), ['hospital_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rescue_applications_police_notice_no'), ['police_notice_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_rescue_applications_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_rescue_applications_victim_key'), ['victim_key'], unique=False)

    op.create_table('rescue_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_account_id', sa.Integer(), nullable=True),
    sa.Column('actor_organisation', sa.String(length=100), nullable=True),
    sa.Column('actor_person_id', sa.Integer(), nullable=True),
    sa.Column('on_behalf_of_person_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_account_id'], ['accounts.id'], name=op.f('fk_rescue_events_actor_account_id_accounts')),
    sa.ForeignKeyConstraint(['actor_person_id'], ['insured_persons.id'], name=op.f('fk_rescue_events_actor_person_id_insured_persons')),
    sa.ForeignKeyConstraint(['application_id'], ['rescue_applications.id'], name=op.f('fk_rescue_events_application_id_rescue_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['on_behalf_of_person_id'], ['insured_persons.id'], name=op.f('fk_rescue_events_on_behalf_of_person_id_insured_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rescue_events'))
    )
    with op.batch_alter_table('rescue_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rescue_events_application_id'), ['application_id'], unique=False)

    op.create_table('rescue_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('material', sa.String(length=40), nullable=False),
    sa.Column('blob_key', sa.String(length=128), nullable=False),
    sa.Column('thumbnail_key', sa.String(length=128), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_account_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by_organisation', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['rescue_applications.id'], name=op.f('fk_rescue_pages_application_id_rescue_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_account_id'], ['accounts.id'], name=op.f('fk_rescue_pages_uploaded_by_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rescue_pages'))
    )
    with op.batch_alter_table('rescue_pages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rescue_pages_application_id'), ['application_id'], unique=False)

    op.create_table('rescue_payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payee', sa.String(length=100), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['rescue_applications.id'], name=op.f('fk_rescue_payments_application_id_rescue_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rescue_payments'))
    )
    with op.batch_alter_table('rescue_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rescue_payments_application_id'), ['application_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('rescue_payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rescue_payments_application_id'))

    op.drop_table('rescue_payments')
    with op.batch_alter_table('rescue_pages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rescue_pages_application_id'))

    op.drop_table('rescue_pages')
    with op.batch_alter_table('rescue_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rescue_events_application_id'))

    op.drop_table('rescue_events')
    with op.batch_alter_table('rescue_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rescue_applications_victim_key'))
        batch_op.drop_index(batch_op.f('ix_rescue_applications_status'))
        batch_op.drop_index(batch_op.f('ix_rescue_applications_police_notice_no'))
        batch_op.drop_index(batch_op.f('ix_rescue_applications_hospital_id'))
        batch_op.drop_index(batch_op.f('ix_rescue_applications_created_by_account_id'))
        batch_op.drop_index(batch_op.f('ix_rescue_applications_applicant_person_id'))
        batch_op.drop_index(batch_op.f('ix_rescue_applications_accident_region'))

    op.drop_table('rescue_applications')
    op.drop_table('rescue_notices')
    with op.batch_alter_table('rescue_hospitals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rescue_hospitals_region'))

    op.drop_table('rescue_hospitals')
