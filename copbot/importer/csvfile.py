"""Reading an import file: one row per person and CoP, every bad row reported with its line.

The file is CSV (comma, semicolon or tab; UTF-8, with or without the BOM Excel writes), with the
columns, in this order:

    email or Entra object id, CoP id, primary (yes/no)

A header row is optional; blank lines and lines starting with ``#`` are skipped. The third column
may be left out (= no). Bad rows do not stop the others: each is reported with its line number.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from copbot.catalog import EMAIL_RE, GUID_RE, Catalog
from copbot.i18n import fold

YES = frozenset(
    {"yes", "y", "true", "1", "x", "primary", "oui", "o", "principal", "principale", "si"}
)
NO = frozenset({"no", "n", "false", "0", "", "secondary", "non", "secondaire", "secundaria"})
_HEADER_WORDS = ("cop", "commun", "comunidad")


@dataclass(frozen=True)
class Row:
    line: int
    person_key: str  # lower-cased email, or lower-cased object id
    cop_id: str
    primary: bool

    @property
    def role(self) -> str:
        return "primary" if self.primary else "secondary"


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str
    text: str = ""  # the row as written (for the report)


@dataclass
class ImportFile:
    key: str  # identifies the file for progress: "sha256:<hex>" or "name:<name>"
    rows: list[Row] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return len(self.rows) + len(self.bad)


def file_key(data: bytes, name: str | None = None) -> str:
    if name:
        return "name:" + name.strip()[:75]
    return "sha256:" + hashlib.sha256(data).hexdigest()


def parse_import(data: bytes, catalog: Catalog, *, name: str | None = None) -> ImportFile:
    """Parse and check every row. Never raises for content: problems become ``BadRow``s."""
    result = ImportFile(key=file_key(data, name))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        result.bad.append(
            BadRow(0, f"the file is not UTF-8 (byte {exc.start}): save it as 'CSV UTF-8'")
        )
        return result
    reader = csv.reader(io.StringIO(text), dialect=_dialect(text))
    seen: dict[tuple[str, str], int] = {}
    header_checked = False
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.bad.append(BadRow(reader.line_num, f"cannot read this line: {exc}"))
            continue
        line = reader.line_num
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if not header_checked:
            header_checked = True
            if _is_header(cells, catalog):
                continue
        row_text = ",".join(cells)
        row, reason = _check(cells, line, catalog)
        if row is None:
            result.bad.append(BadRow(line, reason, row_text))
            continue
        earlier = seen.get((row.person_key, row.cop_id))
        if earlier is not None:
            result.bad.append(BadRow(line, f"same person and CoP as line {earlier}", row_text))
            continue
        seen[(row.person_key, row.cop_id)] = line
        result.rows.append(row)
    conflicts = primary_conflicts((r.line, r.person_key) for r in result.rows if r.primary)
    if conflicts:
        texts = {}
        kept = []
        for row in result.rows:
            if row.line in conflicts:
                texts[row.line] = row
            else:
                kept.append(row)
        result.rows = kept
        for line, reason in conflicts.items():
            row = texts[line]
            result.bad.append(BadRow(line, reason, f"{row.person_key},{row.cop_id},yes"))
    result.bad.sort(key=lambda b: b.line)
    return result


def primary_conflicts(primaries: Iterable[tuple[int, str]]) -> dict[int, str]:
    """Lines that give one person two primary CoPs: every such line, with the reason."""
    lines_of: dict[str, list[int]] = defaultdict(list)
    for line, person in primaries:
        lines_of[person].append(line)
    reasons = {}
    for lines in lines_of.values():
        if len(lines) > 1:
            listed = ", ".join(str(n) for n in sorted(lines))
            for line in lines:
                reasons[line] = (
                    f"two primary CoPs for one person (lines {listed}): a person has exactly one "
                    "primary CoP; mark the others 'no'"
                )
    return reasons


def _check(cells: list[str], line: int, catalog: Catalog) -> tuple[Row | None, str]:
    if len(cells) < 2 or len(cells) > 3:
        return None, f"expected 3 columns (email or object id, CoP id, primary), found {len(cells)}"
    person, cop, primary = cells[0], cells[1], cells[2] if len(cells) == 3 else ""
    if GUID_RE.match(person) or EMAIL_RE.match(person):
        person_key = person.lower()
    else:
        return None, f"{person!r} is neither an email address nor an Entra object id"
    community = catalog.get(cop) if cop else None
    if community is None:
        return None, f"unknown CoP {cop!r} (the catalog has {', '.join(catalog.ids())})"
    folded = fold(primary).strip()
    if folded in YES:
        is_primary = True
    elif folded in NO:
        is_primary = False
    else:
        return None, f"primary must be yes or no, not {primary!r}"
    return Row(line, person_key, community.id, is_primary), ""


def _is_header(cells: list[str], catalog: Catalog) -> bool:
    first = cells[0]
    second = fold(cells[1]) if len(cells) > 1 else ""
    if (
        GUID_RE.match(first)
        or EMAIL_RE.match(first)
        or catalog.get(cells[1] if len(cells) > 1 else "")
    ):
        return False
    return any(word in second for word in _HEADER_WORDS)


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = "\n".join(line for line in text.splitlines()[:20] if line and not line.startswith("#"))
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel
