"""Kept current state (issue 18): the latest report per task and unit, and data versions.

Existing databases are backfilled: the latest report of each unit on each task from the history,
and version 1 for the store and every plan.  (The integrator re-chains the revisions at merge.)

Revision ID: 0005_province
Revises: 0004_outbox
"""
import sqlalchemy as sa
from alembic import op

# Registers the models on the store's metadata (for the schema comparison test).
import tasks.store.schema_province  # noqa: F401

revision = "0005_province"
down_revision = "0004_outbox"
branch_labels = None
depends_on = None

# the columns of this revision (0012 adds the report texts and fills them)
LATEST_BACKFILL_SQL = (
    "INSERT INTO progress_latest (task_pk, unit_id, report_id, report_date, period, status, percent) "
    "SELECT task_pk, unit_id, id, report_date, period, status, percent FROM ("
    " SELECT task_pk, unit_id, id, report_date, period, status, percent, row_number() OVER ("
    "  PARTITION BY task_pk, unit_id ORDER BY report_date DESC, id DESC) AS rn FROM progress_reports) t "
    "WHERE rn = 1"
)


def upgrade() -> None:
    op.create_table(
        "progress_latest",
        sa.Column("task_pk", sa.Integer, sa.ForeignKey("tasks.id"), primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("progress_reports.id"), nullable=False),
        sa.Column("report_date", sa.Date, nullable=False),
        sa.Column("period", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("percent", sa.Float, nullable=False),
    )
    op.create_table(
        "data_versions",
        sa.Column("scope", sa.String(50), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.execute(LATEST_BACKFILL_SQL)
    op.execute("INSERT INTO data_versions (scope, version) VALUES ('', 1)")
    op.execute("INSERT INTO data_versions (scope, version) SELECT 'plan:' || CAST(id AS VARCHAR(20)), 1 FROM plans")


def downgrade() -> None:
    op.drop_table("data_versions")
    op.drop_table("progress_latest")
