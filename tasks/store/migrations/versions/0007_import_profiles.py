"""Import profiles saved by the office (issue 14).

Revision ID: 0007_import_profiles
Revises: 0002_accounts
"""
import sqlalchemy as sa
from alembic import op

# Registers the model on the store's metadata, so that comparing the migrated
# database with ``tasks.store.schema.Base.metadata`` sees it.
import tasks.store.schema_import_profiles  # noqa: F401

revision = "0007_import_profiles"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_profiles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("name", name="uq_import_profiles_name"),
    )


def downgrade() -> None:
    op.drop_table("import_profiles")
