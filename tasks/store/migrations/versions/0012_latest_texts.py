"""The latest report's texts kept beside it (issue 18): ``progress_latest`` gains ``progress`` and
``problems``, so a status of 50,000 tasks reads them without joining the whole report history.
Existing rows are filled from their reports.

Revision ID: 0012_latest_texts
Revises: 0011_notify_region
"""

import sqlalchemy as sa
from alembic import op

import tasks.store.schema_province  # noqa: F401  (the models compared with the migrated database)

revision = "0012_latest_texts"
down_revision = "0011_notify_region"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("progress_latest") as b:
        b.add_column(sa.Column("progress", sa.Text, nullable=False, server_default=""))
        b.add_column(sa.Column("problems", sa.Text, nullable=False, server_default=""))
    op.execute(
        "UPDATE progress_latest SET "
        "progress = COALESCE((SELECT r.progress FROM progress_reports r WHERE r.id = progress_latest.report_id), ''), "
        "problems = COALESCE((SELECT r.problems FROM progress_reports r WHERE r.id = progress_latest.report_id), '')"
    )


def downgrade() -> None:
    with op.batch_alter_table("progress_latest") as b:
        b.drop_column("problems")
        b.drop_column("progress")
