"""Bulk import progress: one row per line of an import file.

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "import_rows",
        sa.Column("import_key", sa.String(80), primary_key=True),
        sa.Column("line", sa.Integer(), primary_key=True),
        sa.Column("person_key", sa.String(320), nullable=False),
        sa.Column("cop_id", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("user_id", sa.String(64)),
        sa.Column("reason", sa.String(500)),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("import_rows")
