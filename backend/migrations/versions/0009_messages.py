"""messages: the notification outbox (订阅消息), body and fields encrypted

Revision ID: 0009_messages
Revises: 0008_qa_clock
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_messages'
down_revision = '0008_qa_clock'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('template', sa.String(length=32), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('page', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('delivered_to', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['insured_persons.id'], name=op.f('fk_messages_person_id_insured_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('person_id', 'template', 'ref', name='uq_messages_once')
    )
    op.create_index(op.f('ix_messages_person_id'), 'messages', ['person_id'], unique=False)
    op.create_index(op.f('ix_messages_created_at'), 'messages', ['created_at'], unique=False)
    op.create_index(op.f('ix_messages_state'), 'messages', ['state'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_messages_state'), table_name='messages')
    op.drop_index(op.f('ix_messages_created_at'), table_name='messages')
    op.drop_index(op.f('ix_messages_person_id'), table_name='messages')
    op.drop_table('messages')
