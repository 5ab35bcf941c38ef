"""take-up margins: each frozen take-up cell keeps the 90% margin of its shown count

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 02:40:00

Weeks frozen before this carry no margin (null): the hub shows their counts as before.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("take_up_cells", schema=None) as batch_op:
        batch_op.add_column(sa.Column("margin", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("take_up_cells", schema=None) as batch_op:
        batch_op.drop_column("margin")
