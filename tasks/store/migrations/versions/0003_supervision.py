"""Supervision loop (issue 13): plan calendars, lifecycle events, evidence files, baselines.

Revision ID: 0003_supervision
Revises: 0006_security (re-chained after main landed 0007 and 0006)
"""

from alembic import op
import sqlalchemy as sa

# Registers the supervision models on the store's metadata (for the schema comparison test).
import tasks.store.schema_supervision  # noqa: F401,E402

revision = "0003_supervision"
down_revision = "0006_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_calendars",
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), primary_key=True),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("cycle", sa.String(20), nullable=False),
        sa.Column("due_day", sa.Integer, nullable=True),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
    )
    op.create_table(
        "supervision_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("task_pk", sa.Integer, sa.ForeignKey("tasks.id"), nullable=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("ref_id", sa.Integer, nullable=True),
        sa.Column("new_date", sa.Date, nullable=True),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_supervision_events_plan_id", "supervision_events", ["plan_id"])
    op.create_index("ix_supervision_events_at", "supervision_events", ["at"])
    op.create_index("ix_supervision_events_task", "supervision_events", ["task_pk", "at"])
    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("mime", sa.String(100), nullable=False),
        sa.Column("task_pk", sa.Integer, sa.ForeignKey("tasks.id"), nullable=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("supervision_events.id"), nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
    )
    op.create_index("ix_evidence_files_sha256", "evidence_files", ["sha256"])
    op.create_index("ix_evidence_files_task_pk", "evidence_files", ["task_pk"])
    op.create_index("ix_evidence_files_event_id", "evidence_files", ["event_id"])
    op.create_table(
        "baselines",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_baselines_plan_id", "baselines", ["plan_id"])


def downgrade() -> None:
    op.drop_table("baselines")
    op.drop_table("evidence_files")
    op.drop_table("supervision_events")
    op.drop_table("plan_calendars")
