"""contributions and releases

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:08:00

Person-week contributions, the queue of changes and the cell tallies they feed, releases
and their cells, and the differential-privacy budget.
"""
from alembic import op
import sqlalchemy as sa
import backend.models.types


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('person_weeks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('area', sa.String(length=32), nullable=True),
    sa.Column('region', sa.String(length=32), nullable=True),
    sa.Column('role_group', sa.String(length=32), nullable=True),
    sa.Column('setting', sa.String(length=32), nullable=True),
    sa.Column('check_ins', sa.Integer(), nullable=False),
    sa.Column('mood', sa.Double(), nullable=False),
    sa.Column('energy', sa.Double(), nullable=True),
    sa.Column('sleep', sa.Double(), nullable=True),
    sa.Column('stress', sa.Double(), nullable=True),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('factors', sa.JSON(), nullable=False),
    sa.Column('updated_at', backend.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_person_weeks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_weeks')),
    sa.UniqueConstraint('user_id', 'week', name='uq_person_weeks_user_week')
    )
    with op.batch_alter_table('person_weeks', schema=None) as batch_op:
        batch_op.create_index('ix_person_weeks_week', ['week'], unique=False)

    op.create_table('contribution_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('sign', sa.SmallInteger(), nullable=False),
    sa.Column('departs', sa.Boolean(), nullable=False),
    sa.Column('area', sa.String(length=32), nullable=True),
    sa.Column('region', sa.String(length=32), nullable=True),
    sa.Column('role_group', sa.String(length=32), nullable=True),
    sa.Column('setting', sa.String(length=32), nullable=True),
    sa.Column('mood', sa.Double(), nullable=False),
    sa.Column('energy', sa.Double(), nullable=True),
    sa.Column('sleep', sa.Double(), nullable=True),
    sa.Column('stress', sa.Double(), nullable=True),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('factors', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution_changes'))
    )
    op.create_table('cell_tallies',
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('parent', sa.String(length=32), nullable=False),
    sa.Column('contributors', sa.Integer(), nullable=False),
    sa.Column('totals', sa.JSON(), nullable=False),
    sa.Column('leaves_since', sa.Integer(), nullable=False),
    sa.Column('published', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('week', 'level', 'key', name=op.f('pk_cell_tallies'))
    )
    op.create_table('releases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('published_at', backend.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('k', sa.Integer(), nullable=False),
    sa.Column('rounding', sa.Integer(), nullable=False),
    sa.Column('epsilon', sa.Double(), nullable=True),
    sa.Column('weeks', sa.JSON(), nullable=False),
    sa.Column('fresh_cells', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_releases'))
    )
    op.create_table('release_cells',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('parent', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=True),
    sa.Column('exact', sa.Integer(), nullable=True),
    sa.Column('computed_in', sa.Integer(), nullable=True),
    sa.Column('contributors', sa.Integer(), nullable=True),
    sa.Column('mood', sa.Double(), nullable=True),
    sa.Column('tough_share', sa.Double(), nullable=True),
    sa.Column('energy', sa.Double(), nullable=True),
    sa.Column('sleep', sa.Double(), nullable=True),
    sa.Column('stress', sa.Double(), nullable=True),
    sa.Column('needs', sa.JSON(), nullable=True),
    sa.Column('factors', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'], name=op.f('fk_release_cells_release_id_releases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_cells'))
    )
    with op.batch_alter_table('release_cells', schema=None) as batch_op:
        batch_op.create_index('ix_release_cells_week_release', ['week', 'release_id'], unique=False)
        batch_op.create_index('ix_release_cells_release_week_level', ['release_id', 'week', 'level'], unique=False)

    op.create_table('privacy_budget',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('spent', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_privacy_budget'))
    )


def downgrade():
    op.drop_table('privacy_budget')
    with op.batch_alter_table('release_cells', schema=None) as batch_op:
        batch_op.drop_index('ix_release_cells_release_week_level')
        batch_op.drop_index('ix_release_cells_week_release')
    op.drop_table('release_cells')
    op.drop_table('releases')
    op.drop_table('cell_tallies')
    op.drop_table('contribution_changes')
    with op.batch_alter_table('person_weeks', schema=None) as batch_op:
        batch_op.drop_index('ix_person_weeks_week')
    op.drop_table('person_weeks')
