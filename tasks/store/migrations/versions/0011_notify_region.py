"""Contacts and outbox messages belong to a region (issue 18): a city's office keeps its own units'
contacts and sends its own region's messages.  Existing rows get ``""``: the province's.

Revision ID: 0011_notify_region
Revises: 0011_i18_counts (main's head when this branch was last merged with main)
"""

import sqlalchemy as sa
from alembic import op

import tasks.store.schema_notify  # noqa: F401  (the models compared with the migrated database)

revision = "0011_notify_region"
down_revision = "0011_i18_counts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notify_contacts") as b:
        b.add_column(sa.Column("region", sa.String(100), nullable=False, server_default=""))
        b.drop_constraint("uq_notify_contacts_unit", type_="unique")
        b.create_unique_constraint("uq_notify_contacts_region_unit", ["region", "unit"])
    with op.batch_alter_table("notify_outbox") as b:
        b.add_column(sa.Column("region", sa.String(100), nullable=False, server_default=""))
        b.create_index("ix_notify_outbox_region", ["region"])


def downgrade() -> None:
    with op.batch_alter_table("notify_outbox") as b:
        b.drop_index("ix_notify_outbox_region")
        b.drop_column("region")
    with op.batch_alter_table("notify_contacts") as b:
        b.drop_constraint("uq_notify_contacts_region_unit", type_="unique")
        b.create_unique_constraint("uq_notify_contacts_unit", ["unit"])
        b.drop_column("region")
