"""City/county scoping (issue 18): regions, the region of each plan, the region scope of accounts.

Existing plans get no row (they belong to the deployment's own level) and existing accounts stay
unscoped, so a one-city deployment works unchanged.  (The integrator re-chains the revisions.)

Revision ID: 0009_scoping
Revises: 0010_card_history
"""

import sqlalchemy as sa
from alembic import op

# Registers the models on the store's metadata (for the schema comparison test).
import tasks.store.schema_scoping  # noqa: F401

revision = "0009_scoping"
down_revision = "0010_card_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "regions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("regions.id"), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("name", name="uq_regions_name"),
    )
    op.create_index("ix_regions_parent_id", "regions", ["parent_id"])
    op.create_table(
        "plan_regions",
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), primary_key=True),
        sa.Column("region_id", sa.Integer, sa.ForeignKey("regions.id"), nullable=False),
    )
    op.create_index("ix_plan_regions_region_id", "plan_regions", ["region_id"])
    op.create_table(
        "account_regions",
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id"), primary_key=True),
        sa.Column("region_id", sa.Integer, sa.ForeignKey("regions.id"), nullable=False),
    )
    op.create_index("ix_account_regions_region_id", "account_regions", ["region_id"])


def downgrade() -> None:
    op.drop_table("account_regions")
    op.drop_table("plan_regions")
    op.drop_table("regions")
