"""Initial schema: hub/models.py as of the first migration (every table of the app before Alembic).

Revision ID: 0001
Revises: 
Create Date: 2026-12-01 15:03:28.580398
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate names sqlmodel.sql.sqltypes.AutoString: prefer sa.String)
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('username', sa.String(), nullable=True),
    sa.Column('action', sa.String(), nullable=False),
    sa.Column('target', sa.String(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('events',
    sa.Column('event_id', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('language', sa.String(), nullable=False),
    sa.Column('location', sa.String(), nullable=True),
    sa.Column('virtual', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('event_id')
    )
    op.create_table('indicators',
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('domain', sa.String(), nullable=False),
    sa.Column('unit', sa.String(), nullable=True),
    sa.Column('polarity', sa.String(), nullable=False),
    sa.Column('description', sa.String(), nullable=True),
    sa.Column('source', sa.String(), nullable=True),
    sa.Column('sensitive', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_domain'), ['domain'], unique=False)

    op.create_table('load_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dataset', sa.String(), nullable=False),
    sa.Column('file_name', sa.String(), nullable=False),
    sa.Column('sha256', sa.String(), nullable=False),
    sa.Column('rows_inserted', sa.Integer(), nullable=False),
    sa.Column('rows_updated', sa.Integer(), nullable=False),
    sa.Column('loaded_by', sa.String(), nullable=True),
    sa.Column('loaded_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.String(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('load_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_load_log_dataset'), ['dataset'], unique=False)

    op.create_table('municipalities',
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('name_local', sa.String(), nullable=True),
    sa.Column('country', sa.String(), nullable=False),
    sa.Column('region', sa.String(), nullable=True),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.Column('youth_population', sa.Integer(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('member_since', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_municipalities_country'), ['country'], unique=False)

    op.create_table('settings',
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('value', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('boundaries',
    sa.Column('country', sa.String(), nullable=False),
    sa.Column('level', sa.String(), nullable=False),
    sa.Column('feature_code', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('municipality_code', sa.String(), nullable=True),
    sa.Column('geojson', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.PrimaryKeyConstraint('country', 'level', 'feature_code')
    )
    op.create_table('dimension_scores',
    sa.Column('municipality_code', sa.String(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('dimension', sa.String(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('coverage', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.PrimaryKeyConstraint('municipality_code', 'period', 'dimension')
    )
    with op.batch_alter_table('dimension_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dimension_scores_period'), ['period'], unique=False)

    op.create_table('fund_applications',
    sa.Column('application_id', sa.String(), nullable=False),
    sa.Column('municipality_code', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('theme', sa.String(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('requested_eur', sa.Float(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('approved_eur', sa.Float(), nullable=True),
    sa.Column('donor', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.PrimaryKeyConstraint('application_id')
    )
    with op.batch_alter_table('fund_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_applications_municipality_code'), ['municipality_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_applications_status'), ['status'], unique=False)

    op.create_table('helpdesk_requests',
    sa.Column('request_id', sa.String(), nullable=False),
    sa.Column('municipality_code', sa.String(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(), nullable=False),
    sa.Column('channel', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.PrimaryKeyConstraint('request_id')
    )
    with op.batch_alter_table('helpdesk_requests', schema=None) as batch_op:
        batch_op.create_index('ix_helpdesk_requests_city_status_resolved', ['municipality_code', 'status', 'resolved_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_helpdesk_requests_municipality_code'), ['municipality_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_helpdesk_requests_opened_on'), ['opened_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_helpdesk_requests_status'), ['status'], unique=False)

    op.create_table('indicator_contributions',
    sa.Column('municipality_code', sa.String(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('indicator_code', sa.String(), nullable=False),
    sa.Column('dimension', sa.String(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('normalised', sa.Float(), nullable=True),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('contribution', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.PrimaryKeyConstraint('municipality_code', 'period', 'indicator_code')
    )
    with op.batch_alter_table('indicator_contributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_contributions_period'), ['period'], unique=False)

    op.create_table('indicator_values',
    sa.Column('municipality_code', sa.String(), nullable=False),
    sa.Column('indicator_code', sa.String(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('source', sa.String(), nullable=True),
    sa.Column('note', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], ),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.PrimaryKeyConstraint('municipality_code', 'indicator_code', 'period')
    )
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.create_index('ix_indicator_values_period_indicator_value', ['period', 'indicator_code', 'value', 'municipality_code'], unique=False)

    op.create_table('need_scores',
    sa.Column('municipality_code', sa.String(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('coverage', sa.Float(), nullable=False),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('rank_p05', sa.Float(), nullable=True),
    sa.Column('rank_p95', sa.Float(), nullable=True),
    sa.Column('rank_uncertain', sa.Boolean(), nullable=False),
    sa.Column('top_mover', sa.String(), nullable=True),
    sa.Column('method_id', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.PrimaryKeyConstraint('municipality_code', 'period')
    )
    with op.batch_alter_table('need_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_scores_period'), ['period'], unique=False)

    op.create_table('participants',
    sa.Column('event_id', sa.String(), nullable=False),
    sa.Column('organisation', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('municipality_code', sa.String(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.event_id'], ),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.PrimaryKeyConstraint('event_id', 'organisation', 'role')
    )
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participants_municipality_code'), ['municipality_code'], unique=False)

    op.create_table('priorities',
    sa.Column('municipality_code', sa.String(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('theme', sa.String(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.PrimaryKeyConstraint('municipality_code', 'period', 'theme')
    )
    op.create_table('priority_scores',
    sa.Column('municipality_code', sa.String(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('theme', sa.String(), nullable=False),
    sa.Column('stated', sa.Float(), nullable=False),
    sa.Column('need', sa.Float(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.PrimaryKeyConstraint('municipality_code', 'period', 'theme')
    )
    with op.batch_alter_table('priority_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_priority_scores_period'), ['period'], unique=False)

    op.create_table('users',
    sa.Column('username', sa.String(), nullable=False),
    sa.Column('display_name', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('municipality_code', sa.String(), nullable=True),
    sa.Column('language', sa.String(), nullable=False),
    sa.Column('email', sa.String(), nullable=True),
    sa.Column('password_hash', sa.String(), nullable=True),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('demo_password', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.PrimaryKeyConstraint('username')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_email'), ['email'], unique=False)

    op.create_table('disbursements',
    sa.Column('application_id', sa.String(), nullable=False),
    sa.Column('tranche', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('amount_eur', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['fund_applications.application_id'], ),
    sa.PrimaryKeyConstraint('application_id', 'tranche')
    )
    op.create_table('results',
    sa.Column('application_id', sa.String(), nullable=False),
    sa.Column('indicator', sa.String(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('actual', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['fund_applications.application_id'], ),
    sa.PrimaryKeyConstraint('application_id', 'indicator', 'reported_on')
    )


def downgrade() -> None:
    op.drop_table('results')
    op.drop_table('disbursements')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_email'))

    op.drop_table('users')
    with op.batch_alter_table('priority_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_priority_scores_period'))

    op.drop_table('priority_scores')
    op.drop_table('priorities')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participants_municipality_code'))

    op.drop_table('participants')
    with op.batch_alter_table('need_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_scores_period'))

    op.drop_table('need_scores')
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_index('ix_indicator_values_period_indicator_value')

    op.drop_table('indicator_values')
    with op.batch_alter_table('indicator_contributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_contributions_period'))

    op.drop_table('indicator_contributions')
    with op.batch_alter_table('helpdesk_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_helpdesk_requests_status'))
        batch_op.drop_index(batch_op.f('ix_helpdesk_requests_opened_on'))
        batch_op.drop_index(batch_op.f('ix_helpdesk_requests_municipality_code'))
        batch_op.drop_index('ix_helpdesk_requests_city_status_resolved')

    op.drop_table('helpdesk_requests')
    with op.batch_alter_table('fund_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_applications_status'))
        batch_op.drop_index(batch_op.f('ix_fund_applications_municipality_code'))

    op.drop_table('fund_applications')
    with op.batch_alter_table('dimension_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dimension_scores_period'))

    op.drop_table('dimension_scores')
    op.drop_table('boundaries')
    op.drop_table('settings')
    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_municipalities_country'))

    op.drop_table('municipalities')
    with op.batch_alter_table('load_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_load_log_dataset'))

    op.drop_table('load_log')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_domain'))

    op.drop_table('indicators')
    op.drop_table('events')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
