"""champions: wellbeing champions, their join codes, and the network's frozen figures

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 18:30:00

A champion's join code is an ordinary join code that carries the champion's id.
"""

from alembic import op
import sqlalchemy as sa
import backend.models.types


# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

UTC_DATETIME = backend.models.types.UTCDateTime(timezone=True)


def upgrade():
    op.create_table(
        "champions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("setting", sa.String(length=32), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("reach", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_champions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_champions")),
        sa.UniqueConstraint("user_id", name=op.f("uq_champions_user_id")),
    )
    with op.batch_alter_table("join_codes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("champion_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_join_codes_champion_id"), ["champion_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_join_codes_champion_id_champions"),
            "champions",
            ["champion_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "champion_marks",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("person", sa.String(length=64), nullable=False),
        sa.Column("joined", sa.Boolean(), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("week", "person", name=op.f("pk_champion_marks")),
    )
    op.create_table(
        "champion_cells",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("measure", sa.String(length=24), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("parent", sa.String(length=32), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("basis", sa.Integer(), nullable=True),
        sa.Column("noisy", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint(
            "week", "measure", "level", "key", name=op.f("pk_champion_cells")
        ),
    )


def downgrade():
    op.drop_table("champion_cells")
    op.drop_table("champion_marks")
    with op.batch_alter_table("join_codes", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_join_codes_champion_id_champions"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_join_codes_champion_id"))
        batch_op.drop_column("champion_id")
    op.drop_table("champions")
