"""signposting, ONS4 and onboarding answers

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 16:46:16.038853

"""

from alembic import op
import sqlalchemy as sa
import backend.models.types


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "resource_opens",
        sa.Column("resource", sa.String(length=64), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("opens", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("resource", "area", "week", name=op.f("pk_resource_opens")),
    )
    op.create_table(
        "onboarding_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("time_in_job", sa.String(length=32), nullable=True),
        sa.Column("career_conversation", sa.String(length=16), nullable=True),
        sa.Column("knows_training", sa.String(length=16), nullable=True),
        sa.Column("knows_how_to_reach", sa.JSON(), nullable=False),
        sa.Column("would_like", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_onboarding_answers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarding_answers")),
    )
    with op.batch_alter_table("onboarding_answers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_onboarding_answers_user_answered", ["user_id", "answered_on"], unique=False
        )

    op.create_table(
        "ons4_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("life_satisfaction", sa.SmallInteger(), nullable=False),
        sa.Column("worthwhile", sa.SmallInteger(), nullable=False),
        sa.Column("happy", sa.SmallInteger(), nullable=False),
        sa.Column("anxious", sa.SmallInteger(), nullable=False),
        sa.Column("updated_at", backend.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "life_satisfaction BETWEEN 0 AND 10 AND worthwhile BETWEEN 0 AND 10 AND happy BETWEEN 0 AND 10 AND anxious BETWEEN 0 AND 10",
            name=op.f("ck_ons4_answers_ons4_range"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_ons4_answers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ons4_answers")),
        sa.UniqueConstraint("user_id", "week", name="uq_ons4_answers_user_week"),
    )


def downgrade():
    op.drop_table("ons4_answers")
    with op.batch_alter_table("onboarding_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_onboarding_answers_user_answered")

    op.drop_table("onboarding_answers")
    op.drop_table("resource_opens")
