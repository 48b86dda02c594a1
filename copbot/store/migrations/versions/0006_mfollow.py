"""After the meeting: follow-ups (recording, materials, summary) and feedback.

Revision ID: 0006_mfollow
Revises: 0006_sync
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_mfollow"
down_revision = "0006_sync"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "meeting_followups",
        sa.Column("occurrence_id", sa.String(64), primary_key=True),
        sa.Column("cop_id", sa.String(16), nullable=False),
        sa.Column("recording_url", sa.String(2000), nullable=False, server_default=""),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False, server_default=""),
        sa.Column("version", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("posted_version", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False, server_default=""),
        sa.Column("feedback_conversation_id", sa.String(512), nullable=False, server_default=""),
        sa.Column("feedback_activity_id", sa.String(200), nullable=False, server_default=""),
        sa.Column("feedback_service_url", sa.String(512), nullable=False, server_default=""),
    )
    op.create_index("ix_meeting_followups_cop_id", "meeting_followups", ["cop_id"])
    op.create_table(
        "meeting_feedback",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("cop_id", sa.String(16), nullable=False),
        sa.Column("occurrence_id", sa.String(64), nullable=False),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False, server_default=""),
        sa.Column("given_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.UniqueConstraint("occurrence_id", "person_id", name="uq_meeting_feedback_person"),
    )
    op.create_index("ix_meeting_feedback_cop_given", "meeting_feedback", ["cop_id", "given_at"])


def downgrade() -> None:
    op.drop_index("ix_meeting_feedback_cop_given", "meeting_feedback")
    op.drop_table("meeting_feedback")
    op.drop_index("ix_meeting_followups_cop_id", "meeting_followups")
    op.drop_table("meeting_followups")
