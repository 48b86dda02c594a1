"""Progress of bulk member imports (`copbot import-members`), so a re-run skips the rows done.

One row per line of an import file: the file is identified by ``import_key`` (``sha256:<hex>`` of
its bytes, or ``name:<name>`` when the admin names the import), the line by its number. A row is
done when the person is in the CoP's group (``added`` or ``already_member``); ``unknown_person``
and ``failed`` rows are tried again by the next run.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from copbot.store.base import Base


class ImportRowProgress(Base):
    __tablename__ = "import_rows"

    import_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_key: Mapped[str] = mapped_column(String(320))  # the email or object id, lower case
    cop_id: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))  # primary | secondary
    status: Mapped[str] = mapped_column(String(16))  # added|already_member|unknown_person|failed
    user_id: Mapped[str | None] = mapped_column(String(64))  # the resolved Entra object id
    reason: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime]
