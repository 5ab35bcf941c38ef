"""Release cells carry the margins of their noisy figures (90% half-widths)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 17:20:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("release_cells") as batch:
        batch.add_column(sa.Column("margins", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("release_cells") as batch:
        batch.drop_column("margins")
