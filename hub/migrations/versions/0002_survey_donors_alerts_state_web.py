"""Survey provenance (issue 14), donor scope and titles (15), alerts (17), the data version and
stale-score marks (13), sign-in throttling and generated files kept in the store (12, 13).

survey provenance, donor scope, alerts, data version, sign-in throttle, generated files

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 16:17:47.643144
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alert_snapshots',
    sa.Column('load_id', sa.Integer(), nullable=False),
    sa.Column('municipality_code', sa.String(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('rank_p05', sa.Float(), nullable=True),
    sa.Column('rank_p95', sa.Float(), nullable=True),
    sa.Column('ranked', sa.Integer(), nullable=False),
    sa.Column('underserved', sa.Boolean(), nullable=False),
    sa.Column('fund_approved_eur', sa.Float(), nullable=False),
    sa.Column('fund_disbursed_eur', sa.Float(), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('load_id', 'municipality_code')
    )
    data_version = op.create_table('data_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.bulk_insert(data_version, [{"id": 1, "version": 0}])   # the one row hub.state bumps
    op.create_table('generated_files',
    sa.Column('file_id', sa.String(), nullable=False),
    sa.Column('owner', sa.String(), nullable=False),
    sa.Column('file_name', sa.String(), nullable=True),
    sa.Column('mimetype', sa.String(), nullable=False),
    sa.Column('downloadable', sa.Boolean(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('file_id', 'owner')
    )
    with op.batch_alter_table('generated_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_generated_files_created_at'), ['created_at'], unique=False)

    op.create_table('sign_in_throttle',
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.Column('blocked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_throttle_blocked_until'), ['blocked_until'], unique=False)

    op.create_table('stale_scores',
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('period')
    )
    op.create_table('assessment_submissions',
    sa.Column('uuid', sa.String(), nullable=False),
    sa.Column('municipality_code', sa.String(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('assessed_on', sa.Date(), nullable=True),
    sa.Column('form_version', sa.String(), nullable=False),
    sa.Column('validation_status', sa.String(), nullable=True),
    sa.Column('source_format', sa.String(), nullable=False),
    sa.Column('file_name', sa.String(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.PrimaryKeyConstraint('uuid')
    )
    with op.batch_alter_table('assessment_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_submissions_municipality_code'), ['municipality_code'], unique=False)

    op.create_table('alert_sent',
    sa.Column('username', sa.String(), nullable=False),
    sa.Column('item_key', sa.String(), nullable=False),
    sa.Column('fingerprint', sa.String(), nullable=False),
    sa.Column('rule', sa.String(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['username'], ['users.username'], ),
    sa.PrimaryKeyConstraint('username', 'item_key')
    )
    with op.batch_alter_table('alert_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_sent_rule'), ['rule'], unique=False)

    op.create_table('alert_subscriptions',
    sa.Column('username', sa.String(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('rules', sa.String(), nullable=True),
    sa.Column('email', sa.String(), nullable=True),
    sa.Column('feed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['username'], ['users.username'], ),
    sa.PrimaryKeyConstraint('username')
    )
    op.create_table('assessment_initiatives',
    sa.Column('submission_uuid', sa.String(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('municipality_code', sa.String(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('partner', sa.String(), nullable=True),
    sa.Column('partner_type', sa.String(), nullable=True),
    sa.Column('themes', sa.String(), nullable=True),
    sa.Column('start_year', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.ForeignKeyConstraint(['submission_uuid'], ['assessment_submissions.uuid'], ),
    sa.PrimaryKeyConstraint('submission_uuid', 'seq')
    )
    with op.batch_alter_table('assessment_initiatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_initiatives_municipality_code'), ['municipality_code'], unique=False)

    op.create_table('user_visits',
    sa.Column('username', sa.String(), nullable=False),
    sa.Column('page', sa.String(), nullable=False),
    sa.Column('previous_visit', sa.DateTime(), nullable=True),
    sa.Column('last_visit', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['username'], ['users.username'], ),
    sa.PrimaryKeyConstraint('username', 'page')
    )
    with op.batch_alter_table('fund_applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_sq', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('title_bcms', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('title_mk', sa.String(), nullable=True))

    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('submission_uuid', sa.String(), nullable=True))
        batch_op.create_index(batch_op.f('ix_indicator_values_submission_uuid'), ['submission_uuid'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('donor', sa.String(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('donor')

    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_values_submission_uuid'))
        batch_op.drop_column('submission_uuid')
        batch_op.drop_column('method')

    with op.batch_alter_table('fund_applications', schema=None) as batch_op:
        batch_op.drop_column('title_mk')
        batch_op.drop_column('title_bcms')
        batch_op.drop_column('title_sq')

    op.drop_table('user_visits')
    with op.batch_alter_table('assessment_initiatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_initiatives_municipality_code'))

    op.drop_table('assessment_initiatives')
    op.drop_table('alert_subscriptions')
    with op.batch_alter_table('alert_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_sent_rule'))

    op.drop_table('alert_sent')
    with op.batch_alter_table('assessment_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_submissions_municipality_code'))

    op.drop_table('assessment_submissions')
    op.drop_table('stale_scores')
    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_throttle_blocked_until'))

    op.drop_table('sign_in_throttle')
    with op.batch_alter_table('generated_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_generated_files_created_at'))

    op.drop_table('generated_files')
    op.drop_table('data_version')
    op.drop_table('alert_snapshots')
