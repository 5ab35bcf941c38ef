"""hub request marks: a person counts once a month in the tally of people who asked the hub

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 02:00:00

Each mark is a keyed hash of (person, month), kept only while the month is open. The
tally's existing counts stand as they are (they counted requests, at most a few each).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hub_request_marks",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("person", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("month", "person", name=op.f("pk_hub_request_marks")),
    )


def downgrade():
    op.drop_table("hub_request_marks")
