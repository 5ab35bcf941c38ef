"""Person-weeks keep their running sums (a check-in adds to them, no re-read of the week)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 17:30:00

The columns start empty: a person-week without them is recomputed from its check-ins at
its next change, which fills them in, so no backfill is needed.
"""

from alembic import op
import sqlalchemy as sa
import backend.models.types


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SUMS = ("mood_sum", "energy_sum", "energy_n", "sleep_sum", "sleep_n", "stress_sum", "stress_n")


def upgrade():
    with op.batch_alter_table("person_weeks") as batch:
        for name in SUMS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("latest_at", backend.models.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("person_weeks") as batch:
        batch.drop_column("latest_at")
        for name in reversed(SUMS):
            batch.drop_column(name)
