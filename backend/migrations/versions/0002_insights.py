"""contributions and releases

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:08:00

Reserved for the insights work: its tables are added here.
"""

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
