"""membership: established accounts, join codes, sign-up bursts, take-up by people

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 17:10:00

Accounts that exist already are counted as established from the moment they were made:
their contributions are in the cell tallies now, and establishing them again later would
count them twice. Accounts made from here on wait (services/membership.py). The counts of
resource opens go: take-up counts people from now on, and opens cannot be turned into people.
"""

from alembic import op
import sqlalchemy as sa
import backend.models.types


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

UTC_DATETIME = backend.models.types.UTCDateTime(timezone=True)


def upgrade():
    op.create_table(
        "join_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("hint", sa.String(length=8), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("setting", sa.String(length=32), nullable=True),
        sa.Column("label", sa.String(length=80), nullable=True),
        sa.Column("max_uses", sa.Integer(), nullable=True),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=True),
        sa.Column("revoked_at", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_join_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_join_codes_code_hash")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("established_at", UTC_DATETIME, nullable=True))
        batch_op.add_column(sa.Column("join_code_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("signup_burst", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(batch_op.f("ix_users_join_code_id"), ["join_code_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_users_join_code_id_join_codes"),
            "join_codes",
            ["join_code_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("signup_burst", server_default=None)
    op.execute("UPDATE users SET established_at = created_at")
    op.create_table(
        "signup_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_signup_addresses_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signup_addresses")),
    )
    with op.batch_alter_table("signup_addresses", schema=None) as batch_op:
        batch_op.create_index(
            "ix_signup_addresses_hash_created", ["address_hash", "created_at"], unique=False
        )
    op.create_table(
        "take_up_marks",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("resource", sa.String(length=64), nullable=False),
        sa.Column("person", sa.String(length=64), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint(
            "week", "resource", "person", "area", "region", name=op.f("pk_take_up_marks")
        ),
    )
    op.create_table(
        "take_up_cells",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("resource", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("parent", sa.String(length=32), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("noisy", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("week", "resource", "level", "key", name=op.f("pk_take_up_cells")),
    )
    op.drop_table("resource_opens")


def downgrade():
    op.create_table(
        "resource_opens",
        sa.Column("resource", sa.String(length=64), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("opens", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("resource", "area", "week", name=op.f("pk_resource_opens")),
    )
    op.drop_table("take_up_cells")
    op.drop_table("take_up_marks")
    with op.batch_alter_table("signup_addresses", schema=None) as batch_op:
        batch_op.drop_index("ix_signup_addresses_hash_created")
    op.drop_table("signup_addresses")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_users_join_code_id_join_codes"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_users_join_code_id"))
        batch_op.drop_column("signup_burst")
        batch_op.drop_column("join_code_id")
        batch_op.drop_column("established_at")
    op.drop_table("join_codes")
