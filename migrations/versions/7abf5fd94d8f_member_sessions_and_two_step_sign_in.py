"""Signed-in sessions on the server (listed and ended in My info) and two-step sign-in (TOTP).

Sessions signed in before this revision carry no session key and end at their next request.

Revision ID: 7abf5fd94d8f
Revises: 0527f9a8c999
Create Date: 2026-12-02 17:12:59.131299

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7abf5fd94d8f'
down_revision = '0527f9a8c999'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('member_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('device', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('two_step_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_sessions_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_member_sessions_key_hash'))
    )
    with op.batch_alter_table('member_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_sessions_member_id'), ['member_id'], unique=False)

    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('lookup', sa.String(length=8), nullable=False),
    sa.Column('code_hash', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_recovery_codes_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes'))
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_member_id'), ['member_id'], unique=False)

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret_encrypted', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('two_step_enabled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('two_step_enabled_at')
        batch_op.drop_column('totp_secret_encrypted')

    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_member_id'))

    op.drop_table('recovery_codes')
    with op.batch_alter_table('member_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_sessions_member_id'))

    op.drop_table('member_sessions')
