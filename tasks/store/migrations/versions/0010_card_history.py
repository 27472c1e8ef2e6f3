"""Card history (issue 13): every card's issued/changed/closed/withdrawn steps and the checks recorded.

Revision ID: 0010_card_history
Revises: 0005_province
"""

import sqlalchemy as sa
from alembic import op

# Registers the models on the store's metadata (for the schema comparison test).
import tasks.store.schema_card_history  # noqa: F401

revision = "0010_card_history"
down_revision = "0005_province"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "card_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("task_pk", sa.Integer, sa.ForeignKey("tasks.id"), nullable=False),
        sa.Column("check_key", sa.String(60), nullable=False),
        sa.Column("period", sa.String(20), nullable=False),
        sa.Column("checked_on", sa.Date, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("level", sa.String(40), nullable=False),
        sa.Column("level_name", sa.Text, nullable=False),
        sa.Column("previous", sa.String(40), nullable=False),
        sa.Column("previous_name", sa.Text, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("appeal_id", sa.Integer, nullable=True),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.UniqueConstraint("task_pk", "check_key", name="uq_card_history_task_check"),
    )
    op.create_index("ix_card_history_plan_task", "card_history", ["plan_id", "task_pk"])
    op.create_table(
        "card_checks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("check_key", sa.String(60), nullable=False),
        sa.Column("checked_on", sa.Date, nullable=False),
        sa.Column("changes", sa.Integer, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.UniqueConstraint("plan_id", "check_key", name="uq_card_checks_plan_check"),
    )


def downgrade() -> None:
    op.drop_table("card_checks")
    op.drop_index("ix_card_history_plan_task", table_name="card_history")
    op.drop_table("card_history")
