"""Merge: one head again (membership 0002, meetings 0003, import 0004); no schema change.

The three branches all grew from 0001.

A database created before this revision is at the three old heads (the app upgraded to
"heads"); upgrading it applies whatever branch revision it lacks, then this merge, and leaves
one row, 0005, in `alembic_version`. New migrations chain on this one (see CONTRIBUTING.md).

Revision ID: 0005
Revises: 0002, 0003, 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

revision = "0005"
down_revision = ("0002", "0003", "0004")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
