"""Needs and factors as bit masks in the queue of contribution changes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 17:45:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contribution_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("needs_mask", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("factors_mask", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("choice_map", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("contribution_changes", schema=None) as batch_op:
        batch_op.drop_column("choice_map")
        batch_op.drop_column("factors_mask")
        batch_op.drop_column("needs_mask")
