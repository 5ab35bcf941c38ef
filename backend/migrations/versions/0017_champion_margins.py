"""champion margins: each frozen champion-network figure keeps the 90% margin of its count

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 02:10:00

Figures frozen before this carry no margin (null): they are shown as before.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("champion_cells", schema=None) as batch_op:
        batch_op.add_column(sa.Column("margin", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("champion_cells", schema=None) as batch_op:
        batch_op.drop_column("margin")
