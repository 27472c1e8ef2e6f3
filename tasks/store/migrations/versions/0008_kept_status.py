"""Kept status (issues 18 and 13): the periods each task and unit reported, with first report dates.

Adds ``status_task_periods`` and ``status_unit_periods`` and the history's (task, unit, report
date, id) index; existing databases are filled from the history by the same code the store uses
to rebuild them (:func:`tasks.store.kept.fill_status_periods`).  (The integrator re-chains the
revisions at merge.)

Revision ID: 0008_kept_status
Revises: 0009_scoping
"""

import sqlalchemy as sa
from alembic import op

# Registers the models on the store's metadata (for the schema comparison test).
import tasks.store.schema_kept  # noqa: F401
from tasks.store.kept import fill_status_periods

revision = "0008_kept_status"
down_revision = "0009_scoping"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_task_periods",
        sa.Column("task_pk", sa.Integer, sa.ForeignKey("tasks.id"), primary_key=True),
        sa.Column("periods", sa.LargeBinary, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        "status_unit_periods",
        sa.Column("task_pk", sa.Integer, sa.ForeignKey("tasks.id"), primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), primary_key=True),
        sa.Column("periods", sa.LargeBinary, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_index("ix_progress_task_unit_date", "progress_reports", ["task_pk", "unit_id", "report_date", "id"])
    fill_status_periods(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_progress_task_unit_date", table_name="progress_reports")
    op.drop_table("status_unit_periods")
    op.drop_table("status_task_periods")
