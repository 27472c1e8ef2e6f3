"""Reminders: unit contacts, templates, settings and the outbox (issue 17).

Revision ID: 0004_outbox
Revises: 0003_supervision (chained after main's migrations when merging main)
"""

import sqlalchemy as sa
from alembic import op

# Registers the notify models on the store's metadata, so that comparing the
# migrated database with ``tasks.store.schema.Base.metadata`` sees them.
import tasks.store.schema_notify  # noqa: F401

revision = "0004_outbox"
down_revision = "0003_supervision"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notify_contacts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("person", sa.Text, nullable=False),
        sa.Column("phone", sa.String(50), nullable=False),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("webhook", sa.Text, nullable=False),
        sa.Column("webhook_secret", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("unit", name="uq_notify_contacts_unit"),
    )
    op.create_table(
        "notify_templates",
        sa.Column("reason", sa.String(30), primary_key=True),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "notify_settings",
        sa.Column("key", sa.String(50), primary_key=True),
        sa.Column("value", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "notify_outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("reason", sa.String(30), nullable=False),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("person", sa.Text, nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("plan", sa.Text, nullable=False),
        sa.Column("task_id", sa.Text, nullable=False),
        sa.Column("period", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("next_at", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=True),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("key", name="uq_notify_outbox_key"),
    )
    op.create_index("ix_notify_outbox_unit", "notify_outbox", ["unit"])
    op.create_index("ix_notify_outbox_status_next", "notify_outbox", ["status", "next_at"])


def downgrade() -> None:
    op.drop_table("notify_outbox")
    op.drop_table("notify_settings")
    op.drop_table("notify_templates")
    op.drop_table("notify_contacts")
