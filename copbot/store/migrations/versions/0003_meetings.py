"""Meetings: post claims, per-occurrence changes, added events, questions in advance.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "meeting_posts",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("cop_id", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("occurrence_id", sa.String(64), nullable=False),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("due_at", UTC_DATETIME, nullable=False),
        sa.Column("claimed_at", UTC_DATETIME, nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=False),
        sa.Column("lease_until", UTC_DATETIME),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC_DATETIME),
        sa.Column("sent_at", UTC_DATETIME),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("conversation_id", sa.String(512), nullable=False),
        sa.Column("activity_id", sa.String(200), nullable=False),
        sa.Column("service_url", sa.String(512), nullable=False),
        sa.UniqueConstraint(
            "cop_id", "kind", "occurrence_id", "recipient", name="uq_meeting_posts_key"
        ),
    )
    op.create_index("ix_meeting_posts_occurrence", "meeting_posts", ["occurrence_id"])
    op.create_table(
        "meeting_overrides",
        sa.Column("occurrence_id", sa.String(64), primary_key=True),
        sa.Column("cop_id", sa.String(16), nullable=False),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("moved_to", UTC_DATETIME),
        sa.Column("theme", sa.Text()),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_meeting_overrides_cop_id", "meeting_overrides", ["cop_id"])
    op.create_table(
        "meeting_events",
        sa.Column("occurrence_id", sa.String(64), primary_key=True),
        sa.Column("cop_id", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("starts_at", UTC_DATETIME, nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("theme", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_meeting_events_cop_id", "meeting_events", ["cop_id"])
    op.create_table(
        "meeting_questions",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("cop_id", sa.String(16), nullable=False),
        sa.Column("occurrence_id", sa.String(64), nullable=False),
        sa.Column("asker_id", sa.String(64), nullable=False),
        sa.Column("asker_name", sa.String(256), nullable=False),
        sa.Column("asker_lang", sa.String(8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("asked_at", UTC_DATETIME, nullable=False),
        sa.Column("answered_at", UTC_DATETIME),
        sa.Column("answered_by", sa.String(64)),
        sa.Column("answered_by_name", sa.String(256), nullable=False),
        sa.Column("asker_notified_at", UTC_DATETIME),
    )
    op.create_index(
        "ix_meeting_questions_cop_answered", "meeting_questions", ["cop_id", "answered_at"]
    )
    op.create_index("ix_meeting_questions_occurrence", "meeting_questions", ["occurrence_id"])


def downgrade() -> None:
    op.drop_index("ix_meeting_questions_occurrence", "meeting_questions")
    op.drop_index("ix_meeting_questions_cop_answered", "meeting_questions")
    op.drop_table("meeting_questions")
    op.drop_index("ix_meeting_events_cop_id", "meeting_events")
    op.drop_table("meeting_events")
    op.drop_index("ix_meeting_overrides_cop_id", "meeting_overrides")
    op.drop_table("meeting_overrides")
    op.drop_index("ix_meeting_posts_occurrence", "meeting_posts")
    op.drop_table("meeting_posts")
