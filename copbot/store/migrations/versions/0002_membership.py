"""Membership: memberships, join requests, sent approval cards, the outbox.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "memberships",
        sa.Column("person_id", sa.String(64), primary_key=True),
        sa.Column("cop_id", sa.String(16), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("since", UTC_DATETIME, nullable=False),
        sa.Column("request_id", sa.String(32)),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("added_at", UTC_DATETIME),
    )
    op.create_index(
        "uq_memberships_primary",
        "memberships",
        ["person_id"],
        unique=True,
        sqlite_where=sa.text("role = 'primary'"),
        postgresql_where=sa.text("role = 'primary'"),
    )
    op.create_index("ix_memberships_cop_id", "memberships", ["cop_id"])

    op.create_table(
        "join_requests",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("cop_id", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("requester", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("decided_by", sa.String(64)),
        sa.Column("decided_by_name", sa.String(256)),
        sa.Column("decided_at", UTC_DATETIME),
        sa.Column("reason", sa.String(500)),
        sa.Column("added_at", UTC_DATETIME),
        sa.Column("reminded_at", UTC_DATETIME),
        sa.Column("escalated_at", UTC_DATETIME),
    )
    op.create_index(
        "uq_join_requests_pending",
        "join_requests",
        ["person_id", "cop_id"],
        unique=True,
        sqlite_where=sa.text("status = 'pending'"),
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index("ix_join_requests_status_created_at", "join_requests", ["status", "created_at"])
    op.create_index("ix_join_requests_person_id", "join_requests", ["person_id"])

    op.create_table(
        "approval_cards",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("request_id", sa.String(32), nullable=False),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("conversation_id", sa.String(512), nullable=False),
        sa.Column("activity_id", sa.String(256), nullable=False),
        sa.Column("service_url", sa.String(512), nullable=False),
        sa.Column("sent_at", UTC_DATETIME, nullable=False),
    )
    op.create_index(
        "uq_approval_cards_request_id",
        "approval_cards",
        ["request_id", "recipient", "purpose"],
        unique=True,
    )

    op.create_table(
        "outbox",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("dedupe_key", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC_DATETIME, nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("lease_owner", sa.String(64)),
        sa.Column("lease_until", UTC_DATETIME),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("done_at", UTC_DATETIME),
        sa.UniqueConstraint("dedupe_key", name="uq_outbox_dedupe_key"),
    )
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_status_next_attempt_at", "outbox")
    op.drop_table("outbox")
    op.drop_index("uq_approval_cards_request_id", "approval_cards")
    op.drop_table("approval_cards")
    op.drop_index("ix_join_requests_person_id", "join_requests")
    op.drop_index("ix_join_requests_status_created_at", "join_requests")
    op.drop_index("uq_join_requests_pending", "join_requests")
    op.drop_table("join_requests")
    op.drop_index("ix_memberships_cop_id", "memberships")
    op.drop_index("uq_memberships_primary", "memberships")
    op.drop_table("memberships")
