"""ONS4 answers in person-week contributions, their queue and release cells

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 17:05:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ITEMS = ("life_satisfaction", "worthwhile", "happy", "anxious")
# A person's answer (0..10) where it is carried; a published mean in a release cell.
TABLES = {
    "person_weeks": sa.SmallInteger,
    "contribution_changes": sa.SmallInteger,
    "release_cells": sa.Double,
}


def upgrade():
    for table, kind in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for item in ITEMS:
                batch_op.add_column(sa.Column(item, kind(), nullable=True))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for item in reversed(ITEMS):
                batch_op.drop_column(item)
