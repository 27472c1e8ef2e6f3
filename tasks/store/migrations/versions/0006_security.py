"""Login throttling per account name and source (issue 19: hostile files, role crossings, secrets).

Revision ID: 0006_security
Revises: 0007_import_profiles (written against 0002_accounts; chained after the import profiles that landed first)
"""
from alembic import op
import sqlalchemy as sa

# Registers the throttle model on the store's metadata (see 0002_accounts).
import tasks.accounts.schema_security  # noqa: F401,E402

revision = "0006_security"
down_revision = "0007_import_profiles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("name_hash", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("blocked_until", sa.DateTime, nullable=True),
        sa.Column("last_failure_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("key_hash", name="uq_login_throttle_key"),
    )
    op.create_index("ix_login_throttle_name_hash", "login_throttle", ["name_hash"])


def downgrade() -> None:
    op.drop_table("login_throttle")
