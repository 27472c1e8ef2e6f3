"""Initial progress store: plans, tasks, units, roles, predecessors, periods, uploads, reports, audit.

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("issuer", sa.Text, nullable=False),
        sa.Column("issued", sa.Date, nullable=True),
        sa.Column("source_file", sa.Text, nullable=False),
        sa.Column("loaded_at", sa.DateTime, nullable=False),
        sa.Column("archived", sa.Boolean, nullable=False),
        sa.UniqueConstraint("key", name="uq_plans_key"),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("collective", sa.Boolean, nullable=False),
        sa.UniqueConstraint("name", name="uq_units_name"),
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("task_id", sa.String(50), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("section", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("deadline", sa.Date, nullable=True),
        sa.Column("deadline_text", sa.Text, nullable=False),
        sa.Column("deadline_kind", sa.String(20), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("archived", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("plan_id", "task_id", name="uq_tasks_plan_task"),
    )
    op.create_index("ix_tasks_plan_id", "tasks", ["plan_id"])
    op.create_table(
        "task_units",
        sa.Column("task_pk", sa.Integer, sa.ForeignKey("tasks.id"), primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), primary_key=True),
        sa.Column("role", sa.String(20), primary_key=True),
        sa.Column("name_as_written", sa.Text, nullable=False),
    )
    op.create_index("ix_task_units_unit_id", "task_units", ["unit_id"])
    op.create_table(
        "predecessors",
        sa.Column("task_pk", sa.Integer, sa.ForeignKey("tasks.id"), primary_key=True),
        sa.Column("predecessor_pk", sa.Integer, sa.ForeignKey("tasks.id"), primary_key=True),
    )
    op.create_table(
        "periods",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(20), nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("end", sa.Date, nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("closed", sa.Boolean, nullable=False),
        sa.Column("closed_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("key", name="uq_periods_key"),
    )
    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("person", sa.Text, nullable=False),
        sa.Column("period", sa.String(20), nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.UniqueConstraint("sha256", name="uq_uploads_sha256"),
    )
    op.create_index("ix_uploads_unit_id", "uploads", ["unit_id"])
    op.create_table(
        "progress_reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id"), nullable=False),
        sa.Column("task_pk", sa.Integer, sa.ForeignKey("tasks.id"), nullable=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False),
        sa.Column("period", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("percent", sa.Float, nullable=False),
        sa.Column("progress", sa.Text, nullable=False),
        sa.Column("problems", sa.Text, nullable=False),
        sa.Column("next_steps", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("report_date", sa.Date, nullable=False),
        sa.Column("source_sheet", sa.Text, nullable=False),
        sa.Column("source_row", sa.Integer, nullable=False),
    )
    op.create_index("ix_progress_reports_upload_id", "progress_reports", ["upload_id"])
    op.create_index("ix_progress_reports_period", "progress_reports", ["period"])
    op.create_index("ix_progress_task_date", "progress_reports", ["task_pk", "report_date"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for name in ("audit_log", "progress_reports", "uploads", "periods", "predecessors",
                 "task_units", "tasks", "units", "plans"):
        op.drop_table(name)
