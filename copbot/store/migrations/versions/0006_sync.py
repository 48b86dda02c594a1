"""Directory sync state per CoP (delta token, claim, outcome, drift counts, focal points gone).

Revision ID: 0006_sync
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_sync"
down_revision = "0005"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "directory_syncs",
        sa.Column("cop_id", sa.String(16), primary_key=True),
        sa.Column("group_id", sa.String(128), nullable=False, server_default=""),
        sa.Column("delta_token", sa.Text()),
        sa.Column("lease_owner", sa.String(64)),
        sa.Column("lease_until", UTC_DATETIME),
        sa.Column("last_started_at", UTC_DATETIME),
        sa.Column("last_finished_at", UTC_DATETIME),
        sa.Column("last_outcome", sa.String(16)),
        sa.Column("last_error", sa.String(500)),
        sa.Column("in_group", sa.Integer()),
        sa.Column("added_outside", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("removed_outside", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("focal_points_gone", sa.String(1000), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_table("directory_syncs")
