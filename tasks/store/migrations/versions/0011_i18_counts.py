"""Kept done-state history (issue 18): when each unit's newest report on each task said 已完成.

Adds ``status_unit_done``; existing databases are filled from the history by the same code the
store uses to rebuild it (:func:`tasks.store.kept_trend.fill_done`).  (The integrator re-chains
the revisions at merge.)

Revision ID: 0011_i18_counts
Revises: 0008_kept_status
"""

import sqlalchemy as sa
from alembic import op

# Registers the models on the store's metadata (for the schema comparison test).
import tasks.store.schema_trend  # noqa: F401
from tasks.store.kept_trend import fill_done

revision = "0011_i18_counts"
down_revision = "0008_kept_status"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_unit_done",
        sa.Column("task_pk", sa.Integer, sa.ForeignKey("tasks.id"), primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), primary_key=True),
        sa.Column("changes", sa.LargeBinary, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )
    fill_done(op.get_bind())


def downgrade() -> None:
    op.drop_table("status_unit_done")
