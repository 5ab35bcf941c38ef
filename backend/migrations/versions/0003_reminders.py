"""reminders and push subscriptions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:08:00

Reserved for the reminders work: its tables are added here.
"""

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
