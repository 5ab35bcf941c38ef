"""referrals: requests to talk to someone at the hub, the practitioners' audit log, counts

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 17:45:00

The practitioner role needs no schema change (users.role is a plain string); this adds
the requests (their words sealed), the audit log of practitioners' reads and the monthly
counts the evaluation report reads.
"""

from alembic import op
import sqlalchemy as sa
import backend.models.types


# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

UTC_DATETIME = backend.models.types.UTCDateTime(timezone=True)


def upgrade():
    op.create_table(
        "hub_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("details_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("note_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("first_read_at", UTC_DATETIME, nullable=True),
        sa.Column("announced_at", UTC_DATETIME, nullable=True),
        sa.Column("closed_at", UTC_DATETIME, nullable=True),
        sa.CheckConstraint(
            "state IN ('sent', 'seen', 'contacted', 'closed')", name=op.f("ck_hub_requests_state")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_hub_requests_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_requests")),
    )
    with op.batch_alter_table("hub_requests", schema=None) as batch_op:
        for column in ("user_id", "created_at", "announced_at", "closed_at"):
            batch_op.create_index(batch_op.f(f"ix_hub_requests_{column}"), [column], unique=False)

    op.create_table(
        "hub_request_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["practitioner_id"], ["users.id"],
            name=op.f("fk_hub_request_audit_practitioner_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_request_audit")),
    )
    with op.batch_alter_table("hub_request_audit", schema=None) as batch_op:
        for column in ("request_id", "practitioner_id"):
            batch_op.create_index(
                batch_op.f(f"ix_hub_request_audit_{column}"), [column], unique=False
            )

    op.create_table(
        "hub_request_months",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_hub_request_months")),
    )


def downgrade():
    op.drop_table("hub_request_months")
    with op.batch_alter_table("hub_request_audit", schema=None) as batch_op:
        for column in ("practitioner_id", "request_id"):
            batch_op.drop_index(batch_op.f(f"ix_hub_request_audit_{column}"))
    op.drop_table("hub_request_audit")
    with op.batch_alter_table("hub_requests", schema=None) as batch_op:
        for column in ("closed_at", "announced_at", "created_at", "user_id"):
            batch_op.drop_index(batch_op.f(f"ix_hub_requests_{column}"))
    op.drop_table("hub_requests")
