"""Bulk import of existing CoP members from a CSV file (`copbot import-members`)."""

from copbot.importer.csvfile import BadRow, ImportFile, Row, parse_import
from copbot.importer.run import (
    ImportReport,
    MemberImporter,
    Outcome,
    Progress,
    RowResult,
)

__all__ = [
    "BadRow",
    "ImportFile",
    "ImportReport",
    "MemberImporter",
    "Outcome",
    "Progress",
    "Row",
    "RowResult",
    "parse_import",
]
