"""Kept lifecycle state (issue 18): ``supervision_state`` holds each task and unit's state after all
its steps, so status as of today reads one row per pair instead of replaying every step.  Existing
databases are filled from their steps by the code that rebuilds it
(:func:`tasks.progress.lifecycle_state.fill_lifecycle_state`).

Revision ID: 0013_lifecycle_state
Revises: 0012_latest_texts
"""

import sqlalchemy as sa
from alembic import op

import tasks.store.schema_supervision  # noqa: F401  (the models compared with the migrated database)
from tasks.progress.lifecycle_state import STATE_SCOPE, fill_lifecycle_state

revision = "0013_lifecycle_state"
down_revision = "0012_latest_texts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "supervision_state",
        sa.Column("task_pk", sa.Integer, sa.ForeignKey("tasks.id"), primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), primary_key=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("signed_at", sa.DateTime, nullable=True),
        sa.Column("claim_id", sa.Integer, nullable=True),
        sa.Column("claim_date", sa.Date, nullable=True),
        sa.Column("closed_date", sa.Date, nullable=True),
        sa.Column("closed_at", sa.DateTime, nullable=True),
        sa.Column("returned_note", sa.Text, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("claimed_at", sa.DateTime, nullable=True),
        sa.Column("first_at", sa.DateTime, nullable=False),
        sa.Column("last_at", sa.DateTime, nullable=False),
        sa.Column("returns", sa.Integer, nullable=False),
    )
    fill_lifecycle_state(op.get_bind())


def downgrade() -> None:
    op.drop_table("supervision_state")
    op.execute(sa.text("DELETE FROM data_versions WHERE scope = :s").bindparams(s=STATE_SCOPE))
