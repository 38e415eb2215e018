"""Practices and actors: the Help Desk's knowledge (issue 16).

practices and actors

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 16:22:42.782181
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('actors',
    sa.Column('actor_id', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=True),
    sa.Column('name_sq', sa.String(), nullable=True),
    sa.Column('name_bcms', sa.String(), nullable=True),
    sa.Column('name_mk', sa.String(), nullable=True),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('economies', sa.String(), nullable=True),
    sa.Column('themes', sa.String(), nullable=False),
    sa.Column('offers', sa.String(), nullable=True),
    sa.Column('contact', sa.String(), nullable=True),
    sa.Column('website', sa.String(), nullable=True),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('actor_id')
    )
    op.create_table('practices',
    sa.Column('practice_id', sa.String(), nullable=False),
    sa.Column('municipality_code', sa.String(), nullable=True),
    sa.Column('title_en', sa.String(), nullable=True),
    sa.Column('title_sq', sa.String(), nullable=True),
    sa.Column('title_bcms', sa.String(), nullable=True),
    sa.Column('title_mk', sa.String(), nullable=True),
    sa.Column('summary_en', sa.Text(), nullable=True),
    sa.Column('summary_sq', sa.Text(), nullable=True),
    sa.Column('summary_bcms', sa.Text(), nullable=True),
    sa.Column('summary_mk', sa.Text(), nullable=True),
    sa.Column('themes', sa.String(), nullable=False),
    sa.Column('year_started', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(), nullable=False),
    sa.Column('contact_organisation', sa.String(), nullable=True),
    sa.Column('links', sa.Text(), nullable=True),
    sa.Column('tags', sa.String(), nullable=True),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.PrimaryKeyConstraint('practice_id')
    )
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practices_municipality_code'), ['municipality_code'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practices_municipality_code'))

    op.drop_table('practices')
    op.drop_table('actors')
