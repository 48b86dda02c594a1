"""Practice areas' meeting series and event formats: who follows which series; an added event's
series and format.

Existing added events are CoP-wide meetings (series "", format "meeting").

Revision ID: 0007_mseries
Revises: 0006_sync
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_mseries"
down_revision = "0006_mfollow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_followers",
        sa.Column("person_id", sa.String(64), primary_key=True),
        sa.Column("cop_id", sa.String(16), primary_key=True),
        sa.Column("series", sa.String(24), primary_key=True),
        sa.Column("followed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_meeting_followers_series", "meeting_followers", ["cop_id", "series"])
    with op.batch_alter_table("meeting_events") as batch:
        batch.add_column(sa.Column("series", sa.String(24), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("format", sa.String(24), nullable=False, server_default="meeting")
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting_events") as batch:
        batch.drop_column("format")
        batch.drop_column("series")
    op.drop_index("ix_meeting_followers_series", table_name="meeting_followers")
    op.drop_table("meeting_followers")
