"""The evaluation report's published figures, frozen (no user id)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 17:35:05.378703

"""

from alembic import op
import sqlalchemy as sa
import backend.models.types


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "evaluation_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("months", sa.SmallInteger(), nullable=False),
        sa.Column("first_month", sa.Date(), nullable=False),
        sa.Column("last_month", sa.Date(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("created_at", backend.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_figures")),
        sa.UniqueConstraint("kind", "months", "last_month", name="uq_evaluation_figures_key"),
    )


def downgrade():
    op.drop_table("evaluation_figures")
